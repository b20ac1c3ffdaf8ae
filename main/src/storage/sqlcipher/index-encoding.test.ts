import fc from 'fast-check';
import type { RxDocumentData } from 'rxdb';
import {
  fillWithDefaultSettings,
  getIndexableStringMonad,
  getStartIndexStringFromLowerBound,
  getStartIndexStringFromUpperBound,
  INDEX_MAX,
  INDEX_MIN,
} from 'rxdb';
import { describe, expect, it } from 'vitest';
import { encodeIndexBound, encodeStringField, indexKeyEncoder } from './index-encoding';

type Doc = { id: string; a: string; n: number; b: boolean; c: string };

const schema = fillWithDefaultSettings<Doc>({
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 6 },
    a: { type: 'string', maxLength: 6 },
    n: { type: 'number', minimum: -50, maximum: 50, multipleOf: 0.01 },
    b: { type: 'boolean' },
    c: { type: 'string', maxLength: 3 },
  },
  required: ['id', 'a', 'n', 'b', 'c'],
});

const INDEXES = [['a', 'id'], ['b', 'a', 'n', 'id'], ['c', 'a', 'id'], ['n', 'c', 'id'], ['a']];

/** The code units where byte order and JavaScript order can part: spaces, controls, surrogates, U+FFFF. */
const UNITS = [
  ' ',
  ' ',
  '\t',
  '\x00',
  '\x1f',
  '!',
  '~',
  '\x7f',
  'a',
  'é',
  '\u07ff',
  '\u0800',
  '\ud83d',
  '\ude00',
  '\ue000',
  '\uffff',
];
const str = (max: number) =>
  fc.array(fc.constantFrom(...UNITS), { maxLength: max }).map((units) => units.join(''));

const docArb = fc.record({
  id: str(6),
  a: str(6),
  n: fc.integer({ min: -5000, max: 5000 }).map((x) => x / 100),
  b: fc.boolean(),
  c: str(3),
});

function sign(n: number): number {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

function jsCompare(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

const asDoc = (d: Doc) => d as unknown as RxDocumentData<Doc>;

/** What SQLite's BINARY collation compares: the key is bound as TEXT, stored as UTF-8. */
function sqliteBytes(key: string): Buffer {
  for (let i = 0; i < key.length; i++) expect(key.charCodeAt(i)).toBeLessThan(0x100);
  return Buffer.from(key, 'utf8');
}

describe('index key encoding', () => {
  it('orders two documents exactly as RxDB orders their indexable strings', () => {
    fc.assert(
      fc.property(fc.constantFrom(...INDEXES), docArb, docArb, (index, x, y) => {
        const rx = getIndexableStringMonad(schema, index);
        const key = indexKeyEncoder(schema, index);
        expect(sign(Buffer.compare(sqliteBytes(key(asDoc(x))), sqliteBytes(key(asDoc(y)))))).toBe(
          jsCompare(rx(asDoc(x)), rx(asDoc(y))),
        );
      }),
      { numRuns: 3000 },
    );
  });

  it('orders a document against query bounds exactly as RxDB does, INDEX_MIN/INDEX_MAX included', () => {
    const boundValue = (field: string) => {
      const special = fc.constantFrom<string | number | boolean>(INDEX_MIN, INDEX_MAX);
      if (field === 'n')
        return fc.oneof(
          special,
          fc.integer({ min: -6000, max: 6000 }).map((x) => x / 100),
        );
      if (field === 'b') return fc.oneof(special, fc.boolean());
      return fc.oneof(special, str(field === 'c' ? 3 : 6));
    };
    const caseArb = fc.constantFrom(...INDEXES).chain((index) =>
      fc.record({
        index: fc.constant(index),
        doc: docArb,
        keys: fc.tuple(...index.map(boundValue)),
        side: fc.constantFrom('lower' as const, 'upper' as const),
      }),
    );
    fc.assert(
      fc.property(caseArb, ({ index, doc, keys, side }) => {
        const rxBound =
          side === 'lower'
            ? getStartIndexStringFromLowerBound(schema, index, keys)
            : getStartIndexStringFromUpperBound(schema, index, keys);
        const rxDoc = getIndexableStringMonad(schema, index)(asDoc(doc));
        const ours = Buffer.compare(
          sqliteBytes(indexKeyEncoder(schema, index)(asDoc(doc))),
          sqliteBytes(encodeIndexBound(schema, index, keys, side)),
        );
        expect(sign(ours)).toBe(jsCompare(rxDoc, rxBound));
      }),
      { numRuns: 3000 },
    );
  });

  it('keeps keys short: padding is not stored', () => {
    expect(encodeStringField('abc'.padEnd(100, ' '))).toBe('abc\x03');
    const key = indexKeyEncoder(schema, ['a', 'id'])(asDoc({ id: 'x', a: 'Hé', n: 0, b: true, c: '' }));
    expect(key.length).toBeLessThan(10);
  });
});
