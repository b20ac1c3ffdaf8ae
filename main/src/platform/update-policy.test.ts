import { describe, expect, it } from 'vitest';
import { compareVersions, installDecision, updateFeed } from './update-policy';

describe('update feed from the IT policy', () => {
  it('none without an updateUrl, none for a deb (the package manager updates it)', () => {
    expect(updateFeed(undefined, { platform: 'win32' })).toBeUndefined();
    expect(updateFeed({ version: 1 }, { platform: 'win32' })).toBeUndefined();
    expect(
      updateFeed(
        { version: 1, updateUrl: 'https://u.example/desktop' },
        { platform: 'linux', packageType: 'deb' },
      ),
    ).toBeUndefined();
  });

  it('the clinic server, generic provider, stable = latest.yml, beta = beta.yml with prereleases', () => {
    expect(updateFeed({ version: 1, updateUrl: 'https://u.example/desktop' }, { platform: 'win32' })).toEqual(
      {
        provider: 'generic',
        url: 'https://u.example/desktop',
        channel: 'latest',
        allowPrerelease: false,
      },
    );
    expect(
      updateFeed(
        { version: 1, updateUrl: 'https://u.example/d', updateChannel: 'beta' },
        { platform: 'linux', packageType: 'AppImage' },
      ),
    ).toMatchObject({ channel: 'beta', allowPrerelease: true });
  });
});

describe('semantic versions', () => {
  it('orders releases and prereleases', () => {
    expect(compareVersions('1.2.3', '1.2.3')).toBe(0);
    expect(compareVersions('1.10.0', '1.9.9')).toBeGreaterThan(0);
    expect(compareVersions('2.0.0-beta.2', '2.0.0')).toBeLessThan(0);
    expect(compareVersions('2.0.0-beta.10', '2.0.0-beta.2')).toBeGreaterThan(0);
    expect(compareVersions('2.0.0-beta', '2.0.0-alpha.5')).toBeGreaterThan(0);
    expect(compareVersions('v1.0.0', '1.0.0')).toBe(0);
    expect(compareVersions('1.0', '1.0.0')).toBeUndefined();
  });
});

describe('install decision', () => {
  const base = { currentVersion: '1.2.0', downloadedVersion: '1.3.0', unsavedWork: false } as const;

  it('installs a newer update on quit (no restart) and on idle lock (restart)', () => {
    expect(installDecision({ ...base, moment: 'quit' })).toEqual({ action: 'install', restart: false });
    expect(installDecision({ ...base, moment: 'idle-lock' })).toEqual({ action: 'install', restart: true });
  });

  it('never while there is unsaved work', () => {
    expect(installDecision({ ...base, unsavedWork: true, moment: 'quit' })).toEqual({
      action: 'wait',
      reason: 'unsaved-work',
    });
    expect(installDecision({ ...base, unsavedWork: true, moment: 'idle-lock' })).toEqual({
      action: 'wait',
      reason: 'unsaved-work',
    });
  });

  it('nothing downloaded: waits; same, older or unparseable version: refused', () => {
    expect(installDecision({ ...base, downloadedVersion: null, moment: 'quit' })).toEqual({
      action: 'wait',
      reason: 'nothing-downloaded',
    });
    expect(installDecision({ ...base, downloadedVersion: '1.2.0', moment: 'quit' })).toEqual({
      action: 'refuse',
      reason: 'not-newer',
    });
    expect(installDecision({ ...base, downloadedVersion: '1.1.9', moment: 'quit' })).toEqual({
      action: 'refuse',
      reason: 'not-newer',
    });
    expect(installDecision({ ...base, downloadedVersion: 'latest', moment: 'quit' })).toEqual({
      action: 'refuse',
      reason: 'bad-version',
    });
  });
});
