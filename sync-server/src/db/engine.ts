/**
 * The one database interface of the sync server, with two engines: SQLite (embedded
 * default, better-sqlite3, WAL) and PostgreSQL (production, `pg`). Every repository is
 * written once against it.
 *
 * SQL conventions, so one statement runs on both engines:
 * - placeholders are `$1`, `$2`, … (the SQLite engine rewrites them to `?1`, `?2`, …);
 * - JSON is stored as TEXT (canonical JSON written by the server), never queried inside;
 * - integers that may exceed 2^53 do not exist here: sequences are BIGINT on PostgreSQL
 *   and are returned as JS numbers by both engines;
 * - booleans are stored as INTEGER 0/1 on SQLite and BOOLEAN on PostgreSQL: compare with
 *   parameters, and read them through `toBoolean`;
 * - instants are TEXT ISO-8601 UTC strings (`toISOString()`), ordered as text;
 * - engine-specific statements (DDL, upserts, locks) branch on `engine.kind`.
 */
export type SqlValue = string | number | boolean | null | Uint8Array;
export type Row = Record<string, unknown>;

export type EngineKind = 'sqlite' | 'postgres';

export type Queryable = {
  readonly kind: EngineKind;
  /** Rows of a SELECT (or of a statement with RETURNING). */
  query<R extends Row = Row>(sql: string, params?: readonly SqlValue[]): Promise<R[]>;
  /** A statement without result rows; resolves with the number of rows it changed. */
  execute(sql: string, params?: readonly SqlValue[]): Promise<number>;
};

export type TransactionOptions = {
  /**
   * Serialise this transaction with every other one holding the same lock name (a
   * PostgreSQL transaction-level advisory lock; SQLite writers are serialised anyway).
   * Used where order matters: assigning replication sequences in commit order, and
   * appending to the audit chain.
   */
  readonly lock?: string;
};

export type Engine = Queryable & {
  /**
   * Runs `work` in one transaction: committed if it resolves, rolled back if it throws.
   * Nothing is half-written.
   */
  transaction<T>(work: (tx: Queryable) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /**
   * Live notifications between server instances sharing one database: LISTEN/NOTIFY on
   * PostgreSQL, an in-process emitter on SQLite (one process owns an SQLite file).
   * A notification is sent only when the surrounding transaction commits.
   */
  listen(channel: string, handler: (payload: string) => void): Promise<() => Promise<void>>;
  notify(tx: Queryable, channel: string, payload: string): Promise<void>;
  /**
   * Called when notifications may have been missed (the LISTEN connection dropped and was
   * re-established): whoever relies on them must catch up another way. Returns the
   * unsubscription. Optional: an in-process emitter never loses one.
   */
  onNotificationsLost?(handler: () => void): () => void;
  /** True when the database answers and every migration is applied (readiness). */
  ready(): Promise<boolean>;
  close(): Promise<void>;
};

export function toBoolean(value: unknown): boolean {
  return value === true || value === 1 || value === '1' || value === 't';
}
