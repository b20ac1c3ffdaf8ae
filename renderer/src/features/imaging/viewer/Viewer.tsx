import * as cornerstone from 'cornerstone-core';
import type { KeyboardEvent as ReactKeyboardEvent, PointerEvent as ReactPointerEvent } from 'react';
import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ViewerShortcutName } from '../../../app/shortcuts';
import { ariaKeyShortcuts, VIEWER_SHORTCUTS, viewerShortcutOf } from '../../../app/shortcuts';
import { formatPersonName, parsePersonName } from '../../../../../shared/src/dicom/person-name';
import type { ErrorPayload } from '../../../../../shared/src/errors';
import { formatBirthDate, formatNumber } from '../../../i18n/format';
import { useErrorText, useLocale } from '../../../i18n/useLocale';
import { TagBrowser } from './TagBrowser';
import type { Length, Point, Voi, VoiPresetName } from './viewer-math';
import {
  cineDelayUntilNext,
  cineIndexAt,
  clampFps,
  DEFAULT_FPS,
  deviceCanvasSize,
  MAX_FPS,
  measureLength,
  MIN_FPS,
  rotateBy,
  stackEntries,
  stackIndex,
  VOI_PRESET_NAMES,
  VOI_PRESETS,
  wheelToSteps,
  windowLevelFromDrag,
  zoomFromDrag,
  zoomStep,
} from './viewer-math';
import type { InstanceView, SeriesView, StudyView, ViewerImageSource } from './viewer-types';
import { cornerstoneVoi, dicomVoi, imageIdsForInstance } from '../pipeline';
import { displayErrorOf } from './viewer-types';
import { createStackPrefetcher } from './stack-prefetch';
import '../imaging.css';

type Tool = 'window' | 'pan' | 'zoom' | 'measure';
const TOOLS: readonly Tool[] = ['window', 'pan', 'zoom', 'measure'];
const TOOL_KEYS = {
  window: 'imaging.viewer.tool.window',
  pan: 'imaging.viewer.tool.pan',
  zoom: 'imaging.viewer.tool.zoom',
  measure: 'imaging.viewer.tool.measure',
} as const satisfies Record<Tool, string>;
const TOOL_SHORTCUTS = {
  window: VIEWER_SHORTCUTS.toolWindow,
  pan: VIEWER_SHORTCUTS.toolPan,
  zoom: VIEWER_SHORTCUTS.toolZoom,
  measure: VIEWER_SHORTCUTS.toolMeasure,
} as const;
const PRESET_KEYS = {
  softTissue: 'imaging.viewer.preset.softTissue',
  lung: 'imaging.viewer.preset.lung',
  bone: 'imaging.viewer.preset.bone',
  brain: 'imaging.viewer.preset.brain',
} as const satisfies Record<VoiPresetName, string>;

type Line = { readonly a: Point; readonly b: Point };

/**
 * Windows are DICOM values everywhere in the viewer (presets, the file's window, the drag,
 * the overlay); Cornerstone gets them through the pipeline's conversion, so its linear VOI
 * is DICOM's (the canvas then equals dcmtk's rendering). Colour images keep Cornerstone's
 * identity window (255 / 127.5) unconverted.
 */
function toCornerstoneVoi(v: Voi, color: boolean): Voi {
  return color ? v : cornerstoneVoi(v.windowCenter, v.windowWidth);
}
function fromCornerstoneVoi(v: Voi, color: boolean): Voi {
  if (color) return v;
  const d = dicomVoi(v.windowCenter, v.windowWidth);
  return { windowWidth: d.width, windowCenter: d.center };
}

/** What the overlays show, mirrored from Cornerstone's viewport after each render. */
type ViewState = {
  readonly voi: Voi;
  readonly scale: number;
  readonly invert: boolean;
  readonly rotation: number;
  readonly hflip: boolean;
  readonly vflip: boolean;
};

function sameView(a: ViewState, b: ViewState): boolean {
  return (
    a.voi.windowCenter === b.voi.windowCenter &&
    a.voi.windowWidth === b.voi.windowWidth &&
    a.scale === b.scale &&
    a.invert === b.invert &&
    a.rotation === b.rotation &&
    a.hflip === b.hflip &&
    a.vflip === b.vflip
  );
}

type Drag = {
  readonly pointerId: number;
  readonly tool: Tool;
  readonly x: number;
  readonly y: number;
  readonly viewport: cornerstone.Viewport;
  readonly start?: Point;
};

export function seriesLabel(s: SeriesView, numberLabel: (n: number) => string): string {
  const parts = [s.modality];
  if (s.seriesNumber !== undefined) parts.push(numberLabel(s.seriesNumber));
  if (s.description) parts.push(s.description);
  return parts.join(' · ');
}

/**
 * Starts loading the image a series opens on, from the click that opens it: the byte fetch
 * then runs while React mounts the viewer and Cornerstone enables its canvas (the viewer's own
 * load finds the same request in Cornerstone's cache). A failure is the viewer's to show.
 */
export function preloadFirstImage(
  study: StudyView,
  seriesUid: string | undefined,
  images: ViewerImageSource,
): void {
  const series = study.series.find((s) => s.seriesInstanceUid === seriesUid) ?? study.series[0];
  const first = stackEntries<InstanceView>(series?.instances ?? [])[0];
  if (!first) return;
  const imageId = imageIdsForInstance(study.id, first.instance.sopInstanceUid, first.instance.frames)[
    first.frame
  ];
  if (imageId === undefined) return;
  images.ensureRegistered();
  cornerstone.loadAndCacheImage(imageId).catch(() => undefined);
}

/**
 * The image viewer: a series list, a stack viewport drawn by Cornerstone at the screen's
 * pixel density, tools by mouse and keyboard, cine, overlays, a tag browser and a length
 * measurement. A file that cannot be shown gives its message in the viewport.
 */
export function Viewer(props: {
  readonly study: StudyView;
  readonly initialSeriesUid?: string | undefined;
  readonly images: ViewerImageSource;
  readonly onClose: () => void;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const errorText = useErrorText();
  const titleId = useId();
  const { study, images } = props;
  const [seriesUid, setSeriesUid] = useState(props.initialSeriesUid ?? study.series[0]?.seriesInstanceUid);
  const series = study.series.find((s) => s.seriesInstanceUid === seriesUid) ?? study.series[0];
  const entries = useMemo(() => stackEntries<InstanceView>(series?.instances ?? []), [series]);
  const imageIds = useMemo(
    () =>
      entries.map(
        (e) => imageIdsForInstance(study.id, e.instance.sopInstanceUid, e.instance.frames)[e.frame] ?? '',
      ),
    [entries, study.id],
  );
  const [index, setIndex] = useState(0);
  const [tool, setTool] = useState<Tool>('window');
  const [error, setError] = useState<ErrorPayload | null>(null);
  const [loading, setLoading] = useState(true);
  /** The stack index whose image is on the canvas (the overlay's index changes before it is drawn). */
  const [shownIndex, setShownIndex] = useState<number | null>(null);
  const [view, setView] = useState<ViewState | null>(null);
  const [playing, setPlaying] = useState(false);
  const [fps, setFps] = useState(DEFAULT_FPS);
  const [lines, setLines] = useState<ReadonlyMap<string, readonly Line[]>>(new Map());
  const [draft, setDraft] = useState<Line | null>(null);
  const [tagsOpen, setTagsOpen] = useState(false);
  const [, setRedraw] = useState(0);

  const frameRef = useRef<HTMLDivElement>(null);
  const hostRef = useRef<HTMLDivElement>(null);
  const ratioRef = useRef(1);
  const fileVoiRef = useRef<Voi | null>(null);
  const colorRef = useRef(false);
  const rangeRef = useRef(4096);
  const shownRef = useRef<string | null>(null);
  const dragRef = useRef<Drag | null>(null);
  const wheelRest = useRef(0);
  const indexRef = useRef(index);
  indexRef.current = index;
  /** The sign of the last step: images are loaded ahead in that direction. */
  const directionRef = useRef<1 | -1>(1);
  /**
   * data-cached-count on the viewport: how many images of the stack are decoded in
   * Cornerstone's cache (tests and bench:imaging wait for a loaded series with it). Written on
   * the element, not through React state, so a load renders nothing.
   */
  const loadedRef = useRef<Set<string>>(new Set());
  const noteCached = useCallback(
    (id: string) => {
      loadedRef.current.add(id);
      let cached = 0;
      for (const i of imageIds) {
        if (loadedRef.current.has(i) && cornerstone.imageCache.getImageLoadObject(i) !== undefined) cached++;
      }
      frameRef.current?.setAttribute('data-cached-count', String(cached));
    },
    [imageIds],
  );
  const prefetcher = useMemo(
    () =>
      createStackPrefetcher(imageIds, (id) =>
        cornerstone.loadAndCacheImage(id).then((image) => {
          noteCached(id);
          return image;
        }),
      ),
    [imageIds, noteCached],
  );
  useEffect(() => () => prefetcher.dispose(), [prefetcher]);

  const seriesNumber = (n: number): string => t('imaging.seriesNumber', { number: n });
  const entry = entries[index];
  const imageId = imageIds[index];
  const count = entries.length;

  // ---- Cornerstone element: enabled once, sized in device pixels (HiDPI), shrunk back by CSS.
  useEffect(() => {
    const host = hostRef.current;
    const frame = frameRef.current;
    if (!host || !frame) return;
    // User Timing marks of the viewer's first image (once per mount, so they do not pile up):
    // mounted → image loaded (fetched, parsed, decoded) → handed to Cornerstone → drawn (its event).
    performance.mark('imaging-viewer:mounted');
    images.ensureRegistered();
    cornerstone.enable(host);
    const fit = (): void => {
      const size = deviceCanvasSize(frame.clientWidth, frame.clientHeight, window.devicePixelRatio);
      ratioRef.current = size.ratio;
      host.style.width = `${size.width}px`;
      host.style.height = `${size.height}px`;
      host.style.transform = `scale(${1 / size.ratio})`;
      cornerstone.resize(host, false);
      setRedraw((n) => n + 1);
    };
    fit();
    const observer = new ResizeObserver(fit);
    observer.observe(frame);
    // A window dragged to a screen of another density: no resize, only the ratio changes.
    let media: MediaQueryList | undefined;
    const watchRatio = (): void => {
      media?.removeEventListener('change', onRatio);
      media = window.matchMedia(`(resolution: ${window.devicePixelRatio}dppx)`);
      media.addEventListener('change', onRatio);
    };
    function onRatio(): void {
      fit();
      watchRatio();
    }
    watchRatio();
    const onRendered = (): void => {
      const vp = cornerstone.getViewport(host);
      if (!vp) return;
      const next: ViewState = {
        voi: fromCornerstoneVoi(vp.voi, colorRef.current),
        scale: vp.scale,
        invert: vp.invert,
        rotation: vp.rotation,
        hflip: vp.hflip,
        vflip: vp.vflip,
      };
      // Every scrolled image is a render event: an unchanged view re-renders nothing.
      setView((prev) => (prev && sameView(prev, next) ? prev : next));
    };
    host.addEventListener(cornerstone.EVENTS.IMAGE_RENDERED, onRendered);
    return () => {
      observer.disconnect();
      media?.removeEventListener('change', onRatio);
      host.removeEventListener(cornerstone.EVENTS.IMAGE_RENDERED, onRendered);
      cornerstone.disable(host);
    };
  }, [images]);

  // A new series starts at its first image with the file's own window.
  useEffect(() => {
    setIndex(0);
    setPlaying(false);
    shownRef.current = null;
  }, [seriesUid]);

  // ---- Load and show the current image; the viewport (W/L, zoom, pan…) carries over in the stack.
  useEffect(() => {
    const host = hostRef.current;
    if (!host || imageId === undefined) return;
    let live = true;
    // The loading text shows only while no image is on the canvas (a scroll keeps the last one).
    if (shownRef.current === null) setLoading(true);
    cornerstone
      .loadAndCacheImage(imageId)
      .then((image) => {
        if (!live) return;
        const first = shownRef.current === null;
        if (first)
          performance.mark('imaging-viewer:loaded', {
            detail: { loaderMs: (image as { decodeTimeInMS?: number }).decodeTimeInMS },
          });
        const before = first ? undefined : cornerstone.getViewport(host);
        const fileVoi = { windowWidth: image.windowWidth, windowCenter: image.windowCenter };
        fileVoiRef.current = fileVoi;
        colorRef.current = image.color;
        rangeRef.current = Math.abs((image.maxPixelValue - image.minPixelValue) * (image.slope || 1));
        // The first image of a series opens at the file's window; later ones keep the viewport.
        const viewport = before ?? {
          ...cornerstone.getDefaultViewportForImage(host, image),
          voi: toCornerstoneVoi(fileVoi, image.color),
        };
        cornerstone.displayImage(host, image, viewport);
        if (first) performance.mark('imaging-viewer:displayed');
        noteCached(imageId);
        shownRef.current = imageId;
        setShownIndex(imageIds.indexOf(imageId));
        setError(null);
        setLoading(false);
        // The images ahead in the scroll direction are fetched and decoded meanwhile, so
        // scrolling and cine find them in Cornerstone's cache; a failure there is shown when that
        // image is. Started in the frame after Cornerstone's draw (its own frame callback runs first).
        requestAnimationFrame(() => prefetcher.show(indexRef.current, directionRef.current));
      })
      .catch((e: unknown) => {
        if (!live) return;
        setError(displayErrorOf(e));
        setLoading(false);
      });
    return () => {
      live = false;
    };
  }, [imageId, imageIds, prefetcher, noteCached]);

  // ---- Cine: the image shown follows the clock, so a slow decode skips rather than drags.
  useEffect(() => {
    if (!playing || count < 2) return;
    directionRef.current = 1;
    const startedAt = performance.now();
    const startIndex = indexRef.current;
    let timer: ReturnType<typeof setTimeout>;
    const tick = (): void => {
      const now = performance.now();
      setIndex(cineIndexAt(startedAt, startIndex, now, fps, count));
      timer = setTimeout(tick, cineDelayUntilNext(startedAt, now, fps));
    };
    timer = setTimeout(tick, cineDelayUntilNext(startedAt, startedAt, fps));
    return () => clearTimeout(timer);
  }, [playing, fps, count]);

  const withViewport = useCallback((change: (vp: cornerstone.Viewport) => cornerstone.Viewport) => {
    const host = hostRef.current;
    if (!host || shownRef.current === null) return;
    const vp = cornerstone.getViewport(host);
    if (!vp) return;
    cornerstone.setViewport(host, change(vp));
  }, []);

  const setVoi = useCallback(
    (voi: Voi | null) => {
      if (!voi) return;
      withViewport((vp) => ({ ...vp, voi: toCornerstoneVoi(voi, colorRef.current) }));
    },
    [withViewport],
  );

  const reset = useCallback(() => {
    const host = hostRef.current;
    if (!host || shownRef.current === null) return;
    cornerstone.reset(host);
    if (fileVoiRef.current) {
      const vp = cornerstone.getViewport(host);
      if (vp)
        cornerstone.setViewport(host, { ...vp, voi: toCornerstoneVoi(fileVoiRef.current, colorRef.current) });
    }
    setLines(new Map());
    setDraft(null);
  }, []);

  const step = useCallback(
    (delta: number) => {
      setPlaying(false);
      if (delta !== 0) directionRef.current = delta < 0 ? -1 : 1;
      setIndex((i) => stackIndex(i, delta, count));
    },
    [count],
  );

  function act(name: ViewerShortcutName): void {
    switch (name) {
      case 'nextImage':
        return step(1);
      case 'previousImage':
        return step(-1);
      case 'firstImage':
        return step(-count);
      case 'lastImage':
        return step(count);
      case 'cine':
        return setPlaying((p) => !p && count > 1);
      case 'toolWindow':
        return setTool('window');
      case 'toolPan':
        return setTool('pan');
      case 'toolZoom':
        return setTool('zoom');
      case 'toolMeasure':
        return setTool('measure');
      case 'zoomIn':
        return withViewport((vp) => ({ ...vp, scale: zoomStep(vp.scale ?? 1, 1) }));
      case 'zoomOut':
        return withViewport((vp) => ({ ...vp, scale: zoomStep(vp.scale ?? 1, -1) }));
      case 'fileWindow':
        return setVoi(fileVoiRef.current);
      case 'presetSoftTissue':
        return setVoi(VOI_PRESETS.softTissue);
      case 'presetLung':
        return setVoi(VOI_PRESETS.lung);
      case 'presetBone':
        return setVoi(VOI_PRESETS.bone);
      case 'presetBrain':
        return setVoi(VOI_PRESETS.brain);
      case 'invert':
        return withViewport((vp) => ({ ...vp, invert: !vp.invert }));
      case 'rotate':
        return withViewport((vp) => ({ ...vp, rotation: rotateBy(vp.rotation ?? 0, 90) }));
      case 'flipH':
        return withViewport((vp) => ({ ...vp, hflip: !vp.hflip }));
      case 'flipV':
        return withViewport((vp) => ({ ...vp, vflip: !vp.vflip }));
      case 'reset':
        return reset();
      case 'tags':
        return setTagsOpen(true);
    }
  }

  function onKeyDown(e: ReactKeyboardEvent<HTMLDivElement>): void {
    const name = viewerShortcutOf(e);
    if (!name) return;
    e.preventDefault();
    act(name);
  }

  // Opened from the list: the viewport takes the focus, so its keys work at once.
  useEffect(() => frameRef.current?.focus(), []);

  // ---- Wheel: stack scrolling (non-passive listener, so the page does not scroll too).
  useEffect(() => {
    const frame = frameRef.current;
    if (!frame) return;
    const onWheel = (e: WheelEvent): void => {
      e.preventDefault();
      const r = wheelToSteps(wheelRest.current, e.deltaY, e.deltaMode);
      wheelRest.current = r.rest;
      if (r.steps !== 0) step(r.steps);
    };
    frame.addEventListener('wheel', onWheel, { passive: false });
    return () => frame.removeEventListener('wheel', onWheel);
  }, [step]);

  // ---- Pointer tools. Left button: the chosen tool; middle: pan; right: zoom.
  function imagePoint(e: { clientX: number; clientY: number }): Point | undefined {
    const frame = frameRef.current;
    const host = hostRef.current;
    if (!frame || !host || shownRef.current === null) return undefined;
    const rect = frame.getBoundingClientRect();
    const ratio = ratioRef.current;
    return cornerstone.canvasToPixel(host, {
      x: (e.clientX - rect.left) * ratio,
      y: (e.clientY - rect.top) * ratio,
      _canvasCoordinateBrand: '',
    } as cornerstone.CanvasCoordinate);
  }

  function onPointerDown(e: ReactPointerEvent<HTMLDivElement>): void {
    const host = hostRef.current;
    if (!host || shownRef.current === null || error) return;
    const vp = cornerstone.getViewport(host);
    if (!vp) return;
    const active: Tool = e.button === 1 ? 'pan' : e.button === 2 ? 'zoom' : tool;
    e.currentTarget.setPointerCapture(e.pointerId);
    e.currentTarget.focus();
    e.preventDefault();
    const start = active === 'measure' ? imagePoint(e) : undefined;
    dragRef.current = {
      pointerId: e.pointerId,
      tool: active,
      x: e.clientX,
      y: e.clientY,
      viewport: vp,
      ...(start ? { start } : {}),
    };
    if (start) setDraft({ a: start, b: start });
  }

  function onPointerMove(e: ReactPointerEvent<HTMLDivElement>): void {
    const d = dragRef.current;
    const host = hostRef.current;
    if (!d || d.pointerId !== e.pointerId || !host) return;
    const dx = e.clientX - d.x;
    const dy = e.clientY - d.y;
    const vp = d.viewport;
    switch (d.tool) {
      case 'window': {
        const start = vp.voi
          ? fromCornerstoneVoi(vp.voi, colorRef.current)
          : { windowWidth: 400, windowCenter: 40 };
        const voi = windowLevelFromDrag(start, dx, dy, rangeRef.current);
        cornerstone.setViewport(host, {
          ...cornerstone.getViewport(host),
          voi: toCornerstoneVoi(voi, colorRef.current),
        });
        break;
      }
      case 'pan': {
        // Translation is in image pixels: screen movement over the displayed scale (in CSS pixels).
        const scale = (vp.scale ?? 1) / ratioRef.current;
        const current = cornerstone.getViewport(host);
        // Rotation and flips turn the image under the pointer: move it the way the hand goes.
        const rad = ((current?.rotation ?? 0) * Math.PI) / 180;
        let ix = (dx * Math.cos(rad) + dy * Math.sin(rad)) / scale;
        let iy = (-dx * Math.sin(rad) + dy * Math.cos(rad)) / scale;
        if (current?.hflip) ix = -ix;
        if (current?.vflip) iy = -iy;
        cornerstone.setViewport(host, {
          ...current,
          translation: { x: (vp.translation?.x ?? 0) + ix, y: (vp.translation?.y ?? 0) + iy },
        });
        break;
      }
      case 'zoom':
        cornerstone.setViewport(host, {
          ...cornerstone.getViewport(host),
          scale: zoomFromDrag(vp.scale ?? 1, dy),
        });
        break;
      case 'measure': {
        const p = imagePoint(e);
        if (p && d.start) setDraft({ a: d.start, b: p });
        break;
      }
    }
  }

  function onPointerUp(e: ReactPointerEvent<HTMLDivElement>): void {
    const d = dragRef.current;
    if (!d || d.pointerId !== e.pointerId) return;
    dragRef.current = null;
    if (d.tool === 'measure' && draft && imageId !== undefined) {
      const length = Math.hypot(draft.b.x - draft.a.x, draft.b.y - draft.a.y);
      if (length > 0.5) {
        const line = draft;
        setLines((old) => new Map(old).set(imageId, [...(old.get(imageId) ?? []), line]));
      }
      setDraft(null);
    }
  }

  // ---- Overlays
  const instance = entry?.instance;
  const pixelSpacing = instance?.pixelSpacing;
  const shownLines = imageId !== undefined ? (lines.get(imageId) ?? []) : [];
  const lengthText = (l: Length): string =>
    l.unit === 'mm'
      ? t('imaging.viewer.lengthMm', { value: formatNumber(l.value, locale, 1) })
      : t('imaging.viewer.lengthPx', { value: formatNumber(l.value, locale, 1) });

  function toScreen(p: Point): Point | undefined {
    const host = hostRef.current;
    if (!host || shownRef.current === null) return undefined;
    const c = cornerstone.pixelToCanvas(host, p as cornerstone.PixelCoordinate);
    return { x: c.x / ratioRef.current, y: c.y / ratioRef.current };
  }

  const zoomPercent = view ? Math.round((view.scale / ratioRef.current) * 100) : undefined;
  const fp = study.filePatient;
  const measurements = [...shownLines, ...(draft ? [draft] : [])];

  return (
    <section className="viewer" aria-labelledby={titleId}>
      <div className="viewer-header">
        <h2 id={titleId}>
          {study.description ?? t('imaging.noDescription')}
          {study.studyDate ? ` · ${formatBirthDate(study.studyDate, locale)}` : ''}
        </h2>
        <button type="button" onClick={props.onClose}>
          {t('imaging.viewer.close')}
        </button>
      </div>
      <div className="viewer-body">
        <nav className="viewer-series" aria-label={t('imaging.viewer.seriesList')}>
          <ul>
            {study.series.map((s) => (
              <li key={s.seriesInstanceUid}>
                <button
                  type="button"
                  aria-pressed={s.seriesInstanceUid === series?.seriesInstanceUid}
                  onClick={() => setSeriesUid(s.seriesInstanceUid)}
                >
                  {seriesLabel(s, seriesNumber)}
                  <span className="viewer-series-count">
                    {t('imaging.imageCount', { count: s.instances.reduce((n, i) => n + i.frames, 0) })}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <div className="viewer-main">
          <div className="viewer-toolbar" role="toolbar" aria-label={t('imaging.viewer.toolbar')}>
            {TOOLS.map((name) => (
              <button
                key={name}
                type="button"
                aria-pressed={tool === name}
                onClick={() => setTool(name)}
                aria-keyshortcuts={ariaKeyShortcuts(TOOL_SHORTCUTS[name])}
              >
                {t(TOOL_KEYS[name])}
              </button>
            ))}
            <span className="toolbar-sep" aria-hidden="true" />
            <span className="viewer-preset">
              <label htmlFor={`${titleId}-preset`}>{t('imaging.viewer.preset.label')}</label>
              <select
                id={`${titleId}-preset`}
                value=""
                onChange={(e) => {
                  const v = e.target.value;
                  if (v === 'file') setVoi(fileVoiRef.current);
                  else if ((VOI_PRESET_NAMES as string[]).includes(v))
                    setVoi(VOI_PRESETS[v as VoiPresetName]);
                }}
              >
                <option value="" disabled>
                  {t('imaging.viewer.preset.choose')}
                </option>
                <option value="file">{t('imaging.viewer.preset.file')}</option>
                {VOI_PRESET_NAMES.map((p) => (
                  <option key={p} value={p}>
                    {t(PRESET_KEYS[p], VOI_PRESETS[p])}
                  </option>
                ))}
              </select>
            </span>
            <button
              type="button"
              aria-pressed={view?.invert ?? false}
              onClick={() => act('invert')}
              aria-keyshortcuts={ariaKeyShortcuts(VIEWER_SHORTCUTS.invert)}
            >
              {t('imaging.viewer.invert')}
            </button>
            <button
              type="button"
              onClick={() => act('rotate')}
              aria-keyshortcuts={ariaKeyShortcuts(VIEWER_SHORTCUTS.rotate)}
            >
              {t('imaging.viewer.rotate')}
            </button>
            <button
              type="button"
              aria-pressed={view?.hflip ?? false}
              onClick={() => act('flipH')}
              aria-keyshortcuts={ariaKeyShortcuts(VIEWER_SHORTCUTS.flipH)}
            >
              {t('imaging.viewer.flipH')}
            </button>
            <button
              type="button"
              aria-pressed={view?.vflip ?? false}
              onClick={() => act('flipV')}
              aria-keyshortcuts={ariaKeyShortcuts(VIEWER_SHORTCUTS.flipV)}
            >
              {t('imaging.viewer.flipV')}
            </button>
            <button
              type="button"
              onClick={() => act('zoomIn')}
              aria-keyshortcuts={ariaKeyShortcuts(VIEWER_SHORTCUTS.zoomIn)}
            >
              {t('imaging.viewer.zoomIn')}
            </button>
            <button
              type="button"
              onClick={() => act('zoomOut')}
              aria-keyshortcuts={ariaKeyShortcuts(VIEWER_SHORTCUTS.zoomOut)}
            >
              {t('imaging.viewer.zoomOut')}
            </button>
            <button
              type="button"
              onClick={() => act('reset')}
              aria-keyshortcuts={ariaKeyShortcuts(VIEWER_SHORTCUTS.reset)}
            >
              {t('imaging.viewer.reset')}
            </button>
            <span className="toolbar-sep" aria-hidden="true" />
            <button
              type="button"
              aria-pressed={playing}
              disabled={count < 2}
              onClick={() => act('cine')}
              aria-keyshortcuts={ariaKeyShortcuts(VIEWER_SHORTCUTS.cine)}
            >
              {playing ? t('imaging.viewer.pause') : t('imaging.viewer.play')}
            </button>
            <span className="viewer-fps">
              <label htmlFor={`${titleId}-fps`}>{t('imaging.viewer.fps')}</label>
              <input
                id={`${titleId}-fps`}
                type="number"
                min={MIN_FPS}
                max={MAX_FPS}
                value={fps}
                onChange={(e) => setFps(clampFps(Number(e.target.value)))}
              />
            </span>
            <button
              type="button"
              onClick={() => setTagsOpen(true)}
              disabled={imageId === undefined}
              aria-keyshortcuts={ariaKeyShortcuts(VIEWER_SHORTCUTS.tags)}
            >
              {t('imaging.viewer.tags')}
            </button>
          </div>
          <div
            ref={frameRef}
            className={`viewer-viewport tool-${tool}`}
            tabIndex={0}
            role="application"
            aria-roledescription={t('imaging.viewer.viewportRole')}
            aria-label={t('imaging.viewer.viewportLabel', { index: index + 1, count })}
            aria-describedby={`${titleId}-help`}
            data-image-index={index}
            data-shown-index={shownIndex ?? undefined}
            data-window-width={view ? Math.round(view.voi.windowWidth) : undefined}
            data-window-center={view ? Math.round(view.voi.windowCenter) : undefined}
            onKeyDown={onKeyDown}
            onPointerDown={onPointerDown}
            onPointerMove={onPointerMove}
            onPointerUp={onPointerUp}
            onPointerCancel={onPointerUp}
            onContextMenu={(e) => e.preventDefault()}
          >
            <div
              ref={hostRef}
              className="viewer-canvas-host"
              style={{ visibility: error ? 'hidden' : 'visible' }}
            >
              <canvas className="cornerstone-canvas" />
            </div>
            <svg className="viewer-measure" aria-hidden="true">
              {measurements.map((l, i) => {
                const a = toScreen(l.a);
                const b = toScreen(l.b);
                if (!a || !b) return null;
                return (
                  <g key={i}>
                    <line x1={a.x} y1={a.y} x2={b.x} y2={b.y} />
                    <circle cx={a.x} cy={a.y} r={3} />
                    <circle cx={b.x} cy={b.y} r={3} />
                    <text x={b.x + 6} y={b.y - 6}>
                      {lengthText(measureLength(l.a, l.b, pixelSpacing))}
                    </text>
                  </g>
                );
              })}
            </svg>
            {error ? (
              <div className="viewer-error" role="alert">
                {errorText(error)}
              </div>
            ) : loading && shownRef.current === null ? (
              <p className="viewer-loading" role="status">
                {t('app.loading')}
              </p>
            ) : null}
            <div className="viewer-overlay top-left">
              <div>{fp?.name ? formatPersonName(parsePersonName(fp.name)) : t('common.none')}</div>
              {fp?.birthDate ? (
                <div>{t('record.born', { date: formatBirthDate(fp.birthDate, locale) })}</div>
              ) : null}
              {fp?.id ? <div>{t('imaging.import.filePatientId', { id: fp.id })}</div> : null}
            </div>
            <div className="viewer-overlay top-right">
              <div>{study.description ?? t('imaging.noDescription')}</div>
              {study.studyDate ? <div>{formatBirthDate(study.studyDate, locale)}</div> : null}
              {series ? <div>{seriesLabel(series, seriesNumber)}</div> : null}
            </div>
            <div className="viewer-overlay bottom-left" data-testid="overlay-image">
              <div>{t('imaging.viewer.imageOf', { index: count === 0 ? 0 : index + 1, count })}</div>
              {instance?.instanceNumber !== undefined ? (
                <div>{t('imaging.viewer.instance', { number: instance.instanceNumber })}</div>
              ) : null}
              {instance && instance.frames > 1 && entry ? (
                <div>{t('imaging.viewer.frame', { index: entry.frame + 1, count: instance.frames })}</div>
              ) : null}
              {instance?.rows !== undefined && instance.columns !== undefined ? (
                <div>
                  {instance.columns} × {instance.rows}
                </div>
              ) : null}
            </div>
            <div className="viewer-overlay bottom-right" data-testid="overlay-view">
              {view && !error ? (
                <>
                  <div>
                    {t('imaging.viewer.windowLevel', {
                      width: formatNumber(view.voi.windowWidth, locale, 0),
                      center: formatNumber(view.voi.windowCenter, locale, 0),
                    })}
                  </div>
                  <div>{t('imaging.viewer.zoom', { percent: zoomPercent ?? 100 })}</div>
                </>
              ) : null}
              {pixelSpacing || error ? null : <div>{t('imaging.viewer.notCalibrated')}</div>}
              {playing ? <div>{t('imaging.viewer.cineRate', { fps })}</div> : null}
            </div>
          </div>
          <p id={`${titleId}-help`} className="field-hint">
            {t('imaging.viewer.help')}
          </p>
          {shownLines.length > 0 ? (
            <ul className="viewer-lengths" aria-label={t('imaging.viewer.lengths')}>
              {shownLines.map((l, i) => (
                <li key={i}>{lengthText(measureLength(l.a, l.b, pixelSpacing))}</li>
              ))}
            </ul>
          ) : null}
        </div>
      </div>
      {tagsOpen && imageId !== undefined ? (
        <TagBrowser imageId={imageId} images={images} onClose={() => setTagsOpen(false)} />
      ) : null}
    </section>
  );
}
