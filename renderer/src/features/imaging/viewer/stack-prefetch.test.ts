import { describe, expect, it } from 'vitest';
import { createStackPrefetcher, prefetchOrder } from './stack-prefetch';

describe('prefetchOrder', () => {
  it('goes ahead in the scroll direction first, then a few behind, within the stack', () => {
    expect(prefetchOrder(5, 1, 10, 3, 2)).toEqual([6, 7, 8, 4, 3]);
    expect(prefetchOrder(5, -1, 10, 3, 2)).toEqual([4, 3, 2, 6, 7]);
    expect(prefetchOrder(8, 1, 10, 5, 1)).toEqual([9, 7]);
    expect(prefetchOrder(0, -1, 10, 5, 2)).toEqual([1, 2]);
  });
});

/** A load whose end the test decides. */
function controlledLoads() {
  const pending = new Map<string, { resolve: () => void; reject: (e: Error) => void }>();
  const calls: string[] = [];
  const load = (id: string): Promise<unknown> =>
    new Promise<void>((resolve, reject) => {
      calls.push(id);
      pending.set(id, { resolve, reject });
    });
  const settle = async (id: string, ok = true): Promise<void> => {
    const p = pending.get(id);
    if (!p) throw new Error(`${id} not loading`);
    pending.delete(id);
    if (ok) p.resolve();
    else p.reject(new Error('refused'));
    // Let the prefetcher's then/finally run.
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  return { load, calls, pending, settle };
}

describe('createStackPrefetcher', () => {
  const ids = Array.from({ length: 10 }, (_, i) => `vault:s/${i}`);

  it('keeps at most `concurrency` loads running, nearest first, and never loads an image twice', async () => {
    const l = controlledLoads();
    const p = createStackPrefetcher(ids, l.load, { concurrency: 2, ahead: 4, behind: 1 });
    p.show(0, 1);
    expect(l.calls).toEqual(['vault:s/1', 'vault:s/2']);
    await l.settle('vault:s/1');
    expect(l.calls).toEqual(['vault:s/1', 'vault:s/2', 'vault:s/3']);
    // Scrolled to 1: 2 and 3 are running; 4 then 5 come next, 1 and 0 are not loaded again.
    p.show(1, 1);
    expect(l.pending.size).toBe(2);
    await l.settle('vault:s/2');
    await l.settle('vault:s/3');
    expect(l.calls).toEqual(['vault:s/1', 'vault:s/2', 'vault:s/3', 'vault:s/4', 'vault:s/5']);
  });

  it('follows a change of direction at the next free slot', async () => {
    const l = controlledLoads();
    const p = createStackPrefetcher(ids, l.load, { concurrency: 1, ahead: 3, behind: 0 });
    p.show(5, 1);
    expect(l.calls).toEqual(['vault:s/6']);
    p.show(5, -1);
    await l.settle('vault:s/6');
    expect(l.calls).toEqual(['vault:s/6', 'vault:s/4']);
  });

  it('tries a failed image again at a later move, and starts nothing once disposed', async () => {
    const l = controlledLoads();
    const p = createStackPrefetcher(ids, l.load, { concurrency: 1, ahead: 1, behind: 0 });
    p.show(0, 1);
    await l.settle('vault:s/1', false);
    expect(l.calls).toEqual(['vault:s/1']);
    p.show(0, 1);
    expect(l.calls).toEqual(['vault:s/1', 'vault:s/1']);
    await l.settle('vault:s/1');
    p.dispose();
    p.show(3, 1);
    expect(l.calls).toEqual(['vault:s/1', 'vault:s/1']);
  });
});
