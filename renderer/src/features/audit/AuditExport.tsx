import type { FormEvent } from 'react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/ApiProvider';
import { ErrorBanner } from '../../components/ErrorBanner';
import { TextField } from '../../components/TextField';
import { useErrorText } from '../../i18n/useLocale';
import { auditRequestOf, EMPTY_AUDIT_FILTER } from './audit-query';

/** Offers text to the browser as a file (browser mode: the host cannot open a save dialog there). */
function download(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * CSV export of a period of the central log (DPO). In the desktop app the host asks where
 * to save it and writes the file; in browser mode the file is downloaded. The export is
 * recorded in the log by the server before its first byte.
 */
export function AuditExport() {
  const api = useApi();
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [patientId, setPatientId] = useState('');
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [done, setDone] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setDone(undefined);
    setError(undefined);
    const r = auditRequestOf({ ...EMPTY_AUDIT_FILTER, from, to, patientId });
    if (!r.ok || r.request.from === undefined || r.request.to === undefined) {
      setProblem(t('vigilance.export.periodRequired'));
      return;
    }
    setProblem(undefined);
    setBusy(true);
    try {
      const res = await api.call('audit:export', {
        from: r.request.from,
        to: r.request.to,
        ...(r.request.patientId !== undefined ? { patientId: r.request.patientId } : {}),
      });
      if (res.kind === 'download') {
        download(res.fileName, res.csv);
        setDone(t('vigilance.export.downloaded', { name: res.fileName }));
      } else {
        setDone(t('vigilance.export.saved', { path: res.path }));
      }
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="audit-export-title" className="audit-export">
      <h2 id="audit-export-title">{t('vigilance.export.title')}</h2>
      <form onSubmit={(e) => void onSubmit(e)} noValidate>
        <div className="grid-4 audit-filters">
          <TextField label={t('vigilance.export.from')} value={from} onValue={setFrom} hint={t('common.dateHint')} error={problem} inputMode="numeric" autoComplete="off" />
          <TextField label={t('vigilance.export.to')} value={to} onValue={setTo} hint={t('common.dateHint')} inputMode="numeric" autoComplete="off" />
          <TextField label={t('vigilance.export.patientId')} value={patientId} onValue={setPatientId} className="mono" autoComplete="off" spellCheck={false} />
        </div>
        <div className="form-actions">
          <button type="submit" disabled={busy}>
            {t('vigilance.export.button')}
          </button>
        </div>
      </form>
      <ErrorBanner message={error} />
      {done ? <p role="status">{done}</p> : null}
    </section>
  );
}
