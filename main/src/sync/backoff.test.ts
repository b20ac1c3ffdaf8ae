import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelay, createBackoff } from './backoff';

describe('backoff with jitter', () => {
  it('stays within [exp/2, exp] where exp doubles from the base up to the cap', () => {
    fc.assert(
      fc.property(fc.nat(40), fc.double({ min: 0, max: 0.9999999, noNaN: true }), (attempt, r) => {
        const exp = Math.min(60_000, 500 * 2 ** attempt);
        const d = backoffDelay(attempt, { baseMs: 500, maxMs: 60_000, random: () => r });
        expect(d).toBeGreaterThanOrEqual(Math.floor(exp / 2));
        expect(d).toBeLessThanOrEqual(exp);
      }),
    );
  });

  it('grows with consecutive failures and starts over after a success', () => {
    const b = createBackoff({ baseMs: 100, maxMs: 10_000, random: () => 0 });
    expect([b.fail(), b.fail(), b.fail(), b.fail()]).toEqual([50, 100, 200, 400]);
    b.succeed();
    expect(b.failures).toBe(0);
    expect(b.fail()).toBe(50);
  });

  it('spreads workstations: different random draws give different delays', () => {
    const delays = new Set([0.1, 0.5, 0.9].map((r) => backoffDelay(5, { baseMs: 500, maxMs: 60_000, random: () => r })));
    expect(delays.size).toBe(3);
  });
});
