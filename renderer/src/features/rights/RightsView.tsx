import type { FormEvent } from 'react';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiResponse } from '../../../../shared/src/api/contract';
import type { ErasureRequest } from '../../../../shared/src/sync/rights-protocol';
import { REQUESTER_KINDS } from '../../../../shared/src/sync/rights-protocol';
import { useApi } from '../../api/ApiProvider';
import type { Role } from '../../app/views';
import { ErrorBanner } from '../../components/ErrorBanner';
import { formatBirthDate } from '../../i18n/format';
import { languageOf } from '../../i18n/locales';
import { useErrorText, useLocale } from '../../i18n/useLocale';
import { BASIS_KEYS, ErasureDecision, REQUESTER_KEYS } from './ErasureDecision';

/** Offers the register as a file (browser mode: the host cannot open a save dialog there). */
function download(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/markdown;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

type Expired = ApiResponse<'rights:expired'>['records'];

/**
 * The DPO's screen for patients' rights: record an erasure request (the answer, a refusal
 * with its legal basis or the erasure, shows at once), the requests so far, legal holds,
 * records past their retention, and the register of processing (Art. 30) to file.
 * The DPO sees no patient record: patients are named by their record id, which the
 * practitioner or the front desk reads on the record's "Droits du patient" tab.
 */
export function RightsView(props: { readonly role: Role }) {
  const api = useApi();
  const { t } = useTranslation();
  const locale = useLocale();
  const errorText = useErrorText();
  const [error, setError] = useState<string | undefined>(undefined);
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const [requests, setRequests] = useState<ErasureRequest[]>([]);
  const [expired, setExpired] = useState<Expired>([]);
  const [decision, setDecision] = useState<ErasureRequest | null>(null);
  const [patientId, setPatientId] = useState('');
  const [requesterKind, setRequesterKind] = useState<(typeof REQUESTER_KINDS)[number]>('patient');
  const [requesterName, setRequesterName] = useState('');
  const [holdPatient, setHoldPatient] = useState('');
  const [holdReason, setHoldReason] = useState('');

  const load = useCallback(async () => {
    try {
      setRequests((await api.call('rights:erasure-requests', {})).requests);
      setExpired((await api.call('rights:expired', {})).records);
    } catch (e) {
      setError(errorText(e));
    }
  }, [api, errorText]);

  useEffect(() => {
    if (props.role === 'dpo') void load();
  }, [load, props.role]);

  if (props.role !== 'dpo') {
    return (
      <section aria-labelledby="rights-view-title">
        <h1 id="rights-view-title">{t('rights.view.title')}</h1>
        <p role="status">{t('rights.view.dpoOnly')}</p>
      </section>
    );
  }

  const onRequest = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    try {
      const r = await api.call('rights:erasure-request', {
        patientId: patientId.trim(),
        requesterKind,
        requesterName: requesterName.trim(),
      });
      setDecision(r);
      setError(undefined);
      setRequesterName('');
      await load();
    } catch (err) {
      setError(errorText(err));
    }
  };

  const onHold = async (lift: boolean): Promise<void> => {
    try {
      await api.call(lift ? 'rights:lift-hold' : 'rights:hold', { patientId: holdPatient.trim(), reason: holdReason.trim() });
      setNotice(lift ? t('rights.hold.lifted') : t('rights.hold.set'));
      setError(undefined);
      setHoldReason('');
      await load();
    } catch (err) {
      setError(errorText(err));
    }
  };

  const onRegister = async (): Promise<void> => {
    try {
      const reg = await api.call('rights:register', { language: languageOf(locale) });
      if (reg.savedTo) setNotice(t('rights.register.saved', { path: reg.savedTo }));
      else {
        download(reg.fileName, reg.markdown);
        setNotice(t('rights.register.downloaded', { name: reg.fileName }));
      }
      setError(undefined);
    } catch (err) {
      setError(errorText(err));
    }
  };

  return (
    <section aria-labelledby="rights-view-title" className="rights-view">
      <h1 id="rights-view-title" tabIndex={-1}>
        {t('rights.view.title')}
      </h1>
      <ErrorBanner message={error} />
      {notice ? <p role="status">{notice}</p> : null}

      <h2>{t('rights.erasure.new')}</h2>
      <form onSubmit={(e) => void onRequest(e)} className="inline-form" aria-label={t('rights.erasure.new')}>
        <label>
          {t('rights.patientId')}
          <input value={patientId} onChange={(e) => setPatientId(e.target.value)} required maxLength={64} data-testid="erasure-patient" />
        </label>
        <label>
          {t('rights.requester.kind')}
          <select value={requesterKind} onChange={(e) => setRequesterKind(e.target.value as (typeof REQUESTER_KINDS)[number])}>
            {REQUESTER_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(REQUESTER_KEYS[k])}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('rights.requester.name')}
          <input value={requesterName} onChange={(e) => setRequesterName(e.target.value)} required maxLength={200} />
        </label>
        <button type="submit" className="primary">
          {t('rights.erasure.submit')}
        </button>
      </form>
      {decision ? <ErasureDecision request={decision} /> : null}

      <h2>{t('rights.erasure.list')}</h2>
      {requests.length === 0 ? (
        <p>{t('rights.erasure.none')}</p>
      ) : (
        <table className="data-table" data-testid="erasure-requests">
          <thead>
            <tr>
              <th scope="col">{t('rights.patientId')}</th>
              <th scope="col">{t('rights.requester.kind')}</th>
              <th scope="col">{t('rights.erasure.status')}</th>
              <th scope="col">{t('rights.retention.title')}</th>
              <th scope="col">{t('rights.erasure.legalBasis')}</th>
            </tr>
          </thead>
          <tbody>
            {requests.map((r) => (
              <tr key={r.id}>
                <td className="mono">{r.patientId}</td>
                <td>{t(REQUESTER_KEYS[r.requesterKind])}</td>
                <td>{r.status === 'refused' ? t('rights.erasure.refused') : t('rights.erasure.completed')}</td>
                <td>{r.retention ? formatBirthDate(r.retention.keptUntil, locale) : '—'}</td>
                <td>{r.legalBasis.map((b) => `Art. ${b}`).join(', ') || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>{t('rights.hold.title')}</h2>
      <form onSubmit={(e) => e.preventDefault()} className="inline-form" aria-label={t('rights.hold.title')}>
        <label>
          {t('rights.patientId')}
          <input value={holdPatient} onChange={(e) => setHoldPatient(e.target.value)} required maxLength={64} />
        </label>
        <label>
          {t('rights.reason')}
          <input value={holdReason} onChange={(e) => setHoldReason(e.target.value)} required minLength={3} maxLength={500} />
        </label>
        <button type="button" onClick={() => void onHold(false)}>
          {t('rights.hold.setButton')}
        </button>
        <button type="button" onClick={() => void onHold(true)}>
          {t('rights.hold.liftButton')}
        </button>
      </form>

      <h2>{t('rights.expired.title')}</h2>
      {expired.length === 0 ? (
        <p>{t('rights.expired.none')}</p>
      ) : (
        <ul data-testid="expired">
          {expired.map((e) => (
            <li key={e.patientId}>
              <span className="mono">{e.patientId}</span> — {t('rights.retention.keptUntil', { date: formatBirthDate(e.retention.keptUntil, locale) })} ·{' '}
              {t(BASIS_KEYS[e.retention.basis])}
            </li>
          ))}
        </ul>
      )}

      <h2>{t('rights.register.title')}</h2>
      <p>{t('rights.register.intro')}</p>
      <button type="button" onClick={() => void onRegister()}>
        {t('rights.register.export')}
      </button>
    </section>
  );
}
