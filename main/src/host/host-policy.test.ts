import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createHost } from './host';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'clinique-host-policy-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('host with an IT policy', () => {
  it('reports what the policy locks, refuses to change it, and tracks unsaved work', async () => {
    const host = createHost({
      dataDir: tmp,
      mode: 'browser',
      policy: {
        file: '/etc/clinique/policy.json',
        policy: {
          version: 1,
          lockDelayMinutes: 5,
          syncServerUrl: 'https://sync.clinique.example',
          allowedLanguages: ['fr-FR'],
          updateChannel: 'beta',
        },
        caPem: undefined,
      },
    });
    try {
      expect(await host.dispatch('settings:policy', {})).toEqual({
        ok: true,
        value: {
          managed: true,
          locked: ['serverUrl', 'lockDelayMinutes'],
          allowedLanguages: ['fr-FR'],
          updateChannel: 'beta',
        },
      });
      expect(await host.dispatch('settings:get', {})).toMatchObject({
        ok: true,
        value: { lockDelayMinutes: 5, serverUrl: 'https://sync.clinique.example' },
      });
      expect(await host.dispatch('settings:set', { lockDelayMinutes: 30 })).toEqual({
        ok: false,
        error: { code: 'APP_SETTING_SET_BY_POLICY', params: { field: 'lockDelayMinutes' } },
      });
      expect(host.hasUnsavedWork()).toBe(false);
      expect(await host.dispatch('app:unsaved-work', { dirty: true })).toEqual({ ok: true, value: {} });
      expect(host.hasUnsavedWork()).toBe(true);
      await host.dispatch('app:unsaved-work', { dirty: false });
      expect(host.hasUnsavedWork()).toBe(false);
    } finally {
      await host.close();
    }
  });

  it('without a policy: not managed, nothing locked', async () => {
    const host = createHost({ dataDir: fs.mkdtempSync(path.join(tmp, 'none-')), mode: 'browser' });
    try {
      expect(await host.dispatch('settings:policy', {})).toEqual({
        ok: true,
        value: { managed: false, locked: [], allowedLanguages: null, updateChannel: null },
      });
    } finally {
      await host.close();
    }
  });
});
