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
 * One deliberate difference: a value longer than its schema maxLength shifts the following
 * fields of RxDB's string; here it is compared as that field alone (RxDB's schema validation
 * rejects such values anyway).
 */
export const INDEX_ENCODING_VERSION = 2;

const CONTROL = '\x01';
const SPACE_BEFORE_LOW = '\x02';
const TERMINATOR = '\x03';
const SPACE_BEFORE_HIGH = '\x04';
const PLAIN = /^[\x21-\x7e]*$/;

/** Encodes one space-padded string field into a latin1 "byte string". */
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

export type IndexKeyEncoder<RxDocType> = (doc: RxDocumentData<RxDocType>) => Buffer;

export function indexKeyEncoder<RxDocType>(
  schema: RxJsonSchema<RxDocumentData<RxDocType>>,
  fields: readonly string[],
): IndexKeyEncoder<RxDocType> {
  const parts = getIndexMeta(schema, [...fields]).map((meta) => ({
    isString: meta.schemaPart.type === 'string',
    part: meta.getIndexStringPart as (doc: RxDocumentData<RxDocType>) => string,
  }));
  return (doc) => {
    let key = '';
    for (const p of parts) key += encodeField(p.isString, p.part(doc));
    return Buffer.from(key, 'latin1');
  };
}

/** The SQLite key of a query bound, built field by field with RxDB's own bound helpers. */
export function encodeIndexBound<RxDocType>(
  schema: RxJsonSchema<RxDocumentData<RxDocType>>,
  fields: readonly string[],
  keys: readonly (string | number | boolean | null | undefined)[],
  side: 'lower' | 'upper',
): Buffer {
  const metas = getIndexMeta(schema, [...fields]);
  let key = '';
  fields.forEach((field, i) => {
    const bound =
      side === 'lower'
        ? getStartIndexStringFromLowerBound(schema, [field], [keys[i]])
        : getStartIndexStringFromUpperBound(schema, [field], [keys[i]]);
    key += encodeField(metas[i]?.schemaPart.type === 'string', bound);
  });
  return Buffer.from(key, 'latin1');
}
