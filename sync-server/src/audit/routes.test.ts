import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterEach, expect, it } from 'vitest';
import { AUDIT_API_PATHS } from '../../../shared/src/sync/audit-protocol';
import { createAccessService } from '../access/access-service';
import { CLI_ACTOR, createAuthService } from '../auth/auth-service';
import { authenticate } from '../auth/authenticate';
import type { Engine } from '../db/engine';
import { toErrorResponse } from '../http/errors';
import { forEachEngine } from '../testing/engines';
import type { AuditRecord } from '../types';
import { createAuditLog } from './audit-log';
import { createCheckpointService } from './checkpoints';
import { CSV_BOM, CSV_COLUMNS } from './csv';
import { auditErrorStatus, registerAuditRoutes } from './routes';
import { loadOrCreateSigningKey } from './signing';

let now = Date.parse('2026-03-01T10:00:00.000Z');
const clock = () => now;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const PASSWORD = 'correct horse battery staple';

/** The real identity module (users, sessions, authenticate hook, grants) around the audit routes. */
async function startApp(engine: Engine) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-routes-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  const log = createAuditLog({ engine, clock });
  const signer = loadOrCreateSigningKey({ dir });
  const checkpoints = createCheckpointService({ engine, clock, signer, log });
  const auth = createAuthService({ engine, audit: log, clock });
  const access = createAccessService({ engine, audit: log, clock });
  const app: FastifyInstance = Fastify({ logger: false });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(async (error, _request, reply) => {
    const { status, body } = toErrorResponse(error, 1_000_000, [auditErrorStatus]);
    return reply.code(status).send(body);
  });
  await registerAuditRoutes(app, { engine, clock, log, checkpoints, signer, access, authenticate: authenticate(auth) });
  await app.ready();
  cleanups.push(() => app.close());
  const workstation = await auth.registerWorkstation('Accueil', CLI_ACTOR);
  const user = async (username: string, role: 'practitioner' | 'secretary' | 'dpo' | 'admin') => {
    const created = await auth.createUser(
      { username, displayName: username, role, password: PASSWORD, ...(role === 'practitioner' ? { rpps: '10101010101' } : {}) },
      CLI_ACTOR,
    );
    const session = await auth.login({ username, password: PASSWORD, workstationId: workstation.id }, { ip: '127.0.0.1' });
    return { id: created.id, headers: { authorization: `Bearer ${session.accessToken}` } };
  };
  const append = (records: AuditRecord[]) => engine.transaction((tx) => log.append(tx, records));
  return { app, log, checkpoints, access, user, append, workstation };
}

const rec = (i: number, extra: Partial<AuditRecord> = {}): AuditRecord => ({
  id: `r-${i}`,
  source: 'workstation',
  userId: `u-${i % 2}`,
  role: 'practitioner',
  workstation: 'ws-x',
  action: 'read',
  patientId: i % 3 === 0 ? 'patient-a' : 'patient-b',
  instant: new Date(Date.UTC(2026, 1, 10, 9, 0, i)).toISOString(),
  outcome: 'success',
  ...extra,
});

/** RFC 4180 reader, to check the export independently of how it was written. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field !== '' || row.length > 0) throw new Error('last line not terminated by CRLF');
  return rows;
}

forEachEngine('audit routes', (getEngine) => {
  it('serves the latest checkpoint and the public keys to any signed-in user, and verifies a kept checkpoint', async () => {
    const { app, checkpoints, user, append } = await startApp(getEngine());
    const secretary = await user('sec', 'secretary');
    expect((await app.inject({ method: 'GET', url: AUDIT_API_PATHS.latestCheckpoint })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: AUDIT_API_PATHS.latestCheckpoint, headers: secretary.headers })).json()).toEqual({ checkpoint: null });
    await append([rec(1), rec(2)]);
    const cp = await checkpoints.create();
    if (!cp) throw new Error('no checkpoint');
    const latest = (await app.inject({ method: 'GET', url: AUDIT_API_PATHS.latestCheckpoint, headers: secretary.headers })).json();
    expect(latest).toEqual({ checkpoint: cp });
    const keys = (await app.inject({ method: 'GET', url: AUDIT_API_PATHS.keys, headers: secretary.headers })).json();
    expect(keys.keys).toHaveLength(1);
    expect(keys.keys[0].keyId).toBe(cp.keyId);
    const ok = await app.inject({ method: 'POST', url: AUDIT_API_PATHS.verifyCheckpoint, headers: secretary.headers, payload: cp });
    expect(ok.json()).toEqual({ valid: true });
    const bad = await app.inject({
      method: 'POST',
      url: AUDIT_API_PATHS.verifyCheckpoint,
      headers: secretary.headers,
      payload: { ...cp, sequence: 1 },
    });
    expect(bad.json()).toEqual({ valid: false, code: 'AUDIT_CHECKPOINT_SIGNATURE_INVALID' });
    const signNow = await app.inject({ method: 'POST', url: AUDIT_API_PATHS.checkpoints, headers: secretary.headers });
    expect(signNow.statusCode).toBe(403);
  });

  it('lets only the DPO search, filters and pages newest first, and records the search itself', async () => {
    const { app, log, user, append } = await startApp(getEngine());
    const dpo = await user('dpo', 'dpo');
    const admin = await user('admin', 'admin');
    await append(Array.from({ length: 12 }, (_, i) => rec(i)));
    const denied = await app.inject({ method: 'GET', url: AUDIT_API_PATHS.entries, headers: admin.headers });
    expect(denied.statusCode).toBe(403);
    expect(denied.json()).toEqual({ code: 'AUDIT_FORBIDDEN' });
    const url = `${AUDIT_API_PATHS.entries}?patientId=patient-a&userId=u-1&action=read&limit=1`;
    const first = (await app.inject({ method: 'GET', url, headers: dpo.headers })).json();
    expect(first.entries.map((e: { id: string }) => e.id)).toEqual(['r-9']);
    const second = (await app.inject({ method: 'GET', url: `${url}&before=${first.nextCursor}`, headers: dpo.headers })).json();
    expect(second.entries.map((e: { id: string }) => e.id)).toEqual(['r-3']);
    expect(second.nextCursor).toBeNull();
    const range = await app.inject({
      method: 'GET',
      url: `${AUDIT_API_PATHS.entries}?from=2026-02-10T09:00:05.000Z&to=2026-02-10T09:00:08.000Z`,
      headers: dpo.headers,
    });
    expect(range.json().entries.map((e: { id: string }) => e.id)).toEqual(['r-7', 'r-6', 'r-5']);
    const inverted = await app.inject({
      method: 'GET',
      url: `${AUDIT_API_PATHS.entries}?from=2026-02-10T09:00:08.000Z&to=2026-02-10T09:00:05.000Z`,
      headers: dpo.headers,
    });
    expect(inverted.statusCode).toBe(400);
    expect(inverted.json()).toEqual({ code: 'AUDIT_RANGE_INVALID' });
    const own = await log.search({ userId: dpo.id, action: 'search', limit: 10 });
    expect(own.entries).toHaveLength(3);
    expect(own.entries.at(-1)).toMatchObject({ source: 'server', patientId: 'patient-a', object: { collection: 'audit_log', id: 'entries' } });
  });

  it("answers who accessed a patient's record to the DPO and to a practitioner with access, to no one else", async () => {
    const { app, access, user, append } = await startApp(getEngine());
    const dpo = await user('dpo', 'dpo');
    const doctor = await user('dr.a', 'practitioner');
    const other = await user('dr.b', 'practitioner');
    const secretary = await user('sec', 'secretary');
    await access.grant(CLI_ACTOR, { userId: doctor.id, patientId: 'patient-a' });
    await append([
      rec(1, { userId: doctor.id, patientId: 'patient-a', action: 'read' }),
      rec(2, { userId: doctor.id, patientId: 'patient-a', action: 'update' }),
      rec(3, { userId: other.id, patientId: 'patient-a', action: 'break_glass', reason: 'Urgence vitale' }),
      rec(4, { userId: other.id, patientId: 'patient-b' }),
    ]);
    const url = AUDIT_API_PATHS.patientAccesses.replace(':patientId', 'patient-a');
    for (const [who, status] of [
      [dpo, 200],
      [doctor, 200],
      [other, 403],
      [secretary, 403],
    ] as const) {
      expect((await app.inject({ method: 'GET', url, headers: who.headers })).statusCode, who.id).toBe(status);
    }
    const report = (await app.inject({ method: 'GET', url: `${url}?from=2026-02-01T00:00:00.000Z`, headers: doctor.headers })).json();
    expect(report.patientId).toBe('patient-a');
    // The grant is there (who was given access); the DPO's and the doctor's own reports are not.
    expect(report.accesses.map((a: { action: string }) => a.action)).toEqual(['break_glass', 'update', 'read', 'grant']);
    expect(report.accesses[0]).toMatchObject({ userId: other.id, role: 'practitioner', reason: 'Urgence vitale', instant: rec(3).instant });
    // Newest last access first: the grant was recorded "now", after the February reads.
    expect(report.users).toEqual([
      { userId: CLI_ACTOR.userId, role: 'system', actions: ['grant'], count: 1, first: new Date(now).toISOString(), last: new Date(now).toISOString() },
      { userId: other.id, username: 'dr.b', displayName: 'dr.b', role: 'practitioner', actions: ['break_glass'], count: 1, first: rec(3).instant, last: rec(3).instant },
      { userId: doctor.id, username: 'dr.a', displayName: 'dr.a', role: 'practitioner', actions: ['read', 'update'], count: 2, first: rec(1).instant, last: rec(2).instant },
    ]);
  });

  it('exports a range as streamed RFC 4180 CSV, UTF-8 with BOM, quoting what needs it', async () => {
    const { app, user, append } = await startApp(getEngine());
    const dpo = await user('dpo', 'dpo');
    const reason = 'Appel du SAMU, "urgent",\r\nrappeler =SOMME(A1) — é';
    await append([
      ...Array.from({ length: 450 }, (_, i) => rec(i)),
      rec(1000, { reason, action: 'break_glass', instant: '2026-02-10T09:30:00.000Z', patientId: 'patient-a' }),
      rec(1001, { reason: '=HYPERLINK("http://x")', instant: '2026-02-10T09:31:00.000Z' }),
    ]);
    const from = '2026-02-10T09:00:00.000Z';
    const to = '2026-02-10T10:00:00.000Z';
    const res = await app.inject({ method: 'GET', url: `${AUDIT_API_PATHS.export}?from=${from}&to=${to}`, headers: dpo.headers });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="audit-2026-02-10-2026-02-10.csv"');
    expect(res.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const text = res.rawPayload.toString('utf8');
    expect(text.startsWith(CSV_BOM)).toBe(true);
    const rows = parseCsv(text.slice(1));
    expect(rows[0]?.slice(0, 3)).toEqual(['sequence', 'instant', 'received_at']);
    // 450 rows at 09:00:00–09:07:29 plus the two at 09:30 and 09:31; none of the DPO's own events (instant 10:00) fall in.
    expect(rows).toHaveLength(1 + 452);
    expect(rows.every((r) => r.length === CSV_COLUMNS.length && CSV_COLUMNS.length === 18)).toBe(true);
    const special = rows.find((r) => r[7] === 'break_glass');
    expect(special?.[12]).toBe(reason);
    expect(rows.find((r) => r[12]?.includes('HYPERLINK'))?.[12]).toBe(`'=HYPERLINK("http://x")`);
    const filtered = await app.inject({
      method: 'GET',
      url: `${AUDIT_API_PATHS.export}?from=${from}&to=${to}&patientId=patient-a`,
      headers: dpo.headers,
    });
    const filteredRows = parseCsv(filtered.rawPayload.toString('utf8').slice(1));
    expect(filteredRows.slice(1).every((r) => r[8] === 'patient-a')).toBe(true);
    expect(filteredRows).toHaveLength(1 + 150 + 1);
    const practitioner = await user('dr', 'practitioner');
    expect((await app.inject({ method: 'GET', url: `${AUDIT_API_PATHS.export}?from=${from}&to=${to}`, headers: practitioner.headers })).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: `${AUDIT_API_PATHS.export}?from=${from}`, headers: dpo.headers })).statusCode).toBe(400);
  });

  it('verifies the whole chain for the DPO', async () => {
    const { app, checkpoints, user, append } = await startApp(getEngine());
    const dpo = await user('dpo', 'dpo');
    await append([rec(1), rec(2), rec(3)]);
    now += 1000;
    await checkpoints.create();
    const res = (await app.inject({ method: 'GET', url: AUDIT_API_PATHS.verify, headers: dpo.headers })).json();
    expect(res).toMatchObject({ valid: true, checkpointsChecked: 1 });
    expect(res.head.sequence).toBeGreaterThanOrEqual(3);
  });
});
