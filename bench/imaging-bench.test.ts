import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CHROMIUM } from './imaging/run';

// Keeps the benchmark from rotting: runs `bench:imaging --quick` (20 files imported, a stack
// of 10 slices fetched in Chromium, scrolled cold then loaded) as the CLI does and checks the shape of every line. The
// figures themselves are not asserted.

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..');
const tsxCli = createRequire(import.meta.url).resolve('tsx/cli');

// eslint-disable-next-line security/detect-non-literal-fs-filename -- the browser's fixed path (or CHROMIUM_PATH).
const missing = fs.existsSync(CHROMIUM) ? undefined : `no Chromium at ${CHROMIUM}`;
if (missing !== undefined && process.env.CI === 'true') throw new Error(`bench:imaging shape test: ${missing} (CI=true)`);
if (missing !== undefined) console.warn(`bench:imaging shape test skipped: ${missing}`);

const EXPECTED: readonly { workload: string; unit: string; compare: string[]; note?: RegExp }[] = [
  { workload: 'import-files-per-s', unit: 'files/s', compare: ['read-sha256', 'load-avg-1m'] },
  { workload: 'import-mb-per-s', unit: 'MB/s', compare: ['read-sha256', 'load-avg-1m'] },
  { workload: 'first-image-bytes', unit: 'ms', compare: ['later-reads-median', 'target', 'load-avg-1m'] },
  { workload: 'stack-fetch-fps', unit: 'fps', compare: ['target', 'load-avg-1m'] },
  { workload: 'first-image', unit: 'ms', compare: ['target', 'chromium-cpu-ms', 'host-cpu-ms', 'load-avg-1m'] },
  { workload: 'stack-scroll-cold-fps', unit: 'fps', compare: ['target', 'chromium-cpu-ms-per-slice', 'host-cpu-ms-per-slice', 'load-avg-1m'], note: /^cold scroll/ },
  { workload: 'stack-scroll-loaded-fps', unit: 'fps', compare: ['target', 'chromium-cpu-ms-per-slice', 'host-cpu-ms-per-slice', 'load-avg-1m'], note: /^scroll, series loaded/ },
];

describe.skipIf(missing !== undefined)('bench:imaging --quick', () => {
  it('prints one JSON line per figure in the project format', async () => {
    const { stdout } = await run(process.execPath, [tsxCli, 'bench/imaging.bench.ts', '--quick'], { cwd: root, timeout: 280_000, maxBuffer: 8 * 1024 * 1024 });
    const lines = stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { bench: unknown; workload: unknown; n: unknown; unit: unknown; value: unknown; compare: Record<string, unknown>; note?: unknown });
    expect(lines.map((l) => l.workload)).toEqual(EXPECTED.map((e) => e.workload));
    for (const [i, line] of lines.entries()) {
      const e = EXPECTED[i] as (typeof EXPECTED)[number];
      expect(line.bench).toBe('imaging');
      expect(line.unit).toBe(e.unit);
      expect(typeof line.n === 'number' && line.n > 0).toBe(true);
      expect(typeof line.value === 'number' && Number.isFinite(line.value) && line.value > 0).toBe(true);
      expect(Object.keys(line.compare).sort()).toEqual([...e.compare].sort());
      // The two scroll figures say which is which; the others need no note.
      if (e.note) expect(String(line.note)).toMatch(e.note);
      else expect(line.note).toBeUndefined();
    }
  }, 300_000);
});
