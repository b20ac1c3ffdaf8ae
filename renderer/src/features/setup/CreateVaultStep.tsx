import type { FormEvent } from 'react';
import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  estimatePassphraseStrength,
  PASSPHRASE_MIN_LENGTH,
} from '../../../../shared/src/security/passphrase-policy';
import { useApi } from '../../api/ApiProvider';
import { ApiCallError } from '../../api/client';
import { ErrorBanner } from '../../components/ErrorBanner';
import { TextField } from '../../components/TextField';
import { useErrorText } from '../../i18n/useLocale';
import { PassphraseMeter } from './PassphraseMeter';
import { passphraseProblem } from './passphrase-check';

export function CreateVaultStep(props: { readonly onCreated: () => void }) {
  const api = useApi();
  const { t } = useTranslation();
  const errorText = useErrorText();
  const meterId = useId();
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const strength = useMemo(() => estimatePassphraseStrength(passphrase), [passphrase]);
  const problem = passphraseProblem(passphrase, confirm);

  async function submit(e: FormEvent): Promise<void> {
    e.preventDefault();
    setSubmitted(true);
    if (problem) return;
    setBusy(true);
    setError(null);
    try {
      await api.call('vault:create', { passphrase });
      props.onCreated();
    } catch (err) {
      // Created meanwhile (another window): the next step is decided again from the host.
      if (err instanceof ApiCallError && err.code === 'VAULT_ALREADY_EXISTS') {
        props.onCreated();
        return;
      }
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const passphraseError =
    submitted && problem && problem.code !== 'mismatch'
      ? errorText({ code: problem.code, params: problem.params })
      : undefined;
  return (
    <form onSubmit={(e) => void submit(e)} aria-labelledby={`${meterId}-title`} noValidate>
      <h2 id={`${meterId}-title`}>{t('setup.vault.title')}</h2>
      <p>{t('setup.vault.intro', { min: PASSPHRASE_MIN_LENGTH })}</p>
      <TextField
        label={t('setup.vault.passphrase')}
        type="password"
        autoComplete="new-password"
        value={passphrase}
        onValue={setPassphrase}
        required
        autoFocus
        hint={t('setup.vault.hint')}
        error={passphraseError}
        describedBy={meterId}
      />
      <PassphraseMeter strength={strength} id={meterId} />
      <TextField
        label={t('setup.vault.confirm')}
        type="password"
        autoComplete="new-password"
        value={confirm}
        onValue={setConfirm}
        required
        error={submitted && problem?.code === 'mismatch' ? t('setup.vault.mismatch') : undefined}
      />
      <p className="notice">{t('setup.vault.warning')}</p>
      <ErrorBanner message={error ? errorText(error) : undefined} />
      <button type="submit" className="primary" disabled={busy} aria-busy={busy}>
        {busy ? t('setup.vault.creating') : t('setup.vault.create')}
      </button>
    </form>
  );
}
