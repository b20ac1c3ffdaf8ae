import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AUDIT_API_PATHS,
  AuditCheckpointSchema,
  AuditExportQuerySchema,
  AuditKeysResponseSchema,
  AuditSearchQuerySchema,
  AuditSearchResponseSchema,
  AuditVerifyResponseSchema,
  LatestCheckpointResponseSchema,
  PatientAccessParamsSchema,
  PatientAccessQuerySchema,
  PatientAccessReportSchema,
  VerifyCheckpointResponseSchema,
} from '../../../shared/src/sync/audit-protocol';
import type { PatientAccessReport } from '../../../shared/src/sync/audit-protocol';
import { ErrorResponseSchema } from '../../../shared/src/sync/protocol';
import type { Engine, Queryable } from '../db/engine';
import type { Clock, Principal } from '../types';
import type { CentralAuditLog } from './audit-log';
import type { CheckpointService } from './checkpoints';
import { csvChunks } from './csv';
import type { CheckpointSigner } from './signing';

/** HTTP status of the audit codes, for the server's error handler. */
export const AUDIT_ERROR_STATUS: Readonly<Record<string, number>> = {
  AUDIT_FORBIDDEN: 403,
  AUDIT_PATIENT_REPORT_FORBIDDEN: 403,
  AUDIT_RANGE_INVALID: 400,
  AUDIT_EVENT_NOT_YOURS: 403,
  AUDIT_LOG_APPEND_ONLY: 403,
};

export function auditErrorStatus(code: string): number | undefined {
  return AUDIT_ERROR_STATUS[code];
}

export type AuditRouteDeps = {
  readonly engine: Engine;
  readonly clock: Clock;
  readonly log: CentralAuditLog;
  readonly checkpoints: CheckpointService;
  /** This server's key: the one `GET /audit/verify` trusts for checkpoints. */
  readonly signer: CheckpointSigner;
  /** The identity module's `authenticate` preHandler (sets `request.principal`). */
  readonly authenticate: preHandlerAsyncHookHandler;
  /** The access module's check (direct grant, care team or unexpired break-the-glass). */
  readonly access: { hasPatientAccess(q: Queryable, userId: string, patientId: string): Promise<boolean> };
};

const errorResponses = { 400: ErrorResponseSchema, 401: ErrorResponseSchema, 403: ErrorResponseSchema, 500: ErrorResponseSchema };
const security = [{ bearerAuth: [] }];

function principalOf(request: FastifyRequest): Principal | undefined {
  return (request as { principal?: Principal }).principal;
}

async function refuse(reply: FastifyReply, status: number, code: string): Promise<FastifyReply> {
  await reply.code(status).send({ code });
  return reply;
}

function requireDpo(): preHandlerAsyncHookHandler {
  return async function requireDpoPreHandler(request, reply) {
    const principal = principalOf(request);
    if (!principal) return refuse(reply, 401, 'AUTH_TOKEN_MISSING');
    if (principal.role !== 'dpo') return refuse(reply, 403, 'AUDIT_FORBIDDEN');
  };
}

function rangeInvalid(range: { from?: string | undefined; to?: string | undefined }): boolean {
  return range.from !== undefined && range.to !== undefined && !(range.from < range.to);
}

const strip = <T extends Record<string, unknown>>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/**
 * Routes of the audit log. Reading the log is itself recorded (the DPO's searches and
 * exports, a practitioner's report on a patient): who looked at the audit trail is part
 * of the audit trail.
 */
export async function registerAuditRoutes(app: FastifyInstance, deps: AuditRouteDeps): Promise<void> {
  const { engine, clock, log, checkpoints, authenticate } = deps;
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const dpoOnly = [authenticate, requireDpo()];

  const recordRead = (principal: Principal, action: 'search' | 'export', what: string, extra: { patientId?: string; count?: number }) =>
    engine.transaction((tx) =>
      log.append(tx, [
        {
          id: randomUUID(),
          source: 'server',
          userId: principal.userId,
          role: principal.role,
          workstation: principal.workstationId,
          action,
          ...(extra.patientId !== undefined ? { patientId: extra.patientId } : {}),
          object: { collection: 'audit_log', id: what },
          instant: new Date(clock()).toISOString(),
          outcome: 'success',
          ...(extra.count !== undefined ? { details: { count: extra.count } } : {}),
        },
      ]),
    );

  typed.get(
    AUDIT_API_PATHS.latestCheckpoint,
    {
      preHandler: authenticate,
      schema: {
        summary: 'The latest signed checkpoint (sequence, head hash, instant) of the audit chain',
        tags: ['audit'],
        security,
        response: { 200: LatestCheckpointResponseSchema, ...errorResponses },
      },
    },
    async () => ({ checkpoint: await checkpoints.latest() }),
  );

  typed.get(
    AUDIT_API_PATHS.keys,
    {
      preHandler: authenticate,
      schema: {
        summary: 'Public keys (Ed25519, SPKI PEM) that sign audit checkpoints',
        tags: ['audit'],
        security,
        response: { 200: AuditKeysResponseSchema, ...errorResponses },
      },
    },
    async () => ({ keys: await checkpoints.publicKeys() }),
  );

  typed.post(
    AUDIT_API_PATHS.verifyCheckpoint,
    {
      preHandler: authenticate,
      schema: {
        summary: 'Is this checkpoint validly signed, and is its head still in the chain?',
        tags: ['audit'],
        security,
        body: AuditCheckpointSchema,
        response: { 200: VerifyCheckpointResponseSchema, ...errorResponses },
      },
    },
    async (request) => {
      const result = await checkpoints.verify(request.body);
      return result.ok ? { valid: true } : strip({ valid: false, code: result.code, params: result.params ? { ...result.params } : undefined });
    },
  );

  typed.post(
    AUDIT_API_PATHS.checkpoints,
    {
      preHandler: dpoOnly,
      schema: {
        summary: 'Signs the current head now (DPO)',
        tags: ['audit'],
        security,
        response: { 200: AuditCheckpointSchema, ...errorResponses },
      },
    },
    async () => {
      const cp = await checkpoints.create();
      if (!cp) throw new Error('checkpoint not created');
      return cp;
    },
  );

  typed.get(
    AUDIT_API_PATHS.entries,
    {
      preHandler: dpoOnly,
      schema: {
        summary: 'Search the audit log by patient, user, action and time range, newest first (DPO)',
        tags: ['audit'],
        security,
        querystring: AuditSearchQuerySchema,
        response: { 200: AuditSearchResponseSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const q = request.query;
      if (rangeInvalid(q)) return refuse(reply, 400, 'AUDIT_RANGE_INVALID');
      const page = await log.search(strip({ ...q }));
      await recordRead(principalOf(request) as Principal, 'search', 'entries', strip({ patientId: q.patientId, count: page.entries.length }));
      return page;
    },
  );

  typed.get(
    AUDIT_API_PATHS.patientAccesses,
    {
      preHandler: authenticate,
      schema: {
        summary: "Who accessed this patient's record: users, roles, actions, instants (DPO, or a practitioner with access to the patient)",
        tags: ['audit'],
        security,
        params: PatientAccessParamsSchema,
        querystring: PatientAccessQuerySchema,
        response: { 200: PatientAccessReportSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      if (!principal) return refuse(reply, 401, 'AUTH_TOKEN_MISSING');
      const { patientId } = request.params;
      const q = request.query;
      if (rangeInvalid(q)) return refuse(reply, 400, 'AUDIT_RANGE_INVALID');
      const allowed =
        principal.role === 'dpo' ||
        (principal.role === 'practitioner' && (await deps.access.hasPatientAccess(engine, principal.userId, patientId)));
      if (!allowed) return refuse(reply, 403, 'AUDIT_PATIENT_REPORT_FORBIDDEN');
      const report = await patientAccessReport(engine, log, patientId, q);
      await recordRead(principal, 'search', 'patient-accesses', { patientId, count: report.accesses.length });
      return report;
    },
  );

  typed.get(
    AUDIT_API_PATHS.export,
    {
      preHandler: dpoOnly,
      schema: {
        summary: 'CSV export of a time range (RFC 4180, UTF-8 with BOM), streamed (DPO)',
        tags: ['audit'],
        security,
        produces: ['text/csv'],
        querystring: AuditExportQuerySchema,
        response: { 200: z.string().describe('text/csv; charset=utf-8'), ...errorResponses },
      },
    },
    async (request, reply) => {
      const q = request.query;
      if (rangeInvalid(q)) return refuse(reply, 400, 'AUDIT_RANGE_INVALID');
      await recordRead(principalOf(request) as Principal, 'export', 'csv', strip({ patientId: q.patientId }));
      const name = `audit-${q.from.slice(0, 10)}-${q.to.slice(0, 10)}.csv`;
      // The type provider types send() from the schema's string; a stream is what Fastify pipes.
      return (reply as FastifyReply)
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${name}"`)
        .send(Readable.from(csvChunks(log.scan(strip({ from: q.from, to: q.to, patientId: q.patientId })))));
    },
  );

  typed.get(
    AUDIT_API_PATHS.verify,
    {
      preHandler: dpoOnly,
      schema: {
        summary: "Walks the whole chain and checks it against this server's signed checkpoints (DPO)",
        tags: ['audit'],
        security,
        response: { 200: AuditVerifyResponseSchema, ...errorResponses },
      },
    },
    async () => {
      const result = await checkpoints.verifyAll({ trustedKeys: new Map([[deps.signer.keyId, deps.signer.publicKeyPem]]) });
      if (result.ok) return { valid: true, head: result.head, checkpointsChecked: result.checkpointsChecked };
      return { valid: false, head: result.lastGood, firstBadSequence: result.firstBadSequence, kind: result.kind };
    },
  );
}

type UserSummaryRow = {
  user_id: string;
  role: string;
  action: string;
  n: number | string;
  first: string;
  last: string;
  username: string | null;
  display_name: string | null;
};

export async function patientAccessReport(
  engine: Engine,
  log: CentralAuditLog,
  patientId: string,
  q: { from?: string | undefined; to?: string | undefined; before?: number | undefined; limit: number },
): Promise<PatientAccessReport> {
  const params: (string | number)[] = [patientId];
  // Reading the audit trail about a patient (a report like this one) is not an access to the record.
  const where = ['a.patient_id = $1', "(a.object_collection IS NULL OR a.object_collection <> 'audit_log')"];
  if (q.from !== undefined) {
    params.push(q.from);
    where.push(`a.instant >= $${params.length}`);
  }
  if (q.to !== undefined) {
    params.push(q.to);
    where.push(`a.instant < $${params.length}`);
  }
  const summary = await engine.query<UserSummaryRow>(
    `SELECT a.user_id, a.role, a.action, COUNT(*) AS n, MIN(a.instant) AS first, MAX(a.instant) AS last,
            u.username, u.display_name
       FROM audit_log a LEFT JOIN users u ON u.id = a.user_id
      WHERE ${where.join(' AND ')}
      GROUP BY a.user_id, a.role, a.action, u.username, u.display_name`,
    params,
  );
  const users = new Map<string, PatientAccessReport['users'][number]>();
  for (const row of summary) {
    const key = `${row.user_id}\u0000${row.role}`;
    const prev = users.get(key);
    const n = Number(row.n);
    users.set(
      key,
      prev
        ? {
            ...prev,
            actions: [...prev.actions, row.action].sort(),
            count: prev.count + n,
            first: row.first < prev.first ? row.first : prev.first,
            last: row.last > prev.last ? row.last : prev.last,
          }
        : strip({
            userId: row.user_id,
            username: row.username ?? undefined,
            displayName: row.display_name ?? undefined,
            role: row.role,
            actions: [row.action],
            count: n,
            first: row.first,
            last: row.last,
          }),
    );
  }
  const page = await log.search(
    strip({ patientId, from: q.from, to: q.to, before: q.before, limit: q.limit, excludeObjectCollection: 'audit_log' }),
  );
  return {
    patientId,
    users: [...users.values()].sort((a, b) => (a.last < b.last ? 1 : a.last > b.last ? -1 : a.userId.localeCompare(b.userId))),
    accesses: page.entries.map((e) =>
      strip({
        sequence: e.sequence,
        userId: e.userId,
        role: e.role,
        workstation: e.workstation,
        action: e.action,
        instant: e.instant,
        outcome: e.outcome,
        source: e.source,
        object: e.object,
        reason: e.reason,
      }),
    ),
    nextCursor: page.nextCursor,
  };
}
