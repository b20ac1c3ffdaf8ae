import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CHROMIUM } from './ui/run';

// Keeps the benchmark from rotting: runs `bench:ui --quick` (a few hundred patients, two
// unlocks, two typed queries) as the CLI does and checks the shape of every line. The
// figures themselves are not asserted.

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..');
const tsxCli = createRequire(import.meta.url).resolve('tsx/cli');

// eslint-disable-next-line security/detect-non-literal-fs-filename -- the browser's fixed path (or CHROMIUM_PATH).
const missing = fs.existsSync(CHROMIUM) ? undefined : `no Chromium at ${CHROMIUM}`;
if (missing !== undefined && process.env.CI === 'true')
  throw new Error(`bench:ui shape test: ${missing} (CI=true)`);
if (missing !== undefined) console.warn(`bench:ui shape test skipped: ${missing}`);

type Line = {
  bench: unknown;
  workload: unknown;
  n: unknown;
  unit: unknown;
  value: unknown;
  compare: unknown;
};

const EXPECTED: readonly { workload: string; unit: string; compare: string[] }[] = [
  {
    workload: 'unlock-to-list',
    unit: 'ms',
    compare: ['first-unlock', 'vault-unlock-call', 'first-search-call', 'argon2id-kdf', 'target'],
  },
  {
    workload: 'search-keystroke-p95',
    unit: 'ms',
    compare: ['p50', 'max', 'search-call-p95', 'search-call-p50', 'keystrokes', 'target'],
  },
  { workload: 'renderer-js-heap', unit: 'MB', compare: ['js-heap-total-MB', 'dom-nodes'] },
];

describe.skipIf(missing !== undefined)('bench:ui --quick', () => {
  it('prints one well-formed JSON line per figure', async () => {
    const { stdout } = await run(process.execPath, [tsxCli, 'bench/ui.bench.ts', '--quick'], {
      cwd: root,
      timeout: 240_000,
      maxBuffer: 1 << 20,
    });
    const parsed = stdout
      .trim()
      .split('\n')
      .map((text) => JSON.parse(text) as Line);
    expect(parsed.map((l) => l.workload)).toEqual(EXPECTED.map((e) => e.workload));
    for (const [i, line] of parsed.entries()) {
      const want = EXPECTED[i];
      expect(Object.keys(line)).toEqual(['bench', 'workload', 'n', 'unit', 'value', 'compare']);
      expect(line.bench).toBe('ui');
      expect(line.unit).toBe(want?.unit);
      expect(Number.isInteger(line.n) && (line.n as number) > 0).toBe(true);
      expect(typeof line.value === 'number' && Number.isFinite(line.value) && line.value > 0).toBe(true);
      const compare = line.compare as Record<string, unknown>;
      expect(Object.keys(compare)).toEqual(want?.compare);
      for (const v of Object.values(compare))
        expect(typeof v === 'number' && Number.isFinite(v) && v > 0).toBe(true);
    }
  }, 300_000);
});
