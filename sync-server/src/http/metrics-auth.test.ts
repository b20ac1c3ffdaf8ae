import { afterEach, expect, it } from 'vitest';
import { AppError } from '../../../shared/src/errors';
import { loadConfig } from '../config';
import { forEachEngine } from '../testing/engines';
import type { TestServer } from '../testing/server';
import { signIn, startTestServer } from '../testing/server';

const TOKEN = 'scrape-me-0123456789abcdef';

async function get(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { headers });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Prometheus text: kept as it is.
  }
  return { status: response.status, body, headers: response.headers };
}

forEachEngine('/metrics requires its bearer token; health and readiness stay open', (getEngine) => {
  const servers: TestServer[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.close();
  });

  it('answers 404 SYNC_METRICS_DISABLED without a configured token, whatever is presented', async () => {
    const server = await startTestServer(getEngine());
    servers.push(server);
    expect(await get(`${server.url}/metrics`)).toMatchObject({ status: 404, body: { code: 'SYNC_METRICS_DISABLED' } });
    expect(await get(`${server.url}/metrics`, { authorization: `Bearer ${TOKEN}` })).toMatchObject({
      status: 404,
      body: { code: 'SYNC_METRICS_DISABLED' },
    });
    expect(await get(`${server.url}/healthz`)).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(await get(`${server.url}/readyz`)).toMatchObject({ status: 200, body: { status: 'ready' } });
  });

  it('with a token: 401 without it, with another one or a user access token; the metrics with it', async () => {
    const server = await startTestServer(getEngine(), { config: { metricsToken: TOKEN } });
    servers.push(server);
    const user = await signIn(server.services, 'admin');
    const attempts: Record<string, string>[] = [{}, { authorization: `Bearer ${TOKEN}x` }, { authorization: `Bearer ${user.accessToken}` }, { authorization: TOKEN }];
    for (const headers of attempts) {
      const res = await get(`${server.url}/metrics`, headers);
      expect(res).toMatchObject({ status: 401, body: { code: 'SYNC_METRICS_UNAUTHORIZED' } });
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
    const ok = await get(`${server.url}/metrics`, { authorization: `Bearer ${TOKEN}` });
    expect(ok.status).toBe(200);
    expect(String(ok.body)).toContain('sync_audit_chain_length');
    expect(await get(`${server.url}/healthz`)).toMatchObject({ status: 200 });
  });
});

it('reads METRICS_TOKEN and --metrics-token (the flag wins) and refuses a short one', () => {
  expect(loadConfig({ env: {}, flags: {} }).metricsToken).toBeUndefined();
  expect(loadConfig({ env: { METRICS_TOKEN: TOKEN }, flags: {} }).metricsToken).toBe(TOKEN);
  expect(loadConfig({ env: { METRICS_TOKEN: TOKEN }, flags: { 'metrics-token': `${TOKEN}2` } }).metricsToken).toBe(`${TOKEN}2`);
  let error: unknown;
  try {
    loadConfig({ env: { METRICS_TOKEN: 'court' }, flags: {} });
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).params).toEqual({ field: 'METRICS_TOKEN' });
});
