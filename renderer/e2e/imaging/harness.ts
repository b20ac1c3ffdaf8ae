// Test page of the imaging pipeline (bundled by scripts/build-renderer.mjs like the app):
// cornerstone-core with the vault loader, instance bytes from the test's HTTP server.
// The test drives it through window.pipelineHarness.
import * as cornerstone from 'cornerstone-core';
import type { CornerstoneLike } from '../../src/features/imaging/pipeline';
import {
  cornerstoneVoi,
  getInstanceMetadata,
  registerVaultImageLoader,
} from '../../src/features/imaging/pipeline';

type Rendered = {
  readonly ok: true;
  readonly width: number;
  readonly height: number;
  readonly color: boolean;
  readonly invert: boolean;
  readonly windowCenter: number;
  readonly windowWidth: number;
  /** Canvas RGBA, base64. */
  readonly rgba: string;
  readonly loadMs: number;
};
type Failed = { readonly ok: false; readonly code: string; readonly name: string; readonly cause: string };

/** Milliseconds spent in fetchBytes (the test server's part of a load). */
let fetchMs = 0;

registerVaultImageLoader(cornerstone as unknown as CornerstoneLike, async (studyId, sop) => {
  const started = performance.now();
  const response = await fetch(`/bytes/${encodeURIComponent(studyId)}/${encodeURIComponent(sop)}`);
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const bytes = await response.arrayBuffer();
  fetchMs += performance.now() - started;
  return bytes;
});

function base64(bytes: Uint8ClampedArray): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

/**
 * Renders one image at 1:1 (an element of exactly columns × rows CSS pixels, scale 1, no
 * smoothing) with the given window or the image's own, and returns the canvas pixels.
 */
async function render(imageId: string, voi?: { center: number; width: number }): Promise<Rendered | Failed> {
  const started = performance.now();
  let image: cornerstone.Image;
  try {
    image = await cornerstone.loadAndCacheImage(imageId);
  } catch (error) {
    const e = error as { code?: unknown; name?: unknown; cause?: unknown };
    return {
      ok: false,
      code: typeof e.code === 'string' ? e.code : 'none',
      name: typeof e.name === 'string' ? e.name : typeof error,
      cause: String(e.cause),
    };
  }
  const loadMs = performance.now() - started;
  const element = document.createElement('div');
  element.style.width = `${image.columns}px`;
  element.style.height = `${image.rows}px`;
  document.body.replaceChildren(element);
  cornerstone.enable(element);
  // cornerstone-core draws on the next animation frame.
  const rendered = new Promise<void>((resolve) =>
    element.addEventListener(cornerstone.EVENTS.IMAGE_RENDERED, () => resolve(), { once: true }),
  );
  const windowCenter = voi?.center ?? image.windowCenter;
  const windowWidth = voi?.width ?? image.windowWidth;
  // Colour images keep the loader's identity window; grey ones get DICOM's VOI formula.
  const applied = image.color ? { windowCenter, windowWidth } : cornerstoneVoi(windowCenter, windowWidth);
  cornerstone.displayImage(element, image, {
    scale: 1,
    translation: { x: 0, y: 0 },
    voi: applied,
    invert: image.invert,
    pixelReplication: true,
    // One canvas pixel per image pixel: no correction of non-square pixels (which the viewer keeps).
    displayedArea: {
      tlhc: { x: 1, y: 1 },
      brhc: { x: image.columns, y: image.rows },
      rowPixelSpacing: 1,
      columnPixelSpacing: 1,
      presentationSizeMode: 'TRUE SIZE',
    },
    rotation: 0,
    hflip: false,
    vflip: false,
  } as cornerstone.Viewport);
  await rendered;
  const canvas = element.querySelector('canvas');
  if (!canvas) throw new Error('no canvas');
  if (canvas.width !== image.columns || canvas.height !== image.rows)
    throw new Error(`canvas ${canvas.width}x${canvas.height}`);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no 2d context');
  const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
  const out: Rendered = {
    ok: true,
    width: canvas.width,
    height: canvas.height,
    color: image.color,
    invert: image.invert,
    windowCenter,
    windowWidth,
    rgba: base64(data),
    loadMs,
  };
  cornerstone.disable(element);
  return out;
}

type StackTiming = {
  /** From asking for the image to its pixels on the canvas. */
  readonly totalMs: number;
  /** The loader's part: fetch, parse, decode (0 when cornerstone's cache had the image). */
  readonly loadMs: number;
  /** cornerstone-core's own drawing time (LUT, canvas). */
  readonly renderMs: number;
  /** fetchBytes' part of loadMs. */
  readonly fetchMs: number;
};

/**
 * Shows a stack one image after the other in one 512×512 element, each as soon as the
 * previous one is on the canvas (load, decode, render).
 */
async function stack(imageIds: readonly string[]): Promise<StackTiming[]> {
  const element = document.createElement('div');
  element.style.width = '512px';
  element.style.height = '512px';
  document.body.replaceChildren(element);
  cornerstone.enable(element);
  const times: StackTiming[] = [];
  for (const imageId of imageIds) {
    const started = performance.now();
    const loadStarted = performance.now();
    const fetchedBefore = fetchMs;
    const image = await cornerstone.loadAndCacheImage(imageId);
    const loadMs = performance.now() - loadStarted;
    const rendered = new Promise<number>((resolve) =>
      element.addEventListener(
        cornerstone.EVENTS.IMAGE_RENDERED,
        (event) =>
          resolve(
            Number((event as CustomEvent<{ renderTimeInMs?: number }>).detail.renderTimeInMs ?? Number.NaN),
          ),
        { once: true },
      ),
    );
    cornerstone.displayImage(element, image);
    const renderMs = await rendered;
    times.push({ totalMs: performance.now() - started, loadMs, renderMs, fetchMs: fetchMs - fetchedBefore });
  }
  cornerstone.disable(element);
  return times;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions -- augmenting the DOM's Window needs an interface.
  interface Window {
    pipelineHarness: { render: typeof render; stack: typeof stack; metadata: typeof getInstanceMetadata };
  }
}
window.pipelineHarness = { render, stack, metadata: getInstanceMetadata };
document.documentElement.dataset['ready'] = 'true';
