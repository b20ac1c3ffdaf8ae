import type { FormEvent } from 'react';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { VaultStatus } from '../../../../shared/src/api/contract';
import { useApi } from '../../api/ApiProvider';
import { ApiCallError } from '../../api/client';
import { ErrorBanner } from '../../components/ErrorBanner';
import { TextField } from '../../components/TextField';
import { useErrorText } from '../../i18n/useLocale';
import { LanguagePicker } from '../settings/LanguagePicker';

/**
 * Unlock at start and after the host locked the vault (idle delay or the lock button).
 * Nothing of the previous screen stays visible: the app tree is unmounted while locked.
 */
export function UnlockScreen(props: {
  readonly vault: VaultStatus;
  readonly lockedForIdle: boolean;
  readonly onUnlocked: () => void;
}) {
  const api = useApi();
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [wait, setWait] = useState(props.vault.retryAfterSeconds);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (wait <= 0) return;
    const timer = setTimeout(() => setWait((w) => w - 1), 1000);
    return () => clearTimeout(timer);
  }, [wait]);

  async function submit(e: FormEvent): Promise<void> {
    e.preventDefault();
    if (passphrase === '' || busy) return;
    setBusy(true);
    setError(null);
    try {
      await api.call('vault:unlock', { passphrase });
      setPassphrase('');
      props.onUnlocked();
    } catch (err) {
      // Unlocked meanwhile (another window of browser mode): nothing to report.
      if (err instanceof ApiCallError && err.code === 'APP_VAULT_ALREADY_UNLOCKED') {
        props.onUnlocked();
        return;
      }
      setError(err);
      setPassphrase('');
      input.current?.focus();
      try {
        const status = await api.call('vault:status', {});
        setWait(status.retryAfterSeconds);
      } catch {
        // The error already shown says enough.
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="centered unlock">
      <header className="setup-header">
        <h1>{t('unlock.title')}</h1>
        <LanguagePicker />
      </header>
      {props.lockedForIdle ? (
        <p role="status" className="banner banner-info">
          {t('unlock.lockedIdle')}
        </p>
      ) : null}
      <form onSubmit={(e) => void submit(e)} aria-label={t('unlock.title')} noValidate>
        <TextField
          label={t('unlock.passphrase')}
          type="password"
          autoComplete="current-password"
          value={passphrase}
          onValue={setPassphrase}
          inputRef={input}
          autoFocus
          required
        />
        <ErrorBanner message={error ? errorText(error) : undefined} />
        {wait > 0 ? (
          <p role="status" className="notice">
            {t('unlock.wait', { count: wait })}
          </p>
        ) : null}
        <button type="submit" className="primary" disabled={busy || wait > 0} aria-busy={busy}>
          {busy ? t('unlock.unlocking') : t('unlock.submit')}
        </button>
      </form>
    </main>
  );
}
