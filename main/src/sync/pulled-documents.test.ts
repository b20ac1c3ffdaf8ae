import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { patientArb } from '../../../shared/src/schemas/arbitraries';
import { acceptPulledDocuments } from './pulled-documents';

describe('acceptPulledDocuments', () => {
  it('keeps valid documents and tombstones, refuses the others with a code naming the document', () => {
    fc.assert(
      fc.property(patientArb, patientArb, (good, bad) => {
        const broken = { ...bad, sex: 'X', _deleted: false };
        const tombstone = { id: 'gone', _deleted: true };
        const out = acceptPulledDocuments('patient', [{ ...good, _deleted: false }, broken, tombstone]);
        expect(out.accepted.map((d) => d.id)).toEqual([good.id, 'gone']);
        expect(out.refused).toEqual([
          { code: 'SYNC_CLIENT_DOCUMENT_INVALID', params: { collection: 'patient', documentId: bad.id, reason: 'VALIDATION_DOCUMENT_INVALID' } },
        ]);
      }),
      { numRuns: 50 },
    );
  });

  it('refuses a document with a broken envelope alone (the pull answer does not check them)', () => {
    const out = acceptPulledDocuments('patient', [
      null,
      'text',
      [],
      { id: 'no-flag' },
      { id: 'bad id!', _deleted: true },
      { id: 'x'.repeat(65), _deleted: true },
      { id: 'ok-tombstone', _deleted: true },
      { id: 'bad id!', _deleted: false },
    ]);
    expect(out.accepted.map((d) => d.id)).toEqual(['ok-tombstone']);
    expect(out.refused.map((r) => r.params?.['documentId'])).toEqual(['', '', '', 'no-flag', 'bad id!', 'x'.repeat(65), 'bad id!']);
    expect(out.refused.every((r) => r.code === 'SYNC_CLIENT_DOCUMENT_INVALID')).toBe(true);
  });
});
