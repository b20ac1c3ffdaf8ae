import { describe, expect, it } from 'vitest';
import type { KeyLike } from './shortcuts';
import {
  ariaKeyShortcuts,
  isPlainKey,
  matchesShortcut,
  SHORTCUTS,
  shortcutLabel,
  VIEWER_SHORTCUTS,
  viewerShortcutOf,
} from './shortcuts';

function key(k: string, mods: Partial<Omit<KeyLike, 'key'>> & { code?: string } = {}): KeyLike {
  return { key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods };
}

describe('shortcuts', () => {
  it('matches the main and the browser-safe combinations', () => {
    expect(matchesShortcut(key('n', { ctrlKey: true }), SHORTCUTS.newPatient)).toBe(true);
    expect(matchesShortcut(key('N', { ctrlKey: true, shiftKey: true }), SHORTCUTS.newPatient)).toBe(false);
    expect(matchesShortcut(key('ñ', { altKey: true, code: 'KeyN' }), SHORTCUTS.newPatient)).toBe(true);
    expect(matchesShortcut(key('C', { ctrlKey: true, shiftKey: true }), SHORTCUTS.newConsultation)).toBe(
      true,
    );
    expect(matchesShortcut(key('c', { ctrlKey: true }), SHORTCUTS.newConsultation)).toBe(false);
    expect(matchesShortcut(key('s', { metaKey: true }), SHORTCUTS.save)).toBe(true);
    expect(matchesShortcut(key('/', { shiftKey: true }), SHORTCUTS.search)).toBe(true);
  });

  it('treats "/" as a plain key (ignored while typing) and Ctrl+K as not', () => {
    expect(isPlainKey(SHORTCUTS.search, key('/'))).toBe(true);
    expect(isPlainKey(SHORTCUTS.search, key('k', { ctrlKey: true }))).toBe(false);
  });

  it('labels combinations with the modifier names of the language', () => {
    expect(shortcutLabel(SHORTCUTS.newConsultation, 'Strg', 'Umschalt')).toBe('Strg+Umschalt+C / Alt+C');
    expect(shortcutLabel(SHORTCUTS.search, 'Ctrl', 'Maj')).toBe('Ctrl+K / /');
    expect(shortcutLabel(SHORTCUTS.help, 'Ctrl', 'Shift')).toBe('F1 / ?');
  });

  it('gives aria-keyshortcuts values in the ARIA syntax', () => {
    expect(ariaKeyShortcuts(SHORTCUTS.newConsultation)).toBe('Control+Shift+C Alt+C');
    expect(ariaKeyShortcuts(SHORTCUTS.search)).toBe('Control+K /');
  });
});

describe('viewer shortcuts', () => {
  it('maps plain keys to viewer actions, never a key with Ctrl or Alt', () => {
    expect(viewerShortcutOf(key('ArrowDown'))).toBe('nextImage');
    expect(viewerShortcutOf(key('PageUp'))).toBe('previousImage');
    expect(viewerShortcutOf(key('+', { shiftKey: true }))).toBe('zoomIn');
    expect(viewerShortcutOf(key('3'))).toBe('presetBone');
    expect(viewerShortcutOf(key('i'))).toBe('invert');
    expect(viewerShortcutOf(key('I', { shiftKey: true }))).toBeUndefined();
    expect(viewerShortcutOf(key('r', { ctrlKey: true }))).toBeUndefined();
    expect(viewerShortcutOf(key('q'))).toBeUndefined();
  });

  it('gives every viewer key to one action only', () => {
    const seen = new Map<string, string>();
    for (const [name, s] of Object.entries(VIEWER_SHORTCUTS)) {
      for (const c of s.combos) {
        expect(seen.get(c.key.toLowerCase()), `${c.key} of ${name}`).toBeUndefined();
        seen.set(c.key.toLowerCase(), name);
      }
    }
  });
});
