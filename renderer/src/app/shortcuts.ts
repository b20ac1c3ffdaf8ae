/** A key combination; `key` is KeyboardEvent.key, compared case-insensitively. */
export type Combo = {
  readonly key: string;
  readonly ctrl?: boolean;
  readonly shift?: boolean;
  readonly alt?: boolean;
};

/**
 * A shortcut has its main combination and, where a browser keeps the main one for itself
 * (Ctrl+N opens a window in Chromium, Ctrl+Shift+C its inspector), an alternative that
 * works in browser mode too. Both are shown in the UI.
 */
export type Shortcut = { readonly combos: readonly Combo[] };

export const SHORTCUTS = {
  newPatient: {
    combos: [
      { key: 'n', ctrl: true },
      { key: 'n', alt: true },
    ],
  },
  search: { combos: [{ key: 'k', ctrl: true }, { key: '/' }] },
  newConsultation: {
    combos: [
      { key: 'c', ctrl: true, shift: true },
      { key: 'c', alt: true },
    ],
  },
  save: { combos: [{ key: 's', ctrl: true }] },
  lock: { combos: [{ key: 'l', ctrl: true, shift: true }] },
  help: { combos: [{ key: 'F1' }, { key: '?' }] },
} as const satisfies Record<string, Shortcut>;
export type ShortcutName = keyof typeof SHORTCUTS;

/**
 * Keys of the image viewer, handled by the viewport while it has the focus (not global:
 * arrows and letters must keep their meaning elsewhere). Listed in the shortcut help.
 */
export const VIEWER_SHORTCUTS = {
  nextImage: { combos: [{ key: 'ArrowDown' }, { key: 'PageDown' }] },
  previousImage: { combos: [{ key: 'ArrowUp' }, { key: 'PageUp' }] },
  firstImage: { combos: [{ key: 'Home' }] },
  lastImage: { combos: [{ key: 'End' }] },
  cine: { combos: [{ key: 'p' }] },
  toolWindow: { combos: [{ key: 'w' }] },
  toolPan: { combos: [{ key: 'd' }] },
  toolZoom: { combos: [{ key: 'z' }] },
  toolMeasure: { combos: [{ key: 'l' }] },
  zoomIn: { combos: [{ key: '+' }, { key: '=' }] },
  zoomOut: { combos: [{ key: '-' }] },
  fileWindow: { combos: [{ key: 'f' }] },
  presetSoftTissue: { combos: [{ key: '1' }] },
  presetLung: { combos: [{ key: '2' }] },
  presetBone: { combos: [{ key: '3' }] },
  presetBrain: { combos: [{ key: '4' }] },
  invert: { combos: [{ key: 'i' }] },
  rotate: { combos: [{ key: 'r' }] },
  flipH: { combos: [{ key: 'h' }] },
  flipV: { combos: [{ key: 'v' }] },
  reset: { combos: [{ key: '0' }] },
  tags: { combos: [{ key: 't' }] },
} as const satisfies Record<string, Shortcut>;
export type ViewerShortcutName = keyof typeof VIEWER_SHORTCUTS;

/** The viewer action of a key press, if any (viewer keys are plain keys: no Ctrl/Alt). */
export function viewerShortcutOf(e: KeyLike): ViewerShortcutName | undefined {
  for (const [name, s] of Object.entries(VIEWER_SHORTCUTS) as [ViewerShortcutName, Shortcut][]) {
    if (isPlainKey(s, e)) return name;
  }
  return undefined;
}

export type KeyLike = {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly shiftKey: boolean;
  readonly altKey: boolean;
};

function matchesCombo(e: KeyLike, c: Combo): boolean {
  // Cmd on macOS plays Ctrl's part.
  const ctrl = e.ctrlKey || e.metaKey;
  if (ctrl !== (c.ctrl ?? false) || e.altKey !== (c.alt ?? false)) return false;
  // '/' and '?' are typed with Shift on many layouts: Shift only counts for letters.
  const letter = /^[a-z]$/i.test(c.key);
  if (letter && e.shiftKey !== (c.shift ?? false)) return false;
  return e.key.toLowerCase() === c.key.toLowerCase() || (letter && e.altKey && altLetter(e) === c.key);
}

// Alt+letter gives another character on macOS and some layouts ("ñ" for Alt+N): fall back to the physical key.
function altLetter(e: KeyLike): string | undefined {
  const code = (e as KeyLike & { code?: string }).code;
  return code && /^Key[A-Z]$/.test(code) ? code.slice(3).toLowerCase() : undefined;
}

export function matchesShortcut(e: KeyLike, s: Shortcut): boolean {
  return s.combos.some((c) => matchesCombo(e, c));
}

/** A plain key (no Ctrl/Alt) must not fire while the user types in a field. */
export function isPlainKey(s: Shortcut, e: KeyLike): boolean {
  return (
    s.combos.some((c) => !c.ctrl && !c.alt && matchesCombo(e, c)) && !(e.ctrlKey || e.metaKey || e.altKey)
  );
}

function comboLabel(c: Combo, ctrl: string, shift: string, alt: string): string {
  const parts: string[] = [];
  if (c.ctrl) parts.push(ctrl);
  if (c.alt) parts.push(alt);
  if (c.shift) parts.push(shift);
  parts.push(c.key.length === 1 ? c.key.toUpperCase() : c.key);
  return parts.join('+');
}

/** "Ctrl+N / Alt+N", with the modifier names in the UI language (Strg in German). */
export function shortcutLabel(s: Shortcut, ctrl: string, shift: string, alt = 'Alt'): string {
  return s.combos.map((c) => comboLabel(c, ctrl, shift, alt)).join(' / ');
}

/** The aria-keyshortcuts value ("Control+N Alt+N"): the key hint is announced as a property, not as part of the name. */
export function ariaKeyShortcuts(s: Shortcut): string {
  return s.combos
    .map((c) =>
      [
        c.ctrl ? 'Control' : '',
        c.alt ? 'Alt' : '',
        c.shift ? 'Shift' : '',
        c.key.length === 1 ? c.key.toUpperCase() : c.key,
      ]
        .filter(Boolean)
        .join('+'),
    )
    .join(' ');
}
