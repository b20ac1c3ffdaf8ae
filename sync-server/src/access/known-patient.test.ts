import { expect, it } from 'vitest';
import type { Engine } from '../db/engine';
import { forEachEngine } from '../testing/engines';
import { isKnownPatient, KNOWN_PATIENT_SQL } from './access-service';

const ROWS = 20_000;

/** Fills `documents` with ROWS rows of many patients (one set-based insert per engine). */
async function fillDocuments(engine: Engine): Promise<void> {
  if (engine.kind === 'postgres') {
    await engine.execute(
      `INSERT INTO documents (collection, id, sequence, patient_id, data_class, deleted, data, updated_at, updated_by)
       SELECT CASE WHEN g % 10 = 0 THEN 'patient' ELSE 'consultation' END, 'd' || g, g,
              'p' || (g / 10), 'clinical', false, '{}', '2026-01-01T00:00:00.000Z', 'u'
         FROM generate_series(1, ${ROWS}) AS g`,
    );
    await engine.execute('ANALYZE documents');
  } else {
    await engine.execute(
      `WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < ${ROWS})
       INSERT INTO documents (collection, id, sequence, patient_id, data_class, deleted, data, updated_at, updated_by)
       SELECT CASE WHEN n % 10 = 0 THEN 'patient' ELSE 'consultation' END, 'd' || n, n,
              'p' || (n / 10), 'clinical', 0, '{}', '2026-01-01T00:00:00.000Z', 'u' FROM g`,
    );
    await engine.execute('ANALYZE');
  }
}

type PlanNode = { 'Node Type'?: string; 'Relation Name'?: string; Plans?: PlanNode[] };

function postgresScans(node: PlanNode, out: string[] = []): string[] {
  if (node['Relation Name'] !== undefined) out.push(`${node['Node Type'] ?? '?'} on ${node['Relation Name']}`);
  for (const child of node.Plans ?? []) postgresScans(child, out);
  return out;
}

/** How each engine's planner reads `documents` for this query: one line per table access. */
async function documentAccesses(engine: Engine, sql: string, params: readonly string[]): Promise<string[]> {
  if (engine.kind === 'postgres') {
    const [row] = await engine.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) ${sql}`, params);
    const raw = row?.['QUERY PLAN'];
    const plan = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan: PlanNode }[];
    return plan.flatMap((p) => postgresScans(p.Plan)).filter((line) => line.endsWith(' on documents'));
  }
  const rows = await engine.query<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, params);
  return rows.map((r) => r.detail).filter((detail) => /\bdocuments\b/.test(detail));
}

const isFullScan = (line: string): boolean => line.startsWith('Seq Scan') || /^SCAN documents\b/.test(line);

forEachEngine('isKnownPatient', (getEngine) => {
  it('knows a patient by its patient document or by any document of the patient, nothing else', async () => {
    const engine = getEngine();
    await fillDocuments(engine);
    expect(await isKnownPatient(engine, 'p5')).toBe(true); // documents d50..d59 carry patient_id p5
    expect(await isKnownPatient(engine, 'd20')).toBe(true); // the patient document d20 (collection patient)
    expect(await isKnownPatient(engine, 'unknown')).toBe(false);
    // Same id in another collection, without patient_id: not this patient (as before the rewrite).
    expect(await isKnownPatient(engine, 'd21')).toBe(false);
  });

  it('reads documents through indexes only, never a full scan', async () => {
    const engine = getEngine();
    await fillDocuments(engine);
    const accesses = await documentAccesses(engine, KNOWN_PATIENT_SQL, ['p5', 'patient']);
    expect(accesses.length).toBeGreaterThanOrEqual(2);
    expect(accesses.filter(isFullScan)).toEqual([]);
    // The detector itself sees a full scan where there must be one.
    const control = await documentAccesses(engine, 'SELECT 1 FROM documents WHERE data LIKE $1', ['%x%']);
    expect(control.some(isFullScan)).toBe(true);
  });
});
