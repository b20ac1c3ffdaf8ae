import canonicalize from 'canonicalize';
import { createHash } from 'node:crypto';
import type { AuditEvent, CollectionName, DataClass } from '../../../shared/src/schemas';
import { COLLECTIONS, dataClassOf, parseReplicatedDocument } from '../../../shared/src/schemas';
import { checkInsOidAllowed } from '../../../shared/src/identity/ins-vigilance';
import type { PushRow, RejectedRow, ReplicationCheckpoint, WireDocument } from '../../../shared/src/sync/protocol';
import type { Engine, Queryable, SqlValue } from '../db/engine';
import { toBoolean } from '../db/engine';
import type { AccessService, AuditLog, AuditRecord, Clock, Principal, ReadScope } from '../types';

/** Channel of committed pushes: payload `{ collection, from, to }` (sequence range, inclusive). */
export const REPLICATION_CHANNEL = 'replication';
/** Channel the access module notifies when a user's grants change: payload `{ userId }`. */
export const ACCESS_CHANNEL = 'access';

export type ChangeNotice = {
  readonly collection: CollectionName;
  readonly from: number;
  readonly to: number;
  /** Wall-clock ms at commit time, for the propagation lag metric. */
  readonly at?: number;
};

/** The audit module as the push route needs it: the chain plus ingestion of workstation events. */
export type ReplicationAudit = AuditLog & {
  ingestWorkstationEvents(
    tx: Queryable,
    principal: Principal,
    events: readonly AuditEvent[],
  ): Promise<{ readonly appended: number; readonly rejected: readonly { readonly id: string; readonly code: string }[] }>;
};

export type ReplicationDeps = {
  readonly engine: Engine;
  readonly access: AccessService;
  readonly audit: ReplicationAudit;
  readonly clock: Clock;
  /** INS test mode: pushed patients may carry the test and demo INS OIDs (refused otherwise: INS_TEST_OID_REFUSED). */
  readonly insTestMode?: boolean;
};

type DocumentRow = { sequence: number; data: string; deleted: unknown; patient_id: string | null; data_class: string };

const UNDERSCORE_TRANSPORT_FIELDS = ['_meta', '_rev', '_attachments'] as const;

/** A document as the wire carries it, minus transport fields RxDB may add; canonical for comparisons. */
function withoutTransportFields(doc: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(doc).filter(([key]) => !(UNDERSCORE_TRANSPORT_FIELDS as readonly string[]).includes(key)),
  );
}

function comparable(doc: WireDocument | Record<string, unknown>): string {
  return canonicalize({ ...withoutTransportFields(doc), _deleted: doc._deleted === true }) ?? '';
}

export function wireDocument(row: Pick<DocumentRow, 'data' | 'deleted'>): WireDocument {
  const body = JSON.parse(row.data) as Record<string, unknown>;
  return { ...body, _deleted: toBoolean(row.deleted) } as WireDocument;
}

/** A PostgreSQL text[] literal: every element quoted, `"` and `\` escaped. */
function postgresTextArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
}

export type PullResult = { readonly documents: WireDocument[]; readonly checkpoint: ReplicationCheckpoint; readonly patientIds: string[] };

/** What readDocumentRows found: the stored rows, not yet turned into wire documents. */
export type PullRows = {
  readonly rows: readonly Pick<DocumentRow, 'data' | 'deleted'>[];
  readonly checkpoint: ReplicationCheckpoint;
  readonly patientIds: string[];
};

/**
 * One wire document as JSON text, from its stored row without parsing it: the stored
 * `data` is the canonical JSON object of the document's fields (written by pushRows after
 * the collection's schema accepted it), without `_deleted`, so the wire form is that
 * object with `"_deleted"` added as its last member: the text JSON.stringify gives for
 * wireDocument(row). A row whose text is not such an object, or that mentions
 * `"_deleted":` anywhere, goes the parsing way.
 */
export function wireDocumentJson(row: Pick<DocumentRow, 'data' | 'deleted'>): string {
  const data = row.data;
  const deleted = toBoolean(row.deleted) ? 'true' : 'false';
  if (data.length >= 2 && data.charCodeAt(0) === 0x7b && data.charCodeAt(data.length - 1) === 0x7d && !data.includes('"_deleted":')) {
    return data.length === 2 ? `{"_deleted":${deleted}}` : `${data.slice(0, -1)},"_deleted":${deleted}}`;
  }
  return JSON.stringify(wireDocument(row));
}

/**
 * The body of a pull answer (PullResponse) as JSON text, built from the stored rows
 * without parsing and re-serialising each document: an initial sync moves tens of
 * thousands of them, and JSON.parse, the response schema's copy of every document and
 * JSON.stringify cost the server more than reading them.
 */
export function pullResponseJson(read: PullRows): string {
  let out = '{"documents":[';
  for (let i = 0; i < read.rows.length; i++) {
    if (i > 0) out += ',';
    out += wireDocumentJson(read.rows[i] as Pick<DocumentRow, 'data' | 'deleted'>);
  }
  return `${out}],"checkpoint":{"sequence":${JSON.stringify(read.checkpoint.sequence)}}}`;
}

/** Documents of a collection after a sequence, filtered in SQL by what the principal may read. */
export async function readDocuments(
  q: Queryable,
  principal: Principal,
  scope: ReadScope,
  collection: CollectionName,
  range: { readonly after: number; readonly upTo?: number; readonly limit: number },
  nowIso: string,
): Promise<PullResult> {
  const read = await readDocumentRows(q, principal, scope, collection, range, nowIso);
  return { documents: read.rows.map(wireDocument), checkpoint: read.checkpoint, patientIds: read.patientIds };
}

/** readDocuments without turning the rows into wire documents. */
export async function readDocumentRows(
  q: Queryable,
  principal: Principal,
  scope: ReadScope,
  collection: CollectionName,
  range: { readonly after: number; readonly upTo?: number; readonly limit: number },
  nowIso: string,
): Promise<PullRows> {
  if (scope.dataClasses.length === 0) return { rows: [], checkpoint: { sequence: range.after }, patientIds: [] };
  // The read scope, filtered in SQL. For 'granted', the patients of the access module's
  // view are read first, once, and the documents query gets them as one parameter: written
  // as `patient_id IN (SELECT … FROM effective_patient_access …)`, PostgreSQL with stale
  // statistics (grants created since the last ANALYZE) planned a nested loop running the
  // whole view once per document row (half a second for a practitioner's pull of a few
  // thousand documents); given an array it knows its size and tests it by hash. The
  // instant is a parameter because the server's clock is injected (tests move it).
  const params: SqlValue[] = [];
  let grantedFilter: string | undefined;
  let grantedParam: SqlValue = null;
  if (scope.patients === 'granted') {
    const granted = await q.query<{ patient_id: string }>(
      `SELECT DISTINCT patient_id FROM effective_patient_access
       WHERE user_id = $1 AND (valid_until IS NULL OR valid_until > $2)`,
      [principal.userId, nowIso],
    );
    if (granted.length === 0) return { rows: [], checkpoint: { sequence: range.after }, patientIds: [] };
    const ids = granted.map((g) => g.patient_id);
    grantedFilter =
      q.kind === 'postgres'
        ? 'patient_id = ANY($GRANTED::text[])'
        : 'patient_id IN (SELECT value FROM json_each($GRANTED))';
    grantedParam = q.kind === 'postgres' ? postgresTextArray(ids) : JSON.stringify(ids);
  }
  params.push(collection, range.after);
  const where = [`collection = $${params.length - 1}`, `sequence > $${params.length}`];
  if (range.upTo !== undefined) {
    params.push(range.upTo);
    where.push(`sequence <= $${params.length}`);
  }
  const classes = scope.dataClasses.map((dataClass) => {
    params.push(dataClass);
    return `$${params.length}`;
  });
  where.push(`data_class IN (${classes.join(', ')})`);
  if (grantedFilter !== undefined) {
    params.push(grantedParam);
    where.push(grantedFilter.replace('$GRANTED', `$${params.length}`));
  }
  params.push(range.limit);
  const rows = await q.query<Pick<DocumentRow, 'sequence' | 'data' | 'deleted' | 'patient_id'>>(
    `SELECT sequence, data, deleted, patient_id FROM documents
     WHERE ${where.join(' AND ')}
     ORDER BY sequence LIMIT $${params.length}`,
    params,
  );
  const last = rows[rows.length - 1];
  const patientIds = [...new Set(rows.map((r) => r.patient_id).filter((p): p is string => p !== null))];
  return {
    rows,
    // PostgreSQL's BIGINT may come back as text.
    checkpoint: { sequence: last ? Number(last.sequence) : range.after },
    patientIds,
  };
}

function patientIdOf(collection: CollectionName, doc: Record<string, unknown>): string | undefined {
  if (collection === 'patient') return typeof doc.id === 'string' ? doc.id : undefined;
  return typeof doc.patientId === 'string' ? doc.patientId : undefined;
}

/**
 * The id of a refusal record: derived from the workstation and what was refused, so a
 * retried push (same row, same state) records its refusal once, and another state of the
 * same document refused later is recorded again.
 */
export function refusalId(principal: Principal, collection: CollectionName, row: Record<string, unknown>): string {
  const id = typeof row.id === 'string' ? row.id : '';
  if (collection === 'audit_event') return `refused:${principal.workstationId}:${id}`.slice(0, 200);
  const state = createHash('sha256').update(canonicalize(row) ?? '').digest('hex').slice(0, 16);
  return `refused:${principal.workstationId}:${collection}:${id.slice(0, 100)}:${state}`;
}

function serverRecord(
  principal: Principal,
  clock: Clock,
  id: string,
  fields: Pick<AuditRecord, 'action' | 'outcome'> & Partial<Pick<AuditRecord, 'patientId' | 'object' | 'details' | 'reason'>>,
): AuditRecord {
  return {
    id,
    source: 'server',
    userId: principal.userId,
    role: principal.role,
    workstation: principal.workstationId,
    instant: new Date(clock()).toISOString(),
    ...fields,
  };
}

export type PushResult = {
  readonly conflicts: WireDocument[];
  readonly rejected: RejectedRow[];
  readonly written: number;
};

/**
 * One push batch in one transaction holding the 'replication' lock (then the audit
 * module takes 'audit': that is the lock order). Per row: envelope checks, schema,
 * access (before the conflict check, so a conflict never shows a document to someone who
 * may not write it), then the conflict check against the stored state, then the write
 * with the next sequence. Rows are independent: a rejected row does not stop the others.
 * Refused rows are recorded in the audit log; accepted writes are not recorded again here,
 * the workstation's own audit events (pushed in audit_event) already say who changed what.
 */
export async function pushRows(
  deps: ReplicationDeps,
  principal: Principal,
  collection: CollectionName,
  rows: readonly PushRow[],
): Promise<PushResult> {
  const { engine, access, audit, clock } = deps;
  if (COLLECTIONS[collection].pushOnly) return pushAuditEvents(deps, principal, rows);
  return engine.transaction(
    async (tx) => {
      const nowIso = new Date(clock()).toISOString();
      const conflicts: WireDocument[] = [];
      const rejected: RejectedRow[] = [];
      const auditRecords: AuditRecord[] = [];
      const seen = new Set<string>();
      let nextSequence: number | undefined;
      let firstWritten: number | undefined;
      let lastWritten: number | undefined;

      const reject = (id: string, code: string, patientId: string | undefined, state: Record<string, unknown>) => {
        rejected.push({ id, code });
        auditRecords.push(
          serverRecord(principal, clock, refusalId(principal, collection, state), {
            action: 'update',
            outcome: 'denied',
            object: { collection, id },
            ...(patientId !== undefined ? { patientId } : {}),
            details: { code },
          }),
        );
      };

      const currents = new Map<string, DocumentRow & { id: string }>();
      const ids = [...new Set(rows.map((r) => r.newDocumentState.id))];
      for (let i = 0; i < ids.length; i += 500) {
        const chunk = ids.slice(i, i + 500);
        const found = await tx.query<DocumentRow & { id: string }>(
          `SELECT id, sequence, data, deleted, patient_id, data_class FROM documents
           WHERE collection = $1 AND id IN (${chunk.map((_, k) => `$${k + 2}`).join(', ')})`,
          [collection, ...chunk],
        );
        for (const row of found) currents.set(row.id, row);
      }
      const writes: SqlValue[][] = [];

      for (const row of rows) {
        const id = row.newDocumentState.id;
        const incoming = row.newDocumentState as Record<string, unknown>;
        const claimedPatient = patientIdOf(collection, incoming);
        if (seen.has(id)) {
          reject(id, 'SYNC_DUPLICATE_ROW', claimedPatient, incoming);
          continue;
        }
        seen.add(id);
        if (row.assumedMasterState && row.assumedMasterState.id !== id) {
          reject(id, 'SYNC_ID_MISMATCH', claimedPatient, incoming);
          continue;
        }
        const parsed = parseReplicatedDocument(collection, incoming);
        if (!parsed.ok) {
          reject(id, parsed.error.code, claimedPatient, incoming);
          continue;
        }
        if (collection === 'patient') {
          const oid = checkInsOidAllowed((parsed.value.doc as { ins?: { oid: string } }).ins, { testMode: deps.insTestMode === true });
          if (!oid.ok) {
            reject(id, oid.code, claimedPatient, incoming);
            continue;
          }
        }
        const patientId = patientIdOf(collection, parsed.value.doc as Record<string, unknown>);
        const dataClass: DataClass = dataClassOf(collection, parsed.value.doc);
        const current = currents.get(id);
        const decision = await access.canWrite(tx, principal, collection, { id, patientId, dataClass });
        if (!decision.allowed) {
          reject(id, decision.code, patientId, incoming);
          continue;
        }
        if (current) {
          if ((current.patient_id ?? undefined) !== patientId) {
            reject(id, 'SYNC_PATIENT_CHANGED', patientId, incoming);
            continue;
          }
          // Changing a document's class (an administrative document made clinical, or the
          // reverse) needs the right to write what it was as well as what it becomes.
          if (current.data_class !== dataClass) {
            const before = await access.canWrite(tx, principal, collection, {
              id,
              patientId,
              dataClass: current.data_class as DataClass,
            });
            if (!before.allowed) {
              reject(id, before.code, patientId, incoming);
              continue;
            }
          }
        }
        const master = current ? wireDocument(current) : null;
        // The stored state is already this one: a retried or duplicated push that landed
        // before (its answer lost). Idempotent success, not a conflict: nothing to merge,
        // and no new sequence for a document that did not change.
        if (master && comparable(incoming) === comparable(master)) continue;
        const assumed = row.assumedMasterState ?? null;
        const isConflict = master
          ? assumed === null || comparable(assumed) !== comparable(master)
          : false;
        if (isConflict && master) {
          conflicts.push(master);
          continue;
        }
        const { _deleted: _ignored, ...rest } = incoming;
        const body = withoutTransportFields(rest);
        if (nextSequence === undefined) {
          const [max] = await tx.query<{ m: number | null }>('SELECT MAX(sequence) AS m FROM documents');
          nextSequence = (max?.m ?? 0) + 1;
        }
        const sequence = nextSequence;
        nextSequence += 1;
        writes.push([collection, id, sequence, patientId ?? null, dataClass, parsed.value.deleted, canonicalize(body) ?? '{}', nowIso, principal.userId]);
        firstWritten ??= sequence;
        lastWritten = sequence;
      }
      // Written after every row is decided: one statement per 100 rows instead of one per row.
      for (let i = 0; i < writes.length; i += 100) {
        const chunk = writes.slice(i, i + 100);
        await tx.execute(
          `INSERT INTO documents (collection, id, sequence, patient_id, data_class, deleted, data, updated_at, updated_by)
           VALUES ${chunk.map((_, k) => `(${Array.from({ length: 9 }, (_, c) => `$${k * 9 + c + 1}`).join(', ')})`).join(', ')}
           ON CONFLICT (collection, id) DO UPDATE SET sequence = excluded.sequence, patient_id = excluded.patient_id,
             data_class = excluded.data_class, deleted = excluded.deleted, data = excluded.data,
             updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
          chunk.flat(),
        );
      }
      await audit.append(tx, auditRecords);
      if (firstWritten !== undefined && lastWritten !== undefined) {
        const notice: ChangeNotice = { collection, from: firstWritten, to: lastWritten, at: Date.now() };
        await engine.notify(tx, REPLICATION_CHANNEL, JSON.stringify(notice));
      }
      return { conflicts, rejected, written: lastWritten === undefined ? 0 : lastWritten - (firstWritten ?? 0) + 1 };
    },
    { lock: 'replication' },
  );
}

/** The push-only audit_event collection: events go to the audit chain, never to documents. */
async function pushAuditEvents(deps: ReplicationDeps, principal: Principal, rows: readonly PushRow[]): Promise<PushResult> {
  const { engine, audit, clock } = deps;
  return engine.transaction(async (tx) => {
    const rejected: RejectedRow[] = [];
    const events: AuditEvent[] = [];
    const refusals: AuditRecord[] = [];
    const seen = new Set<string>();
    for (const row of rows) {
      const id = row.newDocumentState.id;
      if (seen.has(id)) continue;
      seen.add(id);
      const parsed = parseReplicatedDocument('audit_event', row.newDocumentState);
      if (!parsed.ok) {
        rejected.push({ id, code: parsed.error.code });
        refusals.push(
          serverRecord(principal, clock, refusalId(principal, 'audit_event', row.newDocumentState as Record<string, unknown>), {
            action: 'create',
            outcome: 'denied',
            object: { collection: 'audit_event', id },
            details: { code: parsed.error.code },
          }),
        );
        continue;
      }
      events.push(parsed.value.doc);
    }
    const result = await audit.ingestWorkstationEvents(tx, principal, events);
    rejected.push(...result.rejected.map((r) => ({ id: r.id, code: r.code })));
    await audit.append(tx, refusals);
    // Audit events are immutable and never pulled back: no conflict can exist.
    return { conflicts: [], rejected, written: result.appended };
  });
}

/** Patients this user lost since a checkpoint and does not have again through another path. */
export async function readRevocations(
  q: Queryable,
  principal: Principal,
  after: number,
  nowIso: string,
  limit = 1000,
): Promise<{ patientIds: string[]; checkpoint: ReplicationCheckpoint }> {
  const rows = await q.query<{ sequence: number; patient_id: string }>(
    `SELECT sequence, patient_id FROM access_revocations
     WHERE user_id = $1 AND sequence > $2
     ORDER BY sequence LIMIT $3`,
    [principal.userId, after, limit],
  );
  const last = rows[rows.length - 1];
  const candidates = [...new Set(rows.map((r) => r.patient_id))];
  let stillGranted = new Set<string>();
  if (candidates.length > 0) {
    const placeholders = candidates.map((_, i) => `$${i + 3}`).join(', ');
    const granted = await q.query<{ patient_id: string }>(
      `SELECT DISTINCT patient_id FROM effective_patient_access
       WHERE user_id = $1 AND (valid_until IS NULL OR valid_until > $2) AND patient_id IN (${placeholders})`,
      [principal.userId, nowIso, ...candidates],
    );
    stillGranted = new Set(granted.map((g) => g.patient_id));
  }
  return {
    patientIds: candidates.filter((p) => !stillGranted.has(p)),
    checkpoint: { sequence: last ? last.sequence : after },
  };
}

/** Highest sequence written (replication lag in /metrics is measured against it). */
export async function latestSequence(q: Queryable): Promise<number> {
  const [row] = await q.query<{ m: number | null }>('SELECT MAX(sequence) AS m FROM documents');
  return row?.m ?? 0;
}
