import type {
  ElementSpec,
  Part10Options,
  TestImage,
} from '../../../../../shared/src/dicom/test-support/writer';
import { imageElements, writePart10 } from '../../../../../shared/src/dicom/test-support/writer';

/**
 * DICOM files made in code for the pipeline's tests (they run on a clone without the
 * fixtures): what the shared test writer makes, plus encapsulated RLE pixel data and the
 * deflated syntax through the platform's CompressionStream.
 */

/** PackBits as DICOM RLE wants it (PS3.5 G.3.1): replicate runs of 3+ equal bytes, literals otherwise. */
export function packBits(bytes: Uint8Array): Uint8Array {
  const out: number[] = [];
  let i = 0;
  while (i < bytes.length) {
    let run = 1;
    while (i + run < bytes.length && run < 128 && bytes[i + run] === bytes[i]) run++;
    if (run >= 3) {
      out.push(257 - run, bytes[i] ?? 0);
      i += run;
      continue;
    }
    const start = i;
    while (i < bytes.length && i - start < 128) {
      if (i + 2 < bytes.length && bytes[i] === bytes[i + 1] && bytes[i] === bytes[i + 2]) break;
      i++;
    }
    out.push(i - start - 1, ...bytes.subarray(start, i));
  }
  if (out.length % 2 === 1) out.push(0x80); // no-op byte pads the segment to an even length
  return Uint8Array.from(out);
}

/**
 * One RLE frame: a segment per byte plane (most significant byte first for 16-bit), samples
 * given interleaved (RGBRGB… or grey values).
 */
export function rleFrame(
  samples: ArrayLike<number>,
  samplesPerPixel: number,
  bitsAllocated: 8 | 16,
): Uint8Array {
  const pixels = samples.length / samplesPerPixel;
  const segments: Uint8Array[] = [];
  for (let s = 0; s < samplesPerPixel; s++) {
    const planes = bitsAllocated === 16 ? [8, 0] : [0];
    for (const shift of planes) {
      const plane = new Uint8Array(pixels);
      for (let p = 0; p < pixels; p++) plane[p] = ((samples[p * samplesPerPixel + s] ?? 0) >> shift) & 0xff;
      segments.push(packBits(plane));
    }
  }
  const header = new Uint8Array(64);
  const view = new DataView(header.buffer);
  view.setUint32(0, segments.length, true);
  let offset = 64;
  segments.forEach((segment, i) => {
    view.setUint32(4 + i * 4, offset, true);
    offset += segment.length;
  });
  const out = new Uint8Array(offset);
  out.set(header);
  let at = 64;
  for (const segment of segments) {
    out.set(segment, at);
    at += segment.length;
  }
  return out;
}

const TS_EXPLICIT = '1.2.840.10008.1.2.1';

/**
 * A Part 10 file whose pixel data is encapsulated (one fragment per frame, empty basic
 * offset table), in the given transfer syntax (a UID as long as explicit VR LE's, e.g. RLE).
 */
export function writeEncapsulated(
  elements: readonly ElementSpec[],
  frames: readonly Uint8Array[],
  transferSyntaxUid: string,
): Uint8Array {
  if (transferSyntaxUid.length !== TS_EXPLICIT.length)
    throw new RangeError('transfer syntax UID must have the length of explicit VR LE');
  const head = writePart10(elements.filter((e) => e.tag !== 0x7fe00010));
  // Patch the meta's Transfer Syntax UID (same length, so every offset stays right).
  const ascii = new TextEncoder().encode(TS_EXPLICIT);
  let at = -1;
  for (let i = 132; i < head.length - ascii.length && at < 0; i++) {
    if (ascii.every((b, k) => head[i + k] === b) && head[i - 8] === 0x02 && head[i - 6] === 0x10) at = i;
  }
  if (at < 0) throw new Error('transfer syntax not found');
  head.set(new TextEncoder().encode(transferSyntaxUid), at);
  const parts: number[] = [];
  const u16 = (v: number) => parts.push(v & 0xff, (v >> 8) & 0xff);
  const u32 = (v: number) => parts.push(v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >>> 24) & 0xff);
  u16(0x7fe0);
  u16(0x0010);
  parts.push(0x4f, 0x42, 0, 0); // OB, reserved
  u32(0xffffffff);
  u16(0xfffe);
  u16(0xe000);
  u32(0);
  const bodies: Uint8Array[] = [];
  for (const frame of frames) {
    const even = frame.length % 2 === 0 ? frame : Uint8Array.from([...frame, 0]);
    bodies.push(even);
  }
  const tail: number[] = [];
  const t16 = (v: number) => tail.push(v & 0xff, (v >> 8) & 0xff);
  t16(0xfffe);
  t16(0xe0dd);
  tail.push(0, 0, 0, 0);
  const total = head.length + parts.length + bodies.reduce((n, b) => n + 8 + b.length, 0) + tail.length;
  const out = new Uint8Array(total);
  out.set(head);
  let o = head.length;
  out.set(parts, o);
  o += parts.length;
  for (const body of bodies) {
    const item = new DataView(out.buffer, o, 8);
    item.setUint16(0, 0xfffe, true);
    item.setUint16(2, 0xe000, true);
    item.setUint32(4, body.length, true);
    out.set(body, o + 8);
    o += 8 + body.length;
  }
  out.set(tail, o);
  return out;
}

async function deflateRawAsync(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new CompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** writePart10 in the deflated syntax, compressed with CompressionStream (the writer wants a synchronous deflate). */
export async function writeDeflated(
  elements: readonly ElementSpec[],
  options: Omit<Part10Options, 'transferSyntax' | 'deflateRaw'> = {},
): Promise<Uint8Array> {
  let body: Uint8Array | undefined;
  writePart10(elements, { ...options, transferSyntax: 'deflated', deflateRaw: (b) => ((body = b), b) });
  if (!body) throw new Error('no body');
  const compressed = await deflateRawAsync(body);
  return writePart10(elements, { ...options, transferSyntax: 'deflated', deflateRaw: () => compressed });
}

/** Image elements with these pixel-module values and pixel bytes (replacing the writer's defaults). */
export function pixelImage(
  pixel: {
    readonly rows: number;
    readonly columns: number;
    readonly samplesPerPixel?: number;
    readonly photometric?: string;
    readonly bitsAllocated?: number;
    readonly bitsStored?: number;
    readonly highBit?: number;
    readonly pixelRepresentation?: number;
    readonly planarConfiguration?: number;
    readonly frames?: number;
    readonly data?: Uint8Array | Uint16Array;
    readonly extra?: readonly ElementSpec[];
  },
  img: TestImage = {},
): ElementSpec[] {
  const bitsAllocated = pixel.bitsAllocated ?? 16;
  const bitsStored = pixel.bitsStored ?? bitsAllocated;
  const replaced: ElementSpec[] = [
    { tag: 0x00280002, vr: 'US', value: pixel.samplesPerPixel ?? 1 },
    { tag: 0x00280004, vr: 'CS', value: pixel.photometric ?? 'MONOCHROME2' },
    { tag: 0x00280100, vr: 'US', value: bitsAllocated },
    { tag: 0x00280101, vr: 'US', value: bitsStored },
    { tag: 0x00280102, vr: 'US', value: pixel.highBit ?? bitsStored - 1 },
    { tag: 0x00280103, vr: 'US', value: pixel.pixelRepresentation ?? 0 },
    ...(pixel.planarConfiguration === undefined
      ? []
      : [{ tag: 0x00280006, vr: 'US' as const, value: pixel.planarConfiguration }]),
    ...(pixel.data === undefined
      ? []
      : [{ tag: 0x7fe00010, vr: bitsAllocated > 8 ? ('OW' as const) : ('OB' as const), value: pixel.data }]),
    ...(pixel.extra ?? []),
  ];
  return imageElements({
    ...img,
    rows: pixel.rows,
    columns: pixel.columns,
    ...(pixel.frames === undefined ? {} : { frames: pixel.frames }),
    extra: replaced,
  });
}
