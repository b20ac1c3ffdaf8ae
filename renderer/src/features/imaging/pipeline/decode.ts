import dicomParser from 'dicom-parser';
import { inflateRaw } from 'pako';
import type { DataSet, DicomReader } from '../../../../../shared/src/dicom';
import {
  createReader,
  hasPart10Prefix,
  NATIVE_TRANSFER_SYNTAXES,
  parseDicomPart10,
  TRANSFER_SYNTAX,
} from '../../../../../shared/src/dicom';
import type { DecodedSamples, EncodedFrameInfo, WasmSource } from './codecs';
import { decoderFor } from './codecs';
import { ImagingDisplayError } from './errors';
import type { PixelModule } from './pixel-module';
import { PIXEL_TAGS, readPixelModule } from './pixel-module';

/** An instance file read once, kept while its frames are being shown. */
export type ParsedInstance = {
  readonly bytes: Uint8Array;
  readonly dataSet: DataSet;
  readonly reader: DicomReader;
  readonly transferSyntaxUid: string;
  /** The pixel description, or the error that says why this instance has no image to show. */
  readonly pixel: PixelModule | ImagingDisplayError;
};

export type GreyFrame = {
  readonly kind: 'grey';
  /** Stored values, bits outside Bits Stored removed, sign-extended when Pixel Representation is 1. */
  readonly pixels: Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array;
  readonly min: number;
  readonly max: number;
};
export type ColourFrame = {
  readonly kind: 'rgba';
  /** RGBA, 4 bytes a pixel, alpha 255. */
  readonly pixels: Uint8Array;
};
export type DisplayFrame = GreyFrame | ColourFrame;

function metaTransferSyntax(bytes: Uint8Array): string | undefined {
  try {
    return dicomParser.readPart10Header(bytes).string('x00020010') ?? '';
  } catch {
    return undefined;
  }
}

/**
 * Parses an instance's bytes (untrusted) with the shared dicom-parser wrapper. A file that cannot be read at all rejects with a typed error; one that reads but
 * has no displayable image resolves with that error in `pixel` (its tags are still shown).
 */
export async function parseInstance(buffer: ArrayBuffer | Uint8Array): Promise<ParsedInstance> {
  // A plain Uint8Array view (a Node Buffer's slice() would not copy).
  const bytes =
    buffer instanceof Uint8Array
      ? new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
      : new Uint8Array(buffer);
  if (!hasPart10Prefix(bytes)) throw new ImagingDisplayError('IMAGING_DISPLAY_UNREADABLE');
  const transferSyntaxUid = metaTransferSyntax(bytes);
  if (transferSyntaxUid === undefined) throw new ImagingDisplayError('IMAGING_DISPLAY_UNREADABLE');
  // pako rather than DecompressionStream: writers leave bytes after the deflate stream's end
  // (image_dfl.dcm has 8), which pako ignores and DecompressionStream refuses.
  const parsed = parseDicomPart10(bytes, { inflateRaw: (deflated) => inflateRaw(deflated) });
  if (!parsed.ok) {
    const code = parsed.error.code;
    throw new ImagingDisplayError(
      code === 'DICOM_TRUNCATED'
        ? 'IMAGING_DISPLAY_TRUNCATED'
        : code === 'DICOM_DEFLATE_FAILED'
          ? 'IMAGING_DISPLAY_CORRUPT'
          : 'IMAGING_DISPLAY_UNREADABLE',
      { cause: code },
    );
  }
  const dataSet = parsed.value;
  const reader = createReader(dataSet);
  let pixel: PixelModule | ImagingDisplayError;
  try {
    pixel = readPixelModule(reader, transferSyntaxUid);
  } catch (error) {
    if (!(error instanceof ImagingDisplayError)) throw error;
    pixel = error;
  }
  return { bytes, dataSet, reader, transferSyntaxUid, pixel };
}

export function pixelModuleOf(instance: ParsedInstance): PixelModule {
  if (instance.pixel instanceof ImagingDisplayError) throw instance.pixel;
  return instance.pixel;
}

/** Bytes of one native (uncompressed) frame, little-endian, or a typed error. */
function nativeFrameBytes(
  instance: ParsedInstance,
  pm: PixelModule,
  frame: number,
): { bytes: Uint8Array; bitOffset: number } {
  const el = instance.dataSet.elements[PIXEL_TAGS.pixelData];
  if (!el) throw new ImagingDisplayError('IMAGING_DISPLAY_NOT_AN_IMAGE');
  const available = Math.min(el.length, instance.dataSet.byteArray.length - el.dataOffset);
  const samplesPerFrame = pm.rows * pm.columns * (pm.photometric === 'YBR_FULL_422' ? 2 : pm.samplesPerPixel);
  if (pm.bitsAllocated === 1) {
    const startBit = frame * samplesPerFrame;
    const endByte = Math.ceil((startBit + samplesPerFrame) / 8);
    if (endByte > available) throw new ImagingDisplayError('IMAGING_DISPLAY_TRUNCATED');
    const startByte = Math.floor(startBit / 8);
    return {
      bytes: instance.dataSet.byteArray.subarray(el.dataOffset + startByte, el.dataOffset + endByte),
      bitOffset: startBit % 8,
    };
  }
  const frameBytes = (samplesPerFrame * pm.bitsAllocated) / 8;
  const start = frame * frameBytes;
  if (start + frameBytes > available) throw new ImagingDisplayError('IMAGING_DISPLAY_TRUNCATED');
  let bytes = instance.dataSet.byteArray.subarray(el.dataOffset + start, el.dataOffset + start + frameBytes);
  if (instance.transferSyntaxUid === TRANSFER_SYNTAX.ExplicitVrBigEndian && pm.bitsAllocated > 8) {
    const swapped = new Uint8Array(bytes.length);
    const size = pm.bitsAllocated / 8;
    for (let i = 0; i < bytes.length; i += size)
      for (let b = 0; b < size; b++) swapped[i + b] = bytes[i + size - 1 - b] ?? 0;
    bytes = swapped;
  }
  return { bytes, bitOffset: 0 };
}

/** The compressed bytes of one frame of encapsulated pixel data. */
function encapsulatedFrameBytes(instance: ParsedInstance, pm: PixelModule, frame: number): Uint8Array {
  const { dataSet } = instance;
  const el = dataSet.elements[PIXEL_TAGS.pixelData];
  if (!el) throw new ImagingDisplayError('IMAGING_DISPLAY_NOT_AN_IMAGE');
  const fragments = el.fragments ?? [];
  if (fragments.length === 0) throw new ImagingDisplayError('IMAGING_DISPLAY_TRUNCATED');
  try {
    if (pm.numberOfFrames === 1) {
      const only = fragments.length === 1 ? fragments[0] : undefined;
      return only
        ? dataSet.byteArray.subarray(only.position, only.position + only.length)
        : dicomParser.readEncapsulatedPixelDataFromFragments(dataSet, el, 0, fragments.length);
    }
    if ((el.basicOffsetTable ?? []).length > 0)
      return dicomParser.readEncapsulatedImageFrame(dataSet, el, frame);
    if (fragments.length === pm.numberOfFrames)
      return dicomParser.readEncapsulatedPixelDataFromFragments(dataSet, el, frame, 1);
    return dicomParser.readEncapsulatedImageFrame(
      dataSet,
      el,
      frame,
      dicomParser.createJPEGBasicOffsetTable(dataSet, el),
    );
  } catch (cause) {
    throw new ImagingDisplayError('IMAGING_DISPLAY_CORRUPT', undefined, { cause });
  }
}

function samplesFromNative(
  bytes: Uint8Array,
  bitOffset: number,
  pm: PixelModule,
  count: number,
): DecodedSamples | Uint32Array | Int32Array {
  if (pm.bitsAllocated === 1) {
    const out = new Uint8Array(count);
    for (let i = 0; i < count; i++) {
      const bit = bitOffset + i;
      out[i] = ((bytes[bit >> 3] ?? 0) >> (bit & 7)) & 1;
    }
    return out;
  }
  const signed = pm.pixelRepresentation === 1;
  const size = pm.bitsAllocated / 8;
  // A single-frame image with aligned bytes and no shift is used in place (no 512 KB copy per CT
  // slice): storedValues only masks and sign-extends it then, which gives the same bytes when
  // done again, and the file's other frames do not exist to keep the buffer for.
  const inPlace =
    pm.numberOfFrames === 1 &&
    (size === 1 || size === 2) &&
    pm.highBit + 1 === pm.bitsStored &&
    bytes.byteOffset % size === 0 &&
    bytes.byteLength === count * size;
  // Otherwise a copy: the frame's bytes may not be aligned for a 16/32-bit view, and the file buffer is kept.
  const copy = inPlace ? bytes : new Uint8Array(bytes);
  if (inPlace) {
    if (size === 1) return signed ? new Int8Array(copy.buffer, copy.byteOffset, count) : copy;
    return signed
      ? new Int16Array(copy.buffer, copy.byteOffset, count)
      : new Uint16Array(copy.buffer, copy.byteOffset, count);
  }
  if (pm.bitsAllocated === 8) return signed ? new Int8Array(copy.buffer) : copy;
  if (pm.bitsAllocated === 16) return signed ? new Int16Array(copy.buffer) : new Uint16Array(copy.buffer);
  return signed ? new Int32Array(copy.buffer) : new Uint32Array(copy.buffer);
}

/**
 * Keeps Bits Stored bits (below High Bit), sign-extended for signed pixels. In place when
 * the samples already have the right type (they are always this module's own copy).
 */
function storedValues(
  samples: DecodedSamples | Uint32Array | Int32Array,
  pm: PixelModule,
): GreyFrame['pixels'] {
  const { bitsStored, bitsAllocated, highBit } = pm;
  const signed = pm.pixelRepresentation === 1;
  const shift = highBit + 1 - bitsStored;
  if (
    bitsAllocated === 1 ||
    (bitsStored === bitsAllocated && shift === 0 && samplesAreSigned(samples) === signed)
  )
    return samples;
  const size = bitsAllocated <= 8 ? 8 : bitsAllocated <= 16 ? 16 : 32;
  const sameType =
    size === 8
      ? signed
        ? samples instanceof Int8Array
        : samples instanceof Uint8Array
      : size === 16
        ? signed
          ? samples instanceof Int16Array
          : samples instanceof Uint16Array
        : signed
          ? samples instanceof Int32Array
          : samples instanceof Uint32Array;
  const out = sameType
    ? samples
    : size === 8
      ? signed
        ? new Int8Array(samples.length)
        : new Uint8Array(samples.length)
      : size === 16
        ? signed
          ? new Int16Array(samples.length)
          : new Uint16Array(samples.length)
        : signed
          ? new Int32Array(samples.length)
          : new Uint32Array(samples.length);
  if (size <= 16) {
    // Integer arithmetic: the stored bits moved to the bottom, then sign-extended through bit 31.
    const mask = (1 << bitsStored) - 1;
    const up = 32 - bitsStored;
    for (let i = 0; i < samples.length; i++) {
      const v = ((samples[i] ?? 0) >> shift) & mask;
      out[i] = signed ? (v << up) >> up : v;
    }
    return out;
  }
  const mask = bitsStored >= 32 ? 0xffffffff : 2 ** bitsStored - 1;
  const signBit = 2 ** (bitsStored - 1);
  const range = 2 ** bitsStored;
  for (let i = 0; i < samples.length; i++) {
    let v = (Math.floor((samples[i] ?? 0) / 2 ** shift) >>> 0) & mask;
    if (signed && v >= signBit) v -= range;
    out[i] = v;
  }
  return out;
}

function samplesAreSigned(samples: ArrayLike<number>): boolean {
  return samples instanceof Int8Array || samples instanceof Int16Array || samples instanceof Int32Array;
}

function minMax(pixels: ArrayLike<number>): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < pixels.length; i++) {
    const v = pixels[i] ?? 0;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return pixels.length === 0 ? { min: 0, max: 0 } : { min, max };
}

const clamp8 = (v: number): number => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));

/** Colour samples (interleaved, or planar for native data with Planar Configuration 1) to RGBA. */
function toRgba(
  samples: ArrayLike<number>,
  pm: PixelModule,
  planar: boolean,
  convertYbr: boolean,
): Uint8Array {
  const n = pm.rows * pm.columns;
  const out = new Uint8Array(n * 4);
  const shift = Math.max(0, pm.bitsStored - 8);
  const scale = 2 ** shift;
  const at = (pixel: number, sample: number): number =>
    Math.floor((samples[planar ? sample * n + pixel : pixel * 3 + sample] ?? 0) / scale);
  for (let p = 0; p < n; p++) {
    let r = at(p, 0);
    let g = at(p, 1);
    let b = at(p, 2);
    if (convertYbr) {
      const y = r;
      const cb = g - 128;
      const cr = b - 128;
      r = clamp8(y + 1.402 * cr);
      g = clamp8(y - 0.344136 * cb - 0.714136 * cr);
      b = clamp8(y + 1.772 * cb);
    }
    out[p * 4] = r;
    out[p * 4 + 1] = g;
    out[p * 4 + 2] = b;
    out[p * 4 + 3] = 255;
  }
  return out;
}

/** Native YBR_FULL_422: Y1 Y2 Cb Cr for each pair of pixels on a row. */
function ybr422ToRgba(samples: ArrayLike<number>, pm: PixelModule): Uint8Array {
  const n = pm.rows * pm.columns;
  const out = new Uint8Array(n * 4);
  for (let p = 0; p < n; p += 2) {
    const base = p * 2;
    const cb = (samples[base + 2] ?? 128) - 128;
    const cr = (samples[base + 3] ?? 128) - 128;
    for (let k = 0; k < 2 && p + k < n; k++) {
      const y = samples[base + k] ?? 0;
      const o = (p + k) * 4;
      out[o] = clamp8(y + 1.402 * cr);
      out[o + 1] = clamp8(y - 0.344136 * cb - 0.714136 * cr);
      out[o + 2] = clamp8(y + 1.772 * cb);
      out[o + 3] = 255;
    }
  }
  return out;
}

function paletteToRgba(indices: ArrayLike<number>, pm: PixelModule): Uint8Array {
  const palette = pm.palette;
  if (!palette)
    throw new ImagingDisplayError('IMAGING_DISPLAY_UNSUPPORTED_PIXELS', { photometric: pm.photometric });
  const out = new Uint8Array(indices.length * 4);
  const channel = (lut: typeof palette.red, value: number): number => {
    const index = Math.min(Math.max(value - lut.firstMapped, 0), lut.data.length - 1);
    const entry = lut.data[index] ?? 0;
    return lut.bits > 8 ? entry >> (lut.bits - 8) : entry;
  };
  for (let p = 0; p < indices.length; p++) {
    const v = indices[p] ?? 0;
    out[p * 4] = channel(palette.red, v);
    out[p * 4 + 1] = channel(palette.green, v);
    out[p * 4 + 2] = channel(palette.blue, v);
    out[p * 4 + 3] = 255;
  }
  return out;
}

/** JPEG baseline/extended decoders turn YCbCr into RGB themselves (libjpeg's default). */
const DECODER_CONVERTS_YBR: ReadonlySet<string> = new Set([
  TRANSFER_SYNTAX.JpegBaseline,
  TRANSFER_SYNTAX.JpegExtended,
]);

/**
 * Decodes one frame into what the viewer draws: stored grey values (the modality and VOI
 * LUTs are applied by Cornerstone) or RGBA. Every failure is an ImagingDisplayError.
 */
export async function decodeFrame(
  instance: ParsedInstance,
  frame: number,
  wasm: WasmSource,
): Promise<DisplayFrame> {
  const pm = pixelModuleOf(instance);
  if (!Number.isInteger(frame) || frame < 0 || frame >= pm.numberOfFrames) {
    throw new ImagingDisplayError('IMAGING_DISPLAY_FRAME_NOT_FOUND', { frame, frames: pm.numberOfFrames });
  }
  const native = NATIVE_TRANSFER_SYNTAXES.has(instance.transferSyntaxUid);
  const el = instance.dataSet.elements[PIXEL_TAGS.pixelData];
  const encapsulated = el?.encapsulatedPixelData === true;
  let samples: DecodedSamples | Uint32Array | Int32Array;
  let planar = false;
  const count = pm.rows * pm.columns * pm.samplesPerPixel;
  if (native && !encapsulated) {
    const { bytes, bitOffset } = nativeFrameBytes(instance, pm, frame);
    samples = samplesFromNative(bytes, bitOffset, pm, count);
    planar = pm.samplesPerPixel === 3 && pm.planarConfiguration === 1;
  } else {
    const info: EncodedFrameInfo = pm;
    const decoder = decoderFor(instance.transferSyntaxUid, info, wasm);
    if (!decoder)
      throw new ImagingDisplayError('IMAGING_DISPLAY_UNSUPPORTED_SYNTAX', {
        transferSyntax: instance.transferSyntaxUid,
      });
    if (pm.bitsAllocated === 1 || pm.bitsAllocated === 32) {
      throw new ImagingDisplayError('IMAGING_DISPLAY_UNSUPPORTED_PIXELS', {
        bitsAllocated: pm.bitsAllocated,
      });
    }
    samples = await decoder(encapsulatedFrameBytes(instance, pm, frame), info);
  }
  if (pm.samplesPerPixel === 3) {
    if (native && pm.photometric === 'YBR_FULL_422')
      return { kind: 'rgba', pixels: ybr422ToRgba(samples, pm) };
    const isYbr = pm.photometric === 'YBR_FULL' || pm.photometric === 'YBR_FULL_422';
    const convert = isYbr && !DECODER_CONVERTS_YBR.has(instance.transferSyntaxUid);
    return { kind: 'rgba', pixels: toRgba(samples, pm, planar, convert) };
  }
  const pixels = storedValues(samples, pm);
  if (pm.photometric === 'PALETTE COLOR') return { kind: 'rgba', pixels: paletteToRgba(pixels, pm) };
  return { kind: 'grey', pixels, ...minMax(pixels) };
}
