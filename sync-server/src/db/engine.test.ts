import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/src/errors';
import { toBoolean } from './engine';
import { migrate } from './migrate';
import type { Migration } from './migrate';
import { MIGRATIONS } from './migrations';
import { createTestDatabase, forEachEngine, postgresUnavailable } from '../testing/engines';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

forEachEngine('engine', (getEngine, { kind, database }) => {
  it('is ready once migrated, with the core tables', async () => {
    const engine = getEngine();
    expect(await engine.ready()).toBe(true);
    const rows = await engine.query<{ id: string }>('SELECT id FROM schema_migrations ORDER BY id');
    expect(rows.map((r) => r.id)).toEqual(MIGRATIONS.map((m) => m.id));
    expect(await engine.query('SELECT COUNT(*) AS n FROM documents')).toEqual([{ n: 0 }]);
  });

  it('binds numbered parameters (repeated, booleans, bytes) and returns numbers', async () => {
    const engine = getEngine();
    const rows = await engine.query<{ a: number; b: string; c: number; d: unknown }>(
      kind === 'sqlite' ? 'SELECT $1 AS a, $2 AS b, $1 + 1 AS c, $3 AS d' : 'SELECT $1::bigint AS a, $2::text AS b, $1::bigint + 1 AS c, $3::boolean AS d',
      [41, 'x', true],
    );
    expect(rows[0]?.a).toBe(41);
    expect(rows[0]?.b).toBe('x');
    expect(rows[0]?.c).toBe(42);
    expect(toBoolean(rows[0]?.d)).toBe(true);
  });

  it('commits a transaction that resolves and rolls back one that throws', async () => {
    const engine = getEngine();
    const insert = "INSERT INTO job_leases (name, owner, expires_at) VALUES ($1, 'o', '2026-01-01T00:00:00.000Z')";
    await engine.transaction(async (tx) => {
      await tx.execute(insert, ['kept']);
    });
    await expect(
      engine.transaction(async (tx) => {
        await tx.execute(insert, ['lost']);
        expect(await tx.query('SELECT name FROM job_leases WHERE name = $1', ['lost'])).toHaveLength(1);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    // A failing statement rolls back the earlier ones of the same transaction too.
    await expect(
      engine.transaction(async (tx) => {
        await tx.execute(insert, ['lost2']);
        await tx.execute(insert, ['kept']);
      }),
    ).rejects.toThrow();
    const names = (await engine.query<{ name: string }>('SELECT name FROM job_leases ORDER BY name')).map((r) => r.name);
    expect(names).toEqual(['kept']);
    expect(await engine.execute("UPDATE job_leases SET owner = 'p' WHERE name = $1", ['kept'])).toBe(1);
  });

  it('serialises transactions holding the same lock (read-modify-write never interleaves)', async () => {
    const engine = getEngine();
    const other = await database().open();
    await engine.execute("INSERT INTO job_leases (name, owner, expires_at) VALUES ('counter', '0', 'x')");
    const bump = (e: typeof engine) =>
      e.transaction(
        async (tx) => {
          const [row] = await tx.query<{ owner: string }>("SELECT owner FROM job_leases WHERE name = 'counter'");
          await sleep(5);
          await tx.execute("UPDATE job_leases SET owner = $1 WHERE name = 'counter'", [String(Number(row?.owner) + 1)]);
        },
        { lock: 'counter' },
      );
    await Promise.all(Array.from({ length: 12 }, (_, i) => bump(i % 2 === 0 ? engine : other)));
    const [row] = await engine.query<{ owner: string }>("SELECT owner FROM job_leases WHERE name = 'counter'");
    expect(row?.owner).toBe('12');
  });

  it('delivers a notification to listeners of every engine on the database, only after commit', async () => {
    const a = getEngine();
    const b = await database().open();
    const heardA: string[] = [];
    const heardB: string[] = [];
    const stopA = await a.listen('changes', (p) => heardA.push(p));
    const stopB = await b.listen('changes', (p) => heardB.push(p));
    await expect(
      a.transaction(async (tx) => {
        await a.notify(tx, 'changes', 'rolled-back');
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    let heardBeforeCommit = -1;
    await a.transaction(async (tx) => {
      await a.notify(tx, 'changes', 'one');
      await sleep(30);
      heardBeforeCommit = heardB.length;
    });
    for (let i = 0; i < 100 && (heardA.length < 1 || heardB.length < 1); i += 1) await sleep(10);
    expect(heardBeforeCommit).toBe(0);
    expect(heardA).toEqual(['one']);
    expect(heardB).toEqual(['one']);
    await stopB();
    await a.transaction(async (tx) => a.notify(tx, 'changes', 'two'));
    for (let i = 0; i < 100 && heardA.length < 2; i += 1) await sleep(10);
    await sleep(30);
    expect(heardA).toEqual(['one', 'two']);
    expect(heardB).toEqual(['one']);
    await stopA();
  });

  it('refuses a database migrated by newer code, and is then not ready', async () => {
    const engine = getEngine();
    const newer: Migration = { id: '9999-future', sqlite: ['CREATE TABLE future_x (a TEXT)'], postgres: ['CREATE TABLE future_x (a TEXT)'] };
    expect((await migrate(engine, [...MIGRATIONS, newer])).applied).toEqual(['9999-future']);
    expect(await engine.ready()).toBe(false);
    const error = await migrate(engine).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('SYNC_DATABASE_NEWER');
    expect((error as AppError).params).toEqual({ migration: '9999-future' });
  });

  it('applies a failing migration not at all', async () => {
    const engine = getEngine();
    const broken: Migration = {
      id: '9998-broken',
      sqlite: ['CREATE TABLE half_done (a TEXT)', 'THIS IS NOT SQL'],
      postgres: ['CREATE TABLE half_done (a TEXT)', 'THIS IS NOT SQL'],
    };
    await expect(migrate(engine, [...MIGRATIONS, broken])).rejects.toThrow();
    const check =
      kind === 'sqlite'
        ? "SELECT name FROM sqlite_master WHERE name = 'half_done'"
        : "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'half_done'";
    expect(await engine.query(check)).toEqual([]);
    expect(await engine.ready()).toBe(true);
  });

  it('is not ready once closed', async () => {
    const engine = getEngine();
    await engine.close();
    expect(await engine.ready()).toBe(false);
  });
});

forEachEngine(
  'engine before migrations',
  (getEngine, { database }) => {
    it('is not ready until migrated; concurrent migrations apply each migration once', async () => {
      const engine = getEngine();
      expect(await engine.ready()).toBe(false);
      const other = await database().open();
      const results = await Promise.all([migrate(engine), migrate(other)]);
      expect([...results[0].applied, ...results[1].applied].sort()).toEqual(MIGRATIONS.map((m) => m.id));
      expect(await engine.ready()).toBe(true);
      expect(await other.ready()).toBe(true);
    });
  },
  { migrate: false },
);

describe('postgres engine without a server', () => {
  it('reports not ready when the database is unreachable', async () => {
    const { openPostgresEngine } = await import('./postgres-engine');
    const engine = await openPostgresEngine({ connectionString: 'postgres://postgres@127.0.0.1:1/none', schema: 'x' }).catch(
      (e: unknown) => e,
    );
    expect(engine).toBeInstanceOf(Error);
  });
  it.skipIf(postgresUnavailable !== undefined && process.env.CI !== 'true')('throwaway schemas are removed on destroy', async () => {
    const db = await createTestDatabase('postgres');
    const engine = await db.open();
    const [row] = await engine.query<{ s: string }>('SELECT current_schema() AS s');
    await db.destroy();
    const probe = await createTestDatabase('postgres', { migrate: false });
    const other = await probe.open();
    const left = await other.query('SELECT 1 AS x FROM information_schema.schemata WHERE schema_name = $1', [row?.s ?? '']);
    await probe.destroy();
    expect(left).toEqual([]);
    expect(row?.s).toMatch(/^t_[0-9a-f]{12}$/);
  });
});
