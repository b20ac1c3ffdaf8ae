import { useEffect } from 'react';
import { useApi } from '../api/ApiProvider';

const MIN_INTERVAL_MS = 20_000;

/**
 * Tells the host the user is active (keys, clicks, scrolling), at most every 20 seconds:
 * the host owns the idle timer and locks the vault, so a renderer that hangs or is closed
 * cannot keep it open.
 */
export function useActivityPing(enabled: boolean): void {
  const api = useApi();
  useEffect(() => {
    if (!enabled) return;
    let last = 0;
    function onActivity(): void {
      const now = Date.now();
      if (now - last < MIN_INTERVAL_MS) return;
      last = now;
      api.call('activity:ping', {}).catch(() => undefined);
    }
    const events = ['keydown', 'pointerdown', 'wheel'] as const;
    for (const e of events) window.addEventListener(e, onActivity, { passive: true });
    onActivity();
    return () => {
      for (const e of events) window.removeEventListener(e, onActivity);
    };
  }, [api, enabled]);
}
