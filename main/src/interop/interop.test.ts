/* eslint-disable security/detect-non-literal-fs-filename -- temp folders made by the test */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INTEROP_API } from '../../../shared/src/api/interop-contract';
import { recordBundle, frCoreProblems } from '../../../shared/src/fhir';
import { sampleRecord, SAMPLE_NIR } from '../../../shared/src/fhir/sample-record';
import { encodeHl7, parseHl7, readAdtIdentity, segment, value } from '../../../shared/src/hl7';
import { computeNirKey } from '../../../shared/src/identifiers';
import type { AuditEvent, Patient } from '../../../shared/src/schemas';
import { PatientSchema, patientSearchKeys } from '../../../shared/src/schemas';
import type { WorkstationStore } from '../db/workstation-store';
import { openWorkstationStore } from '../db/workstation-store';
import type { Actor } from '../services/context';
import type { Services } from '../services';
import { createServices } from '../services';
import type { UnlockedVault } from '../vault';
import { createVault } from '../vault';
import { FAST } from '../vault/test-support';
import { createInteropHandlers } from './handlers';
import { buildPdfSummary, findPdfFonts } from './pdf-summary';

const nir = (first13: string) => first13 + String(computeNirKey(first13)).padStart(2, '0');
const DOCTOR: Actor = {
  userId: 'u-doc',
  role: 'practitioner',
  displayName: 'Dr Jeanne Dupré',
  rpps: '10003456789',
  workstationId: 'ws-1',
};
const SECRETARY: Actor = {
  userId: 'u-sec',
  role: 'secretary',
  displayName: 'Accueil',
  workstationId: 'ws-1',
};

let dir: string;
let vault: UnlockedVault;
let store: WorkstationStore;
let services: Services;
let actor: Actor = DOCTOR;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clinic-interop-'));
  vault = await createVault(path.join(dir, 'vault'), 'cheval agrafe pile correcte', FAST);
  store = await openWorkstationStore(vault);
  services = createServices({ db: store.db, clock: { now: () => Date.now() }, actor: () => actor });
});
afterAll(async () => {
  services?.close();
  await store?.close();
  await vault?.lock();
  fs.rmSync(dir, { recursive: true, force: true });
});

let n = 0;
async function addPatient(
  p: Partial<Patient> & Pick<Patient, 'birthName' | 'firstNames' | 'birthDate'>,
): Promise<Patient> {
  const now = new Date().toISOString();
  const base = {
    id: `p-${++n}`,
    sex: 'F' as const,
    identityStatus: 'PROV' as const,
    contact: { addressLines: [], phones: [] },
    createdAt: now,
    updatedAt: now,
    ...p,
  };
  const patient = PatientSchema.parse({ ...base, ...patientSearchKeys(base) });
  await store.db.patient.insert(patient);
  return patient;
}
const audits = async (): Promise<AuditEvent[]> =>
  (await store.db.audit_event.find().exec()).map((d) => d.toJSON() as unknown as AuditEvent);
const utf8 = (s: string) => encodeHl7(s, 'utf-8');

function oru(
  pid: string,
  control = 'M1',
  obx = 'OBX|1|NM|2093-3^Cholestérol total^LN||5.2|mmol/L|3.5-6.5|N|||F',
): string {
  return [
    `MSH|^~\\&|LABO|BIOMED|CLINIQUE|CAB|20240315083000||ORU^R01^ORU_R01|${control}|P|2.5|||||FRA|UNICODE UTF-8`,
    pid,
    'OBR|1|CMD42|LAB-42|24331-1^Bilan lipidique^LN|||20240314073000',
    obx,
  ].join('\r');
}

describe('HL7 import', () => {
  it('ORU^R01 matched by INS becomes LOINC observations of that patient; a corrected result replaces the first', async () => {
    const ins = nir('2690549588157');
    const p = await addPatient({
      birthName: 'MÜLLER',
      firstNames: ['Hélène'],
      birthDate: '1969-05-12',
      nir: ins,
      ins: { matricule: ins, oid: '1.2.250.1.213.1.4.8' },
      identityStatus: 'QUAL',
    });
    const pid = `PID|1||${ins}^^^ASIP-SANTE-INS-NIR&1.2.250.1.213.1.4.8&ISO^INS||MÜLLER^Hélène^^^^^L||19690512|F`;
    const r = await services.interop.hl7.importMessage(utf8(oru(pid)), { kind: 'file', name: 'res.hl7' });
    expect(r).toMatchObject({
      outcome: 'observations-imported',
      patientId: p.id,
      observationCount: 1,
      messageType: 'ORU^R01',
    });
    const obs = await store.db.observation.find({ selector: { patientId: p.id } }).exec();
    expect(obs.map((o) => o.toJSON())).toEqual([
      expect.objectContaining({
        loincCode: '2093-3',
        display: 'Cholestérol total',
        value: { type: 'quantity', value: 5.2 },
        unit: 'mmol/L',
        status: 'final',
      }),
    ]);
    // The corrected result (C) arrives: same observation, amended value.
    await services.interop.hl7.importMessage(
      utf8(oru(pid, 'M2', 'OBX|1|NM|2093-3^Cholestérol total^LN||5.4|mmol/L|3.5-6.5|N|||C')),
      { kind: 'file' },
    );
    const again = (await store.db.observation.find({ selector: { patientId: p.id } }).exec()).map((o) =>
      o.toJSON(),
    );
    expect(again).toEqual([
      expect.objectContaining({ value: { type: 'quantity', value: 5.4 }, status: 'amended' }),
    ]);
    const events = await audits();
    expect(
      events.filter(
        (e) => e.action === 'import' && e.patientId === p.id && e.object?.collection === 'observation',
      ),
    ).toHaveLength(2);
    expect(
      events.some(
        (e) =>
          e.action === 'import' &&
          e.object?.collection === 'hl7_message' &&
          e.object.id === 'M1' &&
          e.outcome === 'success',
      ),
    ).toBe(true);
  });

  it('a match by traits only waits in quarantine; a person attaches it after confirmation', async () => {
    const p = await addPatient({ birthName: 'Lefèvre', firstNames: ['Zoé'], birthDate: '1980-02-29' });
    const pid = 'PID|1||LAB9^^^BIOMED^PI||LEFEVRE^Zoé^^^^^L||19800229|F';
    const r = await services.interop.hl7.importMessage(utf8(oru(pid, 'T1')), { kind: 'paste' });
    expect(r).toMatchObject({
      outcome: 'quarantined',
      reason: { code: 'HL7_PATIENT_CONFIRMATION_REQUIRED' },
    });
    expect(await store.db.observation.count({ selector: { patientId: p.id } }).exec()).toBe(0);
    const list = await services.interop.hl7.list('open');
    const item = list.find((i) => i.id === r.quarantineId);
    expect(item).toMatchObject({
      kind: 'lab',
      candidates: [p.id],
      observationCount: 1,
      patient: {
        birthName: 'LEFEVRE',
        firstNames: ['Zoé'],
        birthDate: '1980-02-29',
        sex: 'F',
        hasIns: false,
      },
    });
    const attached = await services.interop.hl7.attach(r.quarantineId ?? '', p.id);
    expect(attached).toMatchObject({
      outcome: 'observations-imported',
      patientId: p.id,
      observationCount: 1,
    });
    expect(await store.db.observation.count({ selector: { patientId: p.id } }).exec()).toBe(1);
    await expect(services.interop.hl7.attach(r.quarantineId ?? '', p.id)).rejects.toMatchObject({
      code: 'HL7_QUARANTINE_RESOLVED',
    });
    expect((await services.interop.hl7.list('attached')).map((i) => i.id)).toContain(r.quarantineId);
  });

  it('unmatched, ambiguous, conflicting and malformed messages are kept with their reason; a rejection keeps them too', async () => {
    const unmatched = await services.interop.hl7.importMessage(
      utf8(oru('PID|1||X^^^L^PI||INCONNU^Jean^^^^^L||19500101|M', 'U1')),
      { kind: 'file' },
    );
    expect(unmatched.reason?.code).toBe('HL7_PATIENT_UNMATCHED');
    await addPatient({ birthName: 'Martin', firstNames: ['Paul'], birthDate: '1970-01-01', sex: 'M' });
    await addPatient({ birthName: 'Martin', firstNames: ['Paul'], birthDate: '1970-01-01', sex: 'M' });
    const ambiguous = await services.interop.hl7.importMessage(
      utf8(oru('PID|1||||MARTIN^Paul^^^^^L||19700101|M', 'A1')),
      { kind: 'file' },
    );
    expect(ambiguous.reason?.code).toBe('HL7_PATIENT_AMBIGUOUS');
    const other = nir('1840375115042');
    await addPatient({
      birthName: 'Durand',
      firstNames: ['Luc'],
      birthDate: '1984-03-01',
      sex: 'M',
      nir: other,
    });
    const conflict = await services.interop.hl7.importMessage(
      utf8(oru(`PID|1||${other}^^^ASSURANCE^NH||DURAND^Luc^^^^^L||19840302|M`, 'C1')),
      { kind: 'file' },
    );
    expect(conflict.reason?.code).toBe('HL7_PATIENT_INS_CONFLICT');
    const hostile = await services.interop.hl7.importMessage(utf8('MSH|^^\\&|X'), { kind: 'paste' });
    expect(hostile).toMatchObject({
      outcome: 'quarantined',
      reason: { code: 'HL7_SEPARATORS_INVALID' },
      messageType: '',
    });
    const notLoinc = await services.interop.hl7.importMessage(
      utf8(oru('PID|1||||X^Y||19700101|M', 'N1', 'OBX|1|NM|CHOL^Chol^L||5|mmol/L')),
      { kind: 'file' },
    );
    expect(notLoinc.reason?.code).toBe('HL7_OBSERVATION_NOT_LOINC');
    const rejected = await services.interop.hl7.reject(
      hostile.quarantineId ?? '',
      'Fichier corrompu, redemandé au laboratoire',
    );
    expect(rejected).toMatchObject({
      status: 'rejected',
      rejectReason: 'Fichier corrompu, redemandé au laboratoire',
      kind: 'unreadable',
    });
    await expect(services.interop.hl7.attach(notLoinc.quarantineId ?? '', 'p-1')).rejects.toMatchObject({
      code: 'HL7_OBSERVATION_NOT_LOINC',
    });
    // Never lost: every message is still there, raw bytes included.
    const all = await services.interop.hl7.list();
    for (const id of [unmatched, ambiguous, conflict, hostile, notLoinc].map((x) => x.quarantineId))
      expect(all.map((i) => i.id)).toContain(id);
    const raw = await store.db.collections['hl7_quarantine' as 'patient']
      .findOne(hostile.quarantineId ?? '')
      .exec();
    expect(
      Buffer.from((raw?.toJSON() as unknown as { rawBase64: string }).rawBase64, 'base64').toString(),
    ).toBe('MSH|^^\\&|X');
  });

  it('ADT^A28 creates a PROV identity; A31 updates it; a checked identity keeps its traits; a secretary may import ADT but not ORU', async () => {
    actor = SECRETARY;
    try {
      const ins = nir('1550575115042');
      const adt = (event: string, name: string, extra = '') =>
        [
          `MSH|^~\\&|GAM|HOPITAL|CLINIQUE|CAB|20240315083000||ADT^${event}^ADT_A05|${event}-${name}|P|2.5|||||FRA|8859/1`,
          'EVN||20240315083000',
          `PID|1||H42^^^HOPITAL^PI~${ins}^^^ASIP-SANTE-INS-NIR&1.2.250.1.213.1.4.8&ISO^INS||${name}^Noël^Noël Étienne^^^^L~DUBOIS^Noël^^^^^D||19550505|M|||3 place d'Armes^^Angers^^49000^FRA^H~^^^^^^BDL^^49007||0612345678^PRN^CP${extra}||||||||||||||||||QUAL`,
          'PV1|1|N',
        ].join('\r');
      const created = await services.interop.hl7.importMessage(encodeHl7(adt('A28', 'GAUTIER'), 'latin1'), {
        kind: 'file',
      });
      expect(created.outcome).toBe('patient-created');
      const p = (
        await store.db.patient.findOne(created.patientId ?? '').exec()
      )?.toJSON() as unknown as Patient;
      expect(p).toMatchObject({
        birthName: 'GAUTIER',
        usedName: 'DUBOIS',
        firstNames: ['Noël', 'Étienne'],
        birthDate: '1955-05-05',
        sex: 'M',
        birthplaceCode: '49007',
        identityStatus: 'PROV',
        ins: { matricule: ins },
      });
      expect(p.contact).toMatchObject({
        addressLines: ["3 place d'Armes"],
        city: 'Angers',
        postalCode: '49000',
        country: 'FR',
        phones: [{ kind: 'mobile', number: '0612345678' }],
      });
      // A PROV identity takes the update (traits too).
      const updated = await services.interop.hl7.importMessage(encodeHl7(adt('A31', 'GAUTHIER'), 'latin1'), {
        kind: 'file',
      });
      expect(updated).toMatchObject({ outcome: 'patient-updated', patientId: p.id });
      expect((await store.db.patient.findOne(p.id).exec())?.toJSON()).toMatchObject({
        birthName: 'GAUTHIER',
        identityStatus: 'PROV',
      });
      // Once checked (VALI), traits from a feed no longer change it: quarantine.
      const doc = await store.db.patient.findOne(p.id).exec();
      await doc?.incrementalPatch({ identityStatus: 'VALI' });
      const refused = await services.interop.hl7.importMessage(encodeHl7(adt('A31', 'GOTIER'), 'latin1'), {
        kind: 'file',
      });
      expect(refused).toMatchObject({
        outcome: 'quarantined',
        reason: { code: 'HL7_IDENTITY_QUALIFIED_DIFFERS' },
      });
      expect((await store.db.patient.findOne(p.id).exec())?.toJSON()).toMatchObject({
        birthName: 'GAUTHIER',
      });
      // The secretary sees that identity message in the list, never lab ones.
      const list = await services.interop.hl7.list();
      expect(list.length).toBeGreaterThan(0);
      expect(list.every((i) => i.kind === 'identity')).toBe(true);
      await expect(
        services.interop.hl7.importMessage(utf8(oru('PID|1||||X^Y||19700101|M', 'S1')), { kind: 'file' }),
      ).rejects.toMatchObject({ code: 'ACCESS_CLINICAL_DENIED' });
      await expect(services.interop.exports.export(p.id, 'fhir-bundle')).rejects.toMatchObject({
        code: 'ACCESS_CLINICAL_DENIED',
      });
      const a31 = await services.interop.exports.export(p.id, 'hl7-adt-a31');
      const back = readAdtIdentity((parseHl7(a31.bytes) as { ok: true; value: never }).value);
      expect(back.ok && back.value.patient.birthName).toBe('GAUTHIER');
      expect(new TextDecoder().decode(a31.bytes)).not.toContain(ins);
      expect(
        (await audits()).some((e) => e.userId === 'u-sec' && e.action === 'import' && e.outcome === 'denied'),
      ).toBe(true);
    } finally {
      actor = DOCTOR;
    }
  });
});

describe('exports', () => {
  it('FHIR Bundle, FHIR Patient, ADT^A31 and PDF of a stored record, through the handlers and the contract', async () => {
    const rec = sampleRecord(10);
    await store.db.patient.insert(rec.patient);
    await store.db.encounter.bulkInsert([...rec.encounters]);
    await store.db.observation.bulkInsert([...rec.observations]);
    await store.db.allergy.bulkInsert([...rec.allergies]);
    await store.db.prescription.bulkInsert([...rec.prescriptions]);
    await store.db.imaging_study.bulkInsert([...rec.imagingStudies]);
    const handlers = createInteropHandlers({ interop: () => services.interop });
    const call = async (request: unknown) => {
      const parsed = INTEROP_API['patients:export'].request.parse(request);
      return INTEROP_API['patients:export'].response.parse(await handlers['patients:export'](parsed));
    };
    const bundle = await call({ patientId: rec.patient.id, format: 'fhir-bundle' });
    expect(bundle.kind).toBe('download');
    if (bundle.kind !== 'download') return;
    const json = JSON.parse(Buffer.from(bundle.contentBase64, 'base64').toString('utf8'));
    expect(frCoreProblems(json)).toEqual([]);
    // Documents need their file (an attachment): none was stored here.
    expect(json.entry).toHaveLength(
      recordBundle({ ...rec, documents: [] }, { at: json.timestamp }).entry.length,
    );
    expect(JSON.stringify(json)).toContain(SAMPLE_NIR);
    const patient = await call({ patientId: rec.patient.id, format: 'fhir-patient' });
    expect(
      patient.kind === 'download' &&
        JSON.parse(Buffer.from(patient.contentBase64, 'base64').toString()).resourceType,
    ).toBe('Patient');
    // With a save dialog: written where the user chose.
    const target = path.join(dir, 'out', 'dossier.hl7');
    fs.mkdirSync(path.dirname(target));
    const saving = createInteropHandlers({ interop: () => services.interop, saveFile: async () => target });
    const saved = await saving['patients:export']({ patientId: rec.patient.id, format: 'hl7-adt-a31' });
    expect(saved).toMatchObject({ kind: 'saved', path: target });
    const msg = parseHl7(fs.readFileSync(target));
    expect(msg.ok && value(segment(msg.value, 'PID'), 5, 1)).toBe('DE LA FONTAINE');
    const cancelled = await createInteropHandlers({
      interop: () => services.interop,
      saveFile: async () => undefined,
    })['patients:export']({ patientId: rec.patient.id, format: 'pdf-summary' });
    expect(cancelled).toEqual({ kind: 'cancelled' });
    const events = (await audits()).filter((e) => e.action === 'export' && e.patientId === rec.patient.id);
    expect(events.map((e) => e.outcome)).toEqual(['success', 'success', 'success']);
  });
});

describe('PDF summary', () => {
  const pdftotext = (() => {
    try {
      execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  const required = process.env.CI === 'true';
  const fonts = findPdfFonts();

  it.skipIf(!pdftotext && !required)(
    'is readable text in the patient’s language, accents included (pdftotext; skipped: poppler-utils missing)',
    async () => {
      expect(pdftotext, 'pdftotext (poppler-utils) is required under CI=true').toBe(true);
      expect(fonts, 'a TrueType font (fonts-dejavu-core) is required under CI=true').toBeDefined();
      const rec = sampleRecord(3);
      for (const [language, words] of [
        [
          'fr',
          [
            'Résumé du dossier médical',
            'DE LA FONTAINE',
            'Hélène, Marie-Élise',
            'Allergies et intolérances',
            'Amoxicilline',
            'Cholestérol total',
            'Pas d’œdème.',
            '12/05/1969',
          ],
        ],
        [
          'de',
          [
            'Zusammenfassung der Patientenakte',
            'Geburtsdatum',
            'Allergien und Unverträglichkeiten',
            'Müller'.toUpperCase(),
            '12.05.69',
          ],
        ],
        [
          'en',
          ['Summary of the medical record', 'Date of birth', 'Allergies and intolerances', 'Prescriptions'],
        ],
      ] as const) {
        const pdf = await buildPdfSummary(rec, { language, at: '2024-06-01T10:00:00.000Z' });
        const file = path.join(dir, `summary-${language}.pdf`);
        fs.writeFileSync(file, pdf);
        const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
        for (const w of words) expect(text, `${language}: ${w}`).toContain(w);
        if (language === 'fr') expect(text).toContain(SAMPLE_NIR);
      }
      // Unqualified identity: no INS printed.
      const prov = await buildPdfSummary(
        { ...rec, patient: { ...rec.patient, identityStatus: 'VALI' } },
        { language: 'fr', at: '2024-06-01T10:00:00.000Z' },
      );
      fs.writeFileSync(path.join(dir, 'prov.pdf'), prov);
      expect(
        execFileSync('pdftotext', ['-enc', 'UTF-8', path.join(dir, 'prov.pdf'), '-'], { encoding: 'utf8' }),
      ).not.toContain(SAMPLE_NIR);
    },
  );

  it('falls back to the standard fonts without a TrueType font (Western letters kept)', async () => {
    const pdf = await buildPdfSummary(sampleRecord(1), {
      language: 'de',
      at: '2024-06-01T10:00:00.000Z',
      fonts: null,
    });
    expect(Buffer.from(pdf.subarray(0, 5)).toString()).toBe('%PDF-');
    if (pdftotext) {
      const file = path.join(dir, 'std.pdf');
      fs.writeFileSync(file, pdf);
      expect(execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' })).toContain(
        'Unverträglichkeiten',
      );
    }
  });
});
