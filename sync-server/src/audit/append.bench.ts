/**
 * Time of appending one pull's read records (1,000 entries, fresh random ids) to a log that
 * already holds some entries, on both engines. Run: npx tsx sync-server/src/audit/append.bench.ts
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createTestDatabase, postgresUnavailable } from '../testing/engines';
import type { AuditRecord } from '../types';
import { createAuditLog } from './audit-log';
import { chainEntry, EMPTY_HEAD } from './chain';

const BATCH = 1000;
const PRELOAD = 20;
const RUNS = 15;

function batch(): AuditRecord[] {
  const instant = new Date().toISOString();
  return Array.from({ length: BATCH }, (_, i) => ({
    id: randomUUID(),
    source: 'server' as const,
    userId: 'user-1',
    role: 'practitioner',
    workstation: 'ws-1',
    action: 'read',
    patientId: `patient-${i}`,
    instant,
    outcome: 'success' as const,
    details: { collection: 'consultation', via: 'pull' },
  }));
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

const records = batch();
const hashTimes: number[] = [];
for (let r = 0; r < RUNS; r++) {
  const t = performance.now();
  let head = EMPTY_HEAD;
  for (const rec of records) head = chainEntry(head, rec, rec.instant);
  hashTimes.push(performance.now() - t);
}
console.log(`hash+canonical JSON only, ${BATCH} entries: median ${median(hashTimes).toFixed(1)} ms`);

for (const kind of ['sqlite', 'postgres'] as const) {
  if (kind === 'postgres' && postgresUnavailable !== undefined) {
    console.log(`postgres skipped: ${postgresUnavailable}`);
    continue;
  }
  const db = await createTestDatabase(kind);
  try {
    const engine = await db.open();
    const log = createAuditLog({ engine, clock: () => Date.now() });
    for (let i = 0; i < PRELOAD; i++) await engine.transaction((tx) => log.append(tx, batch()));
    const times: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const b = batch();
      const t = performance.now();
      await engine.transaction((tx) => log.append(tx, b));
      times.push(performance.now() - t);
    }
    const report = await log.verifyChain();
    console.log(
      `${kind}: append ${BATCH} (log of ${PRELOAD * BATCH}+): median ${median(times).toFixed(1)} ms, ` +
        `min ${Math.min(...times).toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms; chain ok=${report.ok}`,
    );
  } finally {
    await db.destroy();
  }
}
