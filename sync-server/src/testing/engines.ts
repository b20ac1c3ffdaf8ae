import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterEach, beforeEach, describe, it } from 'vitest';
import type { Engine, EngineKind } from '../db/engine';
import { migrate } from '../db/migrate';
import { openPostgresEngine } from '../db/postgres-engine';
import { openSqliteEngine } from '../db/sqlite-engine';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Why PostgreSQL at `url` cannot be used (its error message), or undefined when it answers. */
export async function probePostgres(url: string = TEST_DATABASE_URL): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Why PostgreSQL tests cannot run here, or undefined when they can (probed once per test file). */
export const postgresUnavailable: string | undefined = await probePostgres();

/** A database that several engines (server instances) can open at once. */
export type TestDatabase = {
  readonly kind: EngineKind;
  /** A new engine on the same database (same SQLite file, same PostgreSQL schema). */
  open(): Promise<Engine>;
  /** Closes every engine it opened and removes the data. */
  destroy(): Promise<void>;
};

export async function createTestDatabase(kind: EngineKind, options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const engines: Engine[] = [];
  if (kind === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sync-engine-'));
    const file = path.join(dir, 'sync.sqlite');
    const first = openSqliteEngine({ file });
    engines.push(first);
    if (options.migrate !== false) await migrate(first);
    return {
      kind,
      // One process owns an SQLite file (in-process notifications): "another instance" is the same engine.
      async open() {
        return first;
      },
      async destroy() {
        for (const engine of engines) await engine.close().catch(() => undefined);
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const first = await openPostgresEngine({ connectionString: TEST_DATABASE_URL, schema, maxConnections: 5 });
  engines.push(first);
  if (options.migrate !== false) await migrate(first);
  let firstHanded = false;
  return {
    kind,
    async open() {
      if (!firstHanded) {
        firstHanded = true;
        return first;
      }
      const engine = await openPostgresEngine({ connectionString: TEST_DATABASE_URL, schema, maxConnections: 5 });
      engines.push(engine);
      return engine;
    },
    async destroy() {
      await first.dropSchema().catch(() => undefined);
      for (const engine of engines) await engine.close().catch(() => undefined);
    },
  };
}

export type EngineHelpers = {
  readonly kind: EngineKind;
  /** The test's database, to open a second engine on it (a second server instance). */
  database(): TestDatabase;
};

/**
 * Runs the same suite on both engines, each test on a fresh migrated database: SQLite in
 * a temp dir, PostgreSQL in a throwaway schema of TEST_DATABASE_URL. Without PostgreSQL
 * the PostgreSQL half is skipped with the reason, except under CI=true where it fails.
 */
export function forEachEngine(
  name: string,
  body: (getEngine: () => Engine, helpers: EngineHelpers) => void,
  options: { migrate?: boolean } = {},
): void {
  for (const kind of ['sqlite', 'postgres'] as const) {
    const unavailable = kind === 'postgres' ? postgresUnavailable : undefined;
    if (unavailable !== undefined && process.env.CI !== 'true') {
      describe.skip(`${name} [postgres: skipped, no PostgreSQL at ${TEST_DATABASE_URL}: ${unavailable}]`, () => {
        it('needs PostgreSQL', () => undefined);
      });
      console.warn(`[${name}] PostgreSQL tests skipped: ${TEST_DATABASE_URL} unreachable (${unavailable})`);
      continue;
    }
    describe(`${name} [${kind}]`, () => {
      let db: TestDatabase | undefined;
      let engine: Engine | undefined;
      beforeEach(async () => {
        if (unavailable !== undefined) throw new Error(`PostgreSQL required under CI=true: ${unavailable}`);
        db = await createTestDatabase(kind, options);
        engine = await db.open();
      });
      afterEach(async () => {
        await db?.destroy();
        db = undefined;
        engine = undefined;
      });
      body(
        () => {
          if (!engine) throw new Error('engine used outside a test');
          return engine;
        },
        {
          kind,
          database: () => {
            if (!db) throw new Error('database used outside a test');
            return db;
          },
        },
      );
    });
  }
}
