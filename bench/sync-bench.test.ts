import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { describe, expect, it } from 'vitest';

// Keeps the benchmark from rotting: runs `bench:sync --quick` as the CLI does and checks
// the shape of every line. The figures themselves are not asserted.

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..');
const tsxCli = createRequire(import.meta.url).resolve('tsx/cli');

const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function postgresUnavailable(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

// The benchmark measures both engines; without PostgreSQL it cannot run (a failure under CI).
const unavailable = process.env.CI === 'true' ? undefined : await postgresUnavailable();
if (unavailable !== undefined) console.warn(`bench:sync shape test skipped: no PostgreSQL at ${DATABASE_URL} (${unavailable})`);

type Line = { bench: unknown; workload: unknown; n: unknown; unit: unknown; value: unknown; compare: unknown };

const WORKLOADS: readonly [string, string][] = [
  ['initial-sync', 'docs/s'],
  ['initial-sync-memory-storage', 'docs/s'],
  ['propagation-p50', 'ms'],
  ['propagation-p95', 'ms'],
  ['propagation-p99', 'ms'],
  ['push-pull-throughput', 'docs/s'],
];

describe.skipIf(unavailable !== undefined)('bench:sync --quick', () => {
  it('prints one well-formed JSON line per figure and engine', async () => {
    const { stdout } = await run(process.execPath, [tsxCli, 'bench/sync.bench.ts', '--quick'], {
      cwd: root,
      timeout: 120_000,
      maxBuffer: 1 << 20,
    });
    const parsed = stdout
      .trim()
      .split('\n')
      .map((text) => JSON.parse(text) as Line);

    const expected = (['sqlite', 'postgres'] as const).flatMap((engine) =>
      WORKLOADS.map(([workload, unit]) => ({ workload: `${workload}-${engine}`, unit, other: engine === 'sqlite' ? 'postgres' : 'sqlite' })),
    );
    expect(parsed.map((l) => l.workload)).toEqual(expected.map((e) => e.workload));
    for (const [i, line] of parsed.entries()) {
      const want = expected[i];
      expect(Object.keys(line)).toEqual(['bench', 'workload', 'n', 'unit', 'value', 'compare']);
      expect(line.bench).toBe('sync');
      expect(line.unit).toBe(want?.unit);
      expect(Number.isInteger(line.n) && (line.n as number) > 0).toBe(true);
      expect(typeof line.value === 'number' && Number.isFinite(line.value) && line.value > 0).toBe(true);
      const compare = line.compare as Record<string, unknown>;
      expect(Object.keys(compare)).toEqual([want?.other]);
      for (const v of Object.values(compare)) expect(typeof v === 'number' && Number.isFinite(v) && v > 0).toBe(true);
    }
    // Percentiles of one distribution cannot decrease.
    for (const engine of ['sqlite', 'postgres']) {
      const p = (q: string) => parsed.find((l) => l.workload === `propagation-${q}-${engine}`)?.value as number;
      expect(p('p50')).toBeLessThanOrEqual(p('p95'));
      expect(p('p95')).toBeLessThanOrEqual(p('p99'));
    }
  }, 120_000);
});
