import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../../shared/src/api';
import { API_CHANNELS } from '../../../shared/src/api';
import { AppError } from '../../../shared/src/errors';
import { FieldIssuesError } from '../services/patient-service';
import type { Handlers } from './dispatcher';
import { createDispatcher } from './dispatcher';

const SECRET_TEXT = 'Hélène Dupont, 284127645108993';

function handlers(overrides: Partial<Record<keyof Handlers, (r: never) => unknown>>): Handlers {
  const base = Object.fromEntries(
    API_CHANNELS.map((c) => [
      c,
      () => {
        throw new Error(`unexpected call of ${c}`);
      },
    ]),
  );
  return { ...base, ...overrides } as unknown as Handlers;
}

const SETTINGS = { language: 'fr-FR', lockDelayMinutes: 10, serverUrl: null, workstationId: null };

describe('dispatcher', () => {
  it('refuses channels the contract does not name, without calling anything', async () => {
    const calls: string[] = [];
    const dispatch = createDispatcher(handlers({}), { onCall: (c) => calls.push(c) });
    for (const channel of ['nope', '__proto__', 'constructor', 'toString', 'hasOwnProperty', '', 'patients:search ', 'PATIENTS:SEARCH']) {
      expect(await dispatch(channel, {})).toEqual({ ok: false, error: { code: 'API_CHANNEL_UNKNOWN' } });
    }
    expect(await dispatch(42 as unknown as string, {})).toEqual({ ok: false, error: { code: 'API_CHANNEL_UNKNOWN' } });
    expect(calls).toEqual([]);
  });

  it('refuses hostile request bodies with field issues, before the handler runs', async () => {
    let called = 0;
    const dispatch = createDispatcher(
      handlers({
        'patients:search': () => {
          called++;
          return { rows: [], total: 0 };
        },
        'settings:set': () => {
          called++;
          return SETTINGS;
        },
      }),
    );
    const bad: unknown[] = [
      null,
      'query',
      [],
      { query: 42 },
      { query: 'x'.repeat(201) },
      { query: 'x', limit: 1e9 },
      { query: 'x', limit: -1 },
      { query: 'x', limit: 1.5 },
      { query: 'x', extra: 1 },
      JSON.parse('{"query":"x","__proto__":{"polluted":true}}'),
      { query: 'x', constructor: { prototype: { polluted: true } } },
    ];
    for (const request of bad) {
      const env = await dispatch('patients:search', request);
      expect(env.ok, JSON.stringify(request)).toBe(false);
      if (!env.ok) expect(env.error.code).toBe('API_REQUEST_INVALID');
    }
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    const issues = await dispatch('settings:set', { lockDelayMinutes: 0, serverUrl: 'javascript:alert(1)', language: 'xx' });
    expect(issues).toMatchObject({
      ok: false,
      error: {
        code: 'API_REQUEST_INVALID',
        issues: expect.arrayContaining([
          { path: ['lockDelayMinutes'], code: 'VALIDATION_TOO_SMALL', params: { min: 1 } },
          { path: ['language'], code: 'VALIDATION_VALUE' },
        ]),
      },
    });
    expect(called).toBe(0);
  });

  it('survives a deeply nested body (error, not a crash)', async () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const dispatch = createDispatcher(handlers({}));
    const env = await dispatch('conflicts:resolve', { id: 'x', choice: 'combined', value: deep });
    expect(env.ok).toBe(false);
  });

  it('maps an AppError to its code, params and field issues', async () => {
    const dispatch = createDispatcher(
      handlers({
        'vault:unlock': () => {
          throw new AppError('VAULT_WRONG_PASSPHRASE', { failures: 4, retryAfterSeconds: 5 });
        },
        'patients:check': () => {
          throw new FieldIssuesError('API_REQUEST_INVALID', [{ path: ['nir'], code: 'NIR_KEY' }]);
        },
      }),
    );
    expect(await dispatch('vault:unlock', { passphrase: 'x' })).toEqual({
      ok: false,
      error: { code: 'VAULT_WRONG_PASSPHRASE', params: { failures: 4, retryAfterSeconds: 5 } },
    });
    expect(await dispatch('patients:check', { draft: {} })).toEqual({
      ok: false,
      error: { code: 'API_REQUEST_INVALID', issues: [{ path: ['nir'], code: 'NIR_KEY' }] },
    });
  });

  it('turns any other exception, and a response the contract refuses, into APP_INTERNAL_ERROR without leaking its text', async () => {
    const logged: unknown[] = [];
    const dispatch = createDispatcher(
      handlers({
        'patients:get': () => {
          throw new TypeError(`cannot read ${SECRET_TEXT}`);
        },
        'vault:status': () => ({ state: 'open', secret: SECRET_TEXT }),
        'sync:status': () => Promise.reject(new Error(SECRET_TEXT)),
      }),
      { onInternalError: (_c, e) => logged.push(e) },
    );
    for (const [channel, request] of [
      ['patients:get', { id: 'p1' }],
      ['vault:status', {}],
      ['sync:status', undefined],
    ] as const) {
      const env: Envelope = await dispatch(channel, request);
      expect(env).toEqual({ ok: false, error: { code: 'APP_INTERNAL_ERROR' } });
      expect(JSON.stringify(env)).not.toContain('Dupont');
    }
    expect(logged).toHaveLength(3);
  });

  it('answers the validated value of a good call and counts it as activity', async () => {
    const calls: string[] = [];
    const dispatch = createDispatcher(handlers({ 'settings:get': () => SETTINGS }), { onCall: (c) => calls.push(c) });
    expect(await dispatch('settings:get', undefined)).toEqual({ ok: true, value: SETTINGS });
    expect(await dispatch('settings:get', {})).toEqual({ ok: true, value: SETTINGS });
    expect(calls).toEqual(['settings:get', 'settings:get']);
  });
});

describe('errorSummary (what the host log gets)', () => {
  it('keeps class, codes and frames, never the message', async () => {
    const { errorSummary } = await import('./host');
    const inner = Object.assign(new Error(`row ${SECRET_TEXT}`), { code: 'SQLITE_BUSY' });
    const outer = new AppError('STORAGE_WRITE_FAILED', { detail: SECRET_TEXT }, { cause: inner });
    const summary = errorSummary(outer);
    expect(summary).toContain('AppError STORAGE_WRITE_FAILED');
    expect(summary).toContain('caused by Error SQLITE_BUSY');
    expect(summary).toMatch(/\n\s+at /);
    expect(summary).not.toContain('Dupont');
    expect(summary).not.toContain('284127645108993');
  });

  it('keeps an error code passed as a string, and only the type of any other text', async () => {
    const { errorSummary } = await import('./host');
    expect(errorSummary('VAULT_KEY_UNREADABLE')).toBe('VAULT_KEY_UNREADABLE');
    expect(errorSummary(`patient ${SECRET_TEXT}`)).toBe('string');
    expect(errorSummary(42)).toBe('number');
  });
});
