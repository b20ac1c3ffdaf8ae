import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pullResponseJson, wireDocument, wireDocumentJson } from './repository';

describe('pull answer built from stored text', () => {
  it('holds the same JSON as the parsed wire documents (byte for byte unless a key is index-like)', () => {
    const body = fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 6 });
    const row = fc.record({
      data: body.map((b) => canonicalize(b) ?? '{}'),
      deleted: fc.oneof(fc.boolean(), fc.constantFrom(0, 1)),
    });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 6 }), fc.nat(), (rows, sequence) => {
        const text = pullResponseJson({ rows, checkpoint: { sequence }, patientIds: [] });
        const expected = { documents: rows.map(wireDocument), checkpoint: { sequence } };
        expect(JSON.parse(text)).toEqual(expected);
        // Index-like keys are the only ones JavaScript objects reorder.
        if (!rows.some((r) => /"(?:0|[1-9][0-9]*)":/.test(r.data))) expect(text).toBe(JSON.stringify(expected));
      }),
      { numRuns: 300 },
    );
  });

  it('parses rows that already mention _deleted, and empty objects', () => {
    for (const data of ['{}', '{"_deleted":true,"id":"a"}', '{"id":"a","note":"\\"_deleted\\":"}', '{"a":{"_deleted":1}}']) {
      for (const deleted of [true, false, 0, 1]) {
        expect(JSON.parse(wireDocumentJson({ data, deleted }))).toEqual(wireDocument({ data, deleted }));
      }
    }
  });
});
