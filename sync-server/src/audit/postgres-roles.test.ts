import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { Queryable, Row, SqlValue } from '../db/engine';
import { createTestDatabase, postgresUnavailable, TEST_DATABASE_URL } from '../testing/engines';
import { createAuditLog } from './audit-log';
import { postgresAuditGrants } from './postgres-roles';

const skip = postgresUnavailable !== undefined && process.env.CI !== 'true';
if (skip) console.warn(`[audit postgres roles] skipped: no PostgreSQL at ${TEST_DATABASE_URL} (${postgresUnavailable})`);

describe.skipIf(skip)('audit log on PostgreSQL under an application role without UPDATE/DELETE/TRUNCATE', () => {
  it('lets the role append and read, and refuses it any rewrite even with the triggers dropped', async () => {
    if (postgresUnavailable !== undefined) throw new Error(`PostgreSQL required under CI=true: ${postgresUnavailable}`);
    const db = await createTestDatabase('postgres');
    const owner = await db.open();
    const role = `audit_app_${randomBytes(4).toString('hex')}`;
    const [schema] = (await owner.query<{ s: string }>('SELECT current_schema() AS s')).map((r) => r.s);
    const url = new URL(TEST_DATABASE_URL);
    url.username = role;
    const client = new pg.Client({ connectionString: url.toString(), options: `-c search_path=${schema}` });
    try {
      await owner.execute(`CREATE ROLE ${role} LOGIN`);
      await owner.execute(`GRANT USAGE ON SCHEMA ${schema} TO ${role}`);
      for (const statement of postgresAuditGrants(role)) await owner.execute(statement);
      // The worst case: triggers gone. Rights alone must still hold.
      await owner.execute('DROP TRIGGER audit_log_no_change ON audit_log');
      await owner.execute('DROP TRIGGER audit_log_no_truncate ON audit_log');

      const clock = () => Date.parse('2026-03-01T00:00:00.000Z');
      await client.connect();
      // The application's own connection, as the limited role, in a transaction of its own.
      const asApp: Queryable = {
        kind: 'postgres',
        query: async <R extends Row = Row>(sql: string, params?: readonly SqlValue[]) => (await client.query(sql, params ? [...params] : [])).rows as R[],
        execute: async (sql: string, params?: readonly SqlValue[]) => (await client.query(sql, params ? [...params] : [])).rowCount ?? 0,
      };
      const log = createAuditLog({ engine: owner, clock });
      await client.query('BEGIN');
      await log.append(asApp, [
        { id: 'a1', source: 'server', userId: 'u', role: 'admin', workstation: 'w', action: 'login', instant: '2026-03-01T00:00:00.000Z', outcome: 'success' },
      ]);
      await client.query('COMMIT');
      expect(await log.chainLength()).toBe(1);
      for (const sql of ["UPDATE audit_log SET outcome = 'denied'", 'DELETE FROM audit_log', 'TRUNCATE audit_log', 'DROP TRIGGER IF EXISTS audit_checkpoints_no_change ON audit_checkpoints']) {
        await expect(client.query(sql), sql).rejects.toMatchObject({ code: '42501' });
      }
      expect((await log.verifyChain()).ok).toBe(true);
    } finally {
      await client.end().catch(() => undefined);
      await db.destroy();
      const cleanup = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await cleanup.connect();
      await cleanup.query(`DROP ROLE IF EXISTS ${role}`).catch(() => undefined);
      await cleanup.end();
    }
  });
});
