import pg from 'pg';
import type { Engine, Queryable, Row, SqlValue, TransactionOptions } from './engine';
import { appliedMigrationsComplete } from './migrate';

export type PostgresEngineOptions = {
  readonly connectionString: string;
  /** Every connection works in this schema (search_path), so tests can use a throwaway one. */
  readonly schema: string;
  readonly maxConnections?: number;
};

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,40}$/;

/** BIGINT (20) and COUNT results come back as numbers: sequences stay far below 2^53. */
const types = {
  getTypeParser: ((oid: number, format?: string) => {
    if (oid === 20) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format as 'text');
  }) as typeof pg.types.getTypeParser,
};

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function toParams(params: readonly SqlValue[] | undefined): unknown[] {
  return (params ?? []).map((value) => (value instanceof Uint8Array && !Buffer.isBuffer(value) ? Buffer.from(value) : value));
}

type Listener = (payload: string) => void;

/**
 * The production engine: a `pg` pool whose connections all use one schema. Notifications
 * go through NOTIFY inside the writer's transaction (delivered by PostgreSQL on commit)
 * and one dedicated LISTEN connection per engine; channel names carry the schema so two
 * schemas on one database never hear each other.
 */
export class PostgresEngine implements Engine {
  readonly kind = 'postgres' as const;
  readonly schema: string;
  private readonly pool: pg.Pool;
  private readonly connectionString: string;
  private listenClient: pg.Client | undefined;
  private listenClientPromise: Promise<pg.Client> | undefined;
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly lostHandlers = new Set<() => void>();
  private closed = false;

  constructor(options: PostgresEngineOptions) {
    if (!SCHEMA_NAME.test(options.schema)) throw new Error(`invalid schema name: ${options.schema}`);
    this.schema = options.schema;
    this.connectionString = options.connectionString;
    this.pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.maxConnections ?? 10,
      options: `-c search_path=${options.schema}`,
      types,
    });
    // An idle client losing its connection must not crash the process; the pool replaces it.
    this.pool.on('error', () => undefined);
  }

  async init(): Promise<void> {
    await this.pool.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(this.schema)}`).catch((error: unknown) => {
      // Two instances creating the schema at once: the loser sees a unique violation.
      if ((error as { code?: string }).code !== '23505') throw error;
    });
  }

  private channelName(channel: string): string {
    return `${this.schema}.${channel}`;
  }

  async query<R extends Row = Row>(sql: string, params?: readonly SqlValue[]): Promise<R[]> {
    const result = await this.pool.query(sql, toParams(params));
    return result.rows as R[];
  }

  async execute(sql: string, params?: readonly SqlValue[]): Promise<number> {
    const result = await this.pool.query(sql, toParams(params));
    return result.rowCount ?? 0;
  }

  async transaction<T>(work: (tx: Queryable) => Promise<T>, options?: TransactionOptions): Promise<T> {
    const client = await this.pool.connect();
    let active = true;
    const guard = () => {
      if (!active) throw new Error('transaction already finished');
    };
    const tx: Queryable = {
      kind: 'postgres',
      query: async <R extends Row = Row>(sql: string, params?: readonly SqlValue[]) => {
        guard();
        return (await client.query(sql, toParams(params))).rows as R[];
      },
      execute: async (sql: string, params?: readonly SqlValue[]) => {
        guard();
        return (await client.query(sql, toParams(params))).rowCount ?? 0;
      },
    };
    let broken = false;
    try {
      await client.query('BEGIN');
      if (options?.lock) {
        await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`${this.schema}:${options.lock}`]);
      }
      const result = await work(tx);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw error;
    } finally {
      active = false;
      client.release(broken);
    }
  }

  private async ensureListenClient(): Promise<pg.Client> {
    if (this.listenClient) return this.listenClient;
    if (!this.listenClientPromise) {
      this.listenClientPromise = (async () => {
        const client = new pg.Client({ connectionString: this.connectionString });
        client.on('notification', (message) => {
          const set = this.listeners.get(message.channel);
          if (!set) return;
          for (const listener of [...set]) {
            try {
              listener(message.payload ?? '');
            } catch {
              // One listener's failure must not stop the others.
            }
          }
        });
        const lost = () => {
          if (this.listenClient !== client) return;
          // The connection is gone: open a new one, re-subscribe, and tell the listeners
          // that notifications sent meanwhile are lost.
          this.listenClient = undefined;
          this.listenClientPromise = undefined;
          if (this.closed) return;
          for (const handler of [...this.lostHandlers]) {
            try {
              handler();
            } catch {
              // One handler's failure must not stop the others.
            }
          }
          void this.resubscribe();
        };
        client.on('error', lost);
        client.on('end', lost);
        await client.connect();
        this.listenClient = client;
        return client;
      })();
      this.listenClientPromise.catch(() => {
        this.listenClientPromise = undefined;
      });
    }
    return this.listenClientPromise;
  }

  private async resubscribe(): Promise<void> {
    const channels = [...this.listeners.keys()];
    if (channels.length === 0) return;
    for (let attempt = 0; attempt < 20 && !this.closed; attempt += 1) {
      try {
        const client = await this.ensureListenClient();
        for (const channel of channels) await client.query(`LISTEN ${quoteIdent(channel)}`);
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 100 * 2 ** attempt)));
      }
    }
  }

  async listen(channel: string, handler: (payload: string) => void): Promise<() => Promise<void>> {
    const name = this.channelName(channel);
    let set = this.listeners.get(name);
    if (!set) {
      set = new Set();
      this.listeners.set(name, set);
      const client = await this.ensureListenClient();
      await client.query(`LISTEN ${quoteIdent(name)}`);
    }
    set.add(handler);
    return async () => {
      const current = this.listeners.get(name);
      if (!current) return;
      current.delete(handler);
      if (current.size === 0) {
        this.listeners.delete(name);
        if (this.listenClient && !this.closed) await this.listenClient.query(`UNLISTEN ${quoteIdent(name)}`).catch(() => undefined);
      }
    };
  }

  onNotificationsLost(handler: () => void): () => void {
    this.lostHandlers.add(handler);
    return () => {
      this.lostHandlers.delete(handler);
    };
  }

  /** The backend pid of the LISTEN connection (tests terminate it to simulate a network cut). */
  async listenerPid(): Promise<number | undefined> {
    const client = this.listenClient;
    if (!client) return undefined;
    const [row] = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows;
    return row?.pid;
  }

  async notify(tx: Queryable, channel: string, payload: string): Promise<void> {
    await tx.execute('SELECT pg_notify($1, $2)', [this.channelName(channel), payload]);
  }

  async ready(): Promise<boolean> {
    if (this.closed) return false;
    try {
      return await appliedMigrationsComplete(this);
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.listeners.clear();
    const client = this.listenClient ?? (await this.listenClientPromise?.catch(() => undefined));
    this.listenClient = undefined;
    await client?.end().catch(() => undefined);
    await this.pool.end();
  }

  /** Drops the schema and everything in it (tests only). */
  async dropSchema(): Promise<void> {
    await this.pool.query(`DROP SCHEMA IF EXISTS ${quoteIdent(this.schema)} CASCADE`);
  }
}

export async function openPostgresEngine(options: PostgresEngineOptions): Promise<PostgresEngine> {
  const engine = new PostgresEngine(options);
  try {
    await engine.init();
  } catch (error) {
    await engine.close().catch(() => undefined);
    throw error;
  }
  return engine;
}
