import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// Keeps the benchmark from rotting: runs `bench:storage --quick` as the CLI does and
// checks the shape of every line. The figures themselves are not asserted.

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..');
const tsxCli = createRequire(import.meta.url).resolve('tsx/cli');

type Line = {
  bench: unknown;
  workload: unknown;
  n: unknown;
  unit: unknown;
  value: unknown;
  compare: unknown;
};

const TABLE_WORKLOADS = ['bulk-insert', 'find-by-id', 'indexed-query', 'count', 'reopen-first-query'];

describe('bench:storage --quick', () => {
  it('prints one well-formed JSON line per figure', async () => {
    const { stdout } = await run(process.execPath, [tsxCli, 'bench/storage.bench.ts', '--quick'], {
      cwd: root,
      timeout: 120_000,
      maxBuffer: 1 << 20,
    });
    const lines = stdout.trim().split('\n');
    const parsed = lines.map((text) => JSON.parse(text) as Line);

    for (const line of parsed) {
      expect(Object.keys(line)).toEqual(['bench', 'workload', 'n', 'unit', 'value', 'compare']);
      expect(line.bench).toBe('storage');
      expect(typeof line.workload).toBe('string');
      expect(Number.isInteger(line.n) && (line.n as number) > 0).toBe(true);
      expect(line.unit).toBe('ms');
      expect(typeof line.value === 'number' && Number.isFinite(line.value) && line.value >= 0).toBe(true);
      const compare = line.compare as Record<string, unknown>;
      const expectedKeys =
        line.workload === 'event-loop-stall' ? ['sqlcipher-in-process'] : ['raw-sqlcipher', 'rxdb-memory'];
      expect(Object.keys(compare)).toEqual(expectedKeys);
      for (const v of Object.values(compare)) expect(typeof v === 'number' && Number.isFinite(v) && v >= 0).toBe(true);
    }

    const workloads = parsed.map((l) => l.workload);
    expect(workloads).toEqual([
      'bulk-insert',
      'bulk-insert',
      ...TABLE_WORKLOADS.slice(1),
      'bulk-insert-worker',
      'indexed-query-worker',
      'event-loop-stall',
    ]);
    const inserts = parsed.filter((l) => l.workload === 'bulk-insert').map((l) => l.n as number);
    expect(inserts[0]).toBeLessThan(inserts[1] ?? 0);
  });
});
