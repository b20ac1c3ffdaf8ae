import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import fastifySwagger from '@fastify/swagger';
import { hasZodFastifySchemaValidationErrors, jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterEach, expect, it } from 'vitest';
import { isAppError } from '../../../shared/src/errors';
import { createAccessService } from '../access/access-service';
import { registerAccessRoutes } from '../access/routes';
import { createAuditLog } from '../audit/audit-log';
import { forEachEngine } from '../testing/engines';
import { CLI_ACTOR, createAuthService } from './auth-service';
import { authStatusOf } from './authenticate';
import { registerAuthRoutes } from './routes';
import { manualClock } from './test-support';

const PASSWORD = 'a password long enough';

/** The smallest app around the identity routes; the real one (app.ts) is the core's. */
function buildTestApp(): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 16 * 1024 });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler((error, _request, reply) => {
    if (isAppError(error)) return reply.code(authStatusOf(error.code) ?? 400).send(error.toPayload());
    if (hasZodFastifySchemaValidationErrors(error)) return reply.code(400).send({ code: 'AUTH_REQUEST_INVALID' });
    const status = (error as { statusCode?: number }).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) return reply.code(status).send({ code: 'AUTH_REQUEST_INVALID' });
    return reply.code(500).send({ code: 'UNKNOWN_ERROR' });
  });
  return app;
}

const apps: FastifyInstance[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

forEachEngine('identity routes', (getEngine) => {
  async function setup() {
    const engine = getEngine();
    const clock = manualClock();
    const audit = createAuditLog({ engine, clock });
    const auth = createAuthService({ engine, audit, clock });
    const access = createAccessService({ engine, audit, clock });
    const app = buildTestApp();
    apps.push(app);
    registerAuthRoutes(app, { auth });
    registerAccessRoutes(app, { auth, access });
    await app.ready();

    const ws = await auth.registerWorkstation('Accueil', CLI_ACTOR);
    const users = {
      admin: await auth.createUser({ username: 'admin', displayName: 'Admin', role: 'admin', password: PASSWORD }, CLI_ACTOR),
      doc: await auth.createUser(
        { username: 'dr.roux', displayName: 'Dr Roux', role: 'practitioner', rpps: '10003456780', password: PASSWORD },
        CLI_ACTOR,
      ),
      sec: await auth.createUser({ username: 'sec', displayName: 'Secrétaire', role: 'secretary', password: PASSWORD }, CLI_ACTOR),
      dpo: await auth.createUser({ username: 'dpo', displayName: 'DPO', role: 'dpo', password: PASSWORD }, CLI_ACTOR),
    };
    const login = async (username: string, password = PASSWORD) =>
      app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username, password, workstationId: ws.id } });
    const tokenOf = async (username: string): Promise<string> => {
      const res = await login(username);
      expect(res.statusCode).toBe(200);
      return (res.json() as { accessToken: string }).accessToken;
    };
    const as = (token: string) => ({ authorization: `Bearer ${token}` });
    return { engine, clock, audit, auth, access, app, ws, users, login, tokenOf, as };
  }

  it('login, me, refresh rotation and reuse detection over HTTP', async () => {
    const { app, ws, login, as, users } = await setup();
    const res = await login('dr.roux');
    expect(res.statusCode).toBe(200);
    const session = res.json() as { accessToken: string; refreshToken: string; user: { id: string } };
    expect(session.user.id).toBe(users.doc.id);

    const me = await app.inject({ method: 'GET', url: '/v1/auth/me', headers: as(session.accessToken) });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ user: { username: 'dr.roux', role: 'practitioner' }, workstationId: ws.id });

    const refresh = (refreshToken: string) =>
      app.inject({ method: 'POST', url: '/v1/auth/refresh', payload: { refreshToken, workstationId: ws.id } });
    const rotated = await refresh(session.refreshToken);
    expect(rotated.statusCode).toBe(200);
    const next = rotated.json() as { accessToken: string };

    const reused = await refresh(session.refreshToken);
    expect(reused.statusCode).toBe(401);
    expect(reused.json()).toEqual({ code: 'AUTH_REFRESH_REUSED' });
    const after = await app.inject({ method: 'GET', url: '/v1/auth/me', headers: as(next.accessToken) });
    expect(after.statusCode).toBe(401);
    expect(after.json()).toEqual({ code: 'AUTH_TOKEN_INVALID' });
  });

  it('answers 401 with a code for a missing, malformed, expired or logged-out token', async () => {
    const { app, login, as, clock } = await setup();
    const session = (await login('sec')).json() as { accessToken: string; refreshToken: string };
    const me = (headers: Record<string, string>) => app.inject({ method: 'GET', url: '/v1/auth/me', headers });
    expect((await me({})).json()).toEqual({ code: 'AUTH_TOKEN_MISSING' });
    expect((await me({ authorization: 'Basic abc' })).json()).toEqual({ code: 'AUTH_TOKEN_INVALID' });
    expect((await me({ authorization: `Bearer ${'x'.repeat(5000)}` })).statusCode).toBe(401);
    expect((await me(as('at_not-a-real-token-but-long'))).json()).toEqual({ code: 'AUTH_TOKEN_INVALID' });

    clock.advance(15 * 60_000 + 1);
    const expired = await me(as(session.accessToken));
    expect(expired.statusCode).toBe(401);
    expect(expired.json()).toEqual({ code: 'AUTH_TOKEN_EXPIRED' });

    const logout = await app.inject({ method: 'POST', url: '/v1/auth/logout', payload: { refreshToken: session.refreshToken } });
    expect(logout.statusCode).toBe(204);
    const refreshed = await app.inject({
      method: 'POST',
      url: '/v1/auth/refresh',
      payload: { refreshToken: session.refreshToken, workstationId: 'whatever' },
    });
    expect(refreshed.statusCode).toBe(401);
  });

  it('locks after 5 failures with 429 AUTH_LOCKED, recorded in the central audit log', async () => {
    const { login, audit, users } = await setup();
    for (let i = 0; i < 4; i++) {
      const res = await login('dr.roux', 'not the password');
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({ code: 'AUTH_INVALID_CREDENTIALS' });
    }
    const fifth = await login('dr.roux', 'not the password');
    expect(fifth.statusCode).toBe(429);
    expect(fifth.json()).toEqual({ code: 'AUTH_LOCKED', params: { minutes: 15 } });
    expect((await login('dr.roux')).statusCode).toBe(429);

    const lockouts = await audit.search({ action: 'lockout', limit: 10 });
    expect(lockouts.entries).toHaveLength(1);
    expect(lockouts.entries[0]).toMatchObject({ userId: users.doc.id, outcome: 'denied' });
    expect((await audit.search({ action: 'login_failed', limit: 10 })).entries).toHaveLength(6);
    expect((await audit.verifyChain()).ok).toBe(true);
  });

  it('admin manages users, workstations, grants and teams; other roles get 403; disabling cuts access at once', async () => {
    const { app, tokenOf, as, users, ws } = await setup();
    const adminToken = await tokenOf('admin');
    const docToken = await tokenOf('dr.roux');
    const secToken = await tokenOf('sec');

    for (const token of [docToken, secToken, await tokenOf('dpo')]) {
      const res = await app.inject({ method: 'GET', url: '/v1/admin/users', headers: as(token) });
      expect(res.statusCode).toBe(403);
      expect(res.json()).toEqual({ code: 'AUTH_FORBIDDEN' });
    }
    const listed = await app.inject({ method: 'GET', url: '/v1/admin/users', headers: as(adminToken) });
    expect((listed.json() as { users: { username: string }[] }).users.map((u) => u.username)).toEqual([
      'admin',
      'dpo',
      'dr.roux',
      'sec',
    ]);

    const created = await app.inject({
      method: 'POST',
      url: '/v1/admin/users',
      headers: as(adminToken),
      payload: { username: 'dr.blanc', displayName: 'Dr Blanc', role: 'practitioner', password: PASSWORD },
    });
    expect(created.statusCode).toBe(400);
    expect(created.json()).toEqual({ code: 'RPPS_REQUIRED' });
    const weak = await app.inject({
      method: 'POST',
      url: '/v1/admin/users',
      headers: as(adminToken),
      payload: { username: 'sec2', displayName: 'S', role: 'secretary', password: 'short' },
    });
    expect(weak.json()).toEqual({ code: 'AUTH_PASSWORD_WEAK', params: { min: 12 } });
    const dup = await app.inject({
      method: 'POST',
      url: '/v1/admin/users',
      headers: as(adminToken),
      payload: { username: 'sec', displayName: 'S', role: 'secretary', password: PASSWORD },
    });
    expect(dup.statusCode).toBe(409);

    const ws2 = await app.inject({ method: 'POST', url: '/v1/admin/workstations', headers: as(adminToken), payload: { name: 'Cabinet 2' } });
    expect(ws2.statusCode).toBe(201);

    const grant = await app.inject({
      method: 'POST',
      url: '/v1/admin/grants',
      headers: as(adminToken),
      payload: { userId: users.doc.id, patientId: 'pat-1' },
    });
    expect(grant.statusCode).toBe(201);
    const grants = await app.inject({ method: 'GET', url: `/v1/admin/grants?patientId=pat-1`, headers: as(adminToken) });
    expect((grants.json() as { grants: { userId: string }[] }).grants.map((g) => g.userId)).toEqual([users.doc.id]);
    const noFilter = await app.inject({ method: 'GET', url: `/v1/admin/grants`, headers: as(adminToken) });
    expect(noFilter.statusCode).toBe(400);
    const revoke = await app.inject({
      method: 'POST',
      url: '/v1/admin/grants/revoke',
      headers: as(adminToken),
      payload: { userId: users.doc.id, patientId: 'pat-1' },
    });
    expect(revoke.statusCode).toBe(204);
    const again = await app.inject({
      method: 'POST',
      url: '/v1/admin/grants/revoke',
      headers: as(adminToken),
      payload: { userId: users.doc.id, patientId: 'pat-1' },
    });
    expect(again.statusCode).toBe(404);

    const team = await app.inject({ method: 'POST', url: '/v1/admin/care-teams', headers: as(adminToken), payload: { name: 'Pédiatrie' } });
    const teamId = (team.json() as { id: string }).id;
    await app.inject({ method: 'POST', url: `/v1/admin/care-teams/${teamId}/members`, headers: as(adminToken), payload: { userId: users.doc.id } });
    const shared = await app.inject({
      method: 'POST',
      url: `/v1/admin/care-teams/${teamId}/patients`,
      headers: as(adminToken),
      payload: { patientId: 'pat-2' },
    });
    expect(shared.json()).toMatchObject({ memberIds: [users.doc.id], patientIds: ['pat-2'] });
    const removed = await app.inject({ method: 'DELETE', url: `/v1/admin/care-teams/${teamId}/patients/pat-2`, headers: as(adminToken) });
    expect(removed.json()).toMatchObject({ patientIds: [] });

    const disabled = await app.inject({ method: 'POST', url: `/v1/admin/users/${users.doc.id}/disable`, headers: as(adminToken) });
    expect(disabled.statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/v1/auth/me', headers: as(docToken) })).statusCode).toBe(401);

    const wsDisabled = await app.inject({ method: 'POST', url: `/v1/admin/workstations/${ws.id}/disable`, headers: as(adminToken) });
    expect(wsDisabled.statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/v1/auth/me', headers: as(secToken) })).statusCode).toBe(401);
  });

  it('break-the-glass: practitioner opens (others 403), the DPO lists, admin cannot list', async () => {
    const { app, tokenOf, as, users } = await setup();
    const docToken = await tokenOf('dr.roux');
    const payload = { patientId: 'pat-9', reason: 'Patient amené inconscient' };
    for (const name of ['sec', 'dpo', 'admin']) {
      const res = await app.inject({ method: 'POST', url: '/v1/access/break-glass', headers: as(await tokenOf(name)), payload });
      expect(res.statusCode).toBe(403);
    }
    const short = await app.inject({
      method: 'POST',
      url: '/v1/access/break-glass',
      headers: as(docToken),
      payload: { patientId: 'pat-9', reason: 'urgent' },
    });
    expect(short.statusCode).toBe(400);
    const opened = await app.inject({ method: 'POST', url: '/v1/access/break-glass', headers: as(docToken), payload });
    expect(opened.statusCode).toBe(200);
    expect(opened.json()).toMatchObject({ patientId: 'pat-9' });

    const list = await app.inject({ method: 'GET', url: '/v1/access/break-glass?limit=10', headers: as(await tokenOf('dpo')) });
    expect(list.statusCode).toBe(200);
    expect(list.json()).toMatchObject({ entries: [{ userId: users.doc.id, patientId: 'pat-9', reason: payload.reason }] });
    const byAdmin = await app.inject({ method: 'GET', url: '/v1/access/break-glass', headers: as(await tokenOf('admin')) });
    expect(byAdmin.statusCode).toBe(403);
  });

  it('documents every identity route in the OpenAPI document from the same schemas', async () => {
    const engine = getEngine();
    const clock = manualClock();
    const audit = createAuditLog({ engine, clock });
    const auth = createAuthService({ engine, audit, clock });
    const app = buildTestApp();
    apps.push(app);
    await app.register(fastifySwagger, { openapi: { openapi: '3.1.0', info: { title: 't', version: '0' } }, transform: jsonSchemaTransform });
    registerAuthRoutes(app, { auth });
    registerAccessRoutes(app, { auth, access: createAccessService({ engine, audit, clock }) });
    await app.ready();
    const doc = app.swagger() as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/v1/access/break-glass',
      '/v1/admin/care-teams',
      '/v1/admin/care-teams/{teamId}/members',
      '/v1/admin/care-teams/{teamId}/members/{userId}',
      '/v1/admin/care-teams/{teamId}/patients',
      '/v1/admin/care-teams/{teamId}/patients/{patientId}',
      '/v1/admin/grants',
      '/v1/admin/grants/revoke',
      '/v1/admin/users',
      '/v1/admin/users/{userId}/disable',
      '/v1/admin/users/{userId}/revoke-sessions',
      '/v1/admin/workstations',
      '/v1/admin/workstations/{workstationId}/disable',
      '/v1/auth/login',
      '/v1/auth/logout',
      '/v1/auth/me',
      '/v1/auth/refresh',
    ]);
    expect(JSON.stringify(doc.paths['/v1/auth/login'])).toContain('workstationId');
  });

  it('answers hostile bodies with coded 4xx and never 500', async () => {
    const { app, ws, tokenOf, as } = await setup();
    const adminToken = await tokenOf('admin');
    const cases: { url: string; payload: string; headers?: Record<string, string> }[] = [
      { url: '/v1/auth/login', payload: '{"username":' },
      { url: '/v1/auth/login', payload: 'null' },
      { url: '/v1/auth/login', payload: '[]' },
      { url: '/v1/auth/login', payload: JSON.stringify({ username: 'a', password: 'b' }) },
      { url: '/v1/auth/login', payload: JSON.stringify({ username: 'dr.roux', password: PASSWORD, workstationId: ws.id, admin: true }) },
      { url: '/v1/auth/login', payload: JSON.stringify({ username: "x' OR 1=1 --", password: PASSWORD, workstationId: ws.id }) },
      { url: '/v1/auth/login', payload: JSON.stringify({ username: 'dr.roux', password: 'p'.repeat(2000), workstationId: ws.id }) },
      { url: '/v1/auth/login', payload: JSON.stringify({ username: 'dr.roux', password: 'x'.repeat(20_000), workstationId: ws.id }) },
      { url: '/v1/auth/login', payload: JSON.stringify({ username: 'dr.roux', password: 42, workstationId: ws.id }) },
      { url: '/v1/auth/refresh', payload: JSON.stringify({ refreshToken: 'short', workstationId: ws.id }) },
      { url: '/v1/admin/users', payload: JSON.stringify({ username: 'u1', displayName: 'x', role: 'system', password: PASSWORD }), headers: as(adminToken) },
      { url: '/v1/admin/grants', payload: JSON.stringify({ userId: '../etc', patientId: 'p' }), headers: as(adminToken) },
      { url: '/v1/admin/grants', payload: JSON.stringify({ userId: 'u', patientId: 'p', expiresAt: 'tomorrow' }), headers: as(adminToken) },
    ];
    for (const c of cases) {
      const res = await app.inject({
        method: 'POST',
        url: c.url,
        payload: c.payload,
        headers: { 'content-type': 'application/json', ...c.headers },
      });
      expect(res.statusCode, `${c.url} ${c.payload.slice(0, 60)}`).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, `${c.url} ${c.payload.slice(0, 60)}`).toBeLessThan(500);
      const body = res.json() as { code?: unknown };
      expect(typeof body.code, c.payload.slice(0, 60)).toBe('string');
      expect(res.body).not.toContain('at ');
    }
  });
});
