/* eslint-disable security/detect-non-literal-fs-filename -- temp folders the test creates. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/src/errors';
import { createSettingsService } from '../services/settings-service';
import { loadPolicy, parsePolicy, policyFilePath, settingsLocks } from './policy';
import { makeTestCa } from './test-certificates';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'clinique-policy-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const write = (name: string, text: string): string => {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, text);
  return file;
};

function codeOf(fn: () => unknown): { code: string; params: unknown } | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return { code: e.code, params: e.params };
    throw e;
  }
  return undefined;
}

describe('policy file location', () => {
  it('is machine-wide on each OS', () => {
    expect(policyFilePath({ platform: 'win32', env: { ProgramData: 'D:\\ProgramData' } })).toBe(
      'D:\\ProgramData\\Clinique\\policy.json',
    );
    expect(policyFilePath({ platform: 'win32', env: {} })).toBe('C:\\ProgramData\\Clinique\\policy.json');
    expect(policyFilePath({ platform: 'darwin', env: {} })).toBe(
      '/Library/Application Support/Clinique/policy.json',
    );
    expect(policyFilePath({ platform: 'linux', env: { XDG_CONFIG_HOME: '/home/u/.config' } })).toBe(
      '/etc/clinique/policy.json',
    );
  });
});

describe('policy parsing', () => {
  it('accepts a full policy', () => {
    const policy = parsePolicy(
      JSON.stringify({
        version: 1,
        syncServerUrl: 'https://sync.clinique.example',
        lockDelayMinutes: 5,
        allowedLanguages: ['fr-FR', 'de-DE'],
        updateUrl: 'https://updates.clinique.example/desktop',
        updateChannel: 'beta',
      }),
      '/etc/clinique/policy.json',
    );
    expect(policy.lockDelayMinutes).toBe(5);
    expect(settingsLocks(policy)).toEqual({
      values: { serverUrl: 'https://sync.clinique.example', lockDelayMinutes: 5 },
      allowedLanguages: ['fr-FR', 'de-DE'],
    });
  });

  it('names the wrong field: typo, bad value, bad JSON, missing version, plain-http update server', () => {
    const file = '/etc/clinique/policy.json';
    expect(codeOf(() => parsePolicy('{"version":1,"lockDelay":5}', file))).toEqual({
      code: 'APP_POLICY_INVALID',
      params: { file, field: 'lockDelay' },
    });
    expect(codeOf(() => parsePolicy('{"version":1,"lockDelayMinutes":0}', file))).toEqual({
      code: 'APP_POLICY_INVALID',
      params: { file, field: 'lockDelayMinutes' },
    });
    expect(codeOf(() => parsePolicy('{"version":1,', file))).toEqual({
      code: 'APP_POLICY_INVALID',
      params: { file, field: 'json' },
    });
    expect(codeOf(() => parsePolicy('{}', file))).toEqual({
      code: 'APP_POLICY_INVALID',
      params: { file, field: 'version' },
    });
    expect(
      codeOf(() => parsePolicy('{"version":1,"updateUrl":"http://updates.example"}', file))?.params,
    ).toEqual({ file, field: 'updateUrl' });
    expect(codeOf(() => parsePolicy('{"version":1,"allowedLanguages":["it-IT"]}', file))?.params).toEqual({
      file,
      field: 'allowedLanguages',
    });
    expect(
      codeOf(() => parsePolicy('{"version":1,"syncServerUrl":"https://admin:pw@sync.example"}', file))
        ?.params,
    ).toEqual({ file, field: 'syncServerUrl' });
  });

  it('the example given to IT (resources/policy.example.json) is a valid policy', () => {
    const example = path.resolve(import.meta.dirname, '../../../resources/policy.example.json');
    const policy = parsePolicy(fs.readFileSync(example, 'utf8'), example);
    expect(Object.keys(policy).sort()).toEqual([
      'allowedLanguages',
      'caBundlePath',
      'lockDelayMinutes',
      'syncServerUrl',
      'updateChannel',
      'updateUrl',
      'version',
    ]);
  });

  it('no file: no policy; a file with a BOM (Windows Notepad) is read', () => {
    expect(loadPolicy(path.join(tmp, 'none.json'))).toBeUndefined();
    const file = write('bom.json', '\uFEFF{"version":1,"updateChannel":"stable"}');
    expect(loadPolicy(file)?.policy).toEqual({ version: 1, updateChannel: 'stable' });
  });

  it('checks the CA bundle: absolute path, PEM CA certificates only', () => {
    const missing = write(
      'p1.json',
      JSON.stringify({ version: 1, caBundlePath: path.join(tmp, 'nope.pem') }),
    );
    expect(codeOf(() => loadPolicy(missing))).toEqual({
      code: 'APP_POLICY_INVALID',
      params: { file: missing, field: 'caBundlePath' },
    });
    const relative = write('p2.json', JSON.stringify({ version: 1, caBundlePath: 'ca.pem' }));
    expect(codeOf(() => loadPolicy(relative))?.params).toEqual({ file: relative, field: 'caBundlePath' });
    const notPem = write('not.pem', 'hello');
    const p3 = write('p3.json', JSON.stringify({ version: 1, caBundlePath: notPem }));
    expect(codeOf(() => loadPolicy(p3))?.params).toEqual({ file: p3, field: 'caBundlePath' });
  });

  it('reads a real CA bundle (openssl-made)', (ctx) => {
    let pem: string;
    try {
      pem = makeTestCa(tmp).certFile;
    } catch {
      if (process.env['CI'] === 'true') throw new Error('openssl is needed to make the test CA');
      ctx.skip('openssl not found: the real CA bundle case is not run');
      return;
    }
    const file = write('p4.json', JSON.stringify({ version: 1, caBundlePath: pem }));
    expect(loadPolicy(file)?.caPem).toContain('BEGIN CERTIFICATE');
  });
});

describe('settings locked by the policy', () => {
  it('policy values win over the file and cannot be changed; other settings can', () => {
    const dataDir = fs.mkdtempSync(path.join(tmp, 'data-'));
    fs.writeFileSync(
      path.join(dataDir, 'settings.json'),
      JSON.stringify({ serverUrl: 'https://old.example', lockDelayMinutes: 60, language: 'en-GB' }),
    );
    const locks = settingsLocks(
      parsePolicy(
        JSON.stringify({
          version: 1,
          syncServerUrl: 'https://sync.clinique.example',
          lockDelayMinutes: 5,
          allowedLanguages: ['fr-FR', 'de-DE'],
        }),
        'p',
      ),
    );
    const settings = createSettingsService({ dataDir, locks });
    expect(settings.get()).toMatchObject({
      serverUrl: 'https://sync.clinique.example',
      lockDelayMinutes: 5,
      language: 'fr-FR',
    });
    expect(settings.effective().lockDelayMinutes).toBe(5);
    expect(settings.locked()).toEqual({
      fields: ['serverUrl', 'lockDelayMinutes'],
      allowedLanguages: ['fr-FR', 'de-DE'],
    });
    expect(codeOf(() => settings.set({ lockDelayMinutes: 30 }))).toEqual({
      code: 'APP_SETTING_SET_BY_POLICY',
      params: { field: 'lockDelayMinutes' },
    });
    expect(codeOf(() => settings.set({ serverUrl: 'https://elsewhere.example' }))?.params).toEqual({
      field: 'serverUrl',
    });
    expect(codeOf(() => settings.set({ language: 'en-GB' }))?.params).toEqual({ field: 'language' });
    // Saving the whole form (locked fields unchanged) works.
    expect(
      settings.set({ language: 'de-DE', lockDelayMinutes: 5, serverUrl: 'https://sync.clinique.example' })
        .language,
    ).toBe('de-DE');
    expect(settings.get().language).toBe('de-DE');
  });

  it('without a policy nothing is locked', () => {
    const settings = createSettingsService({ dataDir: fs.mkdtempSync(path.join(tmp, 'data-')) });
    expect(settings.locked()).toEqual({ fields: [], allowedLanguages: undefined });
    expect(settings.set({ lockDelayMinutes: 30 }).lockDelayMinutes).toBe(30);
  });
});
