import { useEffect, useRef } from 'react';
import type { ShortcutName } from './shortcuts';
import { isPlainKey, matchesShortcut, SHORTCUTS } from './shortcuts';

export type ShortcutHandlers = Partial<Record<ShortcutName, () => void>>;

function typingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/** Global shortcuts of the current screen; handlers are read at key time, so they may change every render. */
export function useShortcuts(handlers: ShortcutHandlers): void {
  const latest = useRef(handlers);
  useEffect(() => {
    latest.current = handlers;
  });
  useEffect(() => {
    function onKey(e: KeyboardEvent): void {
      for (const [name, shortcut] of Object.entries(SHORTCUTS) as [
        ShortcutName,
        (typeof SHORTCUTS)[ShortcutName],
      ][]) {
        const handler = latest.current[name];
        if (!handler || !matchesShortcut(e, shortcut)) continue;
        if (isPlainKey(shortcut, e) && typingTarget(e.target)) continue;
        e.preventDefault();
        handler();
        return;
      }
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
