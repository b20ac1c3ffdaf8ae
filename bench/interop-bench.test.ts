import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// Keeps the benchmark from rotting: runs `bench:interop --quick` as the CLI does and checks
// the shape of every line (the project's benchmark format). The figures are not asserted.

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..');
const tsxCli = createRequire(import.meta.url).resolve('tsx/cli');

const EXPECTED = [
  { workload: 'hl7-oru-parse', unit: 'msgs/s', compare: ['decode-split-only', 'load-avg-1m'] },
  { workload: 'fhir-export-500-observations', unit: 'ms', compare: ['bundle-in-memory', 'load-avg-1m'] },
  { workload: 'pdf-summary-500-observations', unit: 'ms', compare: ['load-avg-1m'] },
];

describe('bench:interop --quick', () => {
  it('prints one JSON line per figure in the project format', async () => {
    const { stdout, stderr } = await run(process.execPath, [tsxCli, 'bench/interop.bench.ts', '--quick'], {
      cwd: root,
      timeout: 280_000,
      maxBuffer: 8 * 1024 * 1024,
    });
    const lines = stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map(
        (l) =>
          JSON.parse(l) as {
            bench: unknown;
            workload: unknown;
            n: unknown;
            unit: unknown;
            value: unknown;
            compare: Record<string, unknown>;
          },
      );
    expect(lines.map((l) => l.workload)).toEqual(EXPECTED.map((e) => e.workload));
    for (const [i, line] of lines.entries()) {
      const e = EXPECTED[i] as (typeof EXPECTED)[number];
      expect(line.bench).toBe('interop');
      expect(line.unit).toBe(e.unit);
      expect(typeof line.n).toBe('number');
      expect(typeof line.value === 'number' && line.value > 0).toBe(true);
      expect(Object.keys(line.compare).sort()).toEqual([...e.compare].sort());
    }
    expect(stderr).toMatch(/load average/);
  }, 300_000);
});
