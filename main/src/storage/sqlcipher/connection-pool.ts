import { createHash, timingSafeEqual } from 'node:crypto';
import path from 'node:path';
import { AppError } from '../../../../shared/src/errors';
import type { SqlCipherDatabase } from './connection';
import { openSqlCipher } from './connection';

export type OpenSettings = {
  readonly filename: string;
  readonly key: Uint8Array;
  readonly mustExist?: boolean;
  readonly cacheKiB?: number;
};

/** Something that listens to writes on one table: every open instance of that collection. */
export type TableListener = {
  onTableWrite(event: unknown): void;
};

export type SharedConnection = {
  readonly filename: string;
  readonly db: SqlCipherDatabase;
  /** Open instances per documents table, so a write reaches every instance's change stream. */
  readonly listeners: Map<string, Set<TableListener>>;
  /** Tables dropped by remove(): the other instances of that table must stop using it. */
  readonly removedTables: Set<string>;
  /** Called after each committed write: schedules the idle checkpoint. */
  readonly committed: () => void;
  /**
   * Indexes a bulk load dropped and nobody has needed since, by documents table: index name
   * → the statement that builds it. Built when a query needs one, when the connection has
   * been idle (before its checkpoint), or at the next open (ensureTables).
   */
  readonly deferredIndexes: Map<string, Map<string, string>>;
};

type PoolEntry = SharedConnection & {
  readonly keyDigest: Buffer;
  refCount: number;
  idleCheckpoint: ReturnType<typeof setTimeout> | undefined;
};

/**
 * A connection that has committed nothing for this long copies its -wal back into the
 * database (PASSIVE: never waits for a lock). Between writes of a burst (a sync's bulk
 * writes follow each other within milliseconds) nothing happens; SQLite's own checkpoint
 * still runs at WAL_AUTOCHECKPOINT_PAGES.
 */
export const IDLE_CHECKPOINT_MS = 1_000;

/**
 * Builds the indexes a bulk load left out (of one table, or of all), one statement each
 * (SQLite sorts the keys and writes each index page once). An index that cannot be built
 * now (disk full) stays deferred: queries still answer, by scanning, and the next idle
 * moment or open tries again.
 */
export function buildDeferredIndexes(connection: SharedConnection, table?: string): void {
  for (const [name, indexes] of [...connection.deferredIndexes]) {
    if (table !== undefined && name !== table) continue;
    for (const index of [...indexes.keys()]) buildDeferredIndex(connection, name, index);
  }
}

/** Builds one deferred index of a table; false when it was not deferred (already there). */
export function buildDeferredIndex(connection: SharedConnection, table: string, index: string): boolean {
  const indexes = connection.deferredIndexes.get(table);
  const sql = indexes?.get(index);
  if (indexes === undefined || sql === undefined) return false;
  connection.db.exec(sql);
  indexes.delete(index);
  if (indexes.size === 0) connection.deferredIndexes.delete(table);
  return true;
}

function checkpointWhenIdle(entry: PoolEntry): void {
  if (entry.idleCheckpoint !== undefined) clearTimeout(entry.idleCheckpoint);
  entry.idleCheckpoint = setTimeout(() => {
    entry.idleCheckpoint = undefined;
    if (POOL.get(entry.filename) !== entry) return;
    try {
      buildDeferredIndexes(entry);
    } catch {
      // Left deferred (see buildDeferredIndexes); the checkpoint still runs.
    }
    try {
      entry.db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // A checkpoint that cannot run now (busy, I/O error) is retried by the next commit's;
      // the data is safe in the -wal meanwhile.
    }
  }, IDLE_CHECKPOINT_MS);
  // Never what keeps a process or thread alive: closing the connection checkpoints anyway.
  entry.idleCheckpoint.unref?.();
}

/**
 * One connection per file for the whole process: SQLite serialises writers per file anyway,
 * and collections of one vault must commit through the same connection so that a
 * transaction never waits on another connection's lock.
 */
const POOL = new Map<string, PoolEntry>();

function keyDigest(key: Uint8Array): Buffer {
  return createHash('sha256').update(key).digest();
}

export function acquireConnection(settings: OpenSettings): SharedConnection {
  const filename = path.resolve(settings.filename);
  const digest = keyDigest(settings.key);
  const existing = POOL.get(filename);
  if (existing) {
    // Without this check a second opener with another key would silently share the first one's access.
    if (!timingSafeEqual(existing.keyDigest, digest)) {
      throw new AppError('STORAGE_WRONG_KEY_OR_CORRUPT');
    }
    existing.refCount += 1;
    return existing;
  }
  const db = openSqlCipher(filename, {
    key: settings.key,
    ...(settings.mustExist === undefined ? {} : { mustExist: settings.mustExist }),
    ...(settings.cacheKiB === undefined ? {} : { cacheKiB: settings.cacheKiB }),
  });
  const entry: PoolEntry = {
    filename,
    db,
    keyDigest: digest,
    refCount: 1,
    listeners: new Map(),
    removedTables: new Set(),
    deferredIndexes: new Map(),
    idleCheckpoint: undefined,
    committed: () => checkpointWhenIdle(entry),
  };
  POOL.set(filename, entry);
  return entry;
}

export function releaseConnection(connection: SharedConnection): void {
  const entry = POOL.get(connection.filename);
  if (!entry || entry !== connection) return;
  entry.refCount -= 1;
  if (entry.refCount <= 0) {
    POOL.delete(entry.filename);
    if (entry.idleCheckpoint !== undefined) clearTimeout(entry.idleCheckpoint);
    entry.db.close();
  }
}

/** For tests and diagnostics: is a connection to this file currently open in this process? */
export function isConnectionOpen(filename: string): boolean {
  return POOL.has(path.resolve(filename));
}
