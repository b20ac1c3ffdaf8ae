import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INS_OID, parseIns } from './ins';
import { computeNirKey } from './nir';

const withKey = (first13: string) => first13 + String(computeNirKey(first13)).padStart(2, '0');
const NIR = withKey('2690549588157');
const NIA = withKey('7990399123456');

describe('parseIns', () => {
  it('accepts an INS-NIR and decodes its matricule', () => {
    const r = parseIns({ matricule: NIR.replace(/(.)(..)(..)/, '$1 $2 $3 '), oid: INS_OID.NIR });
    expect(r).toMatchObject({
      ok: true,
      value: { matricule: NIR, oid: INS_OID.NIR, kind: 'INS-NIR', nir: { sex: 'F' } },
    });
  });

  it('accepts an INS-NIA checked with the same key algorithm', () => {
    expect(parseIns({ matricule: NIA, oid: INS_OID.NIA })).toMatchObject({
      ok: true,
      value: { kind: 'INS-NIA' },
    });
    const badKey = NIA.slice(0, 13) + String((Number(NIA.slice(13)) % 97) + 1).padStart(2, '0');
    expect(parseIns({ matricule: badKey, oid: INS_OID.NIA })).toMatchObject({
      ok: false,
      error: { code: 'INS_NIA_KEY' },
    });
    expect(parseIns({ matricule: '12345', oid: INS_OID.NIA })).toMatchObject({
      ok: false,
      error: { code: 'INS_NIA_FORMAT' },
    });
  });

  it('passes the NIR error codes through for INS-NIR', () => {
    const badKey = NIR.slice(0, 13) + (NIR.slice(13) === '01' ? '02' : '01');
    expect(parseIns({ matricule: badKey, oid: INS_OID.NIR })).toMatchObject({
      ok: false,
      error: { code: 'NIR_KEY' },
    });
    expect(parseIns({ oid: INS_OID.NIR })).toMatchObject({ ok: false, error: { code: 'NIR_REQUIRED' } });
  });

  it('refuses a provisional number under the INS-NIR OID', () => {
    expect(parseIns({ matricule: NIA, oid: INS_OID.NIR })).toMatchObject({
      ok: false,
      error: { code: 'INS_OID_MISMATCH' },
    });
  });

  it('refuses test and demo OIDs unless testMode', () => {
    for (const oid of [INS_OID.TEST, INS_OID.DEMO]) {
      expect(parseIns({ matricule: NIR, oid })).toMatchObject({
        ok: false,
        error: { code: 'INS_TEST_OID_REFUSED' },
      });
      expect(parseIns({ matricule: NIR, oid }, { testMode: true })).toMatchObject({
        ok: true,
        warnings: [{ code: 'INS_TEST_OID' }],
      });
    }
  });

  it('refuses unknown OIDs and malformed input', () => {
    expect(parseIns({ matricule: NIR, oid: '1.2.250.1.213.1.4.2' })).toMatchObject({
      ok: false,
      error: { code: 'INS_OID_UNKNOWN' },
    });
    expect(parseIns(undefined)).toMatchObject({ ok: false, error: { code: 'INS_REQUIRED' } });
    expect(parseIns(NIR)).toMatchObject({ ok: false, error: { code: 'INS_FORMAT' } });
    expect(parseIns([NIR, INS_OID.NIR])).toMatchObject({ ok: false, error: { code: 'INS_FORMAT' } });
    expect(parseIns({ matricule: 269054958815780, oid: INS_OID.NIR })).toMatchObject({
      ok: false,
      error: { code: 'INS_FORMAT' },
    });
  });
});

describe('parseIns: properties', () => {
  it('any 13 digits with their computed key form a valid INS-NIA matricule', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 13, maxLength: 13 }),
        (body) => {
          const r = parseIns({ matricule: withKey(body), oid: INS_OID.NIA });
          return r.ok && r.value.matricule === withKey(body);
        },
      ),
    );
  });
});
