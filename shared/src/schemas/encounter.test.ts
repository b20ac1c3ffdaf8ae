import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encounterArb } from './arbitraries';
import { parseDocument } from './collections';
import type { Encounter, EncounterEntry } from './encounter';
import { checkEncounterUpdate, EncounterSchema, entryHashPayload } from './encounter';

const HASH = 'a'.repeat(64);
const signedNote: EncounterEntry = {
  id: 'n1',
  kind: 'note',
  text: 'Toux sèche depuis 5 jours. Auscultation normale.',
  authorRpps: '10001234567',
  createdAt: '2024-03-31T00:30:00.000Z',
  signedAt: '2024-03-31T00:45:00.000Z',
  contentHash: HASH,
};
const draft: EncounterEntry = {
  id: 'n2',
  kind: 'note',
  text: 'Brouillon',
  authorRpps: '10001234567',
  createdAt: '2024-03-31T00:50:00.000Z',
};
const base: Encounter = {
  id: 'enc-1',
  patientId: 'pat-1',
  authorRpps: '10001234567',
  start: '2024-03-31T00:30:00.000Z',
  end: '2024-03-31T01:00:00.000Z',
  reason: 'Toux',
  status: 'finished',
  entries: [signedNote, draft],
  createdAt: '2024-03-31T00:30:00.000Z',
  updatedAt: '2024-03-31T01:00:00.000Z',
};

const withEntries = (entries: EncounterEntry[]): Encounter => ({ ...base, entries });

describe('EncounterSchema', () => {
  it('accepts the base encounter', () => {
    expect(EncounterSchema.safeParse(base).success).toBe(true);
  });

  it.each([
    ['ENCOUNTER_END_BEFORE_START', { ...base, end: '2024-03-31T00:00:00.000Z' }],
    ['ENCOUNTER_ENTRY_ID_DUPLICATE', withEntries([signedNote, { ...draft, id: 'n1' }])],
    ['ENCOUNTER_ADDENDUM_TARGET_REQUIRED', withEntries([signedNote, { ...draft, kind: 'addendum' }])],
    [
      'ENCOUNTER_ADDENDUM_TARGET_MISSING',
      withEntries([signedNote, { ...draft, kind: 'addendum', amends: 'nope' }]),
    ],
    [
      'ENCOUNTER_ADDENDUM_TARGET_MISSING',
      withEntries([signedNote, { ...draft, kind: 'addendum', amends: 'n2' }]),
    ],
    ['ENCOUNTER_NOTE_AMENDS', withEntries([signedNote, { ...draft, amends: 'n1' }])],
    ['ENCOUNTER_SIGNATURE_INCOMPLETE', withEntries([{ ...draft, signedAt: '2024-03-31T00:55:00.000Z' }])],
  ])('refuses with %s', (code, doc) => {
    expect(parseDocument('encounter', doc)).toMatchObject({ ok: false, error: { code } });
  });
});

describe('checkEncounterUpdate', () => {
  it('lets drafts change, be signed, be deleted, and addenda be added', () => {
    const signedDraft = {
      ...draft,
      text: 'Version finale',
      signedAt: '2024-03-31T01:00:00.000Z',
      contentHash: HASH,
    };
    expect(checkEncounterUpdate(base, withEntries([signedNote, signedDraft])).ok).toBe(true);
    expect(checkEncounterUpdate(base, withEntries([signedNote])).ok).toBe(true);
    const addendum: EncounterEntry = {
      id: 'a1',
      kind: 'addendum',
      text: 'Correction : auscultation avec sibilants.',
      authorRpps: '10001234567',
      createdAt: '2024-04-01T08:00:00.000Z',
      amends: 'n1',
    };
    expect(checkEncounterUpdate(base, withEntries([signedNote, draft, addendum]))).toMatchObject({
      ok: true,
    });
    expect(checkEncounterUpdate(base, { ...base, status: 'entered-in-error' }).ok).toBe(true);
  });

  it.each([
    ['text', { text: 'Texte réécrit' }],
    ['author', { authorRpps: '10009999999' }],
    ['hash', { contentHash: 'b'.repeat(64) }],
    ['signature date', { signedAt: '2024-03-31T00:46:00.000Z' }],
    ['creation date', { createdAt: '2024-03-31T00:31:00.000Z' }],
  ])('refuses a change of a signed entry’s %s', (_label, change) => {
    expect(checkEncounterUpdate(base, withEntries([{ ...signedNote, ...change }, draft]))).toEqual({
      ok: false,
      error: { code: 'ENCOUNTER_SIGNED_ENTRY_IMMUTABLE', params: { entryId: 'n1' } },
    });
  });

  it('refuses un-signing and deleting a signed entry', () => {
    const { signedAt: _s, contentHash: _h, ...unsigned } = signedNote;
    expect(checkEncounterUpdate(base, withEntries([unsigned, draft]))).toMatchObject({
      ok: false,
      error: { code: 'ENCOUNTER_SIGNED_ENTRY_IMMUTABLE' },
    });
    expect(checkEncounterUpdate(base, withEntries([draft]))).toEqual({
      ok: false,
      error: { code: 'ENCOUNTER_SIGNED_ENTRY_DELETED', params: { entryId: 'n1' } },
    });
  });

  it('refuses an addendum to a missing entry, and moving the encounter', () => {
    const orphan: EncounterEntry = { ...draft, id: 'a2', kind: 'addendum', amends: 'gone' };
    expect(checkEncounterUpdate(base, withEntries([signedNote, draft, orphan]))).toMatchObject({
      ok: false,
      error: { code: 'ENCOUNTER_ADDENDUM_TARGET_MISSING', params: { entryId: 'a2' } },
    });
    expect(checkEncounterUpdate(base, { ...base, patientId: 'pat-2' })).toMatchObject({
      error: { code: 'ENCOUNTER_PATIENT_CHANGED' },
    });
    expect(checkEncounterUpdate(base, { ...base, id: 'enc-2' })).toMatchObject({
      error: { code: 'ENCOUNTER_ID_CHANGED' },
    });
  });

  it('accepts itself and refuses any change to any signed entry (property)', () => {
    fc.assert(
      fc.property(encounterArb, fc.nat(), fc.string({ minLength: 1, maxLength: 5 }), (enc, pick, extra) => {
        expect(checkEncounterUpdate(enc, JSON.parse(JSON.stringify(enc)) as Encounter).ok).toBe(true);
        const signed = enc.entries.filter((e) => e.signedAt !== undefined);
        if (signed.length === 0) return;
        const target = signed[pick % signed.length] as EncounterEntry;
        const changed = enc.entries.map((e) => (e.id === target.id ? { ...e, text: e.text + extra } : e));
        expect(checkEncounterUpdate(enc, { ...enc, entries: changed })).toMatchObject({
          ok: false,
          error: { code: 'ENCOUNTER_SIGNED_ENTRY_IMMUTABLE', params: { entryId: target.id } },
        });
      }),
      { numRuns: 200 },
    );
  });
});

describe('entryHashPayload', () => {
  it('changes when any signed field changes and keeps field boundaries', () => {
    const p = entryHashPayload(signedNote);
    expect(entryHashPayload({ ...signedNote, text: signedNote.text + ' ' })).not.toBe(p);
    expect(entryHashPayload({ ...signedNote, authorRpps: '10001234568' })).not.toBe(p);
    expect(entryHashPayload({ ...signedNote, id: 'n', text: `1${signedNote.text}` })).not.toBe(p);
    // signedAt and contentHash are outside the payload: they are the signature itself.
    expect(entryHashPayload({ ...signedNote, signedAt: undefined, contentHash: undefined })).toBe(p);
  });
});
