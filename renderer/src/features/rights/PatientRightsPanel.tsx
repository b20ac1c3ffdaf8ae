import type { FormEvent } from 'react';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiResponse } from '../../../../shared/src/api/contract';
import { useApi } from '../../api/ApiProvider';
import type { Role } from '../../app/views';
import { ErrorBanner } from '../../components/ErrorBanner';
import { formatBirthDate, formatDateTime } from '../../i18n/format';
import { useErrorText, useLocale } from '../../i18n/useLocale';
import { BASIS_KEYS, ErasureDecision } from './ErasureDecision';

type Status = ApiResponse<'rights:status'>;
type Rectifications = ApiResponse<'rights:rectifications'>['rectifications'];

/** Identity fields offered for rectification here (plain text or dates; the others go through the identity form). */
const RECTIFY_FIELDS = ['birthName', 'usedName', 'usedFirstName', 'birthDate', 'deceasedDate'] as const;
type RectifyField = (typeof RECTIFY_FIELDS)[number];
const FIELD_KEYS = {
  birthName: 'rights.fields.birthName',
  usedName: 'rights.fields.usedName',
  usedFirstName: 'rights.fields.usedFirstName',
  birthDate: 'rights.fields.birthDate',
  deceasedDate: 'rights.fields.deceasedDate',
} as const;

const show = (v: unknown): string => (v === null || v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

/**
 * "Droits du patient" on the record (practitioner, secretary): the retention clock, the
 * restriction (a practitioner freezes or lifts it), a legal hold, the erasure requests the
 * DPO recorded with their legal basis, and rectification of identity with its history.
 * Everything here is decided by the sync server: offline, the panel says so.
 */
export function PatientRightsPanel(props: { readonly patientId: string; readonly role: Role }) {
  const api = useApi();
  const { t } = useTranslation();
  const locale = useLocale();
  const errorText = useErrorText();
  const [status, setStatus] = useState<Status | null>(null);
  const [history, setHistory] = useState<Rectifications>([]);
  const [error, setError] = useState<string | undefined>(undefined);
  const [reason, setReason] = useState('');
  const [field, setField] = useState<RectifyField>('birthName');
  const [value, setValue] = useState('');
  const [why, setWhy] = useState('');
  const [notice, setNotice] = useState<string | undefined>(undefined);

  const load = useCallback(async () => {
    try {
      setStatus(await api.call('rights:status', { patientId: props.patientId }));
      setHistory((await api.call('rights:rectifications', { patientId: props.patientId })).rectifications);
      setError(undefined);
    } catch (e) {
      setError(errorText(e));
    }
  }, [api, errorText, props.patientId]);

  useEffect(() => {
    void load();
  }, [load]);

  const act = async (work: () => Promise<unknown>, done: string): Promise<void> => {
    try {
      await work();
      setNotice(done);
      setError(undefined);
      await load();
    } catch (e) {
      setError(errorText(e));
    }
  };

  const onRestrict = (e: FormEvent): void => {
    e.preventDefault();
    const restricted = status?.restriction !== null && status?.restriction !== undefined;
    void act(
      () =>
        api.call(restricted ? 'rights:lift-restriction' : 'rights:restrict', { patientId: props.patientId, reason: reason.trim() }),
      restricted ? t('rights.restriction.lifted') : t('rights.restriction.set'),
    ).then(() => setReason(''));
  };

  const onRectify = (e: FormEvent): void => {
    e.preventDefault();
    const v = value.trim();
    void act(
      () => api.call('rights:rectify', { patientId: props.patientId, changes: { [field]: v === '' ? null : v }, reason: why.trim() }),
      t('rights.rectify.done'),
    ).then(() => {
      setValue('');
      setWhy('');
    });
  };

  const retention = status?.retention ?? null;
  return (
    <section aria-labelledby="rights-title" className="patient-rights" data-testid="patient-rights">
      <h2 id="rights-title">{t('rights.panel.title')}</h2>
      <ErrorBanner message={error} />
      {notice ? <p role="status">{notice}</p> : null}
      {status === null && error === undefined ? <p role="status">{t('app.loading')}</p> : null}
      {status ? (
        <>
          <h3>{t('rights.retention.title')}</h3>
          {retention ? (
            <p data-testid="retention">
              {t(retention.status === 'held' ? 'rights.retention.held' : retention.status === 'expired' ? 'rights.retention.expired' : 'rights.retention.running')}{' '}
              {t('rights.retention.keptUntil', { date: formatBirthDate(retention.keptUntil, locale) })} ·{' '}
              {t(BASIS_KEYS[retention.basis])}
            </p>
          ) : null}
          {status.legalHold ? (
            <p className="banner banner-warning">
              {t('rights.hold.active', { since: formatDateTime(status.legalHold.setAt, locale), reason: status.legalHold.reason })}
            </p>
          ) : null}

          <h3>{t('rights.restriction.title')}</h3>
          {status.restriction ? (
            <p className="banner banner-warning" data-testid="restricted">
              {t('rights.restriction.active', { since: formatDateTime(status.restriction.setAt, locale), reason: status.restriction.reason })}
            </p>
          ) : (
            <p>{t('rights.restriction.none')}</p>
          )}
          {props.role === 'practitioner' ? (
            <form onSubmit={onRestrict} className="inline-form">
              <label>
                {t('rights.reason')}
                <input value={reason} onChange={(e) => setReason(e.target.value)} minLength={3} maxLength={500} required />
              </label>
              <button type="submit">{status.restriction ? t('rights.restriction.lift') : t('rights.restriction.restrict')}</button>
            </form>
          ) : null}

          <h3>{t('rights.erasure.title')}</h3>
          {status.erasureRequests.length === 0 ? (
            <p>{t('rights.erasure.none')}</p>
          ) : (
            status.erasureRequests.map((r) => <ErasureDecision key={r.id} request={r} />)
          )}

          <h3>{t('rights.rectify.title')}</h3>
          <form onSubmit={onRectify} className="inline-form">
            <label>
              {t('rights.rectify.field')}
              <select value={field} onChange={(e) => setField(e.target.value as RectifyField)}>
                {RECTIFY_FIELDS.map((f) => (
                  <option key={f} value={f}>
                    {t(FIELD_KEYS[f])}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('rights.rectify.value')}
              <input value={value} onChange={(e) => setValue(e.target.value)} maxLength={100} />
            </label>
            <label>
              {t('rights.reason')}
              <input value={why} onChange={(e) => setWhy(e.target.value)} minLength={3} maxLength={500} required />
            </label>
            <button type="submit">{t('rights.rectify.submit')}</button>
          </form>
          {history.length > 0 ? (
            <table className="data-table" data-testid="rectifications">
              <caption>{t('rights.rectify.history')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('rights.rectify.when')}</th>
                  <th scope="col">{t('rights.rectify.field')}</th>
                  <th scope="col">{t('rights.rectify.previous')}</th>
                  <th scope="col">{t('rights.rectify.value')}</th>
                  <th scope="col">{t('rights.reason')}</th>
                  <th scope="col">{t('rights.rectify.by')}</th>
                </tr>
              </thead>
              <tbody>
                {history.map((h) => (
                  <tr key={h.id}>
                    <td>{formatDateTime(h.rectifiedAt, locale)}</td>
                    <td>{h.field in FIELD_KEYS ? t(FIELD_KEYS[h.field as RectifyField]) : h.field}</td>
                    <td>{show(h.previousValue)}</td>
                    <td>{show(h.newValue)}</td>
                    <td>{h.reason}</td>
                    <td>{h.rectifiedBy}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          <p className="hint">{t('rights.panel.recordId', { id: props.patientId })}</p>
        </>
      ) : null}
    </section>
  );
}
