/* eslint-disable security/detect-non-literal-fs-filename -- the state file lives in the app's data folder, chosen by the app. */
// Window position and size remembered between launches. The file is untrusted input (it
// may be damaged or edited, or the screen it was saved on may be gone): it is parsed and
// fitted to the current displays before use. No 'electron' import.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { readFileIfExists, writeFileAtomic } from '../vault/atomic-file';

export const WINDOW_STATE_FILE = 'window-state.json';

export type Rectangle = { readonly x: number; readonly y: number; readonly width: number; readonly height: number };

export type WindowState = {
  readonly bounds: Rectangle;
  readonly maximized: boolean;
};

export type WindowLimits = {
  readonly defaultWidth: number;
  readonly defaultHeight: number;
  readonly minWidth: number;
  readonly minHeight: number;
};

const MAX_COORDINATE = 100_000;
const coordinate = z.number().int().min(-MAX_COORDINATE).max(MAX_COORDINATE);
const length = z.number().int().min(1).max(MAX_COORDINATE);

const WindowStateSchema = z
  .object({
    bounds: z.object({ x: coordinate, y: coordinate, width: length, height: length }).strict(),
    maximized: z.boolean(),
  })
  .strict();

/** Parses the stored JSON text; anything malformed gives undefined (the defaults are used). */
export function parseWindowState(text: string | undefined): WindowState | undefined {
  if (text === undefined || text.length > 4096) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = WindowStateSchema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}

function overlapArea(a: Rectangle, b: Rectangle): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/**
 * The bounds to open the window with, given the displays' work areas (primary first).
 * A saved window is put on the display it overlaps most, shrunk to fit it and moved fully
 * onto it; when it overlaps none (screen unplugged), or nothing was saved, the window is
 * centred on the primary display with the default size.
 */
export function fitWindowState(
  saved: WindowState | undefined,
  workAreas: readonly Rectangle[],
  limits: WindowLimits,
): { bounds: Rectangle; maximized: boolean; centred: boolean } {
  const primary = workAreas[0] ?? { x: 0, y: 0, width: limits.defaultWidth, height: limits.defaultHeight };
  const centre = (area: Rectangle, width: number, height: number) => {
    const w = Math.min(width, area.width);
    const h = Math.min(height, area.height);
    return { x: area.x + Math.round((area.width - w) / 2), y: area.y + Math.round((area.height - h) / 2), width: w, height: h };
  };
  if (!saved) return { bounds: centre(primary, limits.defaultWidth, limits.defaultHeight), maximized: false, centred: true };
  let best: Rectangle | undefined;
  let bestArea = 0;
  for (const area of workAreas) {
    const overlap = overlapArea(saved.bounds, area);
    if (overlap > bestArea) {
      best = area;
      bestArea = overlap;
    }
  }
  if (!best) return { bounds: centre(primary, limits.defaultWidth, limits.defaultHeight), maximized: saved.maximized, centred: true };
  const width = Math.min(Math.max(saved.bounds.width, limits.minWidth), best.width);
  const height = Math.min(Math.max(saved.bounds.height, limits.minHeight), best.height);
  const x = Math.min(Math.max(saved.bounds.x, best.x), best.x + best.width - width);
  const y = Math.min(Math.max(saved.bounds.y, best.y), best.y + best.height - height);
  return { bounds: { x, y, width, height }, maximized: saved.maximized, centred: false };
}

export function loadWindowState(dataDir: string): WindowState | undefined {
  try {
    return parseWindowState(readFileIfExists(path.join(dataDir, WINDOW_STATE_FILE))?.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** Written atomically (a crash never leaves half a file); failures are ignored: it is a convenience. */
export function saveWindowState(dataDir: string, state: WindowState): boolean {
  const parsed = WindowStateSchema.safeParse({
    bounds: {
      x: Math.round(state.bounds.x),
      y: Math.round(state.bounds.y),
      width: Math.round(state.bounds.width),
      height: Math.round(state.bounds.height),
    },
    maximized: state.maximized,
  });
  if (!parsed.success) return false;
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    writeFileAtomic(path.join(dataDir, WINDOW_STATE_FILE), `${JSON.stringify(parsed.data)}\n`, 0o600);
    return true;
  } catch {
    return false;
  }
}
