/**
 * Decoding of DICOM text values with the data set's Specific Character Set (0008,0005),
 * PS3.5 §6.1 and annex of PS3.3 C.12.1.1.2: the default repertoire (ASCII), the ISO 8859
 * single-byte sets (ISO_IR 100 = Latin-1 …), UTF-8 (ISO_IR 192), GB18030/GBK, and the
 * ISO 2022 code extensions with escape sequences (ISO 2022 IR 100, IR 87 …) as far as the
 * runtime's TextDecoder (WHATWG Encoding) has the tables. Pure: no Node, no DOM.
 */

type DecoderLike = { decode(input: Uint8Array): string };
type DecoderConstructor = new (label: string, options?: { fatal?: boolean }) => DecoderLike;

const TextDecoderImpl = (globalThis as unknown as { TextDecoder?: DecoderConstructor }).TextDecoder;

type Decode = (bytes: Uint8Array) => string;

/** Latin-1 byte → code point (ISO 8859-1 is the first 256 code points of Unicode). */
const latin1: Decode = (bytes) => {
  let out = '';
  for (let i = 0; i < bytes.length; i += 4096) {
    out += String.fromCharCode(...bytes.subarray(i, i + 4096));
  }
  return out;
};

const decoders = new Map<string, Decode | null>();

/** A WHATWG decoder for `label`, or null when this runtime lacks it (small-ICU builds). */
function whatwg(label: string): Decode | null {
  const cached = decoders.get(label);
  if (cached !== undefined) return cached;
  let decode: Decode | null = null;
  if (TextDecoderImpl) {
    try {
      const decoder = new TextDecoderImpl(label);
      decode = (bytes) => decoder.decode(bytes);
    } catch {
      decode = null;
    }
  }
  decoders.set(label, decode);
  return decode;
}

/** JIS X 0201 katakana (G1 of ISO 2022 IR 13): 0xA1–0xDF → U+FF61–U+FF9F. */
const katakana: Decode = (bytes) => {
  let out = '';
  for (const b of bytes) out += b >= 0xa1 && b <= 0xdf ? String.fromCharCode(0xff61 + b - 0xa1) : String.fromCharCode(b);
  return out;
};

/** Single-byte sets by defined term (without "ISO 2022 " / "ISO_IR " prefix): WHATWG label, or latin1. */
const SINGLE_BYTE: Readonly<Record<string, string>> = {
  'IR 100': 'latin1',
  'IR 101': 'iso-8859-2',
  'IR 109': 'iso-8859-3',
  'IR 110': 'iso-8859-4',
  'IR 144': 'iso-8859-5',
  'IR 127': 'iso-8859-6',
  'IR 126': 'iso-8859-7',
  'IR 138': 'iso-8859-8',
  // WHATWG maps ISO 8859-9 to windows-1254, which equals it on every printable byte.
  'IR 148': 'iso-8859-9',
  'IR 203': 'iso-8859-15',
  // WHATWG maps TIS-620 to windows-874, a superset.
  'IR 166': 'windows-874',
};

/** Terms without code extension (one set for the whole value). */
const PLAIN_TERMS: Readonly<Record<string, string>> = {
  '': 'ascii',
  'ISO_IR 6': 'ascii',
  'ISO_IR 192': 'utf-8',
  GB18030: 'gb18030',
  GBK: 'gbk',
  // JIS X 0201 as one byte set: Shift_JIS single bytes are exactly JIS X 0201.
  'ISO_IR 13': 'shift_jis',
  ...Object.fromEntries(Object.entries(SINGLE_BYTE).map(([term, label]) => [`ISO_${term}`, label])),
};

/** ISO 2022 defined terms this decoder knows. */
const ISO2022_TERMS: ReadonlySet<string> = new Set([
  'ISO 2022 IR 6',
  'ISO 2022 IR 13',
  'ISO 2022 IR 87',
  'ISO 2022 IR 159',
  'ISO 2022 IR 149',
  'ISO 2022 IR 58',
  ...Object.keys(SINGLE_BYTE).map((t) => `ISO 2022 ${t}`),
]);

function plainTermDecoder(term: string): Decode | null {
   
  const label = Object.prototype.hasOwnProperty.call(PLAIN_TERMS, term) ? PLAIN_TERMS[term] : undefined;
  if (label === undefined) return null;
  // The default repertoire is ASCII; bytes above 0x7F there are a writer's mistake, read as Latin-1.
  if (label === 'ascii' || label === 'latin1') return latin1;
  return whatwg(label);
}

export type SpecificCharacterSet = {
  /** The values of (0008,0005), trimmed; the first may be '' (default repertoire). Empty when absent. */
  readonly terms: readonly string[];
  /** True when any value is an ISO 2022 term: the value is decoded with escape sequences. */
  readonly codeExtensions: boolean;
  /** Terms this decoder does not know or this runtime cannot decode: those bytes are read as Latin-1. */
  readonly unsupported: readonly string[];
};

/** Parses the raw (0008,0005) value (backslash-separated, ASCII). */
export function parseSpecificCharacterSet(raw: string | undefined): SpecificCharacterSet {
  const terms = raw === undefined ? [] : raw.split('\\').map((t) => t.trim().toUpperCase());
  while (terms.length > 1 && terms[terms.length - 1] === '') terms.pop();
  const codeExtensions = terms.some((t) => t.startsWith('ISO 2022'));
  const unsupported: string[] = [];
  for (const [i, term] of terms.entries()) {
    if (codeExtensions) {
      if (term === '' && i === 0) continue;
      const known = ISO2022_TERMS.has(term) || PLAIN_TERMS[term] === 'ascii';
      if (!known || !iso2022TermDecodable(term)) unsupported.push(term);
    } else if (i === 0 && plainTermDecoder(term) === null) {
      unsupported.push(term);
    }
  }
  return { terms, codeExtensions, unsupported };
}

function iso2022TermDecodable(term: string): boolean {
  switch (term) {
    case 'ISO 2022 IR 87':
    case 'ISO 2022 IR 159':
      return whatwg('euc-jp') !== null;
    case 'ISO 2022 IR 149':
      return whatwg('euc-kr') !== null;
    case 'ISO 2022 IR 58':
      return whatwg('gbk') !== null;
    default: {
      const single = SINGLE_BYTE[term.replace('ISO 2022 ', '')];
      return single === undefined || single === 'latin1' || whatwg(single) !== null;
    }
  }
}

// ---------------------------------------------------------------- ISO 2022 code extensions

type G0 = 'ascii' | 'jisx0208' | 'jisx0212';
type G1 = { readonly kind: 'single'; readonly decode: Decode } | { readonly kind: 'double'; readonly label: string } | null;

function g1ForTerm(term: string): G1 {
  if (term === 'ISO 2022 IR 13') return { kind: 'single', decode: katakana };
  if (term === 'ISO 2022 IR 149') return { kind: 'double', label: 'euc-kr' };
  if (term === 'ISO 2022 IR 58') return { kind: 'double', label: 'gbk' };
  const single = SINGLE_BYTE[term.replace('ISO 2022 ', '')];
  if (single === undefined) return null;
  return { kind: 'single', decode: single === 'latin1' ? latin1 : (whatwg(single) ?? latin1) };
}

/** Escape sequences (bytes after ESC) → what they designate. */
const ESCAPES: readonly { readonly bytes: readonly number[]; readonly g0?: G0; readonly g1Term?: string }[] = [
  { bytes: [0x28, 0x42], g0: 'ascii' },
  { bytes: [0x28, 0x4a], g0: 'ascii' },
  { bytes: [0x24, 0x42], g0: 'jisx0208' },
  { bytes: [0x24, 0x28, 0x44], g0: 'jisx0212' },
  { bytes: [0x29, 0x49], g1Term: 'ISO 2022 IR 13' },
  { bytes: [0x24, 0x29, 0x43], g1Term: 'ISO 2022 IR 149' },
  { bytes: [0x24, 0x29, 0x41], g1Term: 'ISO 2022 IR 58' },
  { bytes: [0x2d, 0x41], g1Term: 'ISO 2022 IR 100' },
  { bytes: [0x2d, 0x42], g1Term: 'ISO 2022 IR 101' },
  { bytes: [0x2d, 0x43], g1Term: 'ISO 2022 IR 109' },
  { bytes: [0x2d, 0x44], g1Term: 'ISO 2022 IR 110' },
  { bytes: [0x2d, 0x4c], g1Term: 'ISO 2022 IR 144' },
  { bytes: [0x2d, 0x47], g1Term: 'ISO 2022 IR 127' },
  { bytes: [0x2d, 0x46], g1Term: 'ISO 2022 IR 126' },
  { bytes: [0x2d, 0x48], g1Term: 'ISO 2022 IR 138' },
  { bytes: [0x2d, 0x4d], g1Term: 'ISO 2022 IR 148' },
  { bytes: [0x2d, 0x62], g1Term: 'ISO 2022 IR 203' },
  { bytes: [0x2d, 0x54], g1Term: 'ISO 2022 IR 166' },
];

const CR = 0x0d;
const LF = 0x0a;
const FF = 0x0c;
const TAB = 0x09;
const BACKSLASH = 0x5c;
const CARET = 0x5e;
const EQUALS = 0x3d;

function decodeIso2022(bytes: Uint8Array, charset: SpecificCharacterSet, personName: boolean): string {
  const first = charset.terms[0] ?? '';
  const initialG1 = g1ForTerm(first);
  let g0: G0 = 'ascii';
  let g1: G1 = initialG1;
  let out = '';
  let run: number[] = [];
  let runDecode: Decode = latin1;
  const flush = (): void => {
    if (run.length > 0) out += runDecode(Uint8Array.from(run));
    run = [];
  };
  const push = (decode: Decode, ...values: number[]): void => {
    if (decode !== runDecode) {
      flush();
      runDecode = decode;
    }
    run.push(...values);
  };
  const eucJp = whatwg('euc-jp') ?? latin1;
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    if (b === 0x1b) {
      const match = ESCAPES.find((e) => e.bytes.every((v, k) => bytes[i + 1 + k] === v));
      if (match) {
        if (match.g0 !== undefined) g0 = match.g0;
        if (match.g1Term !== undefined) g1 = g1ForTerm(match.g1Term);
        i += 1 + match.bytes.length;
        continue;
      }
      // An unknown escape: keep the byte visible rather than drop text silently.
      push(latin1, b);
      i++;
      continue;
    }
    if (b < 0x80) {
      if (g0 !== 'ascii' && b >= 0x21 && b <= 0x7e && i + 1 < bytes.length) {
        const b2 = bytes[i + 1] as number;
        // JIS X 0208/0212 in G0 are byte pairs; EUC-JP holds both (0212 behind 0x8F).
        if (g0 === 'jisx0212') push(eucJp, 0x8f, b | 0x80, b2 | 0x80);
        else push(eucJp, b | 0x80, b2 | 0x80);
        i += 2;
        continue;
      }
      push(latin1, b);
      const delimiter = b === CR || b === LF || b === FF || b === TAB || b === BACKSLASH || (personName && (b === CARET || b === EQUALS));
      if (delimiter) {
        g0 = 'ascii';
        g1 = initialG1;
      }
      i++;
      continue;
    }
    if (g1?.kind === 'double' && i + 1 < bytes.length) {
      push(whatwg(g1.label) ?? latin1, b, bytes[i + 1] as number);
      i += 2;
      continue;
    }
    push(g1?.kind === 'single' ? g1.decode : latin1, b);
    i++;
  }
  flush();
  return out;
}

/**
 * Decodes the bytes of one text element (all its values, backslashes included) with the
 * data set's character set. Trailing padding (spaces, NULs) is kept: callers trim per value.
 * `personName`: PN values also reset the ISO 2022 state at `^` and `=` (PS3.5 §6.1.2.5.3).
 */
export function decodeDicomText(
  bytes: Uint8Array,
  charset: SpecificCharacterSet,
  options: { readonly personName?: boolean } = {},
): string {
  if (charset.codeExtensions) return decodeIso2022(bytes, charset, options.personName === true);
  const decode = plainTermDecoder(charset.terms[0] ?? '') ?? latin1;
  return decode(bytes);
}

/** Splits a decoded value into its values (backslash), each without padding (spaces, NULs) at either end. */
export function splitValues(decoded: string): string[] {
  return decoded.split('\\').map((v) => v.replace(/^[\0 ]+|[\0 ]+$/gu, ''));
}
