import type { AuditEvent } from '../../../shared/src/schemas';
import type { Engine, Queryable, Row, SqlValue } from '../db/engine';
import type { AuditLog, AuditRecord, Clock, Principal } from '../types';
import type { AppendRecord, AuditEntry, ChainHead, ChainReport } from './chain';
import { chainEntries, ChainVerifier, EMPTY_HEAD } from './chain';

/**
 * Serialises appenders on the PostgreSQL advisory lock that `engine.transaction(…, { lock:
 * 'audit' })` takes (key `<schema>:audit`), so a caller that already holds it re-enters
 * it and one that does not still waits its turn. SQLite has one writer anyway.
 * LOCK ORDER: a transaction that also writes replicated documents takes 'replication'
 * first, then this one.
 */
export async function takeAuditLock(tx: Queryable): Promise<void> {
  if (tx.kind === 'postgres') {
    await tx.query("SELECT pg_advisory_xact_lock(hashtext(current_schema() || ':audit'))");
  }
}

const COLUMNS =
  'sequence, id, source, user_id, role, workstation, action, patient_id, object_collection, object_id, ' +
  'instant, received_at, outcome, reason, details, previous_hash, hash, delivered_by, server_role';

export type AuditRow = Row & {
  sequence: number | string;
  id: string;
  source: string;
  user_id: string;
  role: string;
  workstation: string;
  action: string;
  patient_id: string | null;
  object_collection: string | null;
  object_id: string | null;
  instant: string;
  received_at: string;
  outcome: string;
  reason: string | null;
  details: string | null;
  previous_hash: string;
  hash: string;
  delivered_by: string | null;
  server_role: string | null;
};

/**
 * Reads a stored row as it is, without judging it: verification must see a tampered row
 * exactly as the attacker left it, so unexpected values are kept, not normalised.
 */
export function entryFromRow(row: AuditRow): AuditEntry {
  const entry: Record<string, unknown> = {
    sequence: Number(row.sequence),
    id: row.id,
    source: row.source,
    userId: row.user_id,
    role: row.role,
    workstation: row.workstation,
    action: row.action,
    instant: row.instant,
    receivedAt: row.received_at,
    outcome: row.outcome,
    previousHash: row.previous_hash,
    hash: row.hash,
  };
  if (row.patient_id !== null) entry.patientId = row.patient_id;
  if (row.object_collection !== null || row.object_id !== null) {
    entry.object = { collection: row.object_collection ?? '', id: row.object_id ?? '' };
  }
  if (row.reason !== null) entry.reason = row.reason;
  if (row.delivered_by !== null && row.delivered_by !== undefined) entry.deliveredBy = row.delivered_by;
  if (row.server_role !== null && row.server_role !== undefined) entry.serverRole = row.server_role;
  if (row.details !== null) {
    try {
      entry.details = JSON.parse(row.details) as unknown;
    } catch {
      entry.details = { unparseable: row.details };
    }
  }
  return entry as AuditEntry;
}

function rowValues(e: AuditEntry): SqlValue[] {
  return [
    e.sequence,
    e.id,
    e.source,
    e.userId,
    e.role,
    e.workstation,
    e.action,
    e.patientId ?? null,
    e.object?.collection ?? null,
    e.object?.id ?? null,
    e.instant,
    e.receivedAt,
    e.outcome,
    e.reason ?? null,
    e.details === undefined ? null : JSON.stringify(e.details),
    e.previousHash,
    e.hash,
    e.deliveredBy ?? null,
    e.serverRole ?? null,
  ];
}

const COLUMN_COUNT = 19;
/** PostgreSQL: rows per INSERT … SELECT FROM json_to_recordset (one parameter each). */
const POSTGRES_INSERT_ROWS = 2000;
/** Ids per duplicate lookup (one JSON parameter). */
const LOOKUP_IDS = 5000;

const sqliteInsert = (rows: number): string =>
  `INSERT INTO audit_log (${COLUMNS}) VALUES ${Array.from(
    { length: rows },
    (_, r) => `(${Array.from({ length: COLUMN_COUNT }, (_, c) => `$${r * COLUMN_COUNT + c + 1}`).join(', ')})`,
  ).join(', ')}`;
const SQLITE_INSERT_ONE = sqliteInsert(1);
/** SQLite: rows per multi-row INSERT (19 parameters each, far below SQLite's limit). */
const SQLITE_INSERT_ROWS = 50;
const SQLITE_INSERT_CHUNK = sqliteInsert(SQLITE_INSERT_ROWS);

/**
 * One statement and one parameter for a whole batch: the rows travel as a JSON array of
 * objects keyed by column, each parsed once by json_populate_recordset. Far cheaper than a
 * VALUES list of thousands of placeholders, which PostgreSQL parses and plans afresh for
 * every chunk while the audit lock is held.
 */
const POSTGRES_INSERT_JSON =
  `INSERT INTO audit_log (${COLUMNS}) SELECT ${COLUMNS} FROM json_populate_recordset(NULL::audit_log, $1::json)`;

/** An entry keyed by column (the values of rowValues, named as in COLUMNS), built directly: one object per entry, no arrays. */
function columnObject(e: AuditEntry): Record<string, SqlValue> {
  return {
    sequence: e.sequence,
    id: e.id,
    source: e.source,
    user_id: e.userId,
    role: e.role,
    workstation: e.workstation,
    action: e.action,
    patient_id: e.patientId ?? null,
    object_collection: e.object?.collection ?? null,
    object_id: e.object?.id ?? null,
    instant: e.instant,
    received_at: e.receivedAt,
    outcome: e.outcome,
    reason: e.reason ?? null,
    details: e.details === undefined ? null : JSON.stringify(e.details),
    previous_hash: e.previousHash,
    hash: e.hash,
    delivered_by: e.deliveredBy ?? null,
    server_role: e.serverRole ?? null,
  };
}

/** Ids (of this batch) that the log already holds: one query, whatever the batch size. */
const LOOKUP_SQL = {
  sqlite: 'SELECT id FROM audit_log WHERE id IN (SELECT value FROM json_each($1))',
  postgres: 'SELECT id FROM audit_log WHERE id IN (SELECT json_array_elements_text($1::json))',
} as const;

async function insertEntries(tx: Queryable, entries: readonly AuditEntry[]): Promise<void> {
  if (tx.kind === 'postgres') {
    for (let i = 0; i < entries.length; i += POSTGRES_INSERT_ROWS) {
      const chunk = entries.slice(i, i + POSTGRES_INSERT_ROWS);
      await tx.execute(POSTGRES_INSERT_JSON, [JSON.stringify(chunk.map(columnObject))]);
    }
    return;
  }
  // SQLite runs in-process: no round trip, but each statement run has its cost; full
  // chunks of rows go through one cached multi-row statement, the rest one by one.
  let i = 0;
  for (; i + SQLITE_INSERT_ROWS <= entries.length; i += SQLITE_INSERT_ROWS) {
    const params: SqlValue[] = [];
    for (let k = i; k < i + SQLITE_INSERT_ROWS; k++) params.push(...rowValues(entries[k] as AuditEntry));
    await tx.execute(SQLITE_INSERT_CHUNK, params);
  }
  for (; i < entries.length; i++) await tx.execute(SQLITE_INSERT_ONE, rowValues(entries[i] as AuditEntry));
}

export async function readHead(q: Queryable): Promise<ChainHead> {
  const rows = await q.query<{ sequence: number | string; hash: string }>(
    'SELECT sequence, hash FROM audit_log ORDER BY sequence DESC LIMIT 1',
  );
  const row = rows[0];
  return row ? { sequence: Number(row.sequence), hash: row.hash } : EMPTY_HEAD;
}

export type AuditSearchQuery = {
  readonly patientId?: string;
  readonly userId?: string;
  readonly action?: string;
  /** Event instants, inclusive from, exclusive to (ISO-8601 UTC). */
  readonly from?: string;
  readonly to?: string;
  /** Leaves out entries about objects of this kind (the report on a patient leaves out reads of the audit log). */
  readonly excludeObjectCollection?: string;
  /** Keyset cursor: only entries with a smaller sequence (the `nextCursor` of the previous page). */
  readonly before?: number;
  readonly limit: number;
};

export type AuditSearchPage = { readonly entries: AuditEntry[]; readonly nextCursor: number | null };

function searchFilter(query: Omit<AuditSearchQuery, 'limit' | 'before'>): { where: string[]; params: SqlValue[] } {
  const where: string[] = [];
  const params: SqlValue[] = [];
  const add = (clause: string, value: SqlValue) => {
    params.push(value);
    where.push(clause.replace('?', `$${params.length}`));
  };
  if (query.patientId !== undefined) add('patient_id = ?', query.patientId);
  if (query.userId !== undefined) add('user_id = ?', query.userId);
  if (query.action !== undefined) add('action = ?', query.action);
  if (query.from !== undefined) add('instant >= ?', query.from);
  if (query.to !== undefined) add('instant < ?', query.to);
  if (query.excludeObjectCollection !== undefined) {
    add('(object_collection IS NULL OR object_collection <> ?)', query.excludeObjectCollection);
  }
  return { where, params };
}

export type IngestResult = {
  readonly appended: number;
  /** Events refused, with the catalogue code (AUDIT_EVENT_NOT_YOURS). */
  readonly rejected: readonly { readonly id: string; readonly code: string }[];
};

export type CentralAuditLog = AuditLog & {
  /**
   * Stores events pushed by a workstation (collection `audit_event`, parsed with the shared
   * AuditEventSchema by the push route) with source 'workstation' and the server's
   * receipt instant and the pushing user (deliveredBy), exactly once per event id. An event
   * of another workstation, or of a user who never had a session on this one, is refused
   * with AUDIT_EVENT_NOT_YOURS, and that refusal is itself recorded once. Runs inside the
   * caller's (push) transaction.
   */
  ingestWorkstationEvents(tx: Queryable, principal: Principal, events: readonly AuditEvent[]): Promise<IngestResult>;
  /** Number of entries (= head sequence, the chain is gapless), for /metrics. */
  chainLength(): Promise<number>;
  head(q?: Queryable): Promise<ChainHead>;
  /** Newest first (by sequence), paginated by keyset. */
  search(query: AuditSearchQuery): Promise<AuditSearchPage>;
  /** Entries in chain order, page by page, for exports and verification. */
  scan(query: Omit<AuditSearchQuery, 'limit' | 'before'> & { readonly pageSize?: number; readonly afterSequence?: number }): AsyncGenerator<AuditEntry>;
  /** Walks the whole chain (or up to `untilSequence`) and reports the first bad sequence. */
  verifyChain(options?: { readonly untilSequence?: number; readonly pageSize?: number }): Promise<ChainReport>;
};

export type AuditLogDeps = {
  readonly engine: Engine;
  readonly clock: Clock;
};

export function createAuditLog(deps: AuditLogDeps): CentralAuditLog {
  const { engine, clock } = deps;

  async function append(
    tx: Queryable,
    records: readonly AppendRecord[],
    options?: { readonly freshIds?: boolean },
  ): Promise<{ appended: number }> {
    if (records.length === 0) return { appended: 0 };
    await takeAuditLock(tx);
    const toAppend = options?.freshIds === true ? records : await notYetStored(tx, records);
    const entries = chainEntries(await readHead(tx), toAppend, new Date(clock()).toISOString());
    await insertEntries(tx, entries);
    return { appended: entries.length };
  }

  /** The records whose id the log does not hold yet, each once (exactly-once for retried pushes). */
  async function notYetStored(tx: Queryable, records: readonly AppendRecord[]): Promise<Iterable<AppendRecord>> {
    const unique = new Map<string, AppendRecord>();
    for (const r of records) if (!unique.has(r.id)) unique.set(r.id, r);
    const ids = [...unique.keys()];
    for (let i = 0; i < ids.length; i += LOOKUP_IDS) {
      const existing = await tx.query<{ id: string }>(LOOKUP_SQL[tx.kind], [JSON.stringify(ids.slice(i, i + LOOKUP_IDS))]);
      for (const row of existing) unique.delete(row.id);
    }
    return unique.values();
  }

  /**
   * A shared workstation carries the events of every user who worked on it, offline too,
   * and pushes them under whoever is signed in when the network returns. So an event is
   * accepted when it comes from the pushing session's own workstation and its author is a
   * user who has had a session on that workstation; the pusher is recorded as its
   * deliverer. The author's role is the one the workstation claimed; the server's own
   * knowledge of that role is kept beside it when they differ.
   */
  async function ingestWorkstationEvents(
    tx: Queryable,
    principal: Principal,
    events: readonly AuditEvent[],
  ): Promise<IngestResult> {
    const accepted: AppendRecord[] = [];
    const rejected: { id: string; code: string }[] = [];
    const refusals: AuditRecord[] = [];
    const authors = new Map<string, { role: string } | null>([[principal.userId, { role: principal.role }]]);
    const authorOn = async (userId: string): Promise<{ role: string } | null> => {
      const known = authors.get(userId);
      if (known !== undefined) return known;
      const [row] = await tx.query<{ role: string }>(
        `SELECT u.role FROM users u
          WHERE u.id = $1 AND EXISTS (SELECT 1 FROM auth_sessions s WHERE s.user_id = u.id AND s.workstation_id = $2)`,
        [userId, principal.workstationId],
      );
      const author = row ? { role: row.role } : null;
      authors.set(userId, author);
      return author;
    };
    for (const e of events) {
      const author = e.workstation === principal.workstationId ? await authorOn(e.userId) : null;
      if (author === null) {
        rejected.push({ id: e.id, code: 'AUDIT_EVENT_NOT_YOURS' });
        refusals.push({
          // Deterministic, so a retried push (by any user of this workstation) records its refusal once.
          id: `refused:${principal.workstationId}:${e.id}`.slice(0, 200),
          source: 'server',
          userId: principal.userId,
          role: principal.role,
          workstation: principal.workstationId,
          action: 'create',
          object: { collection: 'audit_event', id: e.id },
          instant: new Date(clock()).toISOString(),
          outcome: 'denied',
          details: { code: 'AUDIT_EVENT_NOT_YOURS', claimedUserId: e.userId, claimedWorkstation: e.workstation },
        });
        continue;
      }
      const record: AppendRecord = {
        id: e.id,
        source: 'workstation',
        userId: e.userId,
        role: e.role,
        workstation: e.workstation,
        action: e.action,
        instant: e.instant,
        outcome: e.outcome,
        ...(e.patientId !== undefined ? { patientId: e.patientId } : {}),
        ...(e.object !== undefined ? { object: { collection: e.object.collection, id: e.object.id } } : {}),
        ...(e.reason !== undefined ? { reason: e.reason } : {}),
        deliveredBy: principal.userId,
        ...(author.role !== e.role ? { serverRole: author.role } : {}),
      };
      accepted.push(record);
    }
    const { appended } = await append(tx, accepted);
    await append(tx, refusals);
    return { appended, rejected };
  }

  async function search(query: AuditSearchQuery): Promise<AuditSearchPage> {
    const { where, params } = searchFilter(query);
    if (query.before !== undefined) {
      params.push(query.before);
      where.push(`sequence < $${params.length}`);
    }
    params.push(query.limit + 1);
    const rows = await engine.query<AuditRow>(
      `SELECT ${COLUMNS} FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY sequence DESC LIMIT $${params.length}`,
      params,
    );
    const entries = rows.slice(0, query.limit).map(entryFromRow);
    const last = entries[entries.length - 1];
    return { entries, nextCursor: rows.length > query.limit && last ? last.sequence : null };
  }

  async function* scan(
    query: Omit<AuditSearchQuery, 'limit' | 'before'> & { readonly pageSize?: number; readonly afterSequence?: number },
  ): AsyncGenerator<AuditEntry> {
    const pageSize = query.pageSize ?? 1000;
    let after = query.afterSequence ?? 0;
    for (;;) {
      const { where, params } = searchFilter(query);
      params.push(after);
      where.push(`sequence > $${params.length}`);
      params.push(pageSize);
      const rows = await engine.query<AuditRow>(
        `SELECT ${COLUMNS} FROM audit_log WHERE ${where.join(' AND ')} ORDER BY sequence ASC LIMIT $${params.length}`,
        params,
      );
      for (const row of rows) yield entryFromRow(row);
      const last = rows[rows.length - 1];
      if (!last || rows.length < pageSize) return;
      after = Number(last.sequence);
    }
  }

  async function verifyChain(options: { untilSequence?: number; pageSize?: number } = {}): Promise<ChainReport> {
    const verifier = new ChainVerifier();
    for await (const entry of scan({ pageSize: options.pageSize ?? 2000 })) {
      if (options.untilSequence !== undefined && entry.sequence > options.untilSequence) break;
      const fault = verifier.push(entry);
      if (fault) return { ok: false, fault, lastGood: verifier.head };
    }
    if (options.untilSequence !== undefined && verifier.head.sequence < options.untilSequence) {
      // The tail was removed: the chain ends before the point the caller knows existed.
      return { ok: false, fault: { sequence: verifier.head.sequence + 1, kind: 'missing' }, lastGood: verifier.head };
    }
    return { ok: true, head: verifier.head };
  }

  return {
    append,
    ingestWorkstationEvents,
    chainLength: async () => (await readHead(engine)).sequence,
    head: (q) => readHead(q ?? engine),
    search,
    scan,
    verifyChain,
  };
}
