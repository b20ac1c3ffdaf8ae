import type { Clock } from '../services/context';

export type IdleTimers = {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
};

export const realTimers: IdleTimers = {
  set: (callback, ms) => {
    const t = setTimeout(callback, ms);
    // The idle check alone must never keep the process alive.
    t.unref();
    return t;
  },
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export type IdleLock = {
  /** Activity now (any API call, or activity:ping from the renderer's input events). */
  touch(): void;
  /** Starts watching (vault unlocked). */
  start(): void;
  /** Stops watching (vault locked, host closed). */
  stop(): void;
  /** The delay changed: re-arm with it. */
  reset(): void;
  /** When the vault locks if nothing happens, or null when not watching. */
  lockAt(): number | null;
};

/**
 * Locks the vault after `delayMs()` without activity. One timer, re-armed only when it
 * fires early (activity since), so a call per keystroke costs a clock read, not a timer.
 */
export function createIdleLock(options: {
  readonly clock: Clock;
  readonly timers: IdleTimers;
  readonly delayMs: () => number;
  readonly onIdle: () => void;
}): IdleLock {
  const { clock, timers } = options;
  let last = clock.now();
  let handle: unknown;
  let watching = false;

  const arm = (ms: number): void => {
    if (handle !== undefined) timers.clear(handle);
    handle = timers.set(check, Math.max(0, ms));
  };
  function check(): void {
    handle = undefined;
    if (!watching) return;
    const remaining = last + options.delayMs() - clock.now();
    if (remaining > 0) {
      arm(remaining);
      return;
    }
    watching = false;
    options.onIdle();
  }

  return {
    touch() {
      last = clock.now();
    },
    start() {
      watching = true;
      last = clock.now();
      arm(options.delayMs());
    },
    stop() {
      watching = false;
      if (handle !== undefined) timers.clear(handle);
      handle = undefined;
    },
    reset() {
      if (watching) arm(last + options.delayMs() - clock.now());
    },
    lockAt() {
      return watching ? last + options.delayMs() : null;
    },
  };
}
