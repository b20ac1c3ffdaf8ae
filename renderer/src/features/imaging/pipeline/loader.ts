import { AppError } from '../../../../../shared/src/errors';
import type { WasmSource } from './codecs';
import type { DisplayFrame, ParsedInstance } from './decode';
import { decodeFrame, parseInstance, pixelModuleOf } from './decode';
import { ImagingDisplayError } from './errors';
import type { VaultImageId } from './image-id';
import { instanceKey, parseImageId, VAULT_SCHEME } from './image-id';
import type { InstanceMetadata } from './metadata';
import { instanceMetadata } from './metadata';
import type { PixelModule } from './pixel-module';

export type FetchInstanceBytes = (studyId: string, sopInstanceUid: string) => Promise<ArrayBuffer>;

/** A Cornerstone (core 2.x) image, as the loader makes it. */
export type VaultImage = {
  readonly imageId: string;
  readonly minPixelValue: number;
  readonly maxPixelValue: number;
  readonly slope: number;
  readonly intercept: number;
  readonly windowCenter: number;
  readonly windowWidth: number;
  readonly getPixelData: () => ArrayLike<number>;
  readonly rows: number;
  readonly columns: number;
  readonly height: number;
  readonly width: number;
  readonly color: boolean;
  readonly rgba: boolean;
  readonly invert: boolean;
  readonly columnPixelSpacing: number | undefined;
  readonly rowPixelSpacing: number | undefined;
  readonly sizeInBytes: number;
  /** Milliseconds spent fetching, parsing and decoding (first frame of an instance includes the fetch). */
  readonly decodeTimeInMS: number;
};

/** What the loader needs of cornerstone-core: its loader registry. */
export type CornerstoneLike = {
  registerImageLoader(
    scheme: string,
    loader: (imageId: string) => { promise: Promise<never> | Promise<unknown>; cancelFn?: () => void },
  ): void;
};

export type VaultLoaderOptions = {
  /** Where the codecs' .wasm bytes come from (default: the files bundled with the renderer). */
  readonly wasm: WasmSource;
  /** Parsed files kept for their other frames and metadata (default 8). */
  readonly keepInstances?: number;
};

type State = {
  fetchBytes: FetchInstanceBytes;
  wasm: WasmSource;
  keep: number;
  instances: Map<string, Promise<ParsedInstance>>;
  metadata: Map<string, InstanceMetadata>;
};

let state: State | undefined;
const MAX_METADATA = 5000;

function remember<V>(map: Map<string, V>, key: string, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  while (map.size > max) {
    const oldest = map.keys().next().value;
    if (oldest === undefined) break;
    map.delete(oldest);
  }
}

function asDisplayError(error: unknown): Error {
  // Errors of the byte route (VAULT_LOCKED, IMAGING_STUDY_NOT_FOUND…) keep their own code.
  if (error instanceof AppError) return error;
  return new ImagingDisplayError('IMAGING_DISPLAY_UNREADABLE', undefined, { cause: error });
}

function instanceOf(s: State, id: VaultImageId): Promise<ParsedInstance> {
  const key = instanceKey(id);
  const known = s.instances.get(key);
  if (known) {
    remember(s.instances, key, known, s.keep);
    return known;
  }
  const pending = (async () => {
    const bytes = await s.fetchBytes(id.studyId, id.sopInstanceUid);
    const parsed = await parseInstance(bytes);
    return parsed;
  })();
  // A failed read is not kept: the next attempt fetches again (the vault may have been unlocked since).
  pending.catch(() => {
    if (s.instances.get(key) === pending) s.instances.delete(key);
  });
  remember(s.instances, key, pending, s.keep);
  return pending;
}

function metadataOf(s: State, id: VaultImageId, instance: ParsedInstance): InstanceMetadata {
  const key = instanceKey(id);
  let meta = s.metadata.get(key);
  if (!meta) {
    meta = instanceMetadata(id.studyId, id.sopInstanceUid, instance);
    remember(s.metadata, key, meta, MAX_METADATA);
  }
  return meta;
}

/** The Cornerstone image of a decoded frame: stored values plus the file's modality LUT and window. */
export function makeImage(
  imageId: string,
  pm: PixelModule,
  frame: DisplayFrame,
  spacing: InstanceMetadata['pixelSpacing'],
  decodeTimeInMS: number,
): VaultImage {
  const common = {
    imageId,
    rows: pm.rows,
    columns: pm.columns,
    height: pm.rows,
    width: pm.columns,
    columnPixelSpacing: spacing?.column,
    rowPixelSpacing: spacing?.row,
    sizeInBytes: frame.pixels.byteLength,
    decodeTimeInMS,
  };
  if (frame.kind === 'rgba') {
    const pixels = frame.pixels;
    // Width 255 and centre 127.5 make Cornerstone's linear VOI the identity on 0..255.
    return {
      ...common,
      color: true,
      rgba: false,
      invert: false,
      minPixelValue: 0,
      maxPixelValue: 255,
      slope: 1,
      intercept: 0,
      windowCenter: 127.5,
      windowWidth: 255,
      getPixelData: () => pixels,
    };
  }
  const pixels = frame.pixels;
  const preset = pm.windows[0];
  const low = Math.min(frame.min * pm.slope + pm.intercept, frame.max * pm.slope + pm.intercept);
  const high = Math.max(frame.min * pm.slope + pm.intercept, frame.max * pm.slope + pm.intercept);
  return {
    ...common,
    color: false,
    rgba: false,
    invert: pm.photometric === 'MONOCHROME1',
    minPixelValue: frame.min,
    maxPixelValue: frame.max,
    slope: pm.slope,
    intercept: pm.intercept,
    windowCenter: preset ? preset.center : (low + high) / 2,
    windowWidth: preset ? preset.width : Math.max(1, high - low),
    getPixelData: () => pixels,
  };
}

async function loadVaultImage(s: State, imageId: string): Promise<VaultImage> {
  const started = performance.now();
  const id = parseImageId(imageId);
  if (!id) throw new ImagingDisplayError('IMAGING_DISPLAY_UNREADABLE', { imageId });
  try {
    const instance = await instanceOf(s, id);
    const pm = pixelModuleOf(instance);
    const frame = await decodeFrame(instance, id.frame, s.wasm);
    const meta = metadataOf(s, id, instance);
    return makeImage(imageId, pm, frame, meta.pixelSpacing, performance.now() - started);
  } catch (error) {
    throw asDisplayError(error);
  }
}

/**
 * Registers the `vault:` image loader with cornerstone-core. Bytes come from `fetchBytes`
 * (the app's byte route); a new registration replaces the previous one and its caches.
 */
export function registerVaultImageLoaderWith(
  cornerstone: CornerstoneLike,
  fetchBytes: FetchInstanceBytes,
  options: VaultLoaderOptions,
): void {
  const s: State = {
    fetchBytes,
    wasm: options.wasm,
    keep: options.keepInstances ?? 8,
    instances: new Map(),
    metadata: new Map(),
  };
  state = s;
  cornerstone.registerImageLoader(VAULT_SCHEME, (imageId) => ({ promise: loadVaultImage(s, imageId) }));
}

/** Patient/study/series/instance fields, spacing, presets and the flat tag list of an image's instance. */
export async function getInstanceMetadata(imageId: string): Promise<InstanceMetadata> {
  const s = state;
  if (!s) throw new Error('registerVaultImageLoader was not called');
  const id = parseImageId(imageId);
  if (!id) throw new ImagingDisplayError('IMAGING_DISPLAY_UNREADABLE', { imageId });
  const known = s.metadata.get(instanceKey(id));
  if (known) return known;
  try {
    return metadataOf(s, id, await instanceOf(s, id));
  } catch (error) {
    throw asDisplayError(error);
  }
}

/** The metadata already read for this image's instance, without fetching (overlays drawn synchronously). */
export function peekInstanceMetadata(imageId: string): InstanceMetadata | undefined {
  const id = parseImageId(imageId);
  return id && state ? state.metadata.get(instanceKey(id)) : undefined;
}
