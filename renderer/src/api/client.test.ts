import { describe, expect, it } from 'vitest';
import type { ApiTransport } from './transport';
import { TransportError } from './transport';
import { ApiCallError, createApiClient } from './client';

/** A transport answering from a table, the way a host's dispatcher would (envelopes only). */
function tableTransport(answers: Record<string, unknown>) {
  const listeners = new Set<(event: string, payload: unknown) => void>();
  const calls: [string, unknown][] = [];
  const transport: ApiTransport = {
    invoke(channel, request) {
      calls.push([channel, request]);
      if (!(channel in answers)) return Promise.reject(new TransportError('RENDERER_HOST_UNREACHABLE'));
      return Promise.resolve(answers[channel]);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    fetchBytes: (path) => Promise.resolve(new TextEncoder().encode(path).buffer as ArrayBuffer),
  };
  return {
    transport,
    calls,
    emit: (event: string, payload: unknown) => listeners.forEach((l) => l(event, payload)),
    listeners,
  };
}

const STATUS = {
  connection: 'offline',
  serverUrl: null,
  pendingChanges: 2,
  lastSyncAt: null,
  error: null,
  unresolvedConflicts: 0,
  rejected: [],
};

describe('API client', () => {
  it('returns the validated value of an ok envelope', async () => {
    const t = tableTransport({ 'sync:status': { ok: true, value: STATUS } });
    const client = createApiClient(t.transport);
    await expect(client.call('sync:status', {})).resolves.toEqual(STATUS);
    expect(t.calls).toEqual([['sync:status', {}]]);
  });

  it('turns an error envelope into ApiCallError with code, params and field issues', async () => {
    const t = tableTransport({
      'patients:save': {
        ok: false,
        error: { code: 'API_REQUEST_INVALID', issues: [{ path: ['draft', 'nir'], code: 'NIR_KEY' }] },
      },
    });
    const client = createApiClient(t.transport);
    const error = await client
      .call('patients:save', {
        draft: {
          birthName: 'Dupont',
          firstNames: ['Anne'],
          birthDate: '1980-01-01',
          sex: 'F',
          identityStatus: 'PROV',
          contact: { addressLines: [], phones: [] },
        },
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiCallError);
    expect((error as ApiCallError).code).toBe('API_REQUEST_INVALID');
    expect((error as ApiCallError).issues).toEqual([{ path: ['draft', 'nir'], code: 'NIR_KEY' }]);
  });

  it('refuses an answer that does not match the contract (RENDERER_RESPONSE_INVALID)', async () => {
    const t = tableTransport({ 'sync:status': { ok: true, value: { ...STATUS, pendingChanges: -1 } } });
    const error = await createApiClient(t.transport)
      .call('sync:status', {})
      .catch((e: unknown) => e);
    expect((error as ApiCallError).payload).toEqual({
      code: 'RENDERER_RESPONSE_INVALID',
      params: { channel: 'sync:status' },
    });
  });

  it('reports a transport failure as RENDERER_HOST_UNREACHABLE', async () => {
    const error = await createApiClient(tableTransport({}).transport)
      .call('vault:status', {})
      .catch((e: unknown) => e);
    expect((error as ApiCallError).code).toBe('RENDERER_HOST_UNREACHABLE');
  });

  it('delivers valid events to their listeners only, drops invalid ones, unsubscribes when the last listener leaves', () => {
    const t = tableTransport({});
    const client = createApiClient(t.transport);
    const seen: unknown[] = [];
    const off = client.on('sync:status', (s) => seen.push(s.pendingChanges));
    const offOther = client.on('conflicts:changed', (c) => seen.push(`open ${c.open}`));
    t.emit('sync:status', STATUS);
    t.emit('sync:status', { ...STATUS, connection: 'teleporting' });
    t.emit('conflicts:changed', { open: 3 });
    t.emit('unknown:event', {});
    expect(seen).toEqual([2, 'open 3']);
    off();
    expect(t.listeners.size).toBe(1);
    offOther();
    expect(t.listeners.size).toBe(0);
  });
});
