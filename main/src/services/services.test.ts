/* eslint-disable security/detect-non-literal-fs-filename -- temp folders made by the test */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PatientDraft } from '../../../shared/src/api';
import { AppError } from '../../../shared/src/errors';
import { computeNirKey, luhnCheckDigit } from '../../../shared/src/identifiers';
import type { AuditEvent, Patient } from '../../../shared/src/schemas';
import { entryHashPayload, patientSearchKeys, PatientSchema } from '../../../shared/src/schemas';
import type { WorkstationStore } from '../db/workstation-store';
import { openWorkstationStore } from '../db/workstation-store';
import type { UnlockedVault } from '../vault';
import { createVault } from '../vault';
import { FAST } from '../vault/test-support';
import type { Actor } from './context';
import { entryContentHash } from './encounter-service';
import type { FieldIssuesError } from './patient-service';
import type { Services } from './services';
import { createServices } from './services';
import { createSettingsService } from './settings-service';
import { createPatientIndex, parseSearchQuery } from './patient-index';
import { createHash } from 'node:crypto';

export const RPPS = `1000000000${luhnCheckDigit('1000000000')}`;
const nir = (first13: string): string => `${first13}${String(computeNirKey(first13)).padStart(2, '0')}`;

let parent: string;
let vault: UnlockedVault;
let store: WorkstationStore;
let services: Services;
let now = Date.parse('2026-03-02T09:00:00.000Z');
const clock = { now: () => now };
const practitioner: Actor = { userId: 'u-doc', role: 'practitioner', displayName: 'Dr Martin', rpps: RPPS, workstationId: 'ws-1' };
let actor: Actor = practitioner;

beforeAll(async () => {
  parent = fs.mkdtempSync(path.join(os.tmpdir(), 'clinic-services-'));
  vault = await createVault(path.join(parent, 'vault'), 'cheval agrafe pile correcte', FAST);
  store = await openWorkstationStore(vault);
  services = createServices({ db: store.db, clock, actor: () => actor });
});

afterAll(async () => {
  services?.close();
  await vault?.lock();
  fs.rmSync(parent, { recursive: true, force: true });
});

/** In write order (the fake clock gives many events the same instant). */
const audits = async (): Promise<AuditEvent[]> =>
  (await store.db.audit_event.find().exec())
    .map((d) => d.toJSON(true) as unknown as AuditEvent & { _meta: { lwt: number } })
    .sort((a, b) => a._meta.lwt - b._meta.lwt)
    .map(({ _meta, _rev, _deleted, _attachments, ...e }: Record<string, unknown>) => e as unknown as AuditEvent);

function draft(over: Partial<PatientDraft> = {}): PatientDraft {
  return {
    birthName: 'Dupont',
    firstNames: ['Hélène', 'Marie'],
    birthDate: '1984-12-03',
    sex: 'F',
    nir: '284127645108993',
    identityStatus: 'PROV',
    contact: { addressLines: ['12 rue des Lilas'], phones: [{ kind: 'mobile', number: '06 12 34 56 78' }] },
    ...over,
  };
}

async function expectCode(p: Promise<unknown>, code: string): Promise<AppError> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  return error as AppError;
}

describe('patients', () => {
  let helene: Patient;

  it('refuses an invalid draft with field issues (NIR key), writes nothing', async () => {
    const before = await store.db.patient.count().exec();
    const e = await expectCode(services.patients.save(draft({ nir: '284127645108994', birthName: '' })), 'API_REQUEST_INVALID');
    expect((e as FieldIssuesError).issues).toEqual(
      expect.arrayContaining([
        { path: ['nir'], code: 'NIR_KEY' },
        { path: ['birthName'], code: 'VALIDATION_REQUIRED' },
      ]),
    );
    expect(await store.db.patient.count().exec()).toBe(before);
  });

  it('creates a patient with its search keys and audits the write', async () => {
    now += 1000;
    const saved = await services.patients.save(draft());
    helene = saved.patient as Patient;
    expect(PatientSchema.safeParse(helene).success).toBe(true);
    expect(helene.searchKey).toBe('dupont helene marie');
    expect(saved.duplicates).toEqual([]);
    const last = (await audits()).at(-1);
    expect(last).toMatchObject({ action: 'create', patientId: helene.id, userId: 'u-doc', role: 'practitioner', workstation: 'ws-1', outcome: 'success', object: { collection: 'patient', id: helene.id } });
  });

  it('searches ignoring case and accents, by birth date and by NIR, and audits each search', async () => {
    await services.patients.save(draft({ birthName: 'Müller', firstNames: ['Jürgen'], sex: 'M', birthDate: '1950-01-31', nir: nir('1500175056123') }));
    await services.patients.save(draft({ birthName: 'Martin', usedName: 'Lefèvre', firstNames: ['Anne'], birthDate: '1990-07-14', nir: undefined }));
    const names = async (q: string) => (await services.patients.search(q)).rows.map((r) => r.birthName);
    const before = (await audits()).length;
    expect(await names('helene')).toEqual(['Dupont']);
    expect(await names('HÉLÈNE dup')).toEqual(['Dupont']);
    expect(await names('muller')).toEqual(['Müller']);
    expect(await names('jurg')).toEqual(['Müller']);
    expect(await names('lefevre')).toEqual(['Martin']);
    expect(await names('03/12/1984')).toEqual(['Dupont']);
    expect(await names('1984-12-03')).toEqual(['Dupont']);
    expect(await names('dupont 1984')).toEqual(['Dupont']);
    expect(await names('12/1984')).toEqual(['Dupont']);
    expect(await names('03.12.1984')).toEqual(['Dupont']);
    expect(await names('3/12')).toEqual(['Dupont']);
    expect(await names('31.01 mul')).toEqual(['Müller']);
    expect(await names('2 84 12 76')).toEqual(['Dupont']);
    expect(await names('284127645108993')).toEqual(['Dupont']);
    expect(await names('')).toHaveLength(3);
    expect(await names('zzz')).toEqual([]);
    const after = await audits();
    expect(after.length - before).toBe(16);
    expect(after.at(-1)).toMatchObject({ action: 'search', outcome: 'success' });
    expect(after.at(-1)?.patientId).toBeUndefined();
  });

  it('reads a patient with its identity warnings, audited', async () => {
    const got = await services.patients.get(helene.id);
    expect(got.patient.id).toBe(helene.id);
    expect(got.warnings).toEqual([]);
    expect((await audits()).at(-1)).toMatchObject({ action: 'read', patientId: helene.id });
    await expectCode(services.patients.get('nope'), 'PATIENT_NOT_FOUND');
    expect((await audits()).at(-1)).toMatchObject({ action: 'read', patientId: 'nope', outcome: 'error', reason: 'PATIENT_NOT_FOUND' });
  });

  it('warns of duplicates by NIR or by traits, on save and on check of a partial draft', async () => {
    const same = await services.patients.save(draft({ firstNames: ['Hélène'] }));
    expect(same.duplicates).toEqual([{ patient: expect.objectContaining({ id: helene.id }), match: 'nir' }]);
    expect(same.warnings).toContainEqual({ code: 'PATIENT_DUPLICATE_NIR' });
    const check = await services.patients.check({ birthName: 'DUPONT', firstNames: ['helene'], birthDate: '1984-12-03', sex: 'F' });
    expect(check.duplicates.map((d) => d.match)).toEqual(['traits', 'traits']);
    expect(check.issues).toContainEqual({ path: ['identityStatus'], code: 'VALIDATION_REQUIRED' });
    const typing = await services.patients.check({ nir: '284127645108994' });
    expect(typing.issues).toContainEqual({ path: ['nir'], code: 'NIR_KEY' });
    expect((await services.patients.check({ id: helene.id, ...draft() })).duplicates.map((d) => d.patient.id)).not.toContain(helene.id);
  });

  it('updates with optimistic concurrency and the identity status rules', async () => {
    now += 1000;
    const updated = await services.patients.save({ ...draft({ usedFirstName: 'Léna' }), id: helene.id }, helene.updatedAt);
    expect(updated.patient.usedFirstName).toBe('Léna');
    expect(updated.patient.updatedAt > helene.updatedAt).toBe(true);
    expect((await services.patients.search('lena')).rows.map((r) => r.id)).toEqual([helene.id]);
    await expectCode(services.patients.save({ ...draft(), id: helene.id }, helene.updatedAt), 'PATIENT_CHANGED_ELSEWHERE');
    helene = updated.patient as Patient;
  });

  it('lets a secretary handle identities but no clinical data; the DPO nothing; denials are audited', async () => {
    actor = { ...practitioner, userId: 'u-sec', role: 'secretary', rpps: undefined };
    try {
      expect((await services.patients.search('dupont')).total).toBeGreaterThan(0);
      await expectCode(services.encounters.timeline(helene.id), 'ACCESS_CLINICAL_DENIED');
      expect((await audits()).at(-1)).toMatchObject({ userId: 'u-sec', role: 'secretary', action: 'read', outcome: 'denied', patientId: helene.id });
      await expectCode(services.encounters.save({ patientId: helene.id, reason: 'x' }), 'ACCESS_CLINICAL_DENIED');
      // Refused before any lookup: an unknown id gives the same answer as a real one.
      await expectCode(services.encounters.get('no-such-encounter'), 'ACCESS_CLINICAL_DENIED');
      await expectCode(services.encounters.sign('no-such-encounter', 'e'), 'ACCESS_CLINICAL_DENIED');
      actor = { ...actor, userId: 'u-dpo', role: 'dpo' };
      await expectCode(services.patients.search('dupont'), 'ACCESS_ROLE_NO_DOCUMENTS');
      await expectCode(services.patients.get(helene.id), 'ACCESS_ROLE_NO_DOCUMENTS');
    } finally {
      actor = practitioner;
    }
  });

  describe('consultations', () => {
    it('saves a consultation with vitals, an allergy and a prescription; signs; addenda; timeline; vitals chart', async () => {
      now += 60_000;
      const saved = await services.encounters.save({
        patientId: helene.id,
        reason: 'Toux fébrile',
        note: 'Auscultation : crépitants base droite.',
        vitals: { weight: 62, height: 165, systolic: 128, diastolic: 82, temperature: 38.4 },
        allergies: [{ substance: { system: 'text', display: 'Pénicilline' }, criticality: 'high', severity: 'moderate' }],
        prescription: { lines: [{ medication: { system: 'text', display: 'Paracétamol 1 g' }, dosageText: '1 comprimé 3 fois par jour', durationDays: 5 }], renewals: 0 },
      });
      expect(saved.encounter.entries).toHaveLength(1);
      expect(saved.observations.map((o) => o.loincCode).sort()).toEqual(['29463-7', '39156-5', '8302-2', '8310-5', '8462-4', '8480-6'].sort());
      expect(saved.observations.find((o) => o.loincCode === '39156-5')?.value).toEqual({ type: 'quantity', value: 22.8 });
      expect(saved.allergies).toHaveLength(1);
      expect(saved.prescription?.lines).toHaveLength(1);
      const written = (await audits()).slice(-10);
      expect(written.filter((a) => a.action === 'create').map((a) => a.object?.collection).sort()).toEqual(
        ['allergy', 'encounter', 'observation', 'observation', 'observation', 'observation', 'observation', 'observation', 'prescription'].sort(),
      );

      const entry = saved.encounter.entries[0];
      if (!entry) throw new Error('no entry');
      now += 1000;
      const signed = await services.encounters.sign(saved.encounter.id, entry.id);
      const s = signed.entries[0];
      expect(s?.signedAt).toBe(new Date(now).toISOString());
      expect(s?.contentHash).toBe(createHash('sha256').update(entryHashPayload(entry)).digest('hex'));
      expect(s?.contentHash).toBe(entryContentHash(entry));
      expect((await audits()).at(-1)).toMatchObject({ action: 'sign', patientId: helene.id });
      await expectCode(services.encounters.sign(saved.encounter.id, entry.id), 'ENCOUNTER_ENTRY_ALREADY_SIGNED');

      // Another practitioner may not sign someone else's entry.
      now += 1000;
      const withNote = await services.encounters.save({ id: saved.encounter.id, patientId: helene.id, reason: 'Toux fébrile', note: 'Radio demandée.' });
      expect(withNote.encounter.entries.map((e) => e.text)).toEqual(['Auscultation : crépitants base droite.', 'Radio demandée.']);
      expect(withNote.encounter.entries[0]).toEqual(s);
      const draftEntry = withNote.encounter.entries[1];
      actor = { ...practitioner, userId: 'u-doc2', rpps: `2000000000${luhnCheckDigit('2000000000')}` };
      try {
        await expectCode(services.encounters.sign(saved.encounter.id, draftEntry?.id ?? ''), 'ENCOUNTER_SIGN_NOT_AUTHOR');
      } finally {
        actor = practitioner;
      }

      now += 1000;
      const amended = await services.encounters.addendum(saved.encounter.id, entry.id, 'Correction : base gauche.', true);
      const add = amended.entries.at(-1);
      expect(add).toMatchObject({ kind: 'addendum', amends: entry.id, text: 'Correction : base gauche.', authorRpps: RPPS });
      if (add === undefined) throw new Error('no addendum');
      const { signedAt: _s, contentHash: _h, ...unsigned } = add;
      expect(add.contentHash).toBe(entryContentHash(unsigned));
      await expectCode(services.encounters.addendum(saved.encounter.id, 'missing', 'x'), 'ENCOUNTER_ENTRY_NOT_FOUND');

      // Re-saving the vitals updates the same observations rather than adding more.
      now += 1000;
      const again = await services.encounters.save({ id: saved.encounter.id, patientId: helene.id, reason: 'Toux fébrile', vitals: { weight: 61.5 } });
      expect(again.observations).toHaveLength(1);
      expect(again.observations[0]?.id).toBe(saved.observations.find((o) => o.loincCode === '29463-7')?.id);

      const timeline = await services.encounters.timeline(helene.id);
      expect(timeline.map((i) => i.kind).sort()).toEqual(['allergy', 'encounter', 'observation', 'observation', 'observation', 'observation', 'observation', 'observation', 'prescription']);
      const ats = timeline.map((i) => i.at);
      expect(ats).toEqual([...ats].sort().reverse());

      now += 86_400_000;
      await services.encounters.save({ patientId: helene.id, reason: 'Contrôle', vitals: { weight: 60, systolic: 120, diastolic: 80 } });
      const series = await services.encounters.vitals(helene.id, ['weight', 'systolic']);
      expect(series.map((s) => [s.kind, s.points.map((p) => p.value)])).toEqual([
        ['weight', [61.5, 60]],
        ['systolic', [128, 120]],
      ]);
      expect((await services.encounters.list(helene.id)).map((e) => e.reason)).toEqual(['Contrôle', 'Toux fébrile']);
    });

    it('refuses a consultation for an unknown patient or without RPPS, and never writes half of one', async () => {
      await expectCode(services.encounters.save({ patientId: 'unknown', reason: 'x' }), 'PATIENT_NOT_FOUND');
      const counts = async () => Promise.all([store.db.encounter.count().exec(), store.db.observation.count().exec(), store.db.allergy.count().exec()]);
      const before = await counts();
      await expectCode(
        services.encounters.save({
          patientId: helene.id,
          reason: 'Ordonnance',
          vitals: { weight: 70 },
          allergies: [{ substance: { system: 'text', display: 'Latex' }, criticality: 'low' }],
          prescription: { lines: [{ medication: { system: 'CIP13', code: '3400930000001', display: 'X' }, dosageText: '1/j' }], renewals: 0 },
        }),
        'PRESCRIPTION_CIP13_CHECK_DIGIT',
      );
      expect(await counts()).toEqual(before);
      actor = { ...practitioner, rpps: undefined };
      try {
        await expectCode(services.encounters.save({ patientId: helene.id, reason: 'x' }), 'ENCOUNTER_RPPS_REQUIRED');
      } finally {
        actor = practitioner;
      }
    });
  });

  describe('conflicts', () => {
    it('lists both values and resolves with a combined value, validated and audited', async () => {
      const phonesLocal = [{ kind: 'mobile', number: '06 11 11 11 11' }];
      const phonesServer = [{ kind: 'mobile', number: '06 22 22 22 22' }];
      await store.db.sync_conflict.insert({
        id: `patient.${helene.id}.aaaa0001`,
        collectionName: 'patient',
        documentId: helene.id,
        patientId: helene.id,
        path: 'contact.phones',
        localValue: JSON.stringify(phonesLocal),
        serverValue: JSON.stringify(phonesServer),
        detectedAt: new Date(now).toISOString(),
        status: 'open',
      });
      const list = await services.conflicts.list();
      expect(list).toEqual([
        expect.objectContaining({ collection: 'patient', path: 'contact.phones', localValue: phonesLocal, serverValue: phonesServer, patientLabel: 'DUPONT Léna (03/12/1984)' }),
      ]);
      const id = list[0]?.id ?? '';
      await expectCode(services.conflicts.resolve(id, 'combined'), 'CONFLICT_VALUE_REQUIRED');
      await expectCode(services.conflicts.resolve(id, 'combined', [{ kind: 'mobile', number: 'not a phone' }]), 'CONFLICT_VALUE_INVALID');
      now += 1000;
      await services.conflicts.resolve(id, 'combined', [...phonesLocal, ...phonesServer]);
      const p = (await services.patients.get(helene.id)).patient;
      expect(p.contact.phones).toEqual([...phonesLocal, ...phonesServer]);
      expect(await services.conflicts.list()).toEqual([]);
      await expectCode(services.conflicts.resolve(id, 'server'), 'SYNC_CLIENT_CONFLICT_NOT_FOUND');
    });

    it('never rewrites a signed entry', async () => {
      const enc = (await services.encounters.list(helene.id)).find((e) => e.entries.some((x) => x.signedAt !== undefined));
      const signed = enc?.entries.find((x) => x.signedAt !== undefined);
      if (enc === undefined || signed === undefined) throw new Error('no signed entry');
      await store.db.sync_conflict.insert({
        id: `encounter.${enc.id}.aaaa0002`,
        collectionName: 'encounter',
        documentId: enc.id,
        patientId: helene.id,
        path: `entries.${signed.id}`,
        localValue: JSON.stringify({ ...signed, text: 'changed' }),
        serverValue: JSON.stringify(signed),
        detectedAt: new Date(now).toISOString(),
        status: 'open',
      });
      actor = { ...practitioner, role: 'secretary' };
      try {
        expect(await services.conflicts.list()).toEqual([]);
      } finally {
        actor = practitioner;
      }
      await expectCode(services.conflicts.resolve(`encounter.${enc.id}.aaaa0002`, 'local'), 'CONFLICT_SIGNED_ENTRY');
      await services.conflicts.resolve(`encounter.${enc.id}.aaaa0002`, 'server');
    });
  });

  it('searches 10,000 patients fast (in-memory index kept in step with the collection)', async () => {
    const FIRST = ['Hélène', 'Jean', 'Zoé', 'Émile', 'Chloé', 'Louis', 'Inès', 'Hugo', 'Léa', 'Noël'];
    const LAST = ['Martin', 'Bernard', 'Müller', 'Lefèvre', 'Dubois', 'Durand', 'Moreau', 'Laurent', 'Simon', 'Michel'];
    const stamp = new Date(now).toISOString();
    const docs: Patient[] = [];
    for (let i = 0; i < 10_000; i++) {
      const base = {
        id: `bulk-${i}`,
        birthName: `${LAST[i % 10]}${i}`,
        firstNames: [FIRST[Math.floor(i / 10) % 10] as string],
        birthDate: `19${String(20 + (i % 80)).padStart(2, '0')}-0${1 + (i % 9)}-1${i % 10}`,
        sex: i % 2 === 0 ? ('F' as const) : ('M' as const),
        identityStatus: 'PROV' as const,
        contact: { addressLines: [], phones: [] },
        createdAt: stamp,
        updatedAt: stamp,
      };
      docs.push({ ...base, ...patientSearchKeys(base) });
    }
    await store.db.patient.bulkInsert(docs);
    await expect.poll(() => services.patients.index.size, { timeout: 10_000 }).toBeGreaterThanOrEqual(10_000);
    await services.patients.search('warm up');
    const times: number[] = [];
    const inMemory: number[] = [];
    for (const q of ['m', 'mu', 'mul', 'mull', 'muller', 'muller1', 'helene', 'z', 'lefevre 19', 'noel', '', 'durand 1925']) {
      const t0 = performance.now();
      const r = await services.patients.search(q, 0, 100);
      times.push(performance.now() - t0);
      const t1 = performance.now();
      services.patients.index.search(parseSearchQuery(q), 0, 100);
      inMemory.push(performance.now() - t1);
      expect(r.rows.length).toBeLessThanOrEqual(100);
    }
    expect((await services.patients.search('muller1')).total).toBe(111);

    // Built from scratch, as after an unlock: the patient list waits for this.
    const t0 = performance.now();
    const fresh = createPatientIndex(store.db);
    await fresh.ready;
    const buildMs = performance.now() - t0;
    fresh.close();
    expect(fresh.size).toBe(services.patients.index.size);
    console.log(`patient index of ${fresh.size} built in ${buildMs.toFixed(0)} ms`);
    expect(buildMs).toBeLessThan(3000);
    times.sort((a, b) => a - b);
    inMemory.sort((a, b) => a - b);
    // The call includes the audit event written per search (a write through the storage worker);
    // generous bounds: this machine is shared with other test processes. bench:ui measures the real figure.
    expect(times[Math.floor(times.length / 2)]).toBeLessThan(50);
    expect(inMemory[Math.floor(inMemory.length / 2)]).toBeLessThan(20);
  });

  it('answers the first pages of the list from the database while the index loads: the rows the index gives', async () => {
    // 650 namesakes (same used search key): birth dates, not ids, order them, across the first page's end;
    // more of them than one chunk of the index's load holds.
    const stamp = new Date(now).toISOString();
    const namesakes: Patient[] = [];
    for (let i = 0; i < 650; i++) {
      const base = {
        id: `aaa-${String(i).padStart(3, '0')}`,
        birthName: 'Aabel',
        firstNames: ['Anne'],
        birthDate: `19${String(99 - (i % 70)).padStart(2, '0')}-0${1 + (i % 9)}-1${i % 10}`,
        sex: 'F' as const,
        identityStatus: 'PROV' as const,
        contact: { addressLines: [], phones: [] },
        createdAt: stamp,
        updatedAt: stamp,
      };
      namesakes.push({ ...base, ...patientSearchKeys(base) });
    }
    await store.db.patient.bulkInsert(namesakes);
    const empty = parseSearchQuery('');
    const pages = [
      [0, 100],
      [100, 100],
      [40, 70],
      [0, 1000],
    ] as const;
    const fresh = createPatientIndex(store.db);
    try {
      // Asked at once: the index has not loaded anything yet.
      const early = await Promise.all(pages.map(([offset, limit]) => fresh.answer(empty, offset, limit)));
      await fresh.ready;
      pages.forEach(([offset, limit], i) => {
        const expected = fresh.search(empty, offset, limit);
        expect(early[i]).toEqual(expected);
        expect(expected.rows.length).toBe(limit);
      });
      expect(early[0]?.rows.map((r) => r.birthName).every((n) => n === 'Aabel')).toBe(true);
      // Past the early pages, and any other query: the loaded index.
      expect(await fresh.answer(parseSearchQuery('aabel'), 0, 200)).toEqual(fresh.search(parseSearchQuery('aabel'), 0, 200));
      // Loaded in chunks, it holds what the index kept in step with the collection holds.
      expect(fresh.size).toBe(services.patients.index.size);
      expect(fresh.size).toBe(await store.db.patient.count().exec());
      for (const q of ['', 'aabel', 'muller1', 'helene', '1925', 'dupont']) {
        expect(fresh.search(parseSearchQuery(q), 0, 20_000)).toEqual(services.patients.index.search(parseSearchQuery(q), 0, 20_000));
      }
    } finally {
      fresh.close();
    }
  });
});

describe('settings', () => {
  it('defaults, persists, validates on read with a clear code', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clinic-settings-'));
    try {
      const s = createSettingsService({ dataDir: dir });
      expect(s.get()).toMatchObject({ language: 'fr-FR', lockDelayMinutes: 10, serverUrl: null });
      const seen: unknown[] = [];
      s.onChange((v) => seen.push(v));
      s.set({ language: 'de-DE', lockDelayMinutes: 5 });
      expect(createSettingsService({ dataDir: dir }).get()).toMatchObject({ language: 'de-DE', lockDelayMinutes: 5 });
      expect(seen).toHaveLength(1);
      fs.writeFileSync(path.join(dir, 'settings.json'), '{"language": "xx"}');
      expect(() => s.get()).toThrow(expect.objectContaining({ code: 'APP_SETTINGS_CORRUPT' }) as Error);
      expect(s.effective().language).toBe('fr-FR');
      fs.writeFileSync(path.join(dir, 'settings.json'), 'not json');
      expect(() => s.get()).toThrow(expect.objectContaining({ code: 'APP_SETTINGS_CORRUPT' }) as Error);
      s.set({ lockDelayMinutes: 3 });
      expect(s.get().lockDelayMinutes).toBe(3);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
