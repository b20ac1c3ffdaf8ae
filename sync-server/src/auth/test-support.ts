import type { Engine, Queryable } from '../db/engine';
import type { AuditLog, AuditRecord } from '../types';

/**
 * An AuditLog writing into a plain table of the test database, for the identity tests to
 * read back what was recorded (same transaction semantics as the real log: a rolled-back
 * transaction records nothing; an id already present is skipped).
 */
export async function createRecordingAuditLog(engine: Engine): Promise<AuditLog & { records(): Promise<AuditRecord[]> }> {
  await engine.execute(
    'CREATE TABLE IF NOT EXISTS identity_test_audit (position INTEGER NOT NULL, id TEXT PRIMARY KEY, record TEXT NOT NULL)',
  );
  return {
    async append(tx: Queryable, records: readonly AuditRecord[]) {
      let appended = 0;
      for (const record of records) {
        const [max] = await tx.query<{ n: number | string | null }>('SELECT MAX(position) AS n FROM identity_test_audit');
        const exists = await tx.query('SELECT 1 AS x FROM identity_test_audit WHERE id = $1', [record.id]);
        if (exists.length > 0) continue;
        await tx.execute('INSERT INTO identity_test_audit (position, id, record) VALUES ($1, $2, $3)', [
          Number(max?.n ?? 0) + 1,
          record.id,
          JSON.stringify(record),
        ]);
        appended += 1;
      }
      return { appended };
    },
    async records() {
      const rows = await engine.query<{ record: string }>('SELECT record FROM identity_test_audit ORDER BY position');
      return rows.map((r) => JSON.parse(r.record) as AuditRecord);
    },
  };
}

/** A clock the test moves by hand. */
export function manualClock(start = Date.parse('2026-03-02T08:00:00.000Z')): { (): number; advance(ms: number): void } {
  let now = start;
  const clock = () => now;
  clock.advance = (ms: number) => {
    now += ms;
  };
  return clock;
}
