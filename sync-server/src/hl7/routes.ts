import { randomUUID } from 'node:crypto';
import type { FastifyInstance, preHandlerAsyncHookHandler } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AppError } from '../../../shared/src/errors';
import type { Hl7InboxItem } from '../../../shared/src/sync/hl7-protocol';
import {
  HL7_INBOX_ENDPOINTS,
  Hl7InboxItemSchema,
  Hl7InboxListSchema,
  Hl7InboxParamsSchema,
} from '../../../shared/src/sync/hl7-protocol';
import { ErrorResponseSchema } from '../../../shared/src/sync/protocol';
import { requirePrincipal, requireRole } from '../auth/authenticate';
import type { Engine } from '../db/engine';
import type { AuditLog, Clock, Principal } from '../types';

export const HL7_ERROR_STATUS: Readonly<Record<string, number>> = {
  HL7_QUARANTINE_NOT_FOUND: 404,
  HL7_QUARANTINE_RESOLVED: 409,
};

export function hl7ErrorStatus(code: string): number | undefined {
  return HL7_ERROR_STATUS[code];
}

type Row = {
  id: string;
  received_at: string;
  message_type: string;
  control_id: string;
  status: Hl7InboxItem['status'];
  reason_code: string;
  reason_params: string | null;
  raw: string;
};

function itemOf(row: Row): Hl7InboxItem {
  let params: Record<string, string | number> | undefined;
  try {
    params =
      row.reason_params === null
        ? undefined
        : (JSON.parse(row.reason_params) as Record<string, string | number>);
  } catch {
    params = undefined;
  }
  return {
    id: row.id,
    receivedAt: row.received_at,
    messageType: row.message_type,
    controlId: row.control_id,
    status: row.status,
    reasonCode: row.reason_code,
    ...(params === undefined ? {} : { reasonParams: params }),
    rawBase64: row.raw,
  };
}

/**
 * The lab feed's inbox for people: a practitioner lists the open messages (quarantined or
 * unreadable) and claims one into their workstation's quarantine list, where they attach
 * it to a patient after checking (the observations then replicate with that user's write
 * rights) or reject it. A claimed message is `attached` here and leaves the list; the
 * claim and every listing are server events of the audit chain.
 */
export function registerHl7Routes(
  app: FastifyInstance,
  deps: {
    readonly engine: Engine;
    readonly audit: AuditLog;
    readonly clock: Clock;
    readonly authenticate: preHandlerAsyncHookHandler;
  },
): void {
  const { engine, audit, clock } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const practitioner = [deps.authenticate, requireRole('practitioner')];
  const errors = {
    401: ErrorResponseSchema,
    403: ErrorResponseSchema,
    404: ErrorResponseSchema,
    409: ErrorResponseSchema,
  };
  const tags = ['hl7'];
  const event = (p: Principal, action: string, id: string, details: Record<string, string | number>) => ({
    id: randomUUID(),
    source: 'server' as const,
    userId: p.userId,
    role: p.role,
    workstation: p.workstationId,
    action,
    object: { collection: 'hl7_inbox', id },
    instant: new Date(clock()).toISOString(),
    outcome: 'success' as const,
    details,
  });

  r.get(
    HL7_INBOX_ENDPOINTS.list,
    { preHandler: practitioner, schema: { tags, response: { 200: Hl7InboxListSchema, ...errors } } },
    async (request) => {
      const principal = requirePrincipal(request);
      return engine.transaction(async (tx) => {
        const rows = await tx.query<Row>(
          "SELECT id, received_at, message_type, control_id, status, reason_code, reason_params, raw FROM hl7_inbox WHERE status IN ('quarantined', 'rejected') ORDER BY received_at, id LIMIT 500",
        );
        await audit.append(tx, [event(principal, 'read', 'list', { count: rows.length })]);
        return { items: rows.map(itemOf) };
      });
    },
  );

  r.post(
    HL7_INBOX_ENDPOINTS.claim,
    {
      preHandler: practitioner,
      schema: { tags, params: Hl7InboxParamsSchema, response: { 200: Hl7InboxItemSchema, ...errors } },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      return engine.transaction(async (tx) => {
        const [row] = await tx.query<Row>(
          'SELECT id, received_at, message_type, control_id, status, reason_code, reason_params, raw FROM hl7_inbox WHERE id = $1',
          [request.params.id],
        );
        if (row === undefined) throw new AppError('HL7_QUARANTINE_NOT_FOUND');
        if (row.status !== 'quarantined' && row.status !== 'rejected')
          throw new AppError('HL7_QUARANTINE_RESOLVED');
        await tx.execute("UPDATE hl7_inbox SET status = 'attached' WHERE id = $1", [row.id]);
        await audit.append(tx, [event(principal, 'import', row.id, { code: row.reason_code })]);
        return itemOf(row);
      });
    },
  );
}
