import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INS_OID } from '../identifiers/ins';
import { computeNirKey } from '../identifiers/nir';
import { auditEventArb, clinicalDocumentArb, patientArb } from './arbitraries';
import { COLLECTIONS, dataClassOf, parseDocument, parseReplicatedDocument } from './collections';
import { identityCoherenceWarnings } from './identity-coherence';
import type { IdentityStatus } from './identity-status';
import { checkIdentityTransition, IDENTITY_STATUSES, insForExport, mayExposeIns } from './identity-status';
import { COLLECTION_NAMES } from './names';
import type { Patient } from './patient';
import {
  foldUnicode,
  normaliseSearchText,
  patientSearchKey,
  patientSearchKeys,
  patientUsedSearchKey,
  SEARCH_KEY_MAX_LENGTH,
} from './search-key';

const withKey = (first13: string) => first13 + String(computeNirKey(first13)).padStart(2, '0');

function patient(overrides: Partial<Patient> = {}): Patient {
  const doc = {
    id: 'pat-1',
    birthName: 'MÜLLER',
    firstNames: ['Hélène', 'Marie', 'Élise'],
    usedFirstName: 'Hélène',
    birthDate: '1969-05-12',
    sex: 'F' as const,
    birthplaceCode: '49588',
    nir: withKey('2690549588157'),
    identityStatus: 'PROV' as const,
    contact: {
      addressLines: ['12 rue de la Paix'],
      postalCode: '75002',
      city: 'Paris',
      country: 'FR',
      phones: [],
    },
    createdAt: '2024-01-01T09:00:00.000Z',
    updatedAt: '2024-01-01T09:00:00.000Z',
    ...overrides,
  };
  return { ...doc, ...patientSearchKeys(doc) } as Patient;
}

describe('patientSearchKey', () => {
  it.each([
    ['Hélène Müller', 'helene muller'],
    ["Jean-Pierre d'Œuvray", 'jean pierre d oeuvray'],
    ['  ÇA  VA\u00a0Ø ', 'ca va o'],
    ['Straße Łódź', 'strasse lodz'],
    ['Ζωή Παπαδοπούλου', 'ζωη παπαδοπουλου'],
  ])('%s → %s', (input, expected) => {
    expect(patientSearchKey(input)).toBe(expected);
  });

  it('keys the birth name and the used name, each followed by every first name', () => {
    const parts = { birthName: 'Dupont', usedName: 'Martin', firstNames: ['Anne', 'Sophie'] };
    expect(patientSearchKey(parts)).toBe('dupont anne sophie');
    expect(patientUsedSearchKey(parts)).toBe('martin anne sophie');
    expect(patientUsedSearchKey({ birthName: 'Dupont', firstNames: ['Anne'] })).toBe('dupont anne');
  });

  it('folds ASCII text by its fast path exactly as the Unicode path does (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)), maxLength: 300 }), (s) => {
        expect(s.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim()).toBe(foldUnicode(s));
      }),
      { numRuns: 2000 },
    );
    expect(normaliseSearchText("  O'Brien-SMITH  Jean2 ")).toBe(foldUnicode("  O'Brien-SMITH  Jean2 "));
  });

  it('is idempotent, bounded, and never ends in half a character (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (s) => {
        const k = normaliseSearchText(s);
        return (
          normaliseSearchText(k) === k &&
          k.length <= SEARCH_KEY_MAX_LENGTH &&
          !/[\uD800-\uDBFF]$/.test(k) &&
          k === k.trim() &&
          !/[A-Z]/.test(k)
        );
      }),
    );
  });
});

describe('PatientSchema refinements (zod-only)', () => {
  it('accepts a well-formed patient', () => {
    expect(parseDocument('patient', patient())).toMatchObject({ ok: true });
  });

  it('checks the NIR key and reports the parser’s code', () => {
    const nir = withKey('2690549588157');
    const wrong = nir.slice(0, 13) + (nir.slice(13) === '01' ? '02' : '01');
    expect(parseDocument('patient', patient({ nir: wrong }))).toMatchObject({
      ok: false,
      error: { code: 'NIR_KEY', params: { path: 'nir' } },
    });
  });

  it('requires an INS for RECUP and QUAL, and checks it', () => {
    expect(parseDocument('patient', patient({ identityStatus: 'QUAL' }))).toMatchObject({
      ok: false,
      error: { code: 'PATIENT_INS_REQUIRED', params: { status: 'QUAL' } },
    });
    const ins = { matricule: withKey('2690549588157'), oid: INS_OID.NIR };
    expect(parseDocument('patient', patient({ identityStatus: 'QUAL', ins })).ok).toBe(true);
    const nia = { matricule: withKey('2690549588157'), oid: INS_OID.NIA };
    const badNia = { ...nia, matricule: nia.matricule.slice(0, 13) + '00' };
    expect(parseDocument('patient', patient({ identityStatus: 'RECUP', ins: badNia }))).toMatchObject({
      error: { code: 'INS_NIA_KEY' },
    });
  });

  it('refuses a stale search key and a death before birth', () => {
    expect(parseDocument('patient', { ...patient(), searchKey: 'someone else' })).toMatchObject({
      error: { code: 'PATIENT_SEARCH_KEY_STALE', params: { path: 'searchKey' } },
    });
    expect(parseDocument('patient', { ...patient(), usedName: 'Martin' })).toMatchObject({
      error: { code: 'PATIENT_SEARCH_KEY_STALE', params: { path: 'usedSearchKey' } },
    });
    expect(parseDocument('patient', patient({ deceasedDate: '1969-05-11' }))).toMatchObject({
      error: { code: 'PATIENT_DECEASED_BEFORE_BIRTH' },
    });
  });

  it('reports structural problems with collection and path', () => {
    expect(parseDocument('patient', { ...patient(), birthDate: '1969-02-30' })).toEqual({
      ok: false,
      error: { code: 'VALIDATION_DOCUMENT_INVALID', params: { collection: 'patient', path: 'birthDate' } },
    });
    expect(parseDocument('patient', 'not an object')).toMatchObject({
      error: { code: 'VALIDATION_DOCUMENT_INVALID', params: { path: '(document)' } },
    });
    expect(parseDocument('nope' as never, {})).toMatchObject({
      error: { code: 'VALIDATION_COLLECTION_UNKNOWN' },
    });
  });

  it('keeps clinical data off the patient document', () => {
    const fields = Object.keys(COLLECTIONS.patient.rxSchema.properties);
    for (const clinical of ['allergies', 'notes', 'entries', 'observations', 'diagnosis', 'treatments']) {
      expect(fields).not.toContain(clinical);
    }
  });
});

describe('identity status', () => {
  it('allows the RNIV moves and refuses lateral VALI ↔ RECUP', () => {
    const allowed: [IdentityStatus, IdentityStatus][] = [
      ['PROV', 'VALI'],
      ['PROV', 'RECUP'],
      ['PROV', 'QUAL'],
      ['VALI', 'QUAL'],
      ['RECUP', 'QUAL'],
      ['QUAL', 'PROV'],
      ['QUAL', 'VALI'],
      ['VALI', 'PROV'],
    ];
    for (const [from, to] of allowed)
      expect(checkIdentityTransition(from, to), `${from}→${to}`).toEqual({ ok: true, value: to });
    expect(checkIdentityTransition('VALI', 'RECUP')).toEqual({
      ok: false,
      error: { code: 'PATIENT_IDENTITY_TRANSITION', params: { from: 'VALI', to: 'RECUP' } },
    });
    expect(checkIdentityTransition('RECUP', 'VALI').ok).toBe(false);
  });

  it('exposes the INS only for QUAL identities', () => {
    expect(IDENTITY_STATUSES.filter(mayExposeIns)).toEqual(['QUAL']);
    const ins = { matricule: withKey('2690549588157'), oid: INS_OID.NIR };
    expect(insForExport(patient({ identityStatus: 'QUAL', ins }))).toEqual(ins);
    expect(insForExport(patient({ identityStatus: 'RECUP', ins }))).toBeUndefined();
  });
});

describe('data classes', () => {
  it('classes every collection, documents by their category', () => {
    const [doc] = fc.sample(clinicalDocumentArb, { numRuns: 1, seed: 1 });
    const [event] = fc.sample(auditEventArb, { numRuns: 1, seed: 1 });
    const [p] = fc.sample(patientArb, { numRuns: 1, seed: 1 });
    expect(dataClassOf('patient', p)).toBe('administrative');
    expect(dataClassOf('audit_event', event)).toBe('audit');
    expect(dataClassOf('document', { ...doc, category: 'administrative' })).toBe('administrative');
    expect(dataClassOf('document', { ...doc, category: 'clinical' })).toBe('clinical');
    expect(dataClassOf('document', { ...doc, category: 'whatever' })).toBe('clinical');
    expect(dataClassOf('document', null)).toBe('clinical');
    for (const name of ['encounter', 'observation', 'allergy', 'prescription', 'imaging_study'] as const) {
      expect(dataClassOf(name, {})).toBe('clinical');
    }
    expect(COLLECTION_NAMES.filter((n) => COLLECTIONS[n].pushOnly)).toEqual(['audit_event']);
  });
});

describe('identityCoherenceWarnings', () => {
  it('is silent when the identity matches the NIR', () => {
    expect(identityCoherenceWarnings(patient())).toEqual([]);
    expect(identityCoherenceWarnings(patient({ nir: undefined }))).toEqual([]);
  });

  it('warns on sex, birth date, birthplace and INS disagreements', () => {
    expect(identityCoherenceWarnings(patient({ sex: 'M' }))).toEqual([{ code: 'PATIENT_NIR_SEX_MISMATCH' }]);
    expect(identityCoherenceWarnings(patient({ sex: 'U' }))).toEqual([]);
    expect(identityCoherenceWarnings(patient({ birthDate: '1968-05-12' }))).toEqual([
      { code: 'PATIENT_NIR_BIRTH_DATE_MISMATCH' },
    ]);
    expect(identityCoherenceWarnings(patient({ birthDate: '1969-06-12' }))).toEqual([
      { code: 'PATIENT_NIR_BIRTH_DATE_MISMATCH' },
    ]);
    expect(identityCoherenceWarnings(patient({ birthplaceCode: '75056' }))).toEqual([
      { code: 'PATIENT_NIR_BIRTHPLACE_MISMATCH' },
    ]);
    const otherNir = withKey('2690549588158');
    expect(identityCoherenceWarnings(patient({ ins: { matricule: otherNir, oid: INS_OID.NIR } }))).toEqual([
      { code: 'PATIENT_INS_NIR_MISMATCH' },
    ]);
  });

  it('does not compare the month when the NIR says it is unknown', () => {
    const nir = withKey('2693049588157');
    expect(identityCoherenceWarnings(patient({ nir, birthDate: '1969-11-30' }))).toEqual([]);
  });
});

describe('parseReplicatedDocument', () => {
  it('splits replication fields off the domain document', () => {
    const doc = patient();
    expect(
      parseReplicatedDocument('patient', { ...doc, _deleted: true, _rev: '1-abc', _meta: { lwt: 1 } }),
    ).toEqual({
      ok: true,
      value: { doc, deleted: true },
    });
    expect(parseReplicatedDocument('patient', doc)).toEqual({ ok: true, value: { doc, deleted: false } });
    expect(parseReplicatedDocument('patient', { ...doc, _attachments: {} })).toMatchObject({
      ok: true,
      value: { attachments: {} },
    });
  });

  it('refuses a non-boolean _deleted, other underscore fields and invalid bodies', () => {
    const doc = patient();
    expect(parseReplicatedDocument('patient', { ...doc, _deleted: 'yes' })).toMatchObject({
      error: { code: 'VALIDATION_DOCUMENT_INVALID', params: { path: '_deleted' } },
    });
    expect(parseReplicatedDocument('patient', { ...doc, _other: 1 })).toMatchObject({
      error: { code: 'VALIDATION_DOCUMENT_INVALID' },
    });
    expect(parseReplicatedDocument('patient', [doc])).toMatchObject({
      error: { code: 'VALIDATION_DOCUMENT_INVALID' },
    });
    expect(
      parseReplicatedDocument('patient', { ...doc, nir: '184127645108947', _deleted: false }),
    ).toMatchObject({
      error: { code: 'NIR_KEY' },
    });
  });
});
