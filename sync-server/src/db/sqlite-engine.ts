import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { EventEmitter } from 'node:events';
import { AppError } from '../../../shared/src/errors';
import type { Engine, Queryable, Row, SqlValue, TransactionOptions } from './engine';
import { appliedMigrationsComplete } from './migrate';

export type SqliteEngineOptions = {
  /** Database file; ':memory:' only for throwaway use. */
  readonly file: string;
};

/** `$1` → `@p1`: better-sqlite3 miscounts repeated numbered parameters, named ones are exact. */
function rewritePlaceholders(sql: string): string {
  return sql.replace(/\$(\d+)/g, '@p$1');
}

/**
 * When the placeholders are exactly $1, $2, … $n, each once and in that order (most
 * statements, and every multi-row INSERT), they become anonymous `?` bound from the
 * parameter array as it is: no object of named parameters built per call. Otherwise null.
 */
function positionalForm(sql: string): string | null {
  let expected = 1;
  let ordered = true;
  const text = sql.replace(/\$(\d+)/g, (_m, digits: string) => {
    if (Number(digits) !== expected) ordered = false;
    expected += 1;
    return '?';
  });
  return ordered ? text : null;
}

function positionalValue(value: SqlValue): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Uint8Array && !Buffer.isBuffer(value)) return Buffer.from(value);
  return value;
}

function positionalParams(params: readonly SqlValue[] | undefined): unknown[] {
  const values = params ?? [];
  for (const value of values) {
    if (typeof value === 'boolean' || (value instanceof Uint8Array && !Buffer.isBuffer(value))) return values.map(positionalValue);
  }
  return values as unknown[];
}

type Prepared = { readonly statement: Database.Statement; readonly positional: boolean };

function bindable(params: readonly SqlValue[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  (params ?? []).forEach((value, index) => {
    const key = `p${index + 1}`;
    if (typeof value === 'boolean') out[key] = value ? 1 : 0;
    else if (value instanceof Uint8Array && !Buffer.isBuffer(value)) out[key] = Buffer.from(value);
    else out[key] = value;
  });
  return out;
}

export const SERVER_WAL_AUTOCHECKPOINT_PAGES = 16_000;

/** One promise chain: better-sqlite3 has one connection, so an open transaction owns it until it ends. */
class Mutex {
  private tail: Promise<void> = Promise.resolve();

  async run<T>(work: () => Promise<T>): Promise<T> {
    const previous = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous;
    try {
      return await work();
    } finally {
      release();
    }
  }
}

type PendingNotification = { channel: string; payload: string };

/**
 * The embedded engine: plain SQLite (no key) in WAL mode. One process owns the file, so
 * "listen/notify" is an in-process emitter and the transaction lock is the connection itself.
 */
export class SqliteEngine implements Engine {
  readonly kind = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly mutex = new Mutex();
  private readonly emitter = new EventEmitter();
  private readonly statements = new Map<string, Prepared>();
  private closed = false;

  constructor(options: SqliteEngineOptions) {
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- the data directory comes from the operator's configuration
    if (options.file !== ':memory:') fs.mkdirSync(path.dirname(options.file), { recursive: true });
    this.db = new Database(options.file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    // Every pull appends one audit entry per patient (a thousand rows and their index
    // entries), so at SQLite's default of 1,000 pages a commit checkpointed every few pulls,
    // with an fsync, on the event loop. 16,000 pages (64 MiB) copy each hot index page back
    // once per 64 MiB of log instead: an initial sync of 50,000 patients costs the server
    // about 10% less CPU (bench:sync). The file goes back to at most 64 MiB after a checkpoint.
    this.db.pragma(`wal_autocheckpoint = ${SERVER_WAL_AUTOCHECKPOINT_PAGES}`);
    this.db.pragma(`journal_size_limit = ${SERVER_WAL_AUTOCHECKPOINT_PAGES * 4096}`);
    this.emitter.setMaxListeners(0);
  }

  /** The underlying connection, for the online backup. */
  get connection(): Database.Database {
    return this.db;
  }

  private prepare(sql: string): Prepared {
    let prepared = this.statements.get(sql);
    if (!prepared) {
      const positional = positionalForm(sql);
      prepared =
        positional === null
          ? { statement: this.db.prepare(rewritePlaceholders(sql)), positional: false }
          : { statement: this.db.prepare(positional), positional: true };
      if (this.statements.size > 500) this.statements.clear();
      this.statements.set(sql, prepared);
    }
    return prepared;
  }

  private querySync<R extends Row>(sql: string, params?: readonly SqlValue[]): R[] {
    const { statement, positional } = this.prepare(sql);
    const bound = positional ? positionalParams(params) : bindable(params);
    if (statement.reader) return statement.all(bound) as R[];
    statement.run(bound);
    return [];
  }

  private executeSync(sql: string, params?: readonly SqlValue[]): number {
    const { statement, positional } = this.prepare(sql);
    const bound = positional ? positionalParams(params) : bindable(params);
    if (statement.reader) {
      statement.all(bound);
      return 0;
    }
    return statement.run(bound).changes;
  }

  private assertOpen(): void {
    if (this.closed) throw new AppError('SYNC_DATABASE_UNAVAILABLE');
  }

  query<R extends Row = Row>(sql: string, params?: readonly SqlValue[]): Promise<R[]> {
    return this.mutex.run(async () => {
      this.assertOpen();
      return this.querySync<R>(sql, params);
    });
  }

  execute(sql: string, params?: readonly SqlValue[]): Promise<number> {
    return this.mutex.run(async () => {
      this.assertOpen();
      return this.executeSync(sql, params);
    });
  }

  transaction<T>(work: (tx: Queryable) => Promise<T>, _options?: TransactionOptions): Promise<T> {
    return this.mutex.run(async () => {
      this.assertOpen();
      const pending: PendingNotification[] = [];
      let active = true;
      const guard = () => {
        if (!active) throw new Error('transaction already finished');
      };
      const tx: Queryable & { pending: PendingNotification[] } = {
        kind: 'sqlite',
        pending,
        query: async <R extends Row = Row>(sql: string, params?: readonly SqlValue[]) => {
          guard();
          return this.querySync<R>(sql, params);
        },
        execute: async (sql: string, params?: readonly SqlValue[]) => {
          guard();
          return this.executeSync(sql, params);
        },
      };
      this.db.exec('BEGIN IMMEDIATE');
      let result: T;
      try {
        result = await work(tx);
        this.db.exec('COMMIT');
      } catch (error) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw error;
      } finally {
        active = false;
      }
      for (const n of pending) this.emitter.emit(n.channel, n.payload);
      return result;
    });
  }

  async listen(channel: string, handler: (payload: string) => void): Promise<() => Promise<void>> {
    const wrapped = (payload: string) => {
      try {
        handler(payload);
      } catch {
        // A listener's failure must not break the writer that notified.
      }
    };
    this.emitter.on(channel, wrapped);
    return async () => {
      this.emitter.off(channel, wrapped);
    };
  }

  async notify(tx: Queryable, channel: string, payload: string): Promise<void> {
    const pending = (tx as { pending?: PendingNotification[] }).pending;
    if (pending) pending.push({ channel, payload });
    // Outside a transaction the statement is already committed.
    else this.emitter.emit(channel, payload);
  }

  async ready(): Promise<boolean> {
    if (this.closed) return false;
    try {
      return await appliedMigrationsComplete(this);
    } catch {
      return false;
    }
  }

  /** Online backup to a file (consistent while the server keeps writing). */
  async backup(destination: string): Promise<void> {
    this.assertOpen();
    await this.db.backup(destination);
  }

  async close(): Promise<void> {
    await this.mutex.run(async () => {
      if (this.closed) return;
      this.closed = true;
      this.emitter.removeAllListeners();
      this.statements.clear();
      this.db.close();
    });
  }
}

export function openSqliteEngine(options: SqliteEngineOptions): SqliteEngine {
  return new SqliteEngine(options);
}
