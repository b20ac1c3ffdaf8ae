import type { FormEvent } from 'react';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/ApiProvider';
import { ErrorBanner } from '../../components/ErrorBanner';
import { TextField } from '../../components/TextField';
import { useErrorText } from '../../i18n/useLocale';

/**
 * Sign in to the clinic's sync server. The server's answers come back as codes (wrong
 * credentials, locked account, server unreachable) and are shown in the UI language.
 */
export function LoginForm(props: {
  readonly serverUrl: string | null;
  /** The IT policy sets the server: shown, not editable. */
  readonly serverUrlLocked?: boolean;
  readonly workstationId: string | null;
  readonly onLoggedIn: () => void;
  readonly headingLevel?: 2 | 3;
}) {
  const api = useApi();
  const { t } = useTranslation();
  const errorText = useErrorText();
  const titleId = useId();
  const [serverUrl, setServerUrl] = useState(props.serverUrl ?? '');
  const [workstationId, setWorkstationId] = useState(props.workstationId ?? '');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [submitted, setSubmitted] = useState(false);
  const urlProblem =
    serverUrl.trim() === ''
      ? 'required'
      : /^https?:\/\/[^\s/]+/i.test(serverUrl.trim())
        ? undefined
        : 'format';

  async function submit(e: FormEvent): Promise<void> {
    e.preventDefault();
    setSubmitted(true);
    if (urlProblem || username.trim() === '' || password === '') return;
    setBusy(true);
    setError(null);
    try {
      await api.call('session:login', {
        serverUrl: serverUrl.trim(),
        username: username.trim(),
        password,
        ...(workstationId.trim() ? { workstationId: workstationId.trim() } : {}),
      });
      setPassword('');
      props.onLoggedIn();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const Heading = props.headingLevel === 3 ? 'h3' : 'h2';
  return (
    <form onSubmit={(e) => void submit(e)} aria-labelledby={titleId} noValidate>
      <Heading id={titleId}>{t('login.title')}</Heading>
      <TextField
        label={t('login.serverUrl')}
        type="url"
        inputMode="url"
        autoComplete="url"
        placeholder="https://sync.cabinet.example"
        value={serverUrl}
        onValue={setServerUrl}
        readOnly={props.serverUrlLocked}
        hint={props.serverUrlLocked ? t('settings.setByIt') : undefined}
        required
        error={
          submitted && urlProblem
            ? urlProblem === 'required'
              ? t('common.required')
              : t('login.serverUrlFormat')
            : undefined
        }
      />
      <TextField
        label={t('login.workstationId')}
        value={workstationId}
        onValue={setWorkstationId}
        hint={t('login.workstationIdHint')}
        autoComplete="off"
      />
      <TextField
        label={t('login.username')}
        autoComplete="username"
        value={username}
        onValue={setUsername}
        required
        error={submitted && username.trim() === '' ? t('common.required') : undefined}
      />
      <TextField
        label={t('login.password')}
        type="password"
        autoComplete="current-password"
        value={password}
        onValue={setPassword}
        required
        error={submitted && password === '' ? t('common.required') : undefined}
      />
      <ErrorBanner message={error ? errorText(error) : undefined} />
      <button type="submit" className="primary" disabled={busy} aria-busy={busy}>
        {busy ? t('login.signingIn') : t('login.submit')}
      </button>
    </form>
  );
}
