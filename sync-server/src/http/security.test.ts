// HTTP hardening of the sync server as clients and browsers see it: security headers on
// every kind of answer, and the CORS policy. The server is only ever called by the
// workstations' host process (Node), never by a web page, so it grants no cross-origin
// access at all: no Access-Control-* header, whatever the Origin. TLS is terminated by
// the reverse proxy (sync-server/deploy/nginx, checked by deploy/deploy.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYNC_API_PREFIX } from '../../../shared/src/sync/protocol';
import type { TestDatabase } from '../testing/engines';
import { createTestDatabase } from '../testing/engines';
import type { TestServer } from '../testing/server';
import { startTestServer } from '../testing/server';
import { SECURITY_HEADERS } from './security';

let db: TestDatabase;
let server: TestServer;
beforeAll(async () => {
  db = await createTestDatabase('sqlite');
  server = await startTestServer(await db.open());
});
afterAll(async () => {
  await server.close();
  await db.destroy();
});

const EVIL = 'https://evil.example';

function expectHardened(headers: Headers): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(headers.get(name), name).toBe(value);
  expect(headers.get('x-powered-by')).toBeNull();
  expect(headers.get('server')).toBeNull();
  for (const name of headers.keys()) expect(name.startsWith('access-control-'), name).toBe(false);
}

describe('sync server HTTP hardening', () => {
  it('security headers on success, client error, auth failure and unknown routes', async () => {
    const answers = await Promise.all([
      fetch(`${server.url}/healthz`),
      fetch(`${server.url}/nope`),
      fetch(`${server.url}${SYNC_API_PREFIX}/auth/me`),
      fetch(`${server.url}${SYNC_API_PREFIX}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"username":',
      }),
      fetch(`${server.url}${SYNC_API_PREFIX}/replication/patient/pull`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ checkpoint: null, batchSize: 10 }),
      }),
    ]);
    expect(answers.map((r) => r.status)).toEqual([200, 404, 401, 400, 401]);
    for (const r of answers) expectHardened(r.headers);
  });

  it('CORS: a preflight from another origin is not granted', async () => {
    const res = await fetch(`${server.url}${SYNC_API_PREFIX}/auth/login`, {
      method: 'OPTIONS',
      headers: {
        origin: EVIL,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,authorization',
      },
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expectHardened(res.headers);
  });

  it('CORS: a cross-origin request gets no Access-Control-Allow-Origin (the browser keeps the answer from the page)', async () => {
    const res = await fetch(`${server.url}${SYNC_API_PREFIX}/auth/login`, {
      method: 'POST',
      headers: { origin: EVIL, 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'x', password: 'y', workstationId: 'w' }),
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expectHardened(res.headers);
    const health = await fetch(`${server.url}/healthz`, { headers: { origin: 'null' } });
    expectHardened(health.headers);
  });
});
