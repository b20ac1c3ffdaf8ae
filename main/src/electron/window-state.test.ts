/* eslint-disable security/detect-non-literal-fs-filename -- test files in a temp folder the test creates. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fitWindowState, loadWindowState, parseWindowState, saveWindowState, WINDOW_STATE_FILE } from './window-state';

const limits = { defaultWidth: 1280, defaultHeight: 800, minWidth: 900, minHeight: 600 };
const primary = { x: 0, y: 0, width: 1920, height: 1040 };
const right = { x: 1920, y: 0, width: 1280, height: 1000 };

describe('parseWindowState', () => {
  it('reads a valid state and refuses anything else', () => {
    const good = { bounds: { x: 10, y: 20, width: 1000, height: 700 }, maximized: false };
    expect(parseWindowState(JSON.stringify(good))).toEqual(good);
    for (const text of [
      undefined,
      '',
      'not json',
      'null',
      '[]',
      JSON.stringify({ bounds: { x: 1, y: 2, width: 0, height: 700 }, maximized: false }),
      JSON.stringify({ bounds: { x: 1.5, y: 2, width: 900, height: 700 }, maximized: false }),
      JSON.stringify({ bounds: { x: 1e9, y: 2, width: 900, height: 700 }, maximized: false }),
      JSON.stringify({ bounds: { x: 1, y: 2, width: 900, height: 700 }, maximized: 'yes' }),
      JSON.stringify({ bounds: { x: 1, y: 2, width: 900, height: 700 }, maximized: false, extra: 1 }),
      JSON.stringify({ bounds: { x: '1', y: 2, width: 900, height: 700 }, maximized: false }),
      'x'.repeat(5000),
    ]) {
      expect(parseWindowState(text), String(text).slice(0, 40)).toBeUndefined();
    }
  });
});

describe('fitWindowState', () => {
  it('centres the default size on the primary display when nothing was saved', () => {
    expect(fitWindowState(undefined, [primary, right], limits)).toEqual({
      bounds: { x: 320, y: 120, width: 1280, height: 800 },
      maximized: false,
      centred: true,
    });
  });

  it('keeps a saved window that fits its display', () => {
    const saved = { bounds: { x: 2000, y: 50, width: 1000, height: 700 }, maximized: true };
    expect(fitWindowState(saved, [primary, right], limits)).toEqual({ bounds: saved.bounds, maximized: true, centred: false });
  });

  it('moves a window partly off its display back onto it and shrinks it to fit', () => {
    const saved = { bounds: { x: 2800, y: -100, width: 2000, height: 1400 }, maximized: false };
    expect(fitWindowState(saved, [primary, right], limits).bounds).toEqual({ x: 1920, y: 0, width: 1280, height: 1000 });
  });

  it('recentres a window whose display was unplugged, and enforces the minimum size', () => {
    const gone = { bounds: { x: 5000, y: 5000, width: 1000, height: 700 }, maximized: false };
    expect(fitWindowState(gone, [primary], limits)).toMatchObject({ centred: true, bounds: { width: 1280, height: 800 } });
    const tiny = { bounds: { x: 10, y: 10, width: 100, height: 50 }, maximized: false };
    expect(fitWindowState(tiny, [primary], limits).bounds).toEqual({ x: 10, y: 10, width: 900, height: 600 });
  });
});

describe('window state file', () => {
  it('round-trips through an owner-only file and ignores a damaged one', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'window-state-'));
    try {
      expect(loadWindowState(dir)).toBeUndefined();
      expect(saveWindowState(dir, { bounds: { x: 10.4, y: 20, width: 1000, height: 700 }, maximized: false })).toBe(true);
      expect(loadWindowState(dir)).toEqual({ bounds: { x: 10, y: 20, width: 1000, height: 700 }, maximized: false });
      if (process.platform !== 'win32') expect(fs.statSync(path.join(dir, WINDOW_STATE_FILE)).mode & 0o777).toBe(0o600);
      fs.writeFileSync(path.join(dir, WINDOW_STATE_FILE), '{"bounds":');
      expect(loadWindowState(dir)).toBeUndefined();
      expect(saveWindowState(dir, { bounds: { x: Number.NaN, y: 0, width: 1, height: 1 }, maximized: false })).toBe(false);
      expect(saveWindowState(path.join(dir, 'missing', 'deeper'), { bounds: { x: 0, y: 0, width: 900, height: 600 }, maximized: false })).toBe(true);
      fs.writeFileSync(path.join(dir, 'a-file'), '');
      expect(saveWindowState(path.join(dir, 'a-file', 'below'), { bounds: { x: 0, y: 0, width: 900, height: 600 }, maximized: false })).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
