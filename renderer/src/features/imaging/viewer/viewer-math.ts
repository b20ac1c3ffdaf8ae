/**
 * The viewer's arithmetic, free of Cornerstone and of the DOM so it is tested on its own:
 * window/level from a drag, VOI presets, zoom steps, lengths in millimetres, the stack
 * index, cine timing, the canvas size on HiDPI screens, the order of a series' images.
 */

export type Voi = { readonly windowWidth: number; readonly windowCenter: number };

/** CT presets of the issue (width / centre in Hounsfield units). */
export const VOI_PRESETS = {
  softTissue: { windowWidth: 400, windowCenter: 40 },
  lung: { windowWidth: 1500, windowCenter: -600 },
  bone: { windowWidth: 2500, windowCenter: 480 },
  brain: { windowWidth: 80, windowCenter: 40 },
} as const satisfies Record<string, Voi>;
export type VoiPresetName = keyof typeof VOI_PRESETS;
export const VOI_PRESET_NAMES = Object.keys(VOI_PRESETS) as VoiPresetName[];

/** Narrowest window the drag gives: a width of 0 or less has no meaning in DICOM (C.11.2.1.2). */
export const MIN_WINDOW_WIDTH = 1;

/**
 * Window/level after a drag of (dx, dy) CSS pixels from where it started: right widens the
 * window (less contrast), down raises the centre (darker image), as in most viewers. The
 * step follows the image's range of values, so a 12-bit CT and an 8-bit US both need about
 * the same hand movement (a full screen width ≈ the whole range).
 */
export function windowLevelFromDrag(start: Voi, dx: number, dy: number, valueRange: number): Voi {
  const perPixel = Math.max(valueRange, 1) / 1024;
  return {
    windowWidth: Math.max(MIN_WINDOW_WIDTH, round2(start.windowWidth + dx * perPixel)),
    windowCenter: round2(start.windowCenter + dy * perPixel),
  };
}

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}

export const MIN_SCALE = 0.05;
export const MAX_SCALE = 40;

export function clampScale(scale: number): number {
  return Math.min(MAX_SCALE, Math.max(MIN_SCALE, scale));
}

/** Zoom by keyboard or wheel: one step is ×1.25 (or ÷1.25). */
export function zoomStep(scale: number, steps: number): number {
  return clampScale(scale * Math.pow(1.25, steps));
}

/** Zoom by a vertical drag: up enlarges, 100 CSS pixels double or halve the scale. */
export function zoomFromDrag(startScale: number, dy: number): number {
  return clampScale(startScale * Math.pow(2, -dy / 100));
}

export type Point = { readonly x: number; readonly y: number };

export type Length =
  { readonly unit: 'mm'; readonly value: number } | { readonly unit: 'px'; readonly value: number };

/**
 * Distance between two points in image pixel coordinates (x = column, y = row). Pixel
 * Spacing (0028,0030) is [row spacing, column spacing] in mm: the spacing between rows is
 * the height of a pixel, so y differences scale by the first value and x by the second.
 * Without it the length stays in pixels and the UI says it is not calibrated.
 */
export function measureLength(a: Point, b: Point, pixelSpacing?: readonly number[]): Length {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const row = pixelSpacing?.[0];
  const col = pixelSpacing?.[1];
  if (row !== undefined && col !== undefined && row > 0 && col > 0 && Number.isFinite(row + col)) {
    return { unit: 'mm', value: Math.hypot(dx * col, dy * row) };
  }
  return { unit: 'px', value: Math.hypot(dx, dy) };
}

/** Next index in a stack of `count` images: clamped at both ends (no wrap-around when scrolling). */
export function stackIndex(current: number, delta: number, count: number): number {
  if (count <= 0) return 0;
  return Math.min(count - 1, Math.max(0, Math.trunc(current + delta)));
}

/**
 * Wheel to images: a notch of a mouse wheel is 100 px (deltaMode 0) or 3 lines (mode 1);
 * touchpads send many small deltas, so they accumulate until one image's worth.
 */
export function wheelToSteps(
  accumulated: number,
  deltaY: number,
  deltaMode: number,
): { readonly steps: number; readonly rest: number } {
  const px = deltaMode === 1 ? deltaY * 33 : deltaMode === 2 ? deltaY * 800 : deltaY;
  const total = accumulated + px;
  const steps = Math.trunc(total / 100);
  if (steps !== 0) return { steps, rest: 0 };
  // A single notch smaller than 100 px (some mice send 53 or 120) still moves one image.
  if (Math.abs(px) >= 50) return { steps: Math.sign(px), rest: 0 };
  return { steps: 0, rest: total };
}

export const MIN_FPS = 1;
export const MAX_FPS = 60;
export const DEFAULT_FPS = 10;

export function clampFps(fps: number): number {
  if (!Number.isFinite(fps)) return DEFAULT_FPS;
  return Math.min(MAX_FPS, Math.max(MIN_FPS, Math.round(fps)));
}

/**
 * Which image cine shows at `now`: from the time and index it started at, at `fps`, looping.
 * Derived from the clock rather than counted per tick, so a slow frame (decoding, a busy
 * machine) skips images instead of slowing the loop down.
 */
export function cineIndexAt(
  startedAt: number,
  startIndex: number,
  now: number,
  fps: number,
  count: number,
): number {
  if (count <= 0) return 0;
  const elapsed = Math.max(0, now - startedAt);
  const advanced = Math.floor((elapsed * clampFps(fps)) / 1000);
  return (((startIndex + advanced) % count) + count) % count;
}

/** Time until the next image is due, for the timer between two renders. */
export function cineDelayUntilNext(startedAt: number, now: number, fps: number): number {
  const period = 1000 / clampFps(fps);
  const elapsed = Math.max(0, now - startedAt);
  return period - (elapsed % period);
}

/**
 * Canvas size in device pixels for a viewport of cssWidth × cssHeight CSS pixels: one canvas
 * pixel per screen pixel, so the image is not upscaled (blurred) by the browser on HiDPI.
 */
export function deviceCanvasSize(
  cssWidth: number,
  cssHeight: number,
  devicePixelRatio: number,
): { readonly width: number; readonly height: number; readonly ratio: number } {
  const ratio = Number.isFinite(devicePixelRatio) && devicePixelRatio > 0 ? devicePixelRatio : 1;
  return {
    width: Math.max(1, Math.round(cssWidth * ratio)),
    height: Math.max(1, Math.round(cssHeight * ratio)),
    ratio,
  };
}

/** Rotation in 90° steps, kept in [0, 360). */
export function rotateBy(rotation: number, degrees: number): number {
  return (((rotation + degrees) % 360) + 360) % 360;
}

export type StackInstance = {
  readonly sopInstanceUid: string;
  readonly instanceNumber?: number | undefined;
  readonly sliceLocation?: number | undefined;
  readonly imagePosition?: readonly number[] | undefined;
  readonly imageOrientation?: readonly number[] | undefined;
  readonly frames: number;
};

/** Position of a slice along the normal of its plane (mm), when position and orientation are known. */
function normalPosition(i: StackInstance): number | undefined {
  const p = i.imagePosition;
  const o = i.imageOrientation;
  if (!p || !o || p.length !== 3 || o.length !== 6) return undefined;
  const [r0 = 0, r1 = 0, r2 = 0, c0 = 0, c1 = 0, c2 = 0] = o;
  const n = [r1 * c2 - r2 * c1, r2 * c0 - r0 * c2, r0 * c1 - r1 * c0];
  return (p[0] ?? 0) * (n[0] ?? 0) + (p[1] ?? 0) * (n[1] ?? 0) + (p[2] ?? 0) * (n[2] ?? 0);
}

/**
 * Order of a series' instances in the stack: by Instance Number when every instance has a
 * distinct one, else by position along the slice normal (or Slice Location), then by UID so
 * the order never depends on the order of import.
 */
export function sortStack<T extends StackInstance>(instances: readonly T[]): T[] {
  const numbers = instances.map((i) => i.instanceNumber);
  const byNumber = numbers.every((n) => n !== undefined) && new Set(numbers).size === numbers.length;
  const key = (i: T): number | undefined =>
    byNumber ? i.instanceNumber : (normalPosition(i) ?? i.sliceLocation ?? i.instanceNumber);
  return [...instances].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    if (ka !== undefined && kb !== undefined && ka !== kb) return ka - kb;
    if (ka !== undefined && kb === undefined) return -1;
    if (ka === undefined && kb !== undefined) return 1;
    return a.sopInstanceUid < b.sopInstanceUid ? -1 : a.sopInstanceUid > b.sopInstanceUid ? 1 : 0;
  });
}

/** One entry of the stack: an instance, and the frame of it (0 for single-frame images). */
export type StackEntry<T extends StackInstance = StackInstance> = {
  readonly instance: T;
  readonly frame: number;
};

/** Every frame of every instance in stack order: a multi-frame instance spreads over its frames. */
export function stackEntries<T extends StackInstance>(instances: readonly T[]): StackEntry<T>[] {
  const out: StackEntry<T>[] = [];
  for (const instance of sortStack(instances)) {
    for (let frame = 0; frame < Math.max(1, instance.frames); frame++) out.push({ instance, frame });
  }
  return out;
}
