/**
 * Loads the images of a stack ahead of the one shown, in the direction the user scrolls, so
 * scrolling and cine find them decoded in Cornerstone's cache and are bounded by the draw.
 * At most `concurrency` loads run at once (the image shown is never queued behind many of
 * them); the queue is recomputed at every move, so a change of direction takes effect at the
 * next free slot. A failed load is tried again at a later move (the vault may be unlocked by then).
 */
export type StackPrefetcher = {
  /** The image at `index` is shown; `direction` is the last step's sign (+1 down the stack). */
  show(index: number, direction: 1 | -1): void;
  /** Stops starting loads (those running finish into the cache). */
  dispose(): void;
};

export type StackPrefetchOptions = {
  /** Loads at once (default 2). */
  readonly concurrency?: number;
  /** Images loaded ahead in the scroll direction (default 120: a whole usual CT series, ~60 MB of 512×512 16-bit). */
  readonly ahead?: number;
  /** Images loaded behind, for a step back (default 4). */
  readonly behind?: number;
};

/** The indices to load, nearest first: ahead in the direction, then a few behind. */
export function prefetchOrder(
  index: number,
  direction: 1 | -1,
  count: number,
  ahead: number,
  behind: number,
): number[] {
  const order: number[] = [];
  for (let k = 1; k <= ahead; k++) {
    const i = index + direction * k;
    if (i < 0 || i >= count) break;
    order.push(i);
  }
  for (let k = 1; k <= behind; k++) {
    const i = index - direction * k;
    if (i < 0 || i >= count) break;
    order.push(i);
  }
  return order;
}

export function createStackPrefetcher(
  imageIds: readonly string[],
  load: (imageId: string) => Promise<unknown>,
  options: StackPrefetchOptions = {},
): StackPrefetcher {
  const concurrency = options.concurrency ?? 2;
  const ahead = options.ahead ?? 120;
  const behind = options.behind ?? 4;
  const started = new Set<number>();
  let queue: number[] = [];
  let running = 0;
  let disposed = false;

  const pump = (): void => {
    while (!disposed && running < concurrency && queue.length > 0) {
      const i = queue.shift() as number;
      const id = imageIds[i];
      if (id === undefined || started.has(i)) continue;
      started.add(i);
      running++;
      load(id)
        .catch(() => {
          started.delete(i);
        })
        .finally(() => {
          running--;
          pump();
        });
    }
  };

  return {
    show(index, direction) {
      if (disposed) return;
      // The image shown was loaded by the viewer itself.
      started.add(index);
      queue = prefetchOrder(index, direction, imageIds.length, ahead, behind).filter((i) => !started.has(i));
      pump();
    },
    dispose() {
      disposed = true;
      queue = [];
    },
  };
}
