import { describe, expect, it } from 'vitest';
import {
  cineDelayUntilNext,
  cineIndexAt,
  clampFps,
  deviceCanvasSize,
  measureLength,
  MIN_WINDOW_WIDTH,
  rotateBy,
  sortStack,
  stackEntries,
  stackIndex,
  VOI_PRESETS,
  wheelToSteps,
  windowLevelFromDrag,
  zoomFromDrag,
  zoomStep,
} from './viewer-math';

describe('VOI presets', () => {
  it('are the CT windows of the issue', () => {
    expect(VOI_PRESETS).toEqual({
      softTissue: { windowWidth: 400, windowCenter: 40 },
      lung: { windowWidth: 1500, windowCenter: -600 },
      bone: { windowWidth: 2500, windowCenter: 480 },
      brain: { windowWidth: 80, windowCenter: 40 },
    });
  });
});

describe('window/level from a drag', () => {
  const start = { windowWidth: 400, windowCenter: 40 };
  it('right widens, down raises the centre, by the range over 1024 per pixel', () => {
    expect(windowLevelFromDrag(start, 100, 0, 4096)).toEqual({ windowWidth: 800, windowCenter: 40 });
    expect(windowLevelFromDrag(start, 0, 50, 4096)).toEqual({ windowWidth: 400, windowCenter: 240 });
    expect(windowLevelFromDrag(start, -10, -10, 1024)).toEqual({ windowWidth: 390, windowCenter: 30 });
  });
  it('never gives a width below 1, and a flat image still moves', () => {
    expect(windowLevelFromDrag(start, -10_000, 0, 4096).windowWidth).toBe(MIN_WINDOW_WIDTH);
    expect(windowLevelFromDrag({ windowWidth: 1, windowCenter: 0 }, 1024, 0, 0).windowWidth).toBe(2);
  });
  it('is back where it started when the pointer comes back', () => {
    const moved = windowLevelFromDrag(start, 37, -12, 2500);
    expect(moved).not.toEqual(start);
    expect(windowLevelFromDrag(start, 0, 0, 2500)).toEqual(start);
  });
});

describe('zoom', () => {
  it('steps by 1.25 and drags by powers of two, within bounds', () => {
    expect(zoomStep(1, 1)).toBeCloseTo(1.25);
    expect(zoomStep(1, -2)).toBeCloseTo(0.64);
    expect(zoomFromDrag(1, -100)).toBeCloseTo(2);
    expect(zoomFromDrag(1, 100)).toBeCloseTo(0.5);
    expect(zoomStep(1, 1000)).toBe(40);
    expect(zoomFromDrag(1, 10_000)).toBe(0.05);
  });
});

describe('length measurement', () => {
  it('uses Pixel Spacing as [row spacing, column spacing] in mm', () => {
    // 30 columns × 0.5 mm and 40 rows × 0.75 mm: a 15 × 30 mm right triangle.
    const l = measureLength({ x: 10, y: 10 }, { x: 40, y: 50 }, [0.75, 0.5]);
    expect(l.unit).toBe('mm');
    expect(l.value).toBeCloseTo(Math.hypot(15, 30), 10);
    expect(measureLength({ x: 0, y: 0 }, { x: 3, y: 4 }, [1, 1])).toEqual({ unit: 'mm', value: 5 });
  });
  it('stays in pixels without a usable spacing', () => {
    expect(measureLength({ x: 0, y: 0 }, { x: 3, y: 4 })).toEqual({ unit: 'px', value: 5 });
    expect(measureLength({ x: 0, y: 0 }, { x: 3, y: 4 }, [0, 1])).toEqual({ unit: 'px', value: 5 });
    expect(measureLength({ x: 0, y: 0 }, { x: 3, y: 4 }, [1])).toEqual({ unit: 'px', value: 5 });
  });
});

describe('stack index', () => {
  it('clamps at both ends', () => {
    expect(stackIndex(0, -1, 10)).toBe(0);
    expect(stackIndex(9, 1, 10)).toBe(9);
    expect(stackIndex(4, 3, 10)).toBe(7);
    expect(stackIndex(4, -100, 10)).toBe(0);
    expect(stackIndex(3, 1, 0)).toBe(0);
  });
  it('turns wheel deltas into images: notches move one, touchpad deltas accumulate', () => {
    expect(wheelToSteps(0, 100, 0)).toEqual({ steps: 1, rest: 0 });
    expect(wheelToSteps(0, -53, 0)).toEqual({ steps: -1, rest: 0 });
    expect(wheelToSteps(0, 3, 1)).toEqual({ steps: 1, rest: 0 });
    let acc = 0;
    let moved = 0;
    for (let i = 0; i < 30; i++) {
      const r = wheelToSteps(acc, 10, 0);
      acc = r.rest;
      moved += r.steps;
    }
    expect(moved).toBe(3);
  });
});

describe('cine timing', () => {
  it('derives the image from the clock, looping over the stack', () => {
    expect(cineIndexAt(1000, 0, 1000, 10, 5)).toBe(0);
    expect(cineIndexAt(1000, 0, 1099, 10, 5)).toBe(0);
    expect(cineIndexAt(1000, 0, 1100, 10, 5)).toBe(1);
    expect(cineIndexAt(1000, 3, 1250, 10, 5)).toBe(0);
    // A late timer skips images instead of slowing down: 1 s at 20 fps is 20 images.
    expect(cineIndexAt(0, 0, 1000, 20, 100)).toBe(20);
  });
  it('waits until the next image is due', () => {
    expect(cineDelayUntilNext(0, 0, 10)).toBe(100);
    expect(cineDelayUntilNext(0, 130, 10)).toBeCloseTo(70);
    expect(cineDelayUntilNext(0, 130, 25)).toBeCloseTo(30);
  });
  it('keeps the rate between 1 and 60 images per second', () => {
    expect(clampFps(0)).toBe(1);
    expect(clampFps(500)).toBe(60);
    expect(clampFps(Number.NaN)).toBe(10);
    expect(clampFps(12.4)).toBe(12);
  });
});

describe('HiDPI canvas and rotation', () => {
  it('sizes the canvas in device pixels', () => {
    expect(deviceCanvasSize(512, 400, 2)).toEqual({ width: 1024, height: 800, ratio: 2 });
    expect(deviceCanvasSize(101, 33, 1.5)).toEqual({ width: 152, height: 50, ratio: 1.5 });
    expect(deviceCanvasSize(100, 100, 0)).toEqual({ width: 100, height: 100, ratio: 1 });
  });
  it('rotates in [0, 360)', () => {
    expect(rotateBy(270, 90)).toBe(0);
    expect(rotateBy(0, -90)).toBe(270);
  });
});

describe('stack order', () => {
  const axial = [1, 0, 0, 0, 1, 0];
  it('follows Instance Number when every instance has its own', () => {
    const s = sortStack([
      { sopInstanceUid: '1.3', instanceNumber: 3, frames: 1 },
      { sopInstanceUid: '1.1', instanceNumber: 1, frames: 1 },
      { sopInstanceUid: '1.2', instanceNumber: 2, frames: 1 },
    ]);
    expect(s.map((i) => i.sopInstanceUid)).toEqual(['1.1', '1.2', '1.3']);
  });
  it('falls back to the position along the slice normal when numbers repeat', () => {
    const s = sortStack([
      {
        sopInstanceUid: '1.1',
        instanceNumber: 1,
        imagePosition: [0, 0, 10],
        imageOrientation: axial,
        frames: 1,
      },
      {
        sopInstanceUid: '1.2',
        instanceNumber: 1,
        imagePosition: [0, 0, -5],
        imageOrientation: axial,
        frames: 1,
      },
      {
        sopInstanceUid: '1.3',
        instanceNumber: 1,
        imagePosition: [0, 0, 2.5],
        imageOrientation: axial,
        frames: 1,
      },
    ]);
    expect(s.map((i) => i.sopInstanceUid)).toEqual(['1.2', '1.3', '1.1']);
  });
  it('spreads multi-frame instances over their frames', () => {
    const e = stackEntries([
      { sopInstanceUid: '1.2', instanceNumber: 2, frames: 1 },
      { sopInstanceUid: '1.1', instanceNumber: 1, frames: 3 },
    ]);
    expect(e.map((x) => `${x.instance.sopInstanceUid}#${x.frame}`)).toEqual([
      '1.1#0',
      '1.1#1',
      '1.1#2',
      '1.2#0',
    ]);
  });
});
