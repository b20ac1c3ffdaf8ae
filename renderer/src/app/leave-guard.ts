import { createContext, useCallback, useContext, useEffect } from 'react';

/** Where a form says it holds unsaved input; the shell asks before leaving the screen. */
export const LeaveGuardContext = createContext<(dirty: boolean) => void>(() => undefined);

/**
 * Marks the current screen as holding unsaved input while `dirty` is true. Returns
 * `release`, for a form that navigates right after saving (before it re-renders clean).
 */
export function useLeaveGuard(dirty: boolean): () => void {
  const setDirty = useContext(LeaveGuardContext);
  useEffect(() => {
    setDirty(dirty);
    return () => setDirty(false);
  }, [dirty, setDirty]);
  return useCallback(() => setDirty(false), [setDirty]);
}
