import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SetupState } from '../../../../shared/src/api/contract';
import { useApi } from '../../api/ApiProvider';
import { LanguagePicker } from '../settings/LanguagePicker';
import { LoginForm } from '../login/LoginForm';
import { CreateVaultStep } from './CreateVaultStep';
import { OfflineProfileForm } from './OfflineProfileForm';

type Choice = 'server' | 'offline';

/** First run: the vault passphrase, then who works here (server login, or a local profile for now). */
export function SetupScreen(props: { readonly setup: SetupState; readonly onDone: () => void }) {
  const { t } = useTranslation();
  const [choice, setChoice] = useState<Choice>(props.setup.serverConfigured ? 'server' : 'offline');
  const step = props.setup.next === 'create-vault' ? 1 : 2;
  const api = useApi();
  // The launcher may have registered this workstation already (settings hold its id).
  const [workstationId, setWorkstationId] = useState<string | null>(null);
  const [settingsRead, setSettingsRead] = useState(false);
  useEffect(() => {
    if (step !== 2) return;
    let live = true;
    api
      .call('settings:get', {})
      .then((s) => live && setWorkstationId(s.workstationId))
      .catch(() => undefined)
      .finally(() => live && setSettingsRead(true));
    return () => {
      live = false;
    };
  }, [api, step]);
  return (
    <main className="centered setup">
      <header className="setup-header">
        <h1>{t('setup.title')}</h1>
        <p>{t('setup.step', { step, total: 2 })}</p>
        <LanguagePicker />
      </header>
      {step === 1 ? (
        <CreateVaultStep onCreated={props.onDone} />
      ) : (
        <section aria-labelledby="setup-profile-title">
          <h2 id="setup-profile-title">{t('setup.profile.title')}</h2>
          <fieldset className="choice">
            <legend>{t('setup.profile.how')}</legend>
            <label>
              <input
                type="radio"
                name="setup-choice"
                checked={choice === 'server'}
                onChange={() => setChoice('server')}
              />
              {t('setup.profile.server')}
            </label>
            <label>
              <input
                type="radio"
                name="setup-choice"
                checked={choice === 'offline'}
                onChange={() => setChoice('offline')}
              />
              {t('setup.profile.offline')}
            </label>
          </fieldset>
          {choice === 'server' && settingsRead ? (
            <LoginForm
              serverUrl={props.setup.serverUrl}
              workstationId={workstationId}
              onLoggedIn={props.onDone}
              headingLevel={3}
            />
          ) : choice === 'server' ? (
            <p role="status">{t('app.loading')}</p>
          ) : (
            <OfflineProfileForm onDone={props.onDone} />
          )}
        </section>
      )}
    </main>
  );
}
