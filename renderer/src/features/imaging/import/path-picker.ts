/** What the Electron preload adds for the import (main/src/electron/pick-paths.ts). */
export type PickKind = 'files' | 'folder' | 'dicomdir';
export type PathPicker = (kind: PickKind, title: string) => Promise<string[]>;

/**
 * The native open dialog when the page runs in Electron; undefined in browser mode, where
 * the host runs on this same machine and the user types (or pastes) the paths instead.
 */
export function pathPickerOf(win: Window): PathPicker | undefined {
  const bridge = (win as Window & { clinique?: unknown }).clinique;
  if (typeof bridge !== 'object' || bridge === null) return undefined;
  const pick = (bridge as { pickPaths?: unknown }).pickPaths;
  if (typeof pick !== 'function') return undefined;
  return async (kind, title) => {
    const answer: unknown = await (pick as (r: unknown) => Promise<unknown>)({ kind, title });
    return Array.isArray(answer) ? answer.filter((p): p is string => typeof p === 'string' && p !== '') : [];
  };
}
