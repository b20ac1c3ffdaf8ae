import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SyncStatusView } from '../../../../shared/src/api/contract';
import { useApi } from '../../api/ApiProvider';
import { formatDateTime, formatRelative } from '../../i18n/format';
import { useErrorText, useLocale } from '../../i18n/useLocale';
import { CONNECTION_KEYS, syncTone, TONE_ICONS } from './sync-summary';

/**
 * Always visible at the bottom: online or not, what is waiting to be sent, when the last
 * exchange succeeded, and what went wrong. Its text is a polite live region, so a change
 * (going offline, an error) is announced without moving focus.
 */
export function SyncStatusBar(props: {
  readonly status: SyncStatusView | null;
  readonly error: unknown;
  /** Absent for roles that do not work on patients (no inbox for them). */
  readonly onOpenConflicts: (() => void) | undefined;
  /** The server refused the stored session: the login form is in Settings. */
  readonly onLogin: () => void;
}) {
  const { t } = useTranslation();
  const api = useApi();
  const locale = useLocale();
  const errorText = useErrorText();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  const s = props.status;
  if (!s) {
    return (
      <footer className="sync-bar" aria-label={t('sync.label')}>
        <span role="status">{props.error ? errorText(props.error) : t('sync.loading')}</span>
      </footer>
    );
  }
  const tone = syncTone(s);
  return (
    <footer className={`sync-bar sync-${tone}`} aria-label={t('sync.label')}>
      <div className="sync-text">
        {/* Announced when it changes: connection, what waits, problems. The time of the
            last sync is outside, or it would be read out every half minute. */}
        <span role="status" aria-live="polite">
          <span aria-hidden="true" className="sync-icon">
            {TONE_ICONS[tone]}
          </span>{' '}
          <strong>{t(CONNECTION_KEYS[s.connection])}</strong>
          {' · '}
          {t('sync.pending', { count: s.pendingChanges })}
          {s.error ? (
            <>
              {' · '}
              <span className="sync-error">{errorText(s.error)}</span>
            </>
          ) : null}
          {s.rejected.length > 0 ? (
            <>
              {' · '}
              <span className="sync-error">{t('sync.rejected', { count: s.rejected.length })}</span>
            </>
          ) : null}
        </span>
        {' · '}
        {s.lastSyncAt ? (
          <span title={formatDateTime(s.lastSyncAt, locale)}>
            {t('sync.lastSync', { when: formatRelative(s.lastSyncAt, now, locale) })}
          </span>
        ) : (
          <span>{t('sync.never')}</span>
        )}
      </div>
      <div className="sync-actions">
        {s.unresolvedConflicts > 0 && props.onOpenConflicts ? (
          <button type="button" onClick={props.onOpenConflicts}>
            {t('sync.conflicts', { count: s.unresolvedConflicts })}
          </button>
        ) : null}
        {s.connection === 'login-required' ? (
          <button type="button" onClick={props.onLogin}>
            {t('sync.login')}
          </button>
        ) : null}
        {s.connection !== 'disabled' && s.connection !== 'login-required' ? (
          <button
            type="button"
            onClick={() =>
              void api.call('sync:retry', { clearRejected: s.rejected.length > 0 }).catch(() => undefined)
            }
          >
            {t('sync.retry')}
          </button>
        ) : null}
      </div>
    </footer>
  );
}
