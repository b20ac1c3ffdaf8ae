import type { SyncStatusView } from '../../../../shared/src/api/contract';

export type SyncTone = 'ok' | 'busy' | 'warn' | 'error' | 'off';

/** How the bar looks: a colour and an icon beside the words, never colour alone. */
export function syncTone(status: SyncStatusView): SyncTone {
  if (status.error || status.rejected.length > 0 || status.connection === 'login-required') return 'error';
  switch (status.connection) {
    case 'online':
      return status.pendingChanges > 0 ? 'busy' : 'ok';
    case 'connecting':
      return 'busy';
    case 'offline':
      return 'warn';
    case 'disabled':
    case 'stopped':
      return 'off';
  }
}

export const CONNECTION_KEYS = {
  disabled: 'sync.connection.disabled',
  connecting: 'sync.connection.connecting',
  online: 'sync.connection.online',
  offline: 'sync.connection.offline',
  'login-required': 'sync.connection.loginRequired',
  stopped: 'sync.connection.stopped',
} as const satisfies Record<SyncStatusView['connection'], string>;

export const TONE_ICONS: Readonly<Record<SyncTone, string>> = {
  ok: '●',
  busy: '◐',
  warn: '○',
  error: '▲',
  off: '◌',
};
