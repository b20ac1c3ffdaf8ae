import type { ErrorParams, Result } from '../errors/app-error';
import { err, ok } from '../errors/app-error';

/**
 * HL7 v2.x messages (v2.5 as used by French labs and the IHE PAM France profile): the
 * encoding rules of chapter 2 — separators declared by MSH-1/MSH-2, repetitions,
 * components, subcomponents, escape sequences — and the character set named by MSH-18.
 * Pure: no Node, no DOM. Untrusted input goes through `parseHl7`, which never throws and
 * returns a catalogue code for every refusal.
 */

export type Hl7Separators = {
  readonly field: string;
  readonly component: string;
  readonly repetition: string;
  readonly escape: string;
  readonly subcomponent: string;
};

export const DEFAULT_SEPARATORS: Hl7Separators = {
  field: '|',
  component: '^',
  repetition: '~',
  escape: '\\',
  subcomponent: '&',
};

/** A component is a list of subcomponents (usually one); a repetition a list of components; a field a list of repetitions. */
export type Hl7Component = readonly string[];
export type Hl7Repetition = readonly Hl7Component[];
export type Hl7Field = readonly Hl7Repetition[];

/**
 * One segment. `fields[0]` is the segment name; `fields[n]` is field n as HL7 numbers
 * them (for MSH too: MSH-1 is the field separator, MSH-2 the encoding characters, both
 * kept verbatim as a single subcomponent).
 */
export type Hl7Segment = { readonly name: string; readonly fields: readonly Hl7Field[] };

export type Hl7Message = {
  readonly separators: Hl7Separators;
  readonly segments: readonly Hl7Segment[];
  /** MSH-18 as sent ('' when absent: ASCII, read as UTF-8 here). */
  readonly charset: string;
};

/** Guards against hostile or broken input; a lab result message is a few kilobytes. */
export type Hl7Limits = {
  /** Characters of the whole message (bytes before decoding for byte input). */
  readonly maxMessageLength: number;
  readonly maxSegments: number;
  /** Characters of one field as sent (escapes included). */
  readonly maxFieldLength: number;
  readonly maxFieldsPerSegment: number;
  readonly maxRepetitions: number;
  readonly maxComponents: number;
};

export const DEFAULT_HL7_LIMITS: Hl7Limits = {
  maxMessageLength: 1_048_576,
  maxSegments: 5_000,
  maxFieldLength: 65_536,
  maxFieldsPerSegment: 256,
  maxRepetitions: 256,
  maxComponents: 64,
};

export type Hl7ErrorCode =
  | 'HL7_EMPTY'
  | 'HL7_NOT_TEXT'
  | 'HL7_TOO_LARGE'
  | 'HL7_MSH_MISSING'
  | 'HL7_SEPARATORS_INVALID'
  | 'HL7_TOO_MANY_SEGMENTS'
  | 'HL7_SEGMENT_INVALID'
  | 'HL7_FIELD_TOO_LONG'
  | 'HL7_TOO_MANY_FIELDS'
  | 'HL7_CHARSET_UNSUPPORTED'
  | 'HL7_ENCODING_INVALID';

export const HL7_ERROR_CODES: readonly Hl7ErrorCode[] = [
  'HL7_EMPTY',
  'HL7_NOT_TEXT',
  'HL7_TOO_LARGE',
  'HL7_MSH_MISSING',
  'HL7_SEPARATORS_INVALID',
  'HL7_TOO_MANY_SEGMENTS',
  'HL7_SEGMENT_INVALID',
  'HL7_FIELD_TOO_LONG',
  'HL7_TOO_MANY_FIELDS',
  'HL7_CHARSET_UNSUPPORTED',
  'HL7_ENCODING_INVALID',
];

// ---------------------------------------------------------------- character sets

type DecoderLike = { decode(input: Uint8Array): string };
type DecoderConstructor = new (label: string, options?: { fatal?: boolean }) => DecoderLike;
type EncoderLike = { encode(input: string): Uint8Array };
const TextDecoderImpl = (globalThis as unknown as { TextDecoder?: DecoderConstructor }).TextDecoder;
const TextEncoderImpl = (globalThis as unknown as { TextEncoder?: new () => EncoderLike }).TextEncoder;

export type Hl7Charset = 'ascii' | 'utf-8' | 'latin1' | 'latin9';

/** MSH-18 values (HL7 table 0211) this reader understands; the empty value means ASCII. */
export function charsetOf(msh18: string): Hl7Charset | undefined {
  const v = msh18.trim().toUpperCase();
  switch (v) {
    case '':
    case 'ASCII':
      return 'ascii';
    case 'UNICODE UTF-8':
    case 'UTF-8':
    case 'UNICODE':
      return 'utf-8';
    case '8859/1':
      return 'latin1';
    case '8859/15':
      return 'latin9';
    default:
      return undefined;
  }
}

const latin1Decode = (bytes: Uint8Array): string => {
  let out = '';
  for (let i = 0; i < bytes.length; i += 4096) out += String.fromCharCode(...bytes.subarray(i, i + 4096));
  return out;
};

/** ISO 8859-15 differs from 8859-1 at eight positions (€, Š, š, Ž, ž, Œ, œ, Ÿ). */
const LATIN9: ReadonlyMap<number, string> = new Map([
  [0xa4, '€'],
  [0xa6, 'Š'],
  [0xa8, 'š'],
  [0xb4, 'Ž'],
  [0xb8, 'ž'],
  [0xbc, 'Œ'],
  [0xbd, 'œ'],
  [0xbe, 'Ÿ'],
]);

let utf8Decoder: DecoderLike | undefined;

function decodeBytes(bytes: Uint8Array, charset: Hl7Charset): string | undefined {
  switch (charset) {
    case 'latin1':
      return latin1Decode(bytes);
    case 'latin9': {
      let out = '';
      for (const b of bytes) out += LATIN9.get(b) ?? String.fromCharCode(b);
      return out;
    }
    case 'ascii':
    case 'utf-8': {
      // Plain ASCII declared but 8-bit bytes present: many senders mean UTF-8; invalid UTF-8 is refused.
      if (TextDecoderImpl === undefined) return undefined;
      try {
        utf8Decoder ??= new TextDecoderImpl('utf-8', { fatal: true });
        return utf8Decoder.decode(bytes);
      } catch {
        return undefined;
      }
    }
  }
}

/** Encodes a serialised message in the character set its MSH-18 names (UTF-8 unless 8859/1 or 8859/15). */
export function encodeHl7(text: string, charset: Hl7Charset = 'utf-8'): Uint8Array {
  if (charset === 'latin1' || charset === 'latin9') {
    const reverse = new Map([...LATIN9].map(([b, c]) => [c, b]));
    const out = new Uint8Array(text.length);
    let n = 0;
    for (const ch of text) {
      const code = ch.codePointAt(0) ?? 63;
      const mapped = charset === 'latin9' ? reverse.get(ch) : undefined;
      out[n++] = mapped ?? (code < 256 && !(charset === 'latin9' && LATIN9.has(code)) ? code : 63);
    }
    return out.subarray(0, n);
  }
  if (TextEncoderImpl === undefined) throw new Error('TextEncoder missing');
  return new TextEncoderImpl().encode(text);
}

// ---------------------------------------------------------------- escapes

function isHex(s: string): boolean {
  return s.length > 0 && s.length % 2 === 0 && /^[0-9A-Fa-f]+$/.test(s);
}

/** Decodes the escape sequences of one subcomponent (HL7 v2.5 §2.7). Unknown sequences are kept as sent. */
export function unescapeHl7(value: string, sep: Hl7Separators, charset: Hl7Charset = 'utf-8'): string {
  const e = sep.escape;
  if (e === '' || !value.includes(e)) return value;
  let out = '';
  let i = 0;
  while (i < value.length) {
    const start = value.indexOf(e, i);
    if (start < 0) {
      out += value.slice(i);
      break;
    }
    out += value.slice(i, start);
    const end = value.indexOf(e, start + 1);
    if (end < 0) {
      // A lone escape character: kept literally rather than losing the rest of the value.
      out += value.slice(start);
      break;
    }
    const seq = value.slice(start + 1, end);
    out += decodeSequence(seq, sep, charset) ?? `${e}${seq}${e}`;
    i = end + 1;
  }
  return out;
}

function decodeSequence(seq: string, sep: Hl7Separators, charset: Hl7Charset): string | undefined {
  switch (seq) {
    case 'F':
      return sep.field;
    case 'S':
      return sep.component;
    case 'T':
      return sep.subcomponent;
    case 'R':
      return sep.repetition;
    case 'E':
      return sep.escape;
    case '.br':
      return '\n';
    case 'H':
    case 'N':
      // Highlighting on/off: the text is kept, the emphasis is not.
      return '';
    default:
      break;
  }
  if (seq.startsWith('X') && isHex(seq.slice(1))) {
    const hex = seq.slice(1);
    const bytes = new Uint8Array(hex.length / 2);
    for (let k = 0; k < bytes.length; k += 1) bytes[k] = parseInt(hex.slice(k * 2, k * 2 + 2), 16);
    return decodeBytes(bytes, charset === 'ascii' ? 'utf-8' : charset) ?? undefined;
  }
  if (/^\.(?:sp|in|ti|sk|ce|fi|nf)[+-]?[0-9]*$/.test(seq)) {
    // Formatting commands of FT fields: a line break is the closest plain-text reading.
    return seq.startsWith('.sp') ? '\n' : '';
  }
  return undefined;
}

/** Escapes a value for one subcomponent: separators, the escape character and line breaks. */
export function escapeHl7(value: string, sep: Hl7Separators = DEFAULT_SEPARATORS): string {
  let out = '';
  for (let i = 0; i < value.length; i += 1) {
    const ch = value.charAt(i);
    if (ch === sep.escape) out += `${sep.escape}E${sep.escape}`;
    else if (ch === sep.field) out += `${sep.escape}F${sep.escape}`;
    else if (ch === sep.component) out += `${sep.escape}S${sep.escape}`;
    else if (ch === sep.subcomponent) out += `${sep.escape}T${sep.escape}`;
    else if (ch === sep.repetition) out += `${sep.escape}R${sep.escape}`;
    else if (ch === '\r') {
      if (value.charAt(i + 1) !== '\n') out += `${sep.escape}.br${sep.escape}`;
    } else if (ch === '\n') out += `${sep.escape}.br${sep.escape}`;
    else out += ch;
  }
  return out;
}

// ---------------------------------------------------------------- parsing

const SEGMENT_NAME = /^[A-Z][A-Z0-9]{2}$/;

function fail(code: Hl7ErrorCode, params?: ErrorParams): Result<never, Hl7ErrorCode> {
  return err(code, params);
}

/** The separators declared by the MSH segment's first characters, or an error. */
function separatorsOf(text: string): Result<Hl7Separators, Hl7ErrorCode> {
  if (!text.startsWith('MSH')) return fail('HL7_MSH_MISSING');
  const field = text.charAt(3);
  // Encoding characters run up to the next field separator: 4 in v2.5 (a 5th, truncation, from v2.7).
  const next = text.indexOf(field, 4);
  const enc = next < 0 ? '' : text.slice(4, next);
  if (field === '' || enc.length < 4 || enc.length > 5) return fail('HL7_SEPARATORS_INVALID');
  const chars = [field, ...enc];
  const distinct = new Set(chars);
  if (distinct.size !== chars.length) return fail('HL7_SEPARATORS_INVALID');
  for (const c of chars) {
    const code = c.charCodeAt(0);
    // Printable ASCII punctuation only: letters, digits, spaces and control characters would make the message ambiguous.
    if (code < 0x21 || code > 0x7e || /[A-Za-z0-9]/.test(c)) return fail('HL7_SEPARATORS_INVALID');
  }
  const [component, repetition, escape, subcomponent] = enc;
  return ok({
    field,
    component: component as string,
    repetition: repetition as string,
    escape: escape as string,
    subcomponent: subcomponent as string,
  });
}

/** Reads MSH-18 from the raw text (before decoding: the MSH segment is ASCII). */
function rawMsh18(text: string, sep: Hl7Separators): string {
  const end = text.search(/[\r\n]/);
  const msh = end < 0 ? text : text.slice(0, end);
  const fields = msh.split(sep.field);
  // fields[0] = 'MSH', fields[1] = encoding characters (MSH-2), so MSH-n = fields[n - 1].
  const value = fields[17] ?? '';
  return value.split(sep.repetition)[0]?.split(sep.component)[0] ?? '';
}

/**
 * Parses an HL7 v2 message from text or bytes. Bytes are decoded with the character set
 * MSH-18 names (UNICODE UTF-8, 8859/1, 8859/15; none = ASCII, read as strict UTF-8).
 * Segments end with CR (LF and CRLF accepted too, as files and copy-paste bring them);
 * MLLP framing characters around the message are ignored.
 */
export function parseHl7(
  input: unknown,
  limits: Hl7Limits = DEFAULT_HL7_LIMITS,
): Result<Hl7Message, Hl7ErrorCode> {
  let text: string;
  let charset: Hl7Charset;
  let msh18: string;
  if (input instanceof Uint8Array) {
    if (input.length === 0) return fail('HL7_EMPTY');
    if (input.length > limits.maxMessageLength)
      return fail('HL7_TOO_LARGE', { max: limits.maxMessageLength });
    const raw = stripFraming(latin1Decode(input.subarray(0, Math.min(input.length, 4096))));
    const sep = separatorsOf(raw);
    if (!sep.ok) return sep;
    msh18 = rawMsh18(raw, sep.value);
    const cs = charsetOf(msh18);
    if (cs === undefined) return fail('HL7_CHARSET_UNSUPPORTED', { charset: msh18.slice(0, 32) });
    const decoded = decodeBytes(input, cs);
    if (decoded === undefined) return fail('HL7_ENCODING_INVALID', { charset: msh18 || 'ASCII' });
    text = stripFraming(decoded);
    charset = cs;
  } else if (typeof input === 'string') {
    if (input.length > limits.maxMessageLength)
      return fail('HL7_TOO_LARGE', { max: limits.maxMessageLength });
    text = stripFraming(input);
    const sep = separatorsOf(text);
    if (text.trim() === '') return fail('HL7_EMPTY');
    if (!sep.ok) return sep;
    msh18 = rawMsh18(text, sep.value);
    const cs = charsetOf(msh18);
    if (cs === undefined) return fail('HL7_CHARSET_UNSUPPORTED', { charset: msh18.slice(0, 32) });
    charset = cs;
  } else {
    return fail('HL7_NOT_TEXT');
  }
  if (text.trim() === '') return fail('HL7_EMPTY');
  const sepResult = separatorsOf(text);
  if (!sepResult.ok) return sepResult;
  const sep = sepResult.value;
  if (text.includes('\u0000')) return fail('HL7_ENCODING_INVALID', { charset: msh18 || 'ASCII' });

  const lines = text.split(/\r\n|\r|\n/);
  const segments: Hl7Segment[] = [];
  for (const [index, line] of lines.entries()) {
    if (line === '') continue;
    if (segments.length >= limits.maxSegments)
      return fail('HL7_TOO_MANY_SEGMENTS', { max: limits.maxSegments });
    const parsed = parseSegment(line, index + 1, sep, charset, limits);
    if (!parsed.ok) return parsed;
    segments.push(parsed.value);
  }
  if (segments[0]?.name !== 'MSH') return fail('HL7_MSH_MISSING');
  return ok({ separators: sep, segments, charset: msh18 });
}

function stripFraming(text: string): string {
  let start = 0;
  let end = text.length;
  // MLLP: <VT> message <FS><CR>; a BOM may precede a file's content.
  while (start < end && (text.charCodeAt(start) === 0x0b || text.charCodeAt(start) === 0xfeff)) start += 1;
  while (end > start && [0x1c, 0x0d, 0x0a, 0x20].includes(text.charCodeAt(end - 1))) end -= 1;
  return text.slice(start, end);
}

function parseSegment(
  line: string,
  lineNo: number,
  sep: Hl7Separators,
  charset: Hl7Charset,
  limits: Hl7Limits,
): Result<Hl7Segment, Hl7ErrorCode> {
  const name = line.slice(0, 3);
  if (!SEGMENT_NAME.test(name) || (line.length > 3 && line.charAt(3) !== sep.field)) {
    return fail('HL7_SEGMENT_INVALID', { line: lineNo });
  }
  const raw = line.split(sep.field);
  const isMsh = name === 'MSH';
  if (raw.length - 1 > limits.maxFieldsPerSegment) {
    return fail('HL7_TOO_MANY_FIELDS', { segment: name, max: limits.maxFieldsPerSegment });
  }
  const fields: Hl7Field[] = [[[[name]]]];
  if (isMsh) {
    // MSH-1 is the field separator itself and MSH-2 the encoding characters: never split nor unescaped.
    if (isMsh && raw.slice(2).some((f) => f.length > limits.maxFieldLength)) {
      return fail('HL7_FIELD_TOO_LONG', { segment: name, field: 0, max: limits.maxFieldLength });
    }
    fields.push([[[sep.field]]], [[[raw[1] ?? '']]]);
    for (let n = 2; n < raw.length; n += 1) {
      const f = parseField(raw[n] ?? '', sep, charset, limits, name, n + 1);
      if (!f.ok) return f;
      fields.push(f.value);
    }
  } else {
    for (let n = 1; n < raw.length; n += 1) {
      const f = parseField(raw[n] ?? '', sep, charset, limits, name, n);
      if (!f.ok) return f;
      fields.push(f.value);
    }
  }
  return ok({ name, fields });
}

function parseField(
  raw: string,
  sep: Hl7Separators,
  charset: Hl7Charset,
  limits: Hl7Limits,
  segment: string,
  index: number,
): Result<Hl7Field, Hl7ErrorCode> {
  if (raw.length > limits.maxFieldLength) {
    return fail('HL7_FIELD_TOO_LONG', { segment, field: index, max: limits.maxFieldLength });
  }
  if (raw === '') return ok([]);
  const reps = raw.split(sep.repetition);
  if (reps.length > limits.maxRepetitions) {
    return fail('HL7_FIELD_TOO_LONG', { segment, field: index, max: limits.maxRepetitions });
  }
  const field: Hl7Repetition[] = [];
  for (const rep of reps) {
    const comps = rep.split(sep.component);
    if (comps.length > limits.maxComponents) {
      return fail('HL7_FIELD_TOO_LONG', { segment, field: index, max: limits.maxComponents });
    }
    field.push(
      comps.map((c) => {
        const subs = c.split(sep.subcomponent);
        return subs.length > limits.maxComponents
          ? [unescapeHl7(c, sep, charset)]
          : subs.map((s) => unescapeHl7(s, sep, charset));
      }),
    );
  }
  return ok(field);
}

// ---------------------------------------------------------------- reading

/** The first segment named `name`, if any. */
export function segment(message: Hl7Message, name: string): Hl7Segment | undefined {
  return message.segments.find((s) => s.name === name);
}

export function segmentsNamed(message: Hl7Message, name: string): Hl7Segment[] {
  return message.segments.filter((s) => s.name === name);
}

/** Field `n` of a segment (HL7 numbering); [] when absent. */
export function field(seg: Hl7Segment | undefined, n: number): Hl7Field {
  return seg?.fields[n] ?? [];
}

/**
 * One value: field `n`, repetition `rep` (0-based), component `comp` and subcomponent
 * `sub` (1-based like HL7's notation PID-5.1.1). '' when absent.
 */
export function value(seg: Hl7Segment | undefined, n: number, comp = 1, sub = 1, rep = 0): string {
  return field(seg, n)[rep]?.[comp - 1]?.[sub - 1] ?? '';
}

/** A component of a repetition (1-based). */
export function comp(rep: Hl7Repetition | undefined, n: number, sub = 1): string {
  return rep?.[n - 1]?.[sub - 1] ?? '';
}

// ---------------------------------------------------------------- serialising

/** What a builder gives for one field: a plain value, components (subcomponents as nested arrays), or repetitions. */
export type Hl7FieldInput =
  | string
  | undefined
  | readonly (string | readonly string[] | undefined)[]
  | { readonly repeat: readonly (string | readonly (string | readonly string[] | undefined)[])[] };

export type Hl7SegmentInput = readonly [name: string, ...fields: Hl7FieldInput[]];

function trimEmpty<T>(list: readonly T[], isEmpty: (t: T) => boolean): T[] {
  let end = list.length;
  while (end > 0 && isEmpty(list[end - 1] as T)) end -= 1;
  return list.slice(0, end);
}

function serialiseRepetition(
  rep: string | readonly (string | readonly string[] | undefined)[],
  sep: Hl7Separators,
): string {
  if (typeof rep === 'string') return escapeHl7(rep, sep);
  const comps = rep.map((c) => {
    if (c === undefined) return '';
    if (typeof c === 'string') return escapeHl7(c, sep);
    return trimEmpty(
      c.map((s) => escapeHl7(s, sep)),
      (s) => s === '',
    ).join(sep.subcomponent);
  });
  return trimEmpty(comps, (c) => c === '').join(sep.component);
}

function serialiseField(f: Hl7FieldInput, sep: Hl7Separators): string {
  if (f === undefined) return '';
  if (typeof f === 'string') return escapeHl7(f, sep);
  if ('repeat' in f) return f.repeat.map((r) => serialiseRepetition(r, sep)).join(sep.repetition);
  return serialiseRepetition(f as readonly (string | readonly string[] | undefined)[], sep);
}

/**
 * Builds a message: segments given as [name, field1, field2, …]; for MSH, field1 is MSH-3
 * (MSH-1 and MSH-2 come from the separators). Values are escaped; trailing empty
 * components and fields are dropped. Segments end with CR.
 */
export function serialiseHl7(
  segments: readonly Hl7SegmentInput[],
  sep: Hl7Separators = DEFAULT_SEPARATORS,
): string {
  const encoding = `${sep.component}${sep.repetition}${sep.escape}${sep.subcomponent}`;
  return segments
    .map(([name, ...fields]) => {
      const body = trimEmpty(
        fields.map((f) => serialiseField(f, sep)),
        (s) => s === '',
      );
      if (name === 'MSH') return [`MSH${sep.field}${encoding}`, ...body].join(sep.field);
      return [name, ...body].join(sep.field);
    })
    .join('\r')
    .concat('\r');
}

/** Re-serialises a parsed message (round trip; MSH-1 and MSH-2 from its separators). */
export function serialiseParsed(message: Hl7Message): string {
  const sep = message.separators;
  const asInput = (f: Hl7Field): Hl7FieldInput => ({ repeat: f.map((rep) => rep.map((c) => [...c])) });
  return serialiseHl7(
    message.segments.map((s) => {
      const rest = s.name === 'MSH' ? s.fields.slice(3) : s.fields.slice(1);
      return [s.name, ...rest.map(asInput)] as Hl7SegmentInput;
    }),
    sep,
  );
}
