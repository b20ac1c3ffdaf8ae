import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionState, SetupState } from '../../../shared/src/api/contract';
import { useApi, useLinkState } from '../api/ApiProvider';
import { useApiEvent } from '../api/useApiEvent';
import { ErrorBanner } from '../components/ErrorBanner';
import { SetupScreen } from '../features/setup/SetupScreen';
import { UnlockScreen } from '../features/unlock/UnlockScreen';
import { useErrorText } from '../i18n/useLocale';
import { MainApp } from './MainApp';
import { useUiLocale } from './useUiLocale';

/**
 * Decides the screen from the host's setup state: create the vault, unlock it, set up who
 * works here, then the app. The host's `session:changed` (lock after idle, login required)
 * re-reads it, so the lock screen appears whatever the user was doing.
 */
export function App() {
  const api = useApi();
  const linkState = useLinkState();
  const { t } = useTranslation();
  const errorText = useErrorText();
  const applyLocale = useUiLocale();
  const [setup, setSetup] = useState<SetupState | null>(null);
  const [session, setSession] = useState<SessionState | null>(null);
  const [error, setError] = useState<unknown>(null);

  const refresh = useCallback(async () => {
    try {
      const next = await api.call('setup:state', {});
      setSetup(next);
      setError(null);
      if (next.vault.state === 'unlocked') {
        const settings = await api.call('settings:get', {});
        applyLocale(settings.language);
      }
    } catch (e) {
      setError(e);
    }
  }, [api, applyLocale]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  // Back from a lost link (browser mode: the host restarted or the network blinked): the
  // vault may have been locked meanwhile, so the screen is decided again.
  const wasOpen = useRef(linkState === 'open');
  useEffect(() => {
    if (linkState === 'open' && !wasOpen.current) void refresh();
    wasOpen.current = linkState === 'open';
  }, [linkState, refresh]);

  useApiEvent('session:changed', (s) => {
    setSession(s);
    void refresh();
  });
  useApiEvent('settings:changed', (s) => applyLocale(s.language));

  const linkBanner =
    linkState === 'open' ? null : (
      <div role="status" className="banner banner-warning">
        {linkState === 'connecting' ? t('app.link.connecting') : t('app.link.lost')}
      </div>
    );

  if (!setup) {
    return (
      <main className="centered">
        {linkBanner}
        {error ? (
          <>
            <ErrorBanner message={errorText(error)} />
            <button type="button" onClick={() => void refresh()}>
              {t('common.retry')}
            </button>
          </>
        ) : (
          <p role="status">{t('app.loading')}</p>
        )}
      </main>
    );
  }

  let screen;
  switch (setup.next) {
    case 'create-vault':
    case 'profile':
      screen = <SetupScreen setup={setup} onDone={refresh} />;
      break;
    case 'unlock':
      screen = (
        <UnlockScreen vault={setup.vault} lockedForIdle={session?.reason === 'idle'} onUnlocked={refresh} />
      );
      break;
    case 'ready':
      screen = <MainApp setup={setup} onSessionChange={refresh} />;
      break;
  }
  return (
    <>
      {linkBanner}
      {screen}
    </>
  );
}
