import { afterEach, expect, it } from 'vitest';
import { forEachEngine } from '../testing/engines';
import { Scheduler } from './scheduler';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

forEachEngine('scheduler', (getEngine, { database }) => {
  const schedulers: Scheduler[] = [];
  afterEach(async () => {
    for (const s of schedulers.splice(0)) await s.stop();
  });

  it('runs a task once per period across two instances, whoever ticks first', async () => {
    let now = Date.parse('2026-03-02T08:00:00.000Z');
    const clock = () => now;
    const runs: string[] = [];
    const make = async (owner: string) => {
      const s = new Scheduler({ engine: owner === 'a' ? getEngine() : await database().open(), clock, owner });
      s.every('sign', 60_000, async () => {
        runs.push(`${owner}@${new Date(now).toISOString()}`);
        await sleep(5);
      });
      schedulers.push(s);
      return s;
    };
    const a = await make('a');
    const b = await make('b');
    for (let period = 0; period < 6; period += 1) {
      const results = await Promise.all([a.runDue(), b.runDue(), a.runDue(), b.runDue()]);
      expect(results.flat()).toEqual(['sign']);
      // Later ticks in the same period do nothing.
      now += 30_000;
      expect([...(await a.runDue()), ...(await b.runDue())]).toEqual([]);
      now += 30_000;
    }
    expect(runs).toHaveLength(6);
    expect(new Set(runs.map((r) => r.split('@')[1])).size).toBe(6);
  });

  it('retries a failed period on the next tick, and leaves a running one to its lease holder', async () => {
    let now = Date.parse('2026-03-02T08:00:00.000Z');
    const clock = () => now;
    let attempts = 0;
    let release!: () => void;
    const blocker = new Promise<void>((resolve) => {
      release = resolve;
    });
    const errors: unknown[] = [];
    const a = new Scheduler({ engine: getEngine(), clock, owner: 'a', onError: (_n, e) => errors.push(e) });
    const b = new Scheduler({ engine: await database().open(), clock, owner: 'b' });
    schedulers.push(a, b);
    a.every('job', 60_000, async () => {
      attempts += 1;
      if (attempts === 1) throw new Error('first attempt fails');
    });
    b.every('job', 60_000, async () => {
      attempts += 1;
      await blocker;
    });
    expect(await a.runDue()).toEqual([]);
    expect(errors).toHaveLength(1);
    // b retries the failed period and holds it while running: a does not start it again.
    const running = b.runDue();
    await sleep(50);
    expect(await a.runDue()).toEqual([]);
    release();
    expect(await running).toEqual(['job']);
    expect(attempts).toBe(2);
    expect(await a.runDue()).toEqual([]);
    now += 60_000;
    expect(await a.runDue()).toEqual(['job']);
    expect(attempts).toBe(3);
  });

  it('ticks on its own with real time: two instances, one run per period', async () => {
    const runs: number[] = [];
    const interval = 150;
    const a = new Scheduler({ engine: getEngine(), clock: Date.now, tickMs: 20 });
    const b = new Scheduler({ engine: await database().open(), clock: Date.now, tickMs: 20 });
    schedulers.push(a, b);
    for (const s of [a, b]) s.every('tick', interval, async () => void runs.push(Math.floor(Date.now() / interval)));
    const first = Math.floor(Date.now() / interval);
    a.start();
    b.start();
    await sleep(interval * 6);
    await a.stop();
    await b.stop();
    const periods = Math.floor(Date.now() / interval) - first + 1;
    // Two instances running every period would make about twice as many runs.
    expect(runs.length).toBeLessThanOrEqual(periods);
    expect(runs.length).toBeGreaterThanOrEqual(periods - 2);
  });
});
