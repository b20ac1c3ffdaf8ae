import type { FormEvent } from 'react';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parseRpps } from '../../../../shared/src/identifiers/rpps';
import { useApi } from '../../api/ApiProvider';
import { ErrorBanner } from '../../components/ErrorBanner';
import { TextField } from '../../components/TextField';
import { useErrorText } from '../../i18n/useLocale';

/** "Work offline for now": a local practitioner (name, RPPS) who signs entries until the first server login. */
export function OfflineProfileForm(props: { readonly onDone: () => void }) {
  const api = useApi();
  const { t } = useTranslation();
  const errorText = useErrorText();
  const titleId = useId();
  const [displayName, setDisplayName] = useState('');
  const [rpps, setRpps] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const parsed = parseRpps(rpps);
  const rppsError = !parsed.ok && (submitted || rpps.length >= 11) ? errorText(parsed.error) : undefined;
  const rppsWarning = parsed.ok && parsed.warnings?.[0] ? errorText(parsed.warnings[0]) : undefined;

  async function submit(e: FormEvent): Promise<void> {
    e.preventDefault();
    setSubmitted(true);
    if (displayName.trim() === '' || !parsed.ok) return;
    setBusy(true);
    setError(null);
    try {
      await api.call('profile:setup-offline', { displayName: displayName.trim(), rpps: parsed.value.rpps });
      props.onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={(e) => void submit(e)} aria-labelledby={titleId} noValidate>
      <h3 id={titleId}>{t('setup.offline.title')}</h3>
      <p>{t('setup.offline.intro')}</p>
      <TextField
        label={t('setup.offline.displayName')}
        autoComplete="name"
        value={displayName}
        onValue={setDisplayName}
        required
        error={submitted && displayName.trim() === '' ? t('common.required') : undefined}
      />
      <TextField
        label={t('setup.offline.rpps')}
        inputMode="numeric"
        value={rpps}
        onValue={setRpps}
        required
        hint={t('setup.offline.rppsHint')}
        error={rppsError}
        warning={rppsWarning}
      />
      <ErrorBanner message={error ? errorText(error) : undefined} />
      <button type="submit" className="primary" disabled={busy} aria-busy={busy}>
        {t('setup.offline.submit')}
      </button>
    </form>
  );
}
