import { Decoder as JpegLosslessDecoder } from '@cornerstonejs/jpeg-lossless-decoder-js';
import { TRANSFER_SYNTAX } from '../../../../../shared/src/dicom';
import { ImagingDisplayError } from './errors';

/**
 * Decoders of the compressed transfer syntaxes, all from maintained packages (no codec is
 * written here): libjpeg-turbo (JPEG baseline), CharLS (JPEG-LS), OpenJPEG (JPEG 2000) as
 * WebAssembly builds of the Cornerstone project, jpeg-lossless-decoder-js (JPEG lossless),
 * and the JPEG 12-bit and RLE decoders that @cornerstonejs/dicom-image-loader ships.
 */

/** What the Emscripten builds of the Cornerstone codecs expose (the parts used here). */
export type EmscriptenDecoder = {
  getEncodedBuffer(length: number): Uint8Array;
  getDecodedBuffer(): Uint8Array;
  decode(): void;
  getFrameInfo(): {
    width: number;
    height: number;
    bitsPerSample: number;
    componentCount: number;
    isSigned?: boolean;
  };
  delete?(): void;
};
export type EmscriptenCodecModule = {
  JPEGDecoder: new () => EmscriptenDecoder;
  JpegLSDecoder: new () => EmscriptenDecoder;
  J2KDecoder: new () => EmscriptenDecoder;
};

export type EmscriptenOptions = {
  wasmBinary?: ArrayBuffer | Uint8Array;
  print?: (line: string) => void;
  printErr?: (line: string) => void;
};

export type WasmCodec = 'libjpeg-turbo-8bit' | 'charls' | 'openjpeg';
/** Gives the bytes of a codec's .wasm file: fetched from the bundle in a page, read from disk in Node tests. */
export type WasmSource = (codec: WasmCodec) => Promise<ArrayBuffer | Uint8Array>;

export type EncodedFrameInfo = {
  readonly rows: number;
  readonly columns: number;
  readonly samplesPerPixel: number;
  readonly bitsAllocated: number;
  readonly bitsStored: number;
  readonly pixelRepresentation: number;
};

/** A decoded frame: samples interleaved (RGBRGB… for colour), one typed array element per sample. */
export type DecodedSamples = Uint8Array | Int8Array | Uint16Array | Int16Array;

export type FrameDecoder = (encoded: Uint8Array, info: EncodedFrameInfo) => Promise<DecodedSamples>;

const modules = new Map<WasmCodec, Promise<EmscriptenCodecModule>>();

async function wasmModule(codec: WasmCodec, source: WasmSource): Promise<EmscriptenCodecModule> {
  let pending = modules.get(codec);
  if (!pending) {
    pending = (async () => {
      const wasmBinary = await source(codec);
      const factory =
        codec === 'libjpeg-turbo-8bit'
          ? (await import('@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs')).default
          : codec === 'charls'
            ? (await import('@cornerstonejs/codec-charls/decodewasmjs')).default
            : (await import('@cornerstonejs/codec-openjpeg/decodewasmjs')).default;
      // The codecs' own progress and error lines: failures reach the viewer as typed errors instead.
      return factory({ wasmBinary, print: () => undefined, printErr: () => undefined });
    })();
    // A failed start (file missing, CSP) is tried again at the next image, not cached.
    pending.catch(() => modules.delete(codec));
    modules.set(codec, pending);
  }
  return pending;
}

function corrupt(cause: unknown): ImagingDisplayError {
  return new ImagingDisplayError('IMAGING_DISPLAY_CORRUPT', undefined, { cause });
}

/** Copies the decoder's output out of the wasm memory as samples of the frame's type. */
function samplesOf(bytes: Uint8Array, bitsPerSample: number, signed: boolean): DecodedSamples {
  const copy = new Uint8Array(bytes);
  if (bitsPerSample > 8) {
    return signed
      ? new Int16Array(copy.buffer, 0, copy.length >> 1)
      : new Uint16Array(copy.buffer, 0, copy.length >> 1);
  }
  return signed ? new Int8Array(copy.buffer) : copy;
}

function expectSize(samples: DecodedSamples, info: EncodedFrameInfo): DecodedSamples {
  const expected = info.rows * info.columns * info.samplesPerPixel;
  if (samples.length < expected)
    throw corrupt(new Error(`decoded ${samples.length} samples, expected ${expected}`));
  return samples.length === expected ? samples : samples.subarray(0, expected);
}

async function emscriptenDecode(
  codec: WasmCodec,
  className: keyof EmscriptenCodecModule,
  source: WasmSource,
  encoded: Uint8Array,
  info: EncodedFrameInfo,
): Promise<DecodedSamples> {
  const module = await wasmModule(codec, source);
  let decoder: EmscriptenDecoder | undefined;
  try {
    decoder = new module[className]();
    decoder.getEncodedBuffer(encoded.length).set(encoded);
    decoder.decode();
    const frame = decoder.getFrameInfo();
    if (
      frame.width !== info.columns ||
      frame.height !== info.rows ||
      frame.componentCount !== info.samplesPerPixel
    ) {
      throw new Error(
        `codestream ${frame.width}x${frame.height}x${frame.componentCount} vs header ${info.columns}x${info.rows}x${info.samplesPerPixel}`,
      );
    }
    const signed = info.pixelRepresentation === 1 || frame.isSigned === true;
    return expectSize(samplesOf(decoder.getDecodedBuffer(), frame.bitsPerSample, signed), info);
  } catch (cause) {
    throw cause instanceof ImagingDisplayError ? cause : corrupt(cause);
  } finally {
    // Emscripten objects live in the wasm heap until deleted.
    decoder?.delete?.();
  }
}

const JPEG12_LEVEL_SHIFT_ERROR = 15;

async function decodeJpeg12(encoded: Uint8Array, info: EncodedFrameInfo): Promise<DecodedSamples> {
  const { default: JpegImage } = await import('@cornerstonejs/dicom-image-loader/codecs/jpeg');
  try {
    const jpeg = new JpegImage();
    jpeg.parse(encoded);
    jpeg.colorTransform = false;
    if (info.bitsAllocated <= 8) return expectSize(jpeg.getData(info.columns, info.rows), info);
    const data = jpeg.getData16(info.columns, info.rows);
    if (info.bitsStored > 8) {
      // jpeg.js (dicom-image-loader 5.14) level-shifts 12-bit samples by 2056 × 4095/255
      // instead of 2048 × 16 + 8 (its 8-bit constant scaled by 4095/255): every sample comes
      // out 15.06 too high (checked against dcmtk's libjpeg on JPGExtended.dcm: +14/+15 on
      // every pixel). Taken back here until the package is fixed; residual error ≤ 1.
      for (let i = 0; i < data.length; i++) data[i] = Math.max(0, (data[i] ?? 0) - JPEG12_LEVEL_SHIFT_ERROR);
    }
    return expectSize(data, info);
  } catch (cause) {
    throw cause instanceof ImagingDisplayError ? cause : corrupt(cause);
  }
}

async function decodeJpegLossless(encoded: Uint8Array, info: EncodedFrameInfo): Promise<DecodedSamples> {
  try {
    const bytesPerSample = info.bitsAllocated <= 8 ? 1 : 2;
    const out = new JpegLosslessDecoder().decode(
      encoded.buffer as ArrayBuffer,
      encoded.byteOffset,
      encoded.length,
      bytesPerSample,
    );
    const bytes = new Uint8Array(new Uint8Array(out.buffer, out.byteOffset, out.byteLength));
    return expectSize(samplesOf(bytes, bytesPerSample * 8, info.pixelRepresentation === 1), info);
  } catch (cause) {
    throw cause instanceof ImagingDisplayError ? cause : corrupt(cause);
  }
}

async function decodeRle(encoded: Uint8Array, info: EncodedFrameInfo): Promise<DecodedSamples> {
  const { default: decodeRLE } = await import('@cornerstonejs/dicom-image-loader/decoders/rle');
  // A valid RLE frame starts with its segment count (1..15) and offsets inside the fragment.
  const view = new DataView(encoded.buffer, encoded.byteOffset, encoded.byteLength);
  const segments = encoded.length >= 64 ? view.getUint32(0, true) : 0;
  const expectedSegments = info.samplesPerPixel * Math.max(1, info.bitsAllocated / 8);
  if (segments !== expectedSegments)
    throw corrupt(new Error(`RLE header: ${segments} segments, expected ${expectedSegments}`));
  for (let s = 1; s <= segments; s++) {
    const offset = view.getUint32(s * 4, true);
    if (offset < 64 || offset > encoded.length) throw corrupt(new Error(`RLE segment ${s} offset ${offset}`));
  }
  try {
    // Planar 0 asks the decoder for interleaved samples (RLE segments are always per sample).
    const frame = await decodeRLE(
      {
        rows: info.rows,
        columns: info.columns,
        samplesPerPixel: info.samplesPerPixel,
        bitsAllocated: info.bitsAllocated,
        planarConfiguration: 0,
        pixelRepresentation: info.pixelRepresentation,
      },
      encoded,
    );
    if (!frame.pixelData) throw new Error('RLE: no pixels');
    const data = frame.pixelData;
    return expectSize(
      info.bitsAllocated === 8 && info.pixelRepresentation === 1
        ? new Int8Array(data.buffer, data.byteOffset, data.length)
        : data,
      info,
    );
  } catch (cause) {
    throw cause instanceof ImagingDisplayError ? cause : corrupt(cause);
  }
}

/** The decoder of a compressed transfer syntax, or undefined for one that is not supported. */
export function decoderFor(
  transferSyntaxUid: string,
  info: EncodedFrameInfo,
  source: WasmSource,
): FrameDecoder | undefined {
  switch (transferSyntaxUid) {
    case TRANSFER_SYNTAX.Rle:
      return decodeRle;
    case TRANSFER_SYNTAX.JpegBaseline:
    case TRANSFER_SYNTAX.JpegExtended:
      // libjpeg-turbo's 8-bit build refuses 12-bit data (precision 12 of JPEG extended).
      return info.bitsStored > 8 || info.bitsAllocated > 8
        ? decodeJpeg12
        : (encoded, i) => emscriptenDecode('libjpeg-turbo-8bit', 'JPEGDecoder', source, encoded, i);
    case TRANSFER_SYNTAX.JpegLossless:
    case TRANSFER_SYNTAX.JpegLosslessSv1:
      return decodeJpegLossless;
    case TRANSFER_SYNTAX.JpegLsLossless:
    case TRANSFER_SYNTAX.JpegLsNearLossless:
      return (encoded, i) => emscriptenDecode('charls', 'JpegLSDecoder', source, encoded, i);
    case TRANSFER_SYNTAX.Jpeg2000Lossless:
    case TRANSFER_SYNTAX.Jpeg2000:
      return (encoded, i) => emscriptenDecode('openjpeg', 'J2KDecoder', source, encoded, i);
    default:
      return undefined;
  }
}
