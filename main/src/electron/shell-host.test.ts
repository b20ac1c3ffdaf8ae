import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/src/errors';
import { errorSummary } from '../host';
import { localeFromOs, settingsDefaultsFromEnv, shellHostOptions, startShellHost } from './shell-host';

describe('shell host configuration', () => {
  it('maps the OS locale to one of the three UI languages, French by default', () => {
    expect(localeFromOs('de-AT')).toBe('de-DE');
    expect(localeFromOs('en_US.UTF-8')).toBe('en-GB');
    expect(localeFromOs('fr_CA')).toBe('fr-FR');
    expect(localeFromOs('it-IT')).toBe('fr-FR');
    expect(localeFromOs(undefined)).toBe('fr-FR');
  });

  it('takes the launcher sync server as settings defaults, ignoring values that do not parse', () => {
    const id = '7deb685a-ebba-4540-b9bf-37bc2a283b6a';
    expect(settingsDefaultsFromEnv({ CLINIQUE_SYNC_URL: 'http://127.0.0.1:4000', CLINIQUE_WORKSTATION_ID: id })).toEqual({
      serverUrl: 'http://127.0.0.1:4000',
      workstationId: id,
    });
    const logged: string[] = [];
    expect(settingsDefaultsFromEnv({ CLINIQUE_SYNC_URL: 'javascript:alert(1)', CLINIQUE_WORKSTATION_ID: '../../x y' }, (m) => logged.push(m))).toEqual({});
    expect(logged).toHaveLength(2);
    expect(settingsDefaultsFromEnv({})).toEqual({});
  });

  it('builds host options for each shell', () => {
    const options = shellHostOptions({ dataDir: '/d', env: { LANG: 'de_DE.UTF-8' }, mode: 'browser', version: '1.2.3' });
    expect(options).toMatchObject({ dataDir: '/d', mode: 'browser', defaultLocale: 'de-DE', version: '1.2.3', settingsDefaults: {} });
    expect(shellHostOptions({ dataDir: '/d', env: { LANG: 'de_DE' }, mode: 'electron', osLocale: 'en-GB' }).defaultLocale).toBe('en-GB');
  });

  it('logs the summary the host passes (class, code, frames), never an error message', () => {
    const logged: string[] = [];
    const options = shellHostOptions({ dataDir: '/d', env: {}, mode: 'browser', log: (m) => logged.push(m) });
    const failure = new AppError('SYNC_CLIENT_OFFLINE', undefined, { cause: new TypeError('Dupont Jean 1 84 12 75 123 456') });
    options.log?.('sync resume failed', errorSummary(failure));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/^sync resume failed: AppError SYNC_CLIENT_OFFLINE\n/);
    expect(logged[0]).toContain('caused by TypeError');
    expect(logged[0]).toMatch(/\n\s+at /);
    // An error object reaching the adapter directly still gives only its class.
    options.log?.('replication stop failed', new RangeError('Dupont Jean'));
    options.log?.('no detail');
    expect(logged.slice(1)).toEqual(['replication stop failed (RangeError)', 'no detail']);
    expect(logged.join('\n')).not.toContain('Dupont');
  });

  it('starts the real host on a fresh data folder: it answers app:info and setup:state, then closes', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shell-host-'));
    const host = await startShellHost({ dataDir: dir, env: { CLINIQUE_SYNC_URL: 'http://127.0.0.1:4000' }, mode: 'browser', version: '0.1.0' });
    try {
      await expect(host.dispatch('app:info', {})).resolves.toMatchObject({ ok: true, value: { mode: 'browser', version: '0.1.0', defaultLocale: 'fr-FR' } });
      await expect(host.dispatch('setup:state', {})).resolves.toMatchObject({ ok: true, value: { next: 'create-vault' } });
      await expect(host.dispatch('settings:get', {})).resolves.toMatchObject({ ok: true, value: { serverUrl: 'http://127.0.0.1:4000' } });
      await expect(host.dispatch('nope:nope', {})).resolves.toMatchObject({ ok: false, error: { code: 'API_CHANNEL_UNKNOWN' } });
    } finally {
      await host.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
