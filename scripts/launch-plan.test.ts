import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRpps } from '../shared/src/identifiers/rpps';
import { SQLITE_FILE_NAME } from '../sync-server/src/server';
import {
  activeUsers,
  FIRST_USER,
  LAUNCHER_MESSAGE_KEYS,
  launcherLanguage,
  launcherText,
  LOCAL_SERVER_DATABASE,
  rppsWithKey,
  appEnv,
  chooseShell,
  electronExecutable,
  parseLocalServerState,
  parseStartArgs,
  registeredWorkstationId,
  syncServerCommand,
  syncServerPlan,
} from './launch-plan.mjs';

describe('npm start decisions', () => {
  it('parses its arguments', () => {
    expect(parseStartArgs([])).toEqual({ browser: false, port: undefined, noSyncServer: false, help: false, rendererDir: undefined });
    expect(parseStartArgs(['--browser', '--port', '5173', '--no-sync-server', '--renderer-dir', '/tmp/r'])).toEqual({
      browser: true,
      port: 5173,
      noSyncServer: true,
      help: false,
      rendererDir: path.resolve('/tmp/r'),
    });
    expect(() => parseStartArgs(['--port', 'x'])).toThrow(/--port/);
    expect(() => parseStartArgs(['--port', '70000'])).toThrow(/--port/);
    expect(() => parseStartArgs(['--what'])).toThrow(/unknown argument/);
  });

  it('starts Electron only when its runtime is installed and browser mode is not asked for', () => {
    expect(chooseShell({ electronInstalled: true, forceBrowser: false, env: {} })).toEqual({ shell: 'electron', reason: 'runtime' });
    expect(chooseShell({ electronInstalled: false, forceBrowser: false, env: {} })).toEqual({ shell: 'browser', reason: 'no-runtime' });
    expect(chooseShell({ electronInstalled: true, forceBrowser: true, env: {} })).toEqual({ shell: 'browser', reason: 'forced' });
    expect(chooseShell({ electronInstalled: true, forceBrowser: false, env: { CLINIQUE_BROWSER_MODE: '1' } })).toEqual({ shell: 'browser', reason: 'env' });
  });

  it('finds the Electron binary from path.txt without requiring electron', () => {
    const dir = '/repo/node_modules/electron';
    const files = (present: Record<string, string>) => ({ exists: (f: string) => f in present, read: (f: string) => present[f] ?? '' });
    expect(electronExecutable(dir, files({}))).toBeUndefined();
    expect(electronExecutable(dir, files({ [path.join(dir, 'path.txt')]: 'electron' }))).toBeUndefined();
    expect(
      electronExecutable(dir, files({ [path.join(dir, 'path.txt')]: 'electron\n', [path.join(dir, 'dist', 'electron')]: '' })),
    ).toBe(path.join(dir, 'dist', 'electron'));
    expect(electronExecutable(dir, files({ [path.join(dir, 'path.txt')]: '../../bin/sh', '/repo/bin/sh': '' }))).toBeUndefined();
  });

  it('starts a local sync server on a fresh data folder, keeps it, and leaves configured ones alone', () => {
    const base = { env: {}, noSyncServer: false, localServerExists: false, vaultExists: false };
    expect(syncServerPlan(base)).toEqual({ kind: 'local', reason: 'fresh' });
    expect(syncServerPlan({ ...base, localServerExists: true, vaultExists: true })).toEqual({ kind: 'local', reason: 'existing' });
    expect(syncServerPlan({ ...base, vaultExists: true })).toEqual({ kind: 'none', reason: 'vault-without-local-server' });
    expect(syncServerPlan({ ...base, noSyncServer: true })).toEqual({ kind: 'none', reason: 'disabled' });
    expect(syncServerPlan({ ...base, env: { CLINIQUE_SYNC_URL: 'https://sync.clinique.example' } })).toEqual({
      kind: 'configured',
      url: 'https://sync.clinique.example',
    });
  });

  it('runs the local server on SQLite on 127.0.0.1 whatever the environment says', () => {
    const command = syncServerCommand({
      root: '/repo',
      nodePath: '/usr/bin/node',
      dir: '/data/sync-server',
      port: 4000,
      env: { DATABASE_URL: 'postgres://prod', HOST: '0.0.0.0', PORT: '80', PATH: '/bin', METRICS_TOKEN: 'x'.repeat(20) },
      command: ['user', 'list'],
    });
    expect(command.file).toBe('/usr/bin/node');
    expect(command.args).toEqual([
      '--import',
      'tsx',
      path.join('/repo', 'sync-server/src/cli/main.ts'),
      '--host',
      '127.0.0.1',
      '--port',
      '4000',
      '--data-dir',
      '/data/sync-server',
      '--log-level',
      'warn',
      'user',
      'list',
    ]);
    expect(command.env).toEqual({ PATH: '/bin' });
  });

  it('speaks French by default, German or English after LANG, every message in the three', () => {
    expect(launcherLanguage({})).toBe('fr');
    expect(launcherLanguage({ LANG: 'de_DE.UTF-8' })).toBe('de');
    expect(launcherLanguage({ LANG: 'fr_FR.UTF-8', LC_ALL: 'en_GB.UTF-8' })).toBe('en');
    expect(launcherLanguage({ LANG: 'it_IT' })).toBe('fr');
    for (const key of LAUNCHER_MESSAGE_KEYS) {
      for (const lang of ['fr', 'de', 'en'] as const) {
        const text = launcherText(lang, key, { url: 'U', dir: 'D', file: 'F', value: 'V', signal: 'S', message: 'M' });
        expect(text, `${key} ${lang}`).not.toMatch(/\{\w+\}/);
      }
    }
    expect(launcherText('fr', 'password', { value: 'x' })).toBe('  mot de passe : x');
  });

  it('knows the name of the server database file', () => {
    expect(LOCAL_SERVER_DATABASE).toBe(SQLITE_FILE_NAME);
  });

  it('reads the server CLI output and the launcher state', () => {
    expect(activeUsers('medecin\tpractitioner\tMédecin\t-\tactive\nold\tsecretary\tX\t-\tdisabled 2026-01-01\n')).toEqual(['medecin']);
    expect(activeUsers('')).toEqual([]);
    expect(registeredWorkstationId('workstation "poste-local-ab12" registered: id 0f3c-77\n')).toBe('0f3c-77');
    expect(registeredWorkstationId('nothing')).toBeUndefined();
    expect(parseLocalServerState('{"port":4000,"workstationId":"ws-1"}')).toEqual({ port: 4000, workstationId: 'ws-1' });
    expect(parseLocalServerState('{"port":4000,"workstationId":"../x"}')).toEqual({ port: 4000 });
    for (const bad of [undefined, '', 'x', 'null', '{"port":0}', '{"port":"80"}', '{"port":70000}']) expect(parseLocalServerState(bad)).toBeUndefined();
  });

  it('gives the first user an RPPS with a valid key', () => {
    const parsed = parseRpps(FIRST_USER.rpps);
    expect(parsed.ok && parsed.value.checksumValid).toBe(true);
    expect(parsed.warnings ?? []).toEqual([]);
    expect(rppsWithKey('1000000000')).toMatch(/^1000000000[0-9]$/);
    const other = parseRpps(rppsWithKey('1234567890'));
    expect(other.ok && other.value.checksumValid).toBe(true);
  });

  it('hands the data folder and the sync server to the app', () => {
    expect(appEnv({ PATH: '/bin' }, { dataDir: '/d', syncUrl: 'http://127.0.0.1:4000', workstationId: 'w' })).toEqual({
      PATH: '/bin',
      CLINIQUE_DATA_DIR: '/d',
      CLINIQUE_SYNC_URL: 'http://127.0.0.1:4000',
      CLINIQUE_WORKSTATION_ID: 'w',
    });
    expect(appEnv({}, { dataDir: '/d' })).toEqual({ CLINIQUE_DATA_DIR: '/d' });
  });
});
