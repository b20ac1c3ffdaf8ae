/* eslint-disable security/detect-non-literal-fs-filename -- every path here comes from mkdtempSync */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  delayAfter,
  FREE_ATTEMPTS,
  readAttempts,
  recordFailure,
  resetAttempts,
  retryAfterSeconds,
} from './unlock-attempts';
import { tempDir } from './test-support';

let tmp: ReturnType<typeof tempDir>;
let file: string;
beforeEach(() => {
  tmp = tempDir('vault-attempts-');
  file = path.join(tmp.dir, 'unlock-attempts.json');
});
afterEach(() => tmp.cleanup());

describe('unlock attempts', () => {
  it('the delay is free at first, then doubles, capped at 5 minutes', () => {
    const delays = Array.from({ length: 12 }, (_, i) => delayAfter(i + 1));
    expect(delays.slice(0, FREE_ATTEMPTS - 1)).toEqual([0, 0]);
    expect(delays.slice(FREE_ATTEMPTS - 1, FREE_ATTEMPTS + 3)).toEqual([5_000, 10_000, 20_000, 40_000]);
    expect(Math.max(...delays)).toBe(300_000);
    expect(delayAfter(10_000)).toBe(300_000);
  });

  it('counts, persists and resets', () => {
    const now = 1_000_000;
    expect(readAttempts(file, now)).toEqual({ failures: 0, lastFailureAt: 0 });
    recordFailure(file, now);
    recordFailure(file, now);
    const third = recordFailure(file, now);
    expect(third).toEqual({ failures: 3, lastFailureAt: now });
    expect(readAttempts(file, now + 1)).toEqual(third);
    expect(retryAfterSeconds(third, now + 1_000)).toBe(4);
    expect(retryAfterSeconds(third, now + 5_000)).toBe(0);
    resetAttempts(file);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('a scribbled counter file does not reset the brake; a clock set back does not make it endless', () => {
    fs.writeFileSync(file, '{"failures": "zero"}');
    const mtime = fs.statSync(file).mtimeMs;
    expect(readAttempts(file, mtime + 1)).toEqual({ failures: FREE_ATTEMPTS, lastFailureAt: mtime });
    // Dated by the file, not by the read: the wait runs out instead of restarting at every look.
    expect(retryAfterSeconds(readAttempts(file, mtime + 60_000), mtime + 60_000)).toBe(0);
    fs.rmSync(file);
    recordFailure(file, 10_000_000);
    expect(readAttempts(file, 1_000).lastFailureAt).toBe(1_000);
  });
});
