import type { RxDocumentData, RxJsonSchema } from 'rxdb';
import { getIndexMeta, getStartIndexStringFromLowerBound, getStartIndexStringFromUpperBound } from 'rxdb';

/**
 * SQLite keys for RxDB indexes.
 *
 * RxDB orders documents by an "indexable string": each field of the index rendered at a fixed
 * width (strings padded with spaces to their schema maxLength, numbers as fixed-width digits,
 * booleans as '0'/'1'), concatenated, and compared by JavaScript, i.e. by UTF-16 code units.
 * Storing that string verbatim would work but costs dearly: the padding makes every key as long
 * as the sum of the maxLengths (often 100+ characters), and SQLite compares TEXT as UTF-8 bytes,
 * which orders characters above U+FFFF after U+E000–U+FFFF, unlike JavaScript.
 *
 * So each field is encoded on its own into bytes whose memcmp order is exactly the order of the
 * padded field in JavaScript:
 * - digits and booleans are fixed width already: kept as they are;
 * - a string field drops its trailing spaces and ends with TERMINATOR. Code units are written in
 *   CESU-8 (UTF-8 applied to each UTF-16 code unit, surrogates included), whose byte order is
 *   UTF-16 code unit order. Only code units below U+0021 need care, because the padding spaces
 *   that were dropped compare against them:
 *     control character c (< U+0020)        → CONTROL, c
 *     space followed (after more spaces) by a control character → SPACE_BEFORE_LOW
 *     end of the value (= spaces up to the maxLength)            → TERMINATOR
 *     space followed by a character above U+0020                 → SPACE_BEFORE_HIGH
 *   with CONTROL < SPACE_BEFORE_LOW < TERMINATOR < SPACE_BEFORE_HIGH < 0x21. Each encoded field
 *   is prefix-free, so the concatenation of fields compares field by field like RxDB's string.
 * Proved by the property test in index-encoding.test.ts, against RxDB's own strings.
 *
 * The key is bound to SQLite as TEXT: each of its code units (all below U+0100) becomes its
 * UTF-8 sequence, and UTF-8 keeps code point order and prefix-freeness under memcmp, which is
 * how SQLite's BINARY collation compares TEXT. So the stored bytes compare like the byte
 * string, with no Buffer allocated per key on the write path.
 *
 * One deliberate difference: a value longer than its schema maxLength shifts the following
 * fields of RxDB's string; here it is compared as that field alone (RxDB's schema validation
 * rejects such values anyway).
 */
export const INDEX_ENCODING_VERSION = 3;

const CONTROL = '\x01';
const SPACE_BEFORE_LOW = '\x02';
const TERMINATOR = '\x03';
const SPACE_BEFORE_HIGH = '\x04';
const PLAIN = /^[\x21-\x7e]*$/;

/** Encodes one space-padded string field into a "byte string" (every code unit below U+0100). */
export function encodeStringField(padded: string): string {
  let end = padded.length;
  while (end > 0 && padded.charCodeAt(end - 1) === 0x20) end -= 1;
  const value = end === padded.length ? padded : padded.slice(0, end);
  if (PLAIN.test(value)) return value + TERMINATOR;
  let out = '';
  for (let i = 0; i < value.length; i += 1) {
    const c = value.charCodeAt(i);
    if (c === 0x20) {
      let next = i + 1;
      while (value.charCodeAt(next) === 0x20) next += 1;
      // Trailing spaces were dropped, so a non-space code unit follows the run.
      const marker = value.charCodeAt(next) < 0x20 ? SPACE_BEFORE_LOW : SPACE_BEFORE_HIGH;
      out += marker.repeat(next - i);
      i = next - 1;
    } else if (c < 0x20) {
      out += CONTROL + String.fromCharCode(c);
    } else if (c < 0x80) {
      out += String.fromCharCode(c);
    } else if (c < 0x800) {
      out += String.fromCharCode(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
    } else {
      out += String.fromCharCode(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
    }
  }
  return out + TERMINATOR;
}

function encodeField(isString: boolean, part: string): string {
  return isString ? encodeStringField(part) : part;
}

export type IndexKeyEncoder<RxDocType> = (doc: RxDocumentData<RxDocType>) => string;

/**
 * A string field is encoded from its raw value, not from RxDB's padded string: the padding is
 * trailing spaces, which encodeStringField drops anyway, so the bytes are the same and the
 * hot write path allocates no padded string per field.
 */
function fieldEncoder<RxDocType>(
  meta: ReturnType<typeof getIndexMeta<RxDocType>>[number],
): (doc: RxDocumentData<RxDocType>) => string {
  if (meta.schemaPart.type === 'string') {
    const getValue = meta.getValue as (doc: RxDocumentData<RxDocType>) => unknown;
    return (doc) => {
      const value = getValue(doc);
      return encodeStringField(typeof value === 'string' ? value : value ? String(value) : '');
    };
  }
  return meta.getIndexStringPart as (doc: RxDocumentData<RxDocType>) => string;
}

export function indexKeyEncoder<RxDocType>(
  schema: RxJsonSchema<RxDocumentData<RxDocType>>,
  fields: readonly string[],
): IndexKeyEncoder<RxDocType> {
  const parts = getIndexMeta(schema, [...fields]).map((meta) => fieldEncoder<RxDocType>(meta));
  if (parts.length === 2) {
    const [a, b] = parts as [(typeof parts)[number], (typeof parts)[number]];
    return (doc) => a(doc) + b(doc);
  }
  if (parts.length === 3) {
    const [a, b, c] = parts as [(typeof parts)[number], (typeof parts)[number], (typeof parts)[number]];
    return (doc) => a(doc) + b(doc) + c(doc);
  }
  return (doc) => {
    let key = '';
    for (const part of parts) key += part(doc);
    return key;
  };
}

/** The SQLite key of a query bound, built field by field with RxDB's own bound helpers. */
export function encodeIndexBound<RxDocType>(
  schema: RxJsonSchema<RxDocumentData<RxDocType>>,
  fields: readonly string[],
  keys: readonly (string | number | boolean | null | undefined)[],
  side: 'lower' | 'upper',
): string {
  return encodeIndexBoundFields(schema, fields, keys, side).join('');
}

/** The key of a query bound, one encoded part per field (their concatenation is the key). */
export function encodeIndexBoundFields<RxDocType>(
  schema: RxJsonSchema<RxDocumentData<RxDocType>>,
  fields: readonly string[],
  keys: readonly (string | number | boolean | null | undefined)[],
  side: 'lower' | 'upper',
): string[] {
  const stringFields = stringFieldsOf(schema, fields);
  return fields.map((field, i) => {
    const bound =
      side === 'lower'
        ? getStartIndexStringFromLowerBound(schema, [field], [keys[i]])
        : getStartIndexStringFromUpperBound(schema, [field], [keys[i]]);
    return encodeField(stringFields[i] === true, bound);
  });
}

/** Which fields of an index are strings, per schema object: every query asks again. */
const STRING_FIELDS = new WeakMap<object, Map<string, readonly boolean[]>>();

function stringFieldsOf<RxDocType>(
  schema: RxJsonSchema<RxDocumentData<RxDocType>>,
  fields: readonly string[],
): readonly boolean[] {
  let bySchema = STRING_FIELDS.get(schema);
  if (!bySchema) {
    bySchema = new Map();
    STRING_FIELDS.set(schema, bySchema);
  }
  const cacheKey = fields.join(',');
  let flags = bySchema.get(cacheKey);
  if (!flags) {
    flags = getIndexMeta(schema, [...fields]).map((meta) => meta.schemaPart.type === 'string');
    bySchema.set(cacheKey, flags);
  }
  return flags;
}
