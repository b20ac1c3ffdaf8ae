import { useEffect, useRef, useState } from 'react';
import { useApi } from '../api/ApiProvider';
import { useApiEvent } from '../api/useApiEvent';

const MIN_INTERVAL_MS = 20_000;
/** How long before the idle lock the warning shows (at most a third of a short delay). */
export const LOCK_WARNING_MS = 60_000;

/**
 * Tells the host the user is active (keys, clicks, scrolling), at most every 20 seconds:
 * the host owns the idle timer and locks the vault, so a renderer that hangs or is closed
 * cannot keep it open. Returns whether the lock is near (the host's lockAt, from the
 * last ping, less than a minute away), so the screen can warn; activity while warned
 * pings at once.
 */
export function useActivityPing(enabled: boolean): { lockSoon: boolean; secondsLeft: number } {
  const api = useApi();
  const [lock, setLock] = useState<{ at: number; warnMs: number } | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const warned = useRef(false);
  const force = useRef<() => void>(() => undefined);
  // A new lock delay makes the known lockAt wrong: ask again at once.
  useApiEvent('settings:changed', () => force.current());

  useEffect(() => {
    if (!enabled) return;
    let last = 0;
    function onActivity(forced = false): void {
      const t = Date.now();
      if (t - last < MIN_INTERVAL_MS && !warned.current && !forced) return;
      last = t;
      api
        .call('activity:ping', {})
        .then((r) => {
          if (r.lockAt === null) return setLock(null);
          const at = Date.parse(r.lockAt);
          setLock({ at, warnMs: Math.min(LOCK_WARNING_MS, (at - t) / 3) });
        })
        .catch(() => undefined);
    }
    const listener = () => onActivity();
    force.current = () => onActivity(true);
    const events = ['keydown', 'pointerdown', 'wheel'] as const;
    for (const e of events) window.addEventListener(e, listener, { passive: true });
    onActivity();
    return () => {
      force.current = () => undefined;
      for (const e of events) window.removeEventListener(e, listener);
    };
  }, [api, enabled]);

  useEffect(() => {
    if (lock === null) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [lock]);

  const left = lock === null ? Infinity : lock.at - now;
  const lockSoon = lock !== null && left <= lock.warnMs && left > 0;
  warned.current = lockSoon;
  return { lockSoon, secondsLeft: Math.max(0, Math.ceil(left / 1000)) };
}
