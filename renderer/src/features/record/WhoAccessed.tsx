import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiResponse } from '../../../../shared/src/api/contract';
import { useApi } from '../../api/ApiProvider';
import { ErrorBanner } from '../../components/ErrorBanner';
import { formatDateTime } from '../../i18n/format';
import { useErrorText, useLocale } from '../../i18n/useLocale';
import { useActionLabel } from '../audit/action-label';

type Report = ApiResponse<'audit:patient-accesses'>;

const ROLE_KEYS: Readonly<Record<string, 'roles.practitioner' | 'roles.secretary' | 'roles.dpo' | 'roles.admin'>> = {
  practitioner: 'roles.practitioner',
  secretary: 'roles.secretary',
  dpo: 'roles.dpo',
  admin: 'roles.admin',
};

/**
 * "Qui a consulté ce dossier": the central audit log's report on this patient, as a
 * patient may ask their practitioner. The server answers a practitioner with access to
 * the patient (grant, care team, break-the-glass) and the DPO; the request is itself
 * recorded. Needs the server: offline, the panel says so.
 */
export function WhoAccessed(props: { readonly patientId: string }) {
  const api = useApi();
  const { t } = useTranslation();
  const locale = useLocale();
  const errorText = useErrorText();
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const actionLabel = useActionLabel();

  const load = useCallback(async () => {
    setBusy(true);
    try {
      setReport(await api.call('audit:patient-accesses', { patientId: props.patientId }));
      setError(undefined);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }, [api, errorText, props.patientId]);

  useEffect(() => {
    void load();
  }, [load]);

  const role = (r: string) => {
    const key = ROLE_KEYS[r];
    return key ? t(key) : r;
  };

  return (
    <section aria-labelledby="who-accessed-title" className="who-accessed">
      <h2 id="who-accessed-title">{t('vigilance.accesses.title')}</h2>
      <p>{t('vigilance.accesses.intro')}</p>
      <ErrorBanner message={error} />
      {busy && report === null ? <p role="status">{t('app.loading')}</p> : null}
      {report ? (
        report.users.length === 0 ? (
          <p role="status">{t('vigilance.accesses.none')}</p>
        ) : (
          <div className="table-scroll" role="region" aria-labelledby="who-accessed-title" tabIndex={0}>
            <table className="data-table" data-testid="who-accessed">
              <thead>
                <tr>
                  <th scope="col">{t('vigilance.accesses.user')}</th>
                  <th scope="col">{t('vigilance.accesses.role')}</th>
                  <th scope="col">{t('vigilance.accesses.actions')}</th>
                  <th scope="col">{t('vigilance.accesses.count')}</th>
                  <th scope="col">{t('vigilance.accesses.first')}</th>
                  <th scope="col">{t('vigilance.accesses.last')}</th>
                </tr>
              </thead>
              <tbody>
                {report.users.map((u) => (
                  <tr key={`${u.userId}:${u.role}`}>
                    <th scope="row">
                      {u.displayName ?? u.username ?? u.userId}
                      {u.username ? <span className="audit-note mono">{u.username}</span> : null}
                    </th>
                    <td>{role(u.role)}</td>
                    <td>{u.actions.map(actionLabel).join(', ')}</td>
                    <td>{u.count}</td>
                    <td>{formatDateTime(u.first, locale)}</td>
                    <td>{formatDateTime(u.last, locale)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      ) : null}
      <div className="form-actions">
        <button type="button" onClick={() => void load()} disabled={busy}>
          {t('vigilance.accesses.refresh')}
        </button>
      </div>
    </section>
  );
}
