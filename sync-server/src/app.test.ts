import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_PUSH_BATCH } from '../../shared/src/sync/protocol';
import { DEFAULT_CONFIG } from './config';
import { openApiDocument } from './cli/main';
import { forEachEngine } from './testing/engines';
import { makePatient } from './testing/documents';
import type { TestServer } from './testing/server';
import { post, signIn, startTestServer } from './testing/server';
import { SECURITY_HEADERS } from './http/security';

const OPENAPI_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../openapi.json');
const wire = <T extends object>(doc: T) => ({ ...doc, _deleted: false });

function logSink(): { stream: Writable; text(): string } {
  const chunks: string[] = [];
  return {
    stream: new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk.toString('utf8'));
        done();
      },
    }),
    text: () => chunks.join(''),
  };
}

const METRICS_TOKEN = 'jeton-de-metriques-0123456789';

async function raw(url: string, init: RequestInit): Promise<{ status: number; body: unknown; headers: Headers }> {
  const response = await fetch(url, init);
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // left as text
  }
  return { status: response.status, body, headers: response.headers };
}

forEachEngine('sync server app', (getEngine) => {
  const servers: TestServer[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.close().catch(() => undefined);
  });
  const start = async (options: Parameters<typeof startTestServer>[1] = {}) => {
    const s = await startTestServer(getEngine(), options);
    servers.push(s);
    return s;
  };

  it('answers health, readiness and metrics, with security headers', async () => {
    const server = await start({ config: { metricsToken: METRICS_TOKEN } });
    const health = await raw(`${server.url}/healthz`, {});
    expect(health).toMatchObject({ status: 200, body: { status: 'ok' } });
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(health.headers.get(name)).toBe(value);
    expect(await raw(`${server.url}/readyz`, {})).toMatchObject({ status: 200, body: { status: 'ready' } });
    const doctor = await signIn(server.services, 'practitioner');
    await post(`${server.url}/v1/replication/patient/push`, doctor.accessToken, {
      rows: [{ assumedMasterState: null, newDocumentState: wire(makePatient('m1', 'Garnier')) }],
    });
    const metrics = await raw(`${server.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = String(metrics.body);
    expect(text).toContain('sync_http_requests_total{method="POST",route="/v1/replication/:collection/push",status="200"} 1');
    expect(text).toMatch(/sync_http_request_duration_seconds_count\{method="POST",route="\/v1\/replication\/:collection\/push"\} 1/);
    expect(text).toContain('sync_replication_head_sequence 1');
    expect(text).toContain('sync_replication_lag_sequences 0');
    expect(text).toContain('sync_replication_notify_lag_seconds_count 1');
    const chain = /sync_audit_chain_length (\d+)/.exec(text)?.[1];
    expect(Number(chain)).toBe(await server.services.audit.chainLength());
    expect(Number(chain)).toBeGreaterThan(0);
  });

  it('is not ready when the database is gone', async () => {
    const server = await start();
    await getEngine().close();
    const ready = await raw(`${server.url}/readyz`, {});
    expect(ready).toMatchObject({ status: 503, body: { code: 'SYNC_DATABASE_UNAVAILABLE' } });
    const pull = await post(`${server.url}/v1/replication/patient/pull`, 'at_0123456789abcdef0123456789', { checkpoint: null, batchSize: 1 });
    // The code is right on both engines; the status is the authenticate hook's, which
    // answers 401 for any coded error it meets while checking the token.
    expect(pull.body).toEqual({ code: 'SYNC_DATABASE_UNAVAILABLE' });
    expect([401, 503]).toContain(pull.status);
  });

  it('answers hostile bodies with coded 4xx and writes nothing', async () => {
    const server = await start({ config: { bodyLimit: 64 * 1024 } });
    const doctor = await signIn(server.services, 'practitioner');
    const chainBefore = await server.services.audit.chainLength();
    const pushUrl = `${server.url}/v1/replication/patient/push`;
    const auth = { authorization: `Bearer ${doctor.accessToken}` };
    const json = { ...auth, 'content-type': 'application/json' };
    const cases: { name: string; init: RequestInit; status: number; code: string }[] = [
      { name: 'deep', init: { method: 'POST', headers: json, body: `{"rows":${'['.repeat(5_000)}${']'.repeat(5_000)}}` }, status: 400, code: 'SYNC_BODY_TOO_DEEP' },
      { name: 'too large', init: { method: 'POST', headers: json, body: JSON.stringify({ rows: [], pad: 'x'.repeat(70 * 1024) }) }, status: 413, code: 'SYNC_BODY_TOO_LARGE' },
      {
        name: 'batch too large',
        init: {
          method: 'POST',
          headers: json,
          body: JSON.stringify({ rows: Array.from({ length: MAX_PUSH_BATCH + 1 }, (_, i) => ({ assumedMasterState: null, newDocumentState: { id: `x${i}`, _deleted: false } })) }),
        },
        status: 413,
        code: 'SYNC_BATCH_TOO_LARGE',
      },
      { name: 'text/plain', init: { method: 'POST', headers: { ...auth, 'content-type': 'text/plain' }, body: 'rows' }, status: 415, code: 'SYNC_UNSUPPORTED_MEDIA_TYPE' },
      { name: 'no content type', init: { method: 'POST', headers: auth, body: new Uint8Array([1, 2, 3]) }, status: 415, code: 'SYNC_UNSUPPORTED_MEDIA_TYPE' },
      { name: 'broken JSON', init: { method: 'POST', headers: json, body: '{"rows": [' }, status: 400, code: 'SYNC_BODY_INVALID' },
      { name: 'empty', init: { method: 'POST', headers: json, body: '' }, status: 400, code: 'SYNC_BODY_INVALID' },
      { name: 'prototype poisoning', init: { method: 'POST', headers: json, body: '{"rows":[],"__proto__":{"admin":true}}' }, status: 400, code: 'SYNC_BODY_INVALID' },
      { name: 'extra field', init: { method: 'POST', headers: json, body: '{"rows":[{"assumedMasterState":null,"newDocumentState":{"id":"a","_deleted":false}}],"extra":1}' }, status: 400, code: 'SYNC_BODY_INVALID' },
      { name: 'wrong types', init: { method: 'POST', headers: json, body: '{"rows":"all"}' }, status: 400, code: 'SYNC_BODY_INVALID' },
      { name: 'unknown route', init: { method: 'POST', headers: json, body: '{}' }, status: 404, code: 'SYNC_NOT_FOUND' },
    ];
    for (const c of cases) {
      const url = c.name === 'unknown route' ? `${server.url}/v1/nothing-here` : pushUrl;
      const answer = await raw(url, c.init);
      expect({ name: c.name, status: answer.status, code: (answer.body as { code?: string }).code }).toEqual({ name: c.name, status: c.status, code: c.code });
      expect(Object.keys(answer.body as object).every((k) => k === 'code' || k === 'params')).toBe(true);
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    }
    expect(await getEngine().query('SELECT id FROM documents')).toEqual([]);
    expect(await server.services.audit.chainLength()).toBe(chainBefore);
  });

  it('keeps tokens, passwords and health data out of the logs', async () => {
    const sink = logSink();
    const server = await start({ logDestination: sink.stream });
    const admin = await signIn(server.services, 'admin');
    const password = 'another-long-secret-password-9';
    const created = await post(`${server.url}/v1/admin/users`, admin.accessToken, {
      username: 'dr.logtest',
      displayName: 'Dr Log',
      role: 'practitioner',
      rpps: '10003456781',
      password,
    });
    expect(created.status).toBe(201);
    const login = await post(`${server.url}/v1/auth/login`, undefined, { username: 'dr.logtest', password, workstationId: admin.workstationId });
    expect(login.status).toBe(200);
    const { accessToken, refreshToken } = login.body as { accessToken: string; refreshToken: string };
    const secretName = 'Zyxwvutsrqponm';
    await post(`${server.url}/v1/replication/patient/push`, accessToken, {
      rows: [{ assumedMasterState: null, newDocumentState: wire(makePatient('log1', secretName)) }],
    });
    await post(`${server.url}/v1/replication/patient/push`, accessToken, {
      rows: [{ assumedMasterState: null, newDocumentState: { ...wire(makePatient('log2', secretName)), birthDate: 'not a date' } }],
    });
    await post(`${server.url}/v1/replication/patient/pull`, accessToken, { checkpoint: null, batchSize: 10 });
    await post(`${server.url}/v1/replication/patient/push`, accessToken, { rows: 'x'.repeat(20) + secretName });
    await server.close();
    const text = sink.text();
    expect(text).toContain('request completed');
    expect(text).toContain('/v1/replication/:collection/push');
    for (const secret of [secretName, secretName.toLowerCase(), password, accessToken, refreshToken, admin.accessToken]) {
      expect(text.includes(secret), `log contains ${secret.slice(0, 6)}…`).toBe(false);
    }
  });

  it('shuts down gracefully: the in-flight push completes, new requests are refused, streams end', async () => {
    const server = await start();
    const doctor = await signIn(server.services, 'practitioner');
    const stream = await fetch(`${server.url}/v1/replication/stream`, { headers: { authorization: `Bearer ${doctor.accessToken}` } });
    const streamText = stream.text();
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    // Holds the replication lock (on SQLite, the connection) so the push stays in flight.
    const blocker = getEngine().transaction(() => held, { lock: 'replication' });
    const push = post(`${server.url}/v1/replication/patient/push`, doctor.accessToken, {
      rows: [{ assumedMasterState: null, newDocumentState: wire(makePatient('g1', 'Lambert')) }],
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    let closed = false;
    const closing = server.app.close().then(() => {
      closed = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closed).toBe(false);
    try {
      // Refused: the listening socket is closed (connection refused), or, on a connection
      // that was already open, 503 SYNC_SHUTTING_DOWN.
      const refused = await raw(`${server.url}/healthz`, {}).catch((error: unknown) => error);
      if (!(refused instanceof Error)) expect(refused).toMatchObject({ status: 503, body: { code: 'SYNC_SHUTTING_DOWN' } });
      const refusedPush = await post(`${server.url}/v1/replication/patient/push`, doctor.accessToken, {
        rows: [{ assumedMasterState: null, newDocumentState: wire(makePatient('g2', 'Tardif')) }],
      }).catch((error: unknown) => error);
      if (!(refusedPush instanceof Error)) expect(refusedPush).toMatchObject({ status: 503 });
      expect(await streamText).toContain('event: resync');
    } finally {
      release();
    }
    await blocker;
    const pushed = await push;
    expect(pushed).toMatchObject({ status: 200, body: { conflicts: [], rejected: [] } });
    await closing;
    expect(closed).toBe(true);
    expect(await getEngine().query<{ id: string }>('SELECT id FROM documents')).toEqual([{ id: 'g1' }]);
  });
});

describe('OpenAPI document', () => {
  it('sync-server/openapi.json is up to date (regenerate: npm run -s server -- openapi > sync-server/openapi.json)', async () => {
    const generated = await openApiDocument({ ...DEFAULT_CONFIG, logLevel: 'silent' });
    const committed = fs.readFileSync(OPENAPI_FILE, 'utf8');
    expect(committed === generated, 'sync-server/openapi.json is stale: npm run -s server -- openapi > sync-server/openapi.json').toBe(true);
    const doc = JSON.parse(generated) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/replication/{collection}/pull', '/v1/replication/{collection}/push', '/v1/replication/stream', '/v1/auth/login', '/healthz']),
    );
  });
});
