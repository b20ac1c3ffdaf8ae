import type { FormEvent } from 'react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Profile, Settings, SettingsPolicy } from '../../../../shared/src/api/contract';
import { useApi } from '../../api/ApiProvider';
import { useApiEvent } from '../../api/useApiEvent';
import { ErrorBanner } from '../../components/ErrorBanner';
import { TextField } from '../../components/TextField';
import type { UiLocale } from '../../i18n/locales';
import { useErrorText } from '../../i18n/useLocale';
import { LoginForm } from '../login/LoginForm';
import { LanguagePicker } from './LanguagePicker';

/** Language, lock delay, sync server; signing in to or out of the server. */
export function SettingsScreen(props: { readonly profile: Profile; readonly onSessionChange: () => void }) {
  const api = useApi();
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [settings, setSettings] = useState<Settings | null>(null);
  const [policy, setPolicy] = useState<SettingsPolicy | null>(null);
  const [loggedIn, setLoggedIn] = useState(false);
  const [lockDelay, setLockDelay] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [submitted, setSubmitted] = useState(false);

  function apply(s: Settings): void {
    setSettings(s);
    setLockDelay(String(s.lockDelayMinutes));
  }

  useEffect(() => {
    api.call('settings:get', {}).then(apply).catch(setError);
    api.call('settings:policy', {}).then(setPolicy).catch(setError);
    api
      .call('setup:state', {})
      .then((s) => setLoggedIn(s.loggedIn))
      .catch(() => undefined);
  }, [api]);
  useApiEvent('session:changed', (s) => setLoggedIn(s.loggedIn));

  const locked = (field: keyof Settings): boolean => policy?.locked.includes(field) ?? false;
  const delay = Number(lockDelay);
  const delayInvalid = !Number.isInteger(delay) || delay < 1 || delay > 480;

  async function save(e: FormEvent): Promise<void> {
    e.preventDefault();
    setSubmitted(true);
    setSaved(false);
    if (delayInvalid) return;
    try {
      apply(await api.call('settings:set', { lockDelayMinutes: delay }));
      setSaved(true);
      setError(null);
    } catch (err) {
      setError(err);
    }
  }

  async function saveLanguage(language: UiLocale): Promise<void> {
    try {
      apply(await api.call('settings:set', { language }));
    } catch (err) {
      setError(err);
    }
  }

  async function logout(): Promise<void> {
    try {
      await api.call('session:logout', {});
      setLoggedIn(false);
      props.onSessionChange();
    } catch (err) {
      setError(err);
    }
  }

  return (
    <section aria-labelledby="settings-title" className="settings">
      <h1 id="settings-title" tabIndex={-1}>
        {t('settings.title')}
      </h1>
      <ErrorBanner message={error ? errorText(error) : undefined} />
      <LanguagePicker onChange={(l) => void saveLanguage(l)} allowed={policy?.allowedLanguages} />
      {settings ? (
        <form onSubmit={(e) => void save(e)} noValidate aria-label={t('settings.formLabel')}>
          <TextField
            label={t('settings.lockDelay')}
            type="number"
            min={1}
            max={480}
            value={lockDelay}
            onValue={setLockDelay}
            readOnly={locked('lockDelayMinutes')}
            hint={locked('lockDelayMinutes') ? t('settings.setByIt') : t('settings.lockDelayHint')}
            error={
              submitted && delayInvalid ? t('settings.lockDelayInvalid', { min: 1, max: 480 }) : undefined
            }
          />
          {saved ? (
            <p role="status" className="banner banner-success">
              {t('settings.saved')}
            </p>
          ) : null}
          {locked('lockDelayMinutes') ? null : (
            <button type="submit" className="primary">
              {t('common.save')}
            </button>
          )}
        </form>
      ) : (
        <p role="status">{t('app.loading')}</p>
      )}
      <section aria-labelledby="settings-account" className="settings-account">
        <h2 id="settings-account">{t('settings.account')}</h2>
        {loggedIn && settings?.serverUrl ? (
          <p>
            {t('settings.server', { url: settings.serverUrl })}
            {locked('serverUrl') ? ` ${t('settings.setByIt')}` : null}
          </p>
        ) : null}
        <p>
          {props.profile.source === 'local'
            ? t('settings.localProfile', { name: props.profile.displayName })
            : t('settings.serverProfile', {
                name: props.profile.displayName,
                user: props.profile.username ?? '',
              })}
        </p>
        {loggedIn ? (
          <button type="button" onClick={() => void logout()}>
            {t('settings.logout')}
          </button>
        ) : settings ? (
          <LoginForm
            serverUrl={settings.serverUrl}
            serverUrlLocked={locked('serverUrl')}
            workstationId={settings.workstationId}
            onLoggedIn={() => {
              setLoggedIn(true);
              props.onSessionChange();
            }}
            headingLevel={3}
          />
        ) : null}
      </section>
    </section>
  );
}
