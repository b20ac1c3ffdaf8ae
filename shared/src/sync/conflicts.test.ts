import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encounterArb, patientArb } from '../schemas/arbitraries';
import type { Encounter, EncounterEntry, Patient } from '../schemas';
import { parseDocument, patientSearchKeys } from '../schemas';
import type { DetectedConflict, WireState } from './conflicts';
import { jsonEqual, mergeReplicatedDocument, toSyncConflicts } from './conflicts';

const SKIP = new Set(['updatedAt', 'searchKey', 'usedSearchKey', '_deleted']);

/** Dotted leaf paths of plain objects (arrays are atomic, as in the merge). */
function leaves(doc: Record<string, unknown> | undefined, prefix = '', out = new Map<string, unknown>()): Map<string, unknown> {
  for (const [k, v] of Object.entries(doc ?? {})) {
    if (v === undefined || (prefix === '' && SKIP.has(k))) continue;
    const p = prefix === '' ? k : `${prefix}.${k}`;
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) leaves(v as Record<string, unknown>, p, out);
    else out.set(p, v);
  }
  return out;
}

function at(doc: unknown, path: string): unknown {
  if (path === '') return doc;
  let cur: unknown = doc;
  for (const part of path.split('.')) {
    if (typeof cur !== 'object' || cur === null || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function coveringConflict(conflicts: readonly DetectedConflict[], path: string): DetectedConflict | undefined {
  return conflicts.find((c) => c.path === path || path.startsWith(`${c.path}.`));
}

function wire<T extends object>(doc: T, deleted = false): WireState {
  return { ...(doc as Record<string, unknown>), _deleted: deleted };
}

/** Fields a person edits on a patient; each side copies a random subset from another patient. */
const PATIENT_FIELDS = [
  'birthName',
  'usedName',
  'firstNames',
  'birthDate',
  'sex',
  'birthplaceCode',
  'treatingPractitionerRpps',
  'deceasedDate',
  'contact',
] as const;

function editPatient(base: Patient, donor: Patient, fields: readonly string[], contactKeys: readonly string[]): Patient {
  const out: Record<string, unknown> = { ...base };
  for (const f of fields) {
    if (f === 'contact') {
      const contact: Record<string, unknown> = { ...base.contact };
      for (const k of contactKeys) contact[k] = (donor.contact as Record<string, unknown>)[k];
      out['contact'] = contact;
    } else {
      out[f] = (donor as Record<string, unknown>)[f];
    }
  }
  const p = out as Patient;
  return { ...p, ...patientSearchKeys(p) };
}

const contactKeysArb = fc.subarray(['addressLines', 'postalCode', 'city', 'country', 'phones', 'email']);
const sideArb = fc.record({ donor: patientArb, fields: fc.subarray([...PATIENT_FIELDS]), contact: contactKeysArb });
const patientTripleArb = fc
  .record({ base: patientArb, l: sideArb, s: sideArb })
  .map(({ base, l, s }) => ({
    base,
    local: editPatient(base, l.donor, l.fields, l.contact),
    server: editPatient(base, s.donor, s.fields, s.contact),
  }));

describe('mergeReplicatedDocument: patients (field-by-field 3-way merge)', () => {
  it('keeps every one-sided change, records every both-sided difference with both values, and is deterministic', () => {
    fc.assert(
      fc.property(patientTripleArb, ({ base, local, server }) => {
        // Each side only ever holds documents its own validation accepted.
        fc.pre(parseDocument('patient', local).ok && parseDocument('patient', server).ok);
        const input = { collection: 'patient' as const, base: wire(base), local: wire(local), server: wire(server) };
        const out = mergeReplicatedDocument(input);
        // Deterministic, whatever the key order of each side.
        const reordered = {
          ...input,
          local: Object.fromEntries(Object.entries(input.local).reverse()) as WireState,
          server: Object.fromEntries(Object.entries(input.server).reverse()) as WireState,
        };
        const again = mergeReplicatedDocument(reordered);
        expect(jsonEqual(again.merged, out.merged)).toBe(true);
        expect(again.conflicts).toEqual(out.conflicts);

        expect(out.merged._deleted).toBe(false);
        const { _deleted: _d, ...mergedDoc } = out.merged;
        expect(parseDocument('patient', mergedDoc).ok).toBe(true);

        const [b, l, s, m] = [leaves(base), leaves(local), leaves(server), leaves(out.merged)];
        for (const path of new Set([...b.keys(), ...l.keys(), ...s.keys()])) {
          const [bv, lv, sv, mv] = [b.get(path), l.get(path), s.get(path), m.get(path)];
          const localChanged = !jsonEqual(lv, bv);
          const serverChanged = !jsonEqual(sv, bv);
          if (serverChanged) expect(mv).toEqual(sv);
          if (localChanged && !serverChanged) {
            // Taken, or (when taking it would make an invalid document) kept as a conflict.
            if (!jsonEqual(mv, lv)) {
              const c = coveringConflict(out.conflicts, path);
              expect(c, `local change of ${path} dropped`).toBeDefined();
              expect(at(c?.local, path.slice((c?.path.length ?? 0) + 1))).toEqual(lv);
            }
          }
          if (localChanged && serverChanged && !jsonEqual(lv, sv)) {
            const c = coveringConflict(out.conflicts, path);
            expect(c, `conflict on ${path} not recorded`).toBeDefined();
            const rest = path.slice((c?.path.length ?? 0) + 1);
            expect(at(c?.local, rest)).toEqual(lv);
            expect(at(c?.server, rest)).toEqual(sv);
          }
        }
        // No invented conflicts: each one is a real difference between the two sides.
        for (const c of out.conflicts) expect(jsonEqual(c.local, c.server)).toBe(false);
      }),
      { numRuns: 300, maxSkipsPerRun: 1000 },
    );
  });

  it('merges edits of different fields without a conflict', () => {
    fc.assert(
      fc.property(patientArb, patientArb, (base, donor) => {
        fc.pre(!jsonEqual(base.contact.city, donor.contact.city) && base.birthName !== donor.birthName);
        const local = editPatient(base, donor, ['contact'], ['city']);
        const server = editPatient(base, donor, ['birthName'], []);
        const out = mergeReplicatedDocument({
          collection: 'patient',
          base: wire(base),
          local: wire(local),
          server: wire(server),
        });
        expect(out.conflicts).toEqual([]);
        expect(out.merged['birthName']).toBe(donor.birthName);
        expect((out.merged['contact'] as Patient['contact']).city).toBe(donor.contact.city);
        expect(out.merged['searchKey']).toBe(patientSearchKeys({ ...base, birthName: donor.birthName }).searchKey);
      }),
      { numRuns: 100 },
    );
  });

  it('the same field changed on both sides keeps the server value and records both', () => {
    fc.assert(
      fc.property(patientArb, fc.string({ minLength: 1, maxLength: 20 }), fc.string({ minLength: 1, maxLength: 20 }), (base, a, b) => {
        fc.pre(a !== b && a.trim() === a && b.trim() === b && a !== base.contact.city && b !== base.contact.city);
        const local = { ...base, contact: { ...base.contact, city: a } };
        const server = { ...base, contact: { ...base.contact, city: b } };
        const out = mergeReplicatedDocument({ collection: 'patient', base: wire(base), local: wire(local), server: wire(server) });
        expect((out.merged['contact'] as Patient['contact']).city).toBe(b);
        expect(out.conflicts).toEqual([{ path: 'contact.city', base: base.contact.city, local: a, server: b }]);
        const records = toSyncConflicts('patient', base.id, base.id, out.conflicts, '2026-01-01T00:00:00.000Z');
        expect(records).toHaveLength(1);
        expect(JSON.parse(records[0]?.localValue ?? 'null')).toBe(a);
        expect(JSON.parse(records[0]?.serverValue ?? 'null')).toBe(b);
        // The same conflict met twice is one record.
        expect(toSyncConflicts('patient', base.id, base.id, out.conflicts, '2027-01-01T00:00:00.000Z')[0]?.id).toBe(records[0]?.id);
      }),
      { numRuns: 100 },
    );
  });

  it('updatedAt never conflicts: the later instant wins', () => {
    fc.assert(
      fc.property(patientArb, fc.tuple(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 0, max: 1e6 })), (base, [dl, ds]) => {
        const t = Date.parse(base.updatedAt);
        const local = { ...base, updatedAt: new Date(t + dl).toISOString() };
        const server = { ...base, updatedAt: new Date(t + ds).toISOString() };
        const out = mergeReplicatedDocument({ collection: 'patient', base: wire(base), local: wire(local), server: wire(server) });
        expect(out.conflicts).toEqual([]);
        expect(out.merged['updatedAt']).toBe(new Date(t + Math.max(dl, ds)).toISOString());
      }),
      { numRuns: 50 },
    );
  });
});

describe('mergeReplicatedDocument: deletions are tombstones', () => {
  it('a deletion against an edit keeps the document and records the deletion, on either side', () => {
    fc.assert(
      fc.property(patientArb, patientArb, fc.boolean(), (base, donor, localDeletes) => {
        fc.pre(base.birthName !== donor.birthName);
        const edited = editPatient(base, donor, ['birthName'], []);
        const local = localDeletes ? wire(base, true) : wire(edited);
        const server = localDeletes ? wire(edited) : wire(base, true);
        const out = mergeReplicatedDocument({ collection: 'patient', base: wire(base), local, server });
        expect(out.merged._deleted).toBe(false);
        expect(out.merged['birthName']).toBe(donor.birthName);
        expect(out.conflicts).toEqual([{ path: '_deleted', base: false, local: localDeletes, server: !localDeletes }]);
      }),
      { numRuns: 100 },
    );
  });

  it('a local deletion after a local edit, against an edit on the server, keeps both edits (only the deletion and real differences are conflicts)', () => {
    fc.assert(
      fc.property(patientArb, patientArb, patientArb, (base, localDonor, serverDonor) => {
        fc.pre(base.birthName !== serverDonor.birthName && base.contact.city !== localDonor.contact.city);
        const localEdit = { ...base, contact: { ...base.contact, city: localDonor.contact.city } } as Patient;
        const serverEdit = editPatient(base, serverDonor, ['birthName'], []);
        const out = mergeReplicatedDocument({ collection: 'patient', base: wire(base), local: wire(localEdit, true), server: wire(serverEdit) });
        expect(out.merged._deleted).toBe(false);
        expect(out.merged['birthName']).toBe(serverDonor.birthName);
        expect((out.merged['contact'] as { city?: string }).city).toBe(localDonor.contact.city);
        expect(out.conflicts).toEqual([{ path: '_deleted', base: false, local: true, server: false }]);
        const { _deleted: _d, ...merged } = out.merged;
        expect(parseDocument('patient', merged).ok).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('a retried push with no base against a tombstone keeps what the server had before the deletion', () => {
    // The workstation's first push landed but was never acknowledged: it pushes its version
    // again with no assumed state, and meanwhile another user edited, then deleted.
    fc.assert(
      fc.property(patientArb, patientArb, (created, donor) => {
        fc.pre(created.birthName !== donor.birthName);
        const { usedFirstName: _u, ...withoutUsedFirstName } = created;
        const local = withoutUsedFirstName as Patient;
        const edited = { ...editPatient(local, donor, ['birthName'], []), usedFirstName: 'Hélène' };
        const out = mergeReplicatedDocument({ collection: 'patient', base: undefined, local: wire(local), server: wire(edited, true) });
        expect(out.merged._deleted).toBe(false);
        expect(out.merged['birthName']).toBe(donor.birthName);
        expect(out.merged['usedFirstName']).toBe('Hélène');
        expect(out.conflicts).toEqual([
          { path: '_deleted', base: undefined, local: false, server: true },
          { path: 'birthName', base: undefined, local: created.birthName, server: donor.birthName },
        ]);
        const { _deleted: _d, ...merged } = out.merged;
        expect(parseDocument('patient', merged).ok).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('a deletion against an untouched document deletes it without a conflict', () => {
    fc.assert(
      fc.property(patientArb, fc.boolean(), (base, localDeletes) => {
        const out = mergeReplicatedDocument({
          collection: 'patient',
          base: wire(base),
          local: wire(base, localDeletes),
          server: wire(base, !localDeletes),
        });
        expect(out.merged._deleted).toBe(true);
        expect(out.conflicts).toEqual([]);
      }),
      { numRuns: 50 },
    );
  });
});

const entryArb = (n: number): fc.Arbitrary<EncounterEntry> =>
  fc.record({ text: fc.string({ minLength: 1, maxLength: 40 }).filter((t) => t.trim() === t && t.length > 0), signed: fc.boolean() }).map(
    ({ text, signed }) => ({
      id: `e${n}x${Math.abs(hashCode(text))}`,
      kind: 'note',
      text,
      authorRpps: '10000000001',
      createdAt: '2026-01-01T10:00:00.000Z',
      ...(signed ? { signedAt: '2026-01-01T10:05:00.000Z', contentHash: 'a'.repeat(64) } : {}),
    }),
  );

function hashCode(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

/** Notes only (no addenda) so every side's list stays valid whatever the other side does. */
const notesOnlyEncounterArb = encounterArb.map((e) => ({ ...e, entries: e.entries.filter((x) => x.kind === 'note') }));

describe('mergeReplicatedDocument: encounters (signed entries are append-only)', () => {
  it('unions entries by id; a signed entry of either side is present and unaltered', () => {
    fc.assert(
      fc.property(
        notesOnlyEncounterArb,
        fc.array(entryArb(1), { maxLength: 3 }),
        fc.array(entryArb(2), { maxLength: 3 }),
        fc.string({ maxLength: 30 }),
        fc.string({ maxLength: 30 }),
        (base, addedLocal, addedServer, reasonL, reasonS) => {
          const uniq = (xs: EncounterEntry[]): EncounterEntry[] => [...new Map(xs.map((x) => [x.id, x])).values()];
          const local: Encounter = { ...base, reason: reasonL.trim(), entries: uniq([...base.entries, ...addedLocal]) };
          const server: Encounter = { ...base, reason: reasonS.trim(), entries: uniq([...base.entries, ...addedServer]) };
          fc.pre(parseDocument('encounter', local).ok && parseDocument('encounter', server).ok);
          const out = mergeReplicatedDocument({ collection: 'encounter', base: wire(base), local: wire(local), server: wire(server) });
          const merged = out.merged['entries'] as EncounterEntry[];
          const byId = new Map(merged.map((e) => [e.id, e]));
          for (const e of [...local.entries, ...server.entries]) {
            expect(byId.has(e.id)).toBe(true);
            if (e.signedAt !== undefined) expect(byId.get(e.id)).toEqual(e);
          }
          expect(out.conflicts.filter((c) => c.path.startsWith('entries'))).toEqual([]);
          if (reasonL.trim() !== base.reason && reasonS.trim() !== base.reason && reasonL.trim() !== reasonS.trim()) {
            expect(out.conflicts.map((c) => c.path)).toEqual(['reason']);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a draft signed on one side and edited on the other keeps the signed entry and records the edit', () => {
    const draft: EncounterEntry = {
      id: 'n1',
      kind: 'note',
      text: 'brouillon',
      authorRpps: '10000000001',
      createdAt: '2026-01-01T10:00:00.000Z',
    };
    const base = fc.sample(notesOnlyEncounterArb, { numRuns: 1, seed: 7 })[0] as Encounter;
    const b: Encounter = { ...base, entries: [draft] };
    const signed = { ...draft, signedAt: '2026-01-01T10:05:00.000Z', contentHash: 'b'.repeat(64) };
    const edited = { ...draft, text: 'brouillon corrigé' };
    const out = mergeReplicatedDocument({
      collection: 'encounter',
      base: wire(b),
      local: wire({ ...b, entries: [edited] }),
      server: wire({ ...b, entries: [signed] }),
    });
    expect(out.merged['entries']).toEqual([signed]);
    expect(out.conflicts).toEqual([{ path: 'entries.n1', base: draft, local: edited, server: signed }]);
  });
});
