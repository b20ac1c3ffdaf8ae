/**
 * A small DICOM Part 10 writer for tests: explicit or implicit VR little endian, explicit
 * big endian, deflated (with an injected deflate), a chosen character set, truncation,
 * and DICOMDIR files with their record offsets. It writes what the tests need to exist on
 * a clone without the real fixtures; it is not a general DICOM encoder. Pure TypeScript.
 */

export type Vr =
  | 'AE' | 'AS' | 'AT' | 'CS' | 'DA' | 'DS' | 'DT' | 'FD' | 'FL' | 'IS' | 'LO' | 'LT' | 'OB' | 'OW' | 'PN'
  | 'SH' | 'SL' | 'SQ' | 'SS' | 'ST' | 'TM' | 'UI' | 'UL' | 'UN' | 'US' | 'UT';

export type ElementValue = string | number | readonly number[] | Uint8Array | Uint16Array | readonly ElementSpec[][];

export type ElementSpec = {
  /** 0xGGGGEEEE */
  readonly tag: number;
  readonly vr: Vr;
  readonly value: ElementValue;
};

export type TransferSyntaxName = 'explicit-le' | 'implicit-le' | 'explicit-be' | 'deflated';

export const TS_UID: Readonly<Record<TransferSyntaxName, string>> = {
  'implicit-le': '1.2.840.10008.1.2',
  'explicit-le': '1.2.840.10008.1.2.1',
  'explicit-be': '1.2.840.10008.1.2.2',
  deflated: '1.2.840.10008.1.2.1.99',
};

const LONG_LENGTH_VRS = new Set<Vr>(['OB', 'OW', 'SQ', 'UN', 'UT']);
const TEXT_VRS = new Set<Vr>(['LO', 'LT', 'PN', 'SH', 'ST', 'UT']);

export type TextEncoding = 'ascii' | 'latin1' | 'utf-8';

type Encoder = { encode(s: string): Uint8Array };
const TextEncoderImpl = (globalThis as unknown as { TextEncoder: new () => Encoder }).TextEncoder;

export function encodeText(value: string, encoding: TextEncoding): Uint8Array {
  if (encoding === 'utf-8') return new TextEncoderImpl().encode(value);
  const out = new Uint8Array(value.length);
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c > (encoding === 'ascii' ? 0x7f : 0xff)) throw new RangeError(`character U+${c.toString(16)} not in ${encoding}`);
    out[i] = c;
  }
  return out;
}

class Bytes {
  private chunks: Uint8Array[] = [];
  length = 0;
  constructor(private readonly littleEndian: boolean) {}
  push(bytes: Uint8Array): void {
    this.chunks.push(bytes);
    this.length += bytes.length;
  }
  u16(v: number): void {
    const b = new Uint8Array(2);
    new DataView(b.buffer).setUint16(0, v, this.littleEndian);
    this.push(b);
  }
  u32(v: number): void {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v, this.littleEndian);
    this.push(b);
  }
  ascii(s: string): void {
    this.push(encodeText(s, 'ascii'));
  }
  concat(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

export type EncodeOptions = {
  readonly explicit: boolean;
  readonly littleEndian: boolean;
  readonly text: TextEncoding;
};

function valueBytes(spec: ElementSpec, o: EncodeOptions): Uint8Array {
  const { vr, value } = spec;
  if (value instanceof Uint8Array) return value;
  if (value instanceof Uint16Array) {
    const out = new Uint8Array(value.length * 2);
    const view = new DataView(out.buffer);
    value.forEach((v, i) => view.setUint16(i * 2, v, o.littleEndian));
    return out;
  }
  if (typeof value === 'string') return encodeText(value, TEXT_VRS.has(vr) ? o.text : 'ascii');
  const numbers = typeof value === 'number' ? [value] : (value as readonly number[]);
  if (vr === 'IS' || vr === 'DS') return encodeText(numbers.join('\\'), 'ascii');
  const size = vr === 'US' || vr === 'SS' ? 2 : vr === 'FD' ? 8 : 4;
  const out = new Uint8Array(numbers.length * size);
  const view = new DataView(out.buffer);
  numbers.forEach((n, i) => {
    const at = i * size;
    if (vr === 'US') view.setUint16(at, n, o.littleEndian);
    else if (vr === 'SS') view.setInt16(at, n, o.littleEndian);
    else if (vr === 'UL') view.setUint32(at, n, o.littleEndian);
    else if (vr === 'SL') view.setInt32(at, n, o.littleEndian);
    else if (vr === 'FL') view.setFloat32(at, n, o.littleEndian);
    else if (vr === 'FD') view.setFloat64(at, n, o.littleEndian);
    else throw new TypeError(`numbers for VR ${vr}`);
  });
  return out;
}

function padded(bytes: Uint8Array, vr: Vr): Uint8Array {
  if (bytes.length % 2 === 0) return bytes;
  const out = new Uint8Array(bytes.length + 1);
  out.set(bytes);
  out[bytes.length] = vr === 'UI' || vr === 'OB' || vr === 'UN' ? 0 : 0x20;
  return out;
}

/** Encodes a data set (elements sorted by tag, as DICOM requires). */
export function encodeDataSet(elements: readonly ElementSpec[], o: EncodeOptions): Uint8Array {
  const out = new Bytes(o.littleEndian);
  const sorted = [...elements].sort((a, b) => a.tag - b.tag);
  for (const spec of sorted) {
    let body: Uint8Array;
    if (spec.vr === 'SQ') {
      const items = new Bytes(o.littleEndian);
      for (const item of spec.value as readonly ElementSpec[][]) {
        const encoded = encodeDataSet(item, o);
        items.u16(0xfffe);
        items.u16(0xe000);
        items.u32(encoded.length);
        items.push(encoded);
      }
      body = items.concat();
    } else {
      body = padded(valueBytes(spec, o), spec.vr);
    }
    out.u16(spec.tag >>> 16);
    out.u16(spec.tag & 0xffff);
    if (o.explicit) {
      out.ascii(spec.vr);
      if (LONG_LENGTH_VRS.has(spec.vr)) {
        out.u16(0);
        out.u32(body.length);
      } else {
        if (body.length > 0xffff) throw new RangeError(`value too long for VR ${spec.vr}`);
        out.u16(body.length);
      }
    } else {
      out.u32(body.length);
    }
    out.push(body);
  }
  return out.concat();
}

export type Part10Options = {
  readonly transferSyntax?: TransferSyntaxName;
  /** Written as (0008,0005) unless the elements have one; also decides how text VRs are encoded. */
  readonly charset?: 'ISO_IR 100' | 'ISO_IR 192' | '';
  /** For 'deflated': raw deflate (zlib without header), e.g. Node's zlib.deflateRawSync. */
  readonly deflateRaw?: (bytes: Uint8Array) => Uint8Array;
  /** Cut this many bytes off the end (a truncated file). */
  readonly truncateBy?: number;
  readonly mediaStorageSopClassUid?: string;
  readonly mediaStorageSopInstanceUid?: string;
};

function textEncodingOf(charset: Part10Options['charset']): TextEncoding {
  return charset === 'ISO_IR 100' ? 'latin1' : charset === 'ISO_IR 192' ? 'utf-8' : 'ascii';
}

function stringOf(elements: readonly ElementSpec[], tag: number): string | undefined {
  const v = elements.find((e) => e.tag === tag)?.value;
  return typeof v === 'string' ? v : undefined;
}

/** A Part 10 file: preamble, DICM, file meta (explicit VR LE), then the data set. */
export function writePart10(elements: readonly ElementSpec[], options: Part10Options = {}): Uint8Array {
  const ts = options.transferSyntax ?? 'explicit-le';
  const charset = options.charset;
  const withCharset =
    charset !== undefined && charset !== '' && !elements.some((e) => e.tag === 0x00080005)
      ? [...elements, { tag: 0x00080005, vr: 'CS' as const, value: charset }]
      : elements;
  const meta = encodeDataSet(
    [
      { tag: 0x00020001, vr: 'OB', value: new Uint8Array([0, 1]) },
      {
        tag: 0x00020002,
        vr: 'UI',
        value: options.mediaStorageSopClassUid ?? stringOf(elements, 0x00080016) ?? '1.2.840.10008.5.1.4.1.1.7',
      },
      {
        tag: 0x00020003,
        vr: 'UI',
        value: options.mediaStorageSopInstanceUid ?? stringOf(elements, 0x00080018) ?? '1.2.3.4',
      },
      { tag: 0x00020010, vr: 'UI', value: TS_UID[ts] },
      { tag: 0x00020012, vr: 'UI', value: '1.2.826.0.1.3680043.10.1' },
    ],
    { explicit: true, littleEndian: true, text: 'ascii' },
  );
  const groupLength = encodeDataSet([{ tag: 0x00020000, vr: 'UL', value: meta.length }], {
    explicit: true,
    littleEndian: true,
    text: 'ascii',
  });
  let body = encodeDataSet(withCharset, {
    explicit: ts !== 'implicit-le',
    littleEndian: ts !== 'explicit-be',
    text: textEncodingOf(charset),
  });
  if (ts === 'deflated') {
    if (!options.deflateRaw) throw new TypeError('deflated needs options.deflateRaw');
    body = options.deflateRaw(body);
  }
  const file = new Uint8Array(132 + groupLength.length + meta.length + body.length);
  file.set(encodeText('DICM', 'ascii'), 128);
  file.set(groupLength, 132);
  file.set(meta, 132 + groupLength.length);
  file.set(body, 132 + groupLength.length + meta.length);
  const cut = options.truncateBy ?? 0;
  return cut > 0 ? file.subarray(0, Math.max(0, file.length - cut)) : file;
}

// ---------------------------------------------------------------- images

export type TestImage = {
  readonly patientName?: string;
  readonly patientId?: string;
  readonly issuerOfPatientId?: string;
  readonly otherPatientIds?: readonly { readonly id: string; readonly issuer?: string; readonly universalEntityId?: string }[];
  readonly birthDate?: string;
  readonly sex?: string;
  readonly studyInstanceUid?: string;
  readonly studyDate?: string;
  readonly studyTime?: string;
  readonly studyDescription?: string;
  readonly accessionNumber?: string;
  readonly seriesInstanceUid?: string;
  readonly seriesDescription?: string;
  readonly seriesNumber?: number;
  readonly modality?: string;
  readonly bodyPart?: string;
  readonly sopInstanceUid?: string;
  readonly sopClassUid?: string;
  readonly instanceNumber?: number;
  readonly imagePosition?: readonly [number, number, number];
  readonly sliceLocation?: number;
  readonly pixelSpacing?: readonly [number, number];
  readonly rows?: number;
  readonly columns?: number;
  readonly frames?: number;
  /** Leave out the pixel data element's last bytes (its length says the full size). */
  readonly pixelBytesMissing?: number;
  readonly extra?: readonly ElementSpec[];
  readonly omit?: readonly number[];
};

/** Elements of a small 16-bit MONOCHROME2 image (CT by default) with the given identity. */
export function imageElements(img: TestImage = {}): ElementSpec[] {
  const rows = img.rows ?? 4;
  const columns = img.columns ?? 4;
  const frames = img.frames ?? 1;
  const pixels = new Uint16Array(rows * columns * frames).map((_, i) => (i * 37) % 4096);
  const base: ElementSpec[] = [
    { tag: 0x00080016, vr: 'UI', value: img.sopClassUid ?? '1.2.840.10008.5.1.4.1.1.2' },
    { tag: 0x00080018, vr: 'UI', value: img.sopInstanceUid ?? '1.2.826.0.1.3680043.10.1.1.1.1' },
    { tag: 0x00080020, vr: 'DA', value: img.studyDate ?? '20240115' },
    { tag: 0x00080030, vr: 'TM', value: img.studyTime ?? '101530' },
    { tag: 0x00080050, vr: 'SH', value: img.accessionNumber ?? 'ACC001' },
    { tag: 0x00080060, vr: 'CS', value: img.modality ?? 'CT' },
    { tag: 0x00081030, vr: 'LO', value: img.studyDescription ?? 'Scanner thoracique' },
    { tag: 0x0008103e, vr: 'LO', value: img.seriesDescription ?? 'Coupes axiales' },
    { tag: 0x00100010, vr: 'PN', value: img.patientName ?? 'Martin^Paul' },
    { tag: 0x00100020, vr: 'LO', value: img.patientId ?? 'PAT001' },
    { tag: 0x00100030, vr: 'DA', value: img.birthDate ?? '19700101' },
    { tag: 0x00100040, vr: 'CS', value: img.sex ?? 'M' },
    { tag: 0x00180015, vr: 'CS', value: img.bodyPart ?? 'CHEST' },
    { tag: 0x0020000d, vr: 'UI', value: img.studyInstanceUid ?? '1.2.826.0.1.3680043.10.1.1' },
    { tag: 0x0020000e, vr: 'UI', value: img.seriesInstanceUid ?? '1.2.826.0.1.3680043.10.1.1.1' },
    { tag: 0x00200011, vr: 'IS', value: String(img.seriesNumber ?? 1) },
    { tag: 0x00200013, vr: 'IS', value: String(img.instanceNumber ?? 1) },
    { tag: 0x00200032, vr: 'DS', value: (img.imagePosition ?? [-100, -100, 0]).join('\\') },
    { tag: 0x00200037, vr: 'DS', value: '1\\0\\0\\0\\1\\0' },
    { tag: 0x00201041, vr: 'DS', value: String(img.sliceLocation ?? 0) },
    { tag: 0x00280002, vr: 'US', value: 1 },
    { tag: 0x00280004, vr: 'CS', value: 'MONOCHROME2' },
    { tag: 0x00280010, vr: 'US', value: rows },
    { tag: 0x00280011, vr: 'US', value: columns },
    { tag: 0x00280030, vr: 'DS', value: (img.pixelSpacing ?? [0.5, 0.5]).join('\\') },
    { tag: 0x00280100, vr: 'US', value: 16 },
    { tag: 0x00280101, vr: 'US', value: 12 },
    { tag: 0x00280102, vr: 'US', value: 11 },
    { tag: 0x00280103, vr: 'US', value: 0 },
    { tag: 0x7fe00010, vr: 'OW', value: pixels },
  ];
  if (frames > 1) base.push({ tag: 0x00280008, vr: 'IS', value: String(frames) });
  if (img.issuerOfPatientId !== undefined) base.push({ tag: 0x00100021, vr: 'LO', value: img.issuerOfPatientId });
  if (img.otherPatientIds) {
    base.push({
      tag: 0x00101002,
      vr: 'SQ',
      value: img.otherPatientIds.map((o) => [
        { tag: 0x00100020, vr: 'LO' as const, value: o.id },
        ...(o.issuer === undefined ? [] : [{ tag: 0x00100021, vr: 'LO' as const, value: o.issuer }]),
        ...(o.universalEntityId === undefined
          ? []
          : [
              {
                tag: 0x00100024,
                vr: 'SQ' as const,
                value: [
                  [
                    { tag: 0x00400032, vr: 'UT' as const, value: o.universalEntityId },
                    { tag: 0x00400033, vr: 'CS' as const, value: 'ISO' },
                  ],
                ],
              },
            ]),
      ]),
    });
  }
  const omitted = base.filter((e) => !(img.omit ?? []).includes(e.tag));
  const extraTags = new Set((img.extra ?? []).map((e) => e.tag));
  return [...omitted.filter((e) => !extraTags.has(e.tag)), ...(img.extra ?? [])];
}

/** A test image as a Part 10 file. `pixelBytesMissing` cuts the end of the pixel data (and of the file). */
export function writeImage(img: TestImage = {}, options: Part10Options = {}): Uint8Array {
  const file = writePart10(imageElements(img), options);
  const missing = img.pixelBytesMissing ?? 0;
  return missing > 0 ? file.subarray(0, file.length - missing) : file;
}

// ---------------------------------------------------------------- DICOMDIR

export type DicomdirSpec = {
  readonly type: 'PATIENT' | 'STUDY' | 'SERIES' | 'IMAGE';
  readonly elements: readonly ElementSpec[];
  /** For instance records: path components, e.g. ['IMAGES', 'IM0001']. */
  readonly fileId?: readonly string[];
  readonly children?: readonly DicomdirSpec[];
};

/**
 * A DICOMDIR (explicit VR LE) whose records form the given tree, with correct offsets of
 * next and lower-level records (or none with `withoutOffsets`, like some writers).
 */
export function writeDicomdir(
  roots: readonly DicomdirSpec[],
  options: { readonly fileSetId?: string; readonly withoutOffsets?: boolean } = {},
): Uint8Array {
  type Flat = { spec: DicomdirSpec; next?: Flat; lower?: Flat; start: number };
  const flat: Flat[] = [];
  const walk = (level: readonly DicomdirSpec[]): Flat | undefined => {
    let first: Flat | undefined;
    let previous: Flat | undefined;
    for (const spec of level) {
      const node: Flat = { spec, start: 0 };
      flat.push(node);
      node.lower = walk(spec.children ?? []);
      if (previous) previous.next = node;
      else first = node;
      previous = node;
    }
    return first;
  };
  const root = walk(roots);
  const itemElements = (f: Flat): ElementSpec[] => [
    ...(options.withoutOffsets ? [] : [{ tag: 0x00041400, vr: 'UL' as const, value: f.next?.start ?? 0 }]),
    { tag: 0x00041410, vr: 'US', value: 0xffff },
    ...(options.withoutOffsets ? [] : [{ tag: 0x00041420, vr: 'UL' as const, value: f.lower?.start ?? 0 }]),
    { tag: 0x00041430, vr: 'CS', value: f.spec.type },
    ...(f.spec.fileId ? [{ tag: 0x00041500, vr: 'CS' as const, value: f.spec.fileId.join('\\') }] : []),
    ...f.spec.elements,
  ];
  const build = (): Uint8Array =>
    writePart10(
      [
        { tag: 0x00041130, vr: 'CS', value: options.fileSetId ?? 'TEST_CD' },
        { tag: 0x00041200, vr: 'UL', value: options.withoutOffsets ? 0 : (root?.start ?? 0) },
        { tag: 0x00041202, vr: 'UL', value: options.withoutOffsets ? 0 : (flat[flat.length - 1]?.start ?? 0) },
        { tag: 0x00041212, vr: 'US', value: 0 },
        { tag: 0x00041220, vr: 'SQ', value: flat.map(itemElements) },
      ],
      { mediaStorageSopClassUid: '1.2.840.10008.1.3.10', mediaStorageSopInstanceUid: '1.2.826.0.1.3680043.10.1.99' },
    );
  // First pass with zero offsets: sizes do not depend on the offsets' values (UL is 4 bytes).
  const first = build();
  // Items start where the sequence's value starts; find it by walking the encoded items.
  const seqTagAt = findTag(first, 0x00041220);
  let at = seqTagAt + 12;
  for (const f of flat) {
    f.start = at;
    const length = new DataView(first.buffer, first.byteOffset).getUint32(at + 4, true);
    at += 8 + length;
  }
  return build();
}

function findTag(bytes: Uint8Array, tag: number): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  for (let i = 132; i + 4 <= bytes.length; i += 2) {
    if (view.getUint16(i, true) === tag >>> 16 && view.getUint16(i + 2, true) === (tag & 0xffff)) return i;
  }
  throw new Error('tag not found');
}
