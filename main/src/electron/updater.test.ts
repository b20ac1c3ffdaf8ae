import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { UpdaterLike } from './updater';
import { startUpdates } from './updater';

/**
 * electron-updater needs the Electron runtime (not available here): a stand-in with its
 * events and the members startUpdates sets, to check the wiring. The decisions themselves
 * are tested in platform/update-policy.test.ts.
 */
function standIn() {
  const emitter = new EventEmitter();
  const calls: unknown[][] = [];
  const updater = {
    autoDownload: false,
    autoInstallOnAppQuit: true,
    allowDowngrade: false,
    allowPrerelease: false,
    channel: null as string | null,
    setFeedURL: (o: unknown) => void calls.push(['setFeedURL', o]),
    checkForUpdates: () => {
      calls.push(['check']);
      return Promise.resolve(null);
    },
    quitAndInstall: (silent?: boolean, run?: boolean) => void calls.push(['quitAndInstall', silent, run]),
    on: (event: string, listener: (...a: unknown[]) => void) => emitter.on(event, listener),
  };
  return { updater: updater as unknown as UpdaterLike & typeof updater, emitter, calls };
}

const noTimers = {
  setTimeout: (() => 0) as unknown as typeof setTimeout,
  setInterval: (() => 0) as unknown as typeof setInterval,
  clearTimeout: () => undefined,
  clearInterval: () => undefined,
};

describe('updates wiring', () => {
  it('sets the clinic feed, no install on quit by electron-updater, no downgrade even on a channel', () => {
    const { updater, calls } = standIn();
    startUpdates({
      updater,
      feed: { provider: 'generic', url: 'https://u.example/d', channel: 'beta', allowPrerelease: true },
      currentVersion: '1.0.0',
      hasUnsavedWork: () => false,
      log: () => undefined,
      timers: noTimers,
    });
    expect(calls[0]).toEqual([
      'setFeedURL',
      { provider: 'generic', url: 'https://u.example/d', channel: 'beta' },
    ]);
    expect(updater).toMatchObject({
      autoDownload: true,
      autoInstallOnAppQuit: false,
      allowDowngrade: false,
      allowPrerelease: true,
      channel: 'beta',
    });
  });

  it('installs a downloaded update only without unsaved work', () => {
    const { updater, emitter, calls } = standIn();
    let dirty = true;
    const updates = startUpdates({
      updater,
      feed: { provider: 'generic', url: 'https://u.example/d', channel: 'latest', allowPrerelease: false },
      currentVersion: '1.0.0',
      hasUnsavedWork: () => dirty,
      log: () => undefined,
      timers: noTimers,
    });
    expect(updates.consider('quit')).toEqual({ action: 'wait', reason: 'nothing-downloaded' });
    emitter.emit('update-downloaded', { version: '1.1.0' });
    expect(updates.consider('idle-lock')).toEqual({ action: 'wait', reason: 'unsaved-work' });
    expect(calls.some((c) => c[0] === 'quitAndInstall')).toBe(false);
    dirty = false;
    expect(updates.consider('idle-lock')).toEqual({ action: 'install', restart: true });
    expect(calls.at(-1)).toEqual(['quitAndInstall', true, true]);
  });
});
