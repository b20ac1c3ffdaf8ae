import { AppError } from '../../../shared/src/errors';
import type { Engine, Queryable } from './engine';
import { MIGRATIONS } from './migrations';

/** A versioned schema change, as TypeScript so the server bundle needs no .sql files. */
export type Migration = {
  /** Sortable and stable: '0001-core'. */
  readonly id: string;
  readonly sqlite: readonly string[];
  readonly postgres: readonly string[];
};

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  id TEXT PRIMARY KEY,
  applied_at TEXT NOT NULL
)`;

async function appliedIds(q: Queryable): Promise<string[]> {
  const rows = await q.query<{ id: string }>('SELECT id FROM schema_migrations ORDER BY id');
  return rows.map((r) => r.id);
}

async function tableExists(q: Queryable): Promise<boolean> {
  const rows =
    q.kind === 'sqlite'
      ? await q.query("SELECT 1 AS x FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
      : await q.query("SELECT 1 AS x FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'schema_migrations'");
  return rows.length > 0;
}

export type MigrateResult = { readonly applied: readonly string[] };

/**
 * Applies the migrations not yet recorded, each in its own transaction (DDL is
 * transactional on both engines), serialised across instances by the 'migrations' lock.
 * Refuses a database that holds a migration this code does not know: it was written by a
 * newer server, and running older code on it could lose data.
 */
export async function migrate(
  engine: Engine,
  migrations: readonly Migration[] = MIGRATIONS,
  now: () => Date = () => new Date(),
): Promise<MigrateResult> {
  const known = new Set(migrations.map((m) => m.id));
  const applied: string[] = [];
  await engine.transaction(async (tx) => {
    await tx.execute(CREATE_TABLE);
  }, { lock: 'migrations' });
  for (const migration of migrations) {
    const didApply = await engine.transaction(
      async (tx) => {
        const done = await appliedIds(tx);
        const unknown = done.filter((id) => !known.has(id));
        if (unknown.length > 0) {
          throw new AppError('SYNC_DATABASE_NEWER', { migration: unknown[unknown.length - 1] ?? '' });
        }
        if (done.includes(migration.id)) return false;
        const statements = engine.kind === 'sqlite' ? migration.sqlite : migration.postgres;
        for (const statement of statements) await tx.execute(statement);
        await tx.execute('INSERT INTO schema_migrations (id, applied_at) VALUES ($1, $2)', [
          migration.id,
          now().toISOString(),
        ]);
        return true;
      },
      { lock: 'migrations' },
    );
    if (didApply) applied.push(migration.id);
  }
  if (migrations.length === 0) {
    const unknown = (await appliedIds(engine)).filter((id) => !known.has(id));
    if (unknown.length > 0) throw new AppError('SYNC_DATABASE_NEWER', { migration: unknown[0] ?? '' });
  }
  return { applied };
}

/** True when every migration of this code is recorded and none unknown is (readiness). */
export async function appliedMigrationsComplete(
  q: Queryable,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<boolean> {
  if (!(await tableExists(q))) return false;
  const done = new Set(await appliedIds(q));
  return done.size === migrations.length && migrations.every((m) => done.has(m.id));
}
