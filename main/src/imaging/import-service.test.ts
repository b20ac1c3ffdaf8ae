/* eslint-disable security/detect-non-literal-fs-filename -- temp folders made by the test */
import fs from 'node:fs';
import path from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportProgressEventSchema, ImportSnapshotSchema } from '../../../shared/src/api/imaging-contract';
import { AppError } from '../../../shared/src/errors';
import { INS_OID } from '../../../shared/src/identifiers/ins';
import type { TestImage } from '../../../shared/src/dicom/test-support/writer';
import { encodeDataSet, imageElements, writeDicomdir, writeImage } from '../../../shared/src/dicom/test-support/writer';
import { startDicomWorker } from './dicom-worker-client';
import type { ImportSnapshot } from './import-service';
import { createImagingImportService } from './import-service';
import type { Testbed } from './test-support';
import { nir, openTestbed, PRACTITIONER } from './test-support';

let bed: Testbed;
beforeAll(async () => {
  bed = await openTestbed({ progressIntervalMs: 0 });
});
afterAll(async () => {
  await bed?.close();
});

const uid = (n: number | string): string => `1.2.826.0.1.3680043.10.7.${n}`;
const study = (s: number, over: TestImage = {}) => (i: number): TestImage => ({
  studyInstanceUid: uid(s),
  seriesInstanceUid: uid(`${s}.1`),
  sopInstanceUid: uid(`${s}.1.${i}`),
  instanceNumber: i,
  imagePosition: [-100, -100, i * 2.5],
  ...over,
});

async function importAll(paths: string[], patientId?: string): Promise<ImportSnapshot> {
  const { importId } = await bed.imports.start({ paths, ...(patientId === undefined ? {} : { patientId }) });
  const events: unknown[] = [];
  const stop = bed.imports.onProgress((e) => events.push(e));
  const snap = await bed.imports.settled(importId);
  stop();
  // What the host will send over the API passes the contract's schemas.
  expect(ImportSnapshotSchema.safeParse(snap).error).toBeUndefined();
  for (const e of events) expect(ImportProgressEventSchema.safeParse(e).error).toBeUndefined();
  return snap;
}

const statusOf = (snap: ImportSnapshot, file: string) => snap.files.find((f) => f.path === file);

describe('import of files made in code', () => {
  it('indexes a folder by study/series/instance, stores each file encrypted, skips what is not DICOM, reports a truncated file; INS in the file attaches at once', async () => {
    const ins = nir('1840375115042');
    const patient = await bed.addPatient({ birthName: 'Martin', firstNames: ['Paul'], birthDate: '1984-03-01', nir: ins });
    const marker = 'MARQUEUR-ETUDE-7F3A';
    const make = study(1, { patientId: ins, issuerOfPatientId: INS_OID.NIR, studyDescription: marker });
    // Slices written out of order, with three transfer syntaxes, one deflated.
    const files = {
      'b/IM3': writeImage(make(3), { transferSyntax: 'implicit-le' }),
      'a/IM1': writeImage(make(1), { transferSyntax: 'explicit-be' }),
      'IM2.dcm': writeImage(make(2), { transferSyntax: 'deflated', deflateRaw: (b) => deflateRawSync(b) }),
      'README.TXT': 'Visionneuse sur le CD',
      'bad/IM4': writeImage(make(4), { truncateBy: 40 }),
    };
    const folder = bed.folder('ins', files);
    const snap = await importAll([folder], patient.id);
    expect(snap.state).toBe('done');
    expect(statusOf(snap, path.join(folder, 'README.TXT'))).toMatchObject({ status: 'skipped', reason: { code: 'DICOM_NOT_DICOM' } });
    expect(statusOf(snap, path.join(folder, 'bad/IM4'))).toMatchObject({ status: 'failed', reason: { code: 'DICOM_TRUNCATED' } });
    for (const f of ['b/IM3', 'a/IM1', 'IM2.dcm']) expect(statusOf(snap, path.join(folder, f))?.status, f).toBe('imported');
    expect(snap.studies).toEqual([
      expect.objectContaining({ studyInstanceUid: uid(1), status: 'imported', match: 'ins', added: 3, alreadyPresent: 0, patientId: patient.id }),
    ]);

    const docs = await bed.studies.list(patient.id);
    expect(docs).toHaveLength(1);
    const doc = docs[0];
    expect(doc).toMatchObject({
      patientId: patient.id,
      studyInstanceUid: uid(1),
      studyDate: '2024-01-15',
      description: marker,
      modalities: ['CT'],
      patientMatch: 'ins',
      filePatient: { name: 'Martin^Paul', id: ins, birthDate: '1970-01-01' },
    });
    const instances = doc?.series[0]?.instances ?? [];
    expect(instances.map((i) => i.instanceNumber)).toEqual([1, 2, 3]);
    expect(instances.map((i) => i.transferSyntaxUid)).toEqual(['1.2.840.10008.1.2.2', '1.2.840.10008.1.2.1.99', '1.2.840.10008.1.2']);
    expect(instances[2]).toMatchObject({
      imagePosition: [-100, -100, 7.5],
      imageOrientation: [1, 0, 0, 0, 1, 0],
      rows: 4,
      columns: 4,
      photometric: 'MONOCHROME2',
      pixelSpacing: [0.5, 0.5],
      frames: 1,
    });

    // The stored bytes are the file's, and nothing of them is readable in the vault's files.
    const stored = await bed.studies.readInstance(doc?.id ?? '', uid('1.1.3'));
    expect(Buffer.from(stored).equals(Buffer.from(files['b/IM3']))).toBe(true);
    await bed.store.db.imaging_study.findOne().exec();
    for (const name of fs.readdirSync(path.join(bed.dir, 'vault'))) {
      const bytes = fs.readFileSync(path.join(bed.dir, 'vault', name));
      expect(bytes.includes(Buffer.from(marker)), name).toBe(false);
    }

    // Audited: the start, and the study written for this patient.
    const imports = (await bed.audits()).filter((e) => e.action === 'import' && e.outcome === 'success');
    expect(imports.map((e) => e.object?.collection).sort()).toEqual(['imaging_import', 'imaging_study']);
    expect(imports.every((e) => e.patientId === patient.id)).toBe(true);

    // Re-import: a no-op reported as already present.
    const again = await importAll([folder], patient.id);
    expect(again.studies[0]).toMatchObject({ status: 'imported', added: 0, alreadyPresent: 3 });
    expect(again.files.filter((f) => f.status === 'already-present')).toHaveLength(3);
    const after = await bed.studies.list(patient.id);
    expect(after[0]?.updatedAt).toBe(doc?.updatedAt);
  });

  it('proposes a match by name and birth date that a person must confirm (names decoded with the file’s character set)', async () => {
    const patient = await bed.addPatient({ birthName: 'BUC', firstNames: ['Jerome'], birthDate: '1984-12-03' });
    const folder = bed.folder('latin1', {
      IM1: writeImage(study(2, { patientName: 'Buc^Jérôme', birthDate: '19841203' })(1), { charset: 'ISO_IR 100' }),
      IM2: writeImage(study(2, { patientName: 'Buc^Jérôme', birthDate: '19841203' })(2), { charset: 'ISO_IR 100' }),
    });
    const snap = await importAll([folder], patient.id);
    expect(snap.state).toBe('waiting');
    expect(snap.studies[0]).toMatchObject({
      status: 'awaiting-confirmation',
      match: 'traits',
      reason: { code: 'IMAGING_PATIENT_CONFIRMATION_REQUIRED', params: { filePatient: 'Buc, Jérôme (1984-12-03)' } },
      filePatient: { name: 'Buc, Jérôme', birthDate: '1984-12-03' },
    });
    expect(await bed.studies.list(patient.id)).toEqual([]);

    const done = await bed.imports.confirm(snap.importId, uid(2), { attach: true, patientId: patient.id });
    expect(done.state).toBe('done');
    expect(done.studies[0]).toMatchObject({ status: 'imported', added: 2 });
    const [doc] = await bed.studies.list(patient.id);
    expect(doc).toMatchObject({ patientMatch: 'confirmed', filePatient: { name: 'Buc^Jérôme' } });
  });

  it('never attaches a study of another person silently: a name mismatch waits, a declined study leaves nothing', async () => {
    const patient = await bed.addPatient({ birthName: 'Keller', firstNames: ['Anne'], birthDate: '1950-05-05' });
    const folder = bed.folder('utf8', {
      IM1: writeImage(study(3, { patientName: 'Äneas^Rüdiger', birthDate: '19500505' })(1), { charset: 'ISO_IR 192' }),
    });
    const snap = await importAll([folder], patient.id);
    expect(snap.studies[0]).toMatchObject({
      status: 'awaiting-confirmation',
      match: 'mismatch',
      reason: { code: 'IMAGING_PATIENT_MISMATCH', params: { filePatient: 'Äneas, Rüdiger (1950-05-05)' } },
    });
    const declined = await bed.imports.confirm(snap.importId, uid(3), { attach: false });
    expect(declined.state).toBe('done');
    expect(declined.studies[0]).toMatchObject({ status: 'declined', reason: { code: 'IMAGING_STUDY_DECLINED' } });
    expect(declined.files[0]).toMatchObject({ status: 'declined' });
    expect(await bed.store.db.imaging_study.findOne({ selector: { studyInstanceUid: uid(3) } }).exec()).toBeNull();
    await expect(bed.imports.confirm(snap.importId, uid(3), { attach: true, patientId: patient.id })).rejects.toMatchObject({
      code: 'IMAGING_IMPORT_NOT_WAITING',
    });
  });

  it('refuses a study whose INS differs from the patient’s, even on confirmation', async () => {
    const patient = await bed.addPatient({ birthName: 'Petit', firstNames: ['Luc'], birthDate: '1960-01-01', nir: nir('1600175115042') });
    const other = nir('1600175115043');
    const folder = bed.folder('ins-mismatch', {
      IM1: writeImage(study(4, { patientName: 'Petit^Luc', birthDate: '19600101', patientId: 'RIS1', otherPatientIds: [{ id: other, universalEntityId: INS_OID.NIR }] })(1)),
    });
    const snap = await importAll([folder], patient.id);
    expect(snap.studies[0]).toMatchObject({ status: 'refused', reason: { code: 'IMAGING_PATIENT_INS_MISMATCH' } });
    expect(snap.files[0]).toMatchObject({ status: 'refused' });
    expect(await bed.store.db.imaging_study.findOne({ selector: { studyInstanceUid: uid(4) } }).exec()).toBeNull();
  });

  it('without a target patient: finds the patient by INS, or asks when no one matches', async () => {
    const ins = nir('2700275115042');
    const patient = await bed.addPatient({ birthName: 'Roux', firstNames: ['Marie'], birthDate: '1970-02-02', nir: ins });
    const folder = bed.folder('no-target', {
      IM1: writeImage(study(5, { patientId: ins, issuerOfPatientId: INS_OID.NIR, birthDate: '19700202' })(1)),
      IM2: writeImage(study(6, { patientName: 'Inconnu^Jean', birthDate: '19010101' })(1)),
      // INS without a birth date in the file: still found by the INS.
      IM3: writeImage(study(14, { patientId: ins, issuerOfPatientId: INS_OID.NIR, omit: [0x00100030] })(1)),
      // Two files of one study naming two people: refused whole.
      IM4: writeImage(study(15, { patientName: 'Un^Patient' })(1)),
      IM5: writeImage(study(15, { patientName: 'Autre^Patient' })(2)),
    });
    const snap = await importAll([folder]);
    const byUid = Object.fromEntries(snap.studies.map((s) => [s.studyInstanceUid, s]));
    expect(byUid[uid(5)]).toMatchObject({ status: 'imported', match: 'ins', patientId: patient.id });
    expect(byUid[uid(14)]).toMatchObject({ status: 'imported', match: 'ins', patientId: patient.id });
    expect(byUid[uid(15)]).toMatchObject({ status: 'failed', reason: { code: 'IMAGING_STUDY_PATIENTS_DIFFER' } });
    expect(byUid[uid(6)]).toMatchObject({ status: 'awaiting-confirmation', match: 'none', reason: { code: 'IMAGING_PATIENT_NOT_FOUND' } });
    const cancelled = await bed.imports.cancel(snap.importId);
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.studies.find((s) => s.studyInstanceUid === uid(6))).toMatchObject({ status: 'cancelled' });
  });

  it('reads a DICOMDIR medium, resolving file IDs whatever the case of the names on disk; a missing file is reported, the rest imported', async () => {
    const patient = await bed.addPatient({ birthName: 'Dubois', firstNames: ['Léa'], birthDate: '1990-09-09', nir: nir('2900975115042') });
    const make = study(7, { patientId: nir('2900975115042'), issuerOfPatientId: INS_OID.NIR });
    const image = (i: number) => ({
      type: 'IMAGE' as const,
      elements: [{ tag: 0x00041511, vr: 'UI' as const, value: uid(`7.1.${i}`) }],
      fileId: ['IMAGES', `IM000${i}`],
    });
    const dicomdir = writeDicomdir([
      {
        type: 'PATIENT',
        elements: [{ tag: 0x00100020, vr: 'LO', value: 'X' }],
        children: [
          {
            type: 'STUDY',
            elements: [{ tag: 0x0020000d, vr: 'UI', value: uid(7) }],
            children: [{ type: 'SERIES', elements: [{ tag: 0x0020000e, vr: 'UI', value: uid('7.1') }], children: [image(1), image(2), image(3)] }],
          },
        ],
      },
    ]);
    const folder = bed.folder('cd', {
      DICOMDIR: dicomdir,
      'images/im0001': writeImage(make(1)),
      'Images/IM0002;1': writeImage(make(2)),
      'AUTORUN.INF': '[autorun]',
    });
    const snap = await importAll([folder], patient.id);
    expect(snap.files.map((f) => [path.relative(folder, f.path), f.status, f.reason?.code])).toEqual([
      ['images/im0001', 'imported', undefined],
      ['Images/IM0002;1', 'imported', undefined],
      ['IMAGES/IM0003', 'failed', 'DICOMDIR_FILE_MISSING'],
    ]);
    expect(snap.studies[0]).toMatchObject({ status: 'imported', added: 2 });
  });

  it('imports one copy of an instance found twice, and refuses a secretary (audited)', async () => {
    const patient = await bed.addPatient({ birthName: 'Blanc', firstNames: ['Eve'], birthDate: '1980-08-08', nir: nir('2800875115042') });
    const bytes = writeImage(study(8, { patientId: nir('2800875115042'), issuerOfPatientId: 'NIR' })(1));
    const folder = bed.folder('dup', { A: bytes, B: bytes });
    const snap = await importAll([folder], patient.id);
    expect(snap.files.map((f) => f.status)).toEqual(['imported', 'duplicate']);

    bed.actor = { ...PRACTITIONER, userId: 'u-sec', role: 'secretary' };
    try {
      const error = await bed.imports.start({ paths: [folder], patientId: patient.id }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('ACCESS_CLINICAL_DENIED');
    } finally {
      bed.actor = PRACTITIONER;
    }
    const denied = (await bed.audits()).filter((e) => e.action === 'import' && e.outcome === 'denied' && e.userId === 'u-sec');
    expect(denied).toHaveLength(1);
  });

  it('cancels between files: nothing of the import is written', async () => {
    const patient = await bed.addPatient({ birthName: 'Noir', firstNames: ['Jo'], birthDate: '1975-07-07', nir: nir('1750775115042') });
    const make = study(9, { patientId: nir('1750775115042'), issuerOfPatientId: INS_OID.NIR, rows: 64, columns: 64 });
    const files = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`IM${String(i).padStart(4, '0')}`, writeImage(make(i + 1))]));
    const folder = bed.folder('cancel', files);
    const { importId } = await bed.imports.start({ paths: [folder], patientId: patient.id });
    const stop = bed.imports.onProgress((e) => {
      if (e.importId === importId && e.done >= 5) void bed.imports.cancel(importId);
    });
    const snap = await bed.imports.settled(importId);
    stop();
    expect(snap.state).toBe('cancelled');
    expect(snap.files.length).toBeLessThan(300);
    expect(snap.files.every((f) => f.status === 'cancelled')).toBe(true);
    expect(await bed.store.db.imaging_study.findOne({ selector: { studyInstanceUid: uid(9) } }).exec()).toBeNull();
  });

  it('stores nothing of a study whose storing is cancelled after some files were read', async () => {
    const patient = await bed.addPatient({ birthName: 'Vert', firstNames: ['Ali'], birthDate: '1971-01-01', nir: nir('1710175115042') });
    const make = study(10, { patientId: nir('1710175115042'), issuerOfPatientId: INS_OID.NIR, rows: 64, columns: 64 });
    const files = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`IM${String(i).padStart(4, '0')}`, writeImage(make(i + 1))]));
    const folder = bed.folder('cancel-store', files);
    const { importId } = await bed.imports.start({ paths: [folder], patientId: patient.id });
    const stop = bed.imports.onProgress((e) => {
      if (e.importId === importId && e.phase === 'store' && e.state === 'importing' && e.done >= 1) void bed.imports.cancel(importId);
    });
    const snap = await bed.imports.settled(importId);
    stop();
    expect(snap.state).toBe('cancelled');
    expect(snap.studies[0]).toMatchObject({ status: 'cancelled', added: 0, reason: { code: 'IMAGING_IMPORT_CANCELLED' } });
    expect(snap.files.every((f) => f.status === 'cancelled')).toBe(true);
    expect(await bed.store.db.imaging_study.findOne({ selector: { studyInstanceUid: uid(10) } }).exec()).toBeNull();
  });

  it('does not store a file that changed between the scan and the store; the rest of the study is stored', async () => {
    const patient = await bed.addPatient({ birthName: 'Gris', firstNames: ['Max'], birthDate: '1972-02-02' });
    const make = study(11, { patientName: 'Gris^Max', birthDate: '19720202' });
    const folder = bed.folder('changed', { IM1: writeImage(make(1)), IM2: writeImage(make(2)) });
    const snap = await importAll([folder], patient.id);
    expect(snap.state).toBe('waiting');
    fs.writeFileSync(path.join(folder, 'IM2'), writeImage(make(2), { charset: 'ISO_IR 192' }));
    const done = await bed.imports.confirm(snap.importId, uid(11), { attach: true, patientId: patient.id });
    expect(done.files.map((f) => [path.basename(f.path), f.status, f.reason?.code])).toEqual([
      ['IM1', 'imported', undefined],
      ['IM2', 'failed', 'IMAGING_FILE_CHANGED'],
    ]);
    const [doc] = await bed.studies.list(patient.id);
    expect(doc?.series.flatMap((s) => s.instances.map((i) => i.sopInstanceUid))).toEqual([uid('11.1.1')]);
  });

  it('fails the import with IMAGING_WORKER_FAILED when the worker dies, leaving nothing written', async () => {
    const patient = await bed.addPatient({ birthName: 'Brun', firstNames: ['Ida'], birthDate: '1973-03-03', nir: nir('2730375115042') });
    const make = study(12, { patientId: nir('2730375115042'), issuerOfPatientId: INS_OID.NIR, rows: 64, columns: 64 });
    const files = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`IM${i}`, writeImage(make(i + 1))]));
    const folder = bed.folder('crash', files);
    const worker = await startDicomWorker();
    const service = createImagingImportService({
      db: bed.store.db,
      clock: { now: () => Date.now() },
      actor: () => bed.actor,
      access: bed.access,
      progressIntervalMs: 0,
      worker: async () => worker,
    });
    const { importId } = await service.start({ paths: [folder], patientId: patient.id });
    const stop = service.onProgress((e) => {
      if (e.importId === importId && e.done >= 3) void worker.close();
    });
    const snap = await service.settled(importId);
    stop();
    expect(snap.state).toBe('failed');
    expect(snap.error).toEqual({ code: 'IMAGING_WORKER_FAILED' });
    expect(await bed.store.db.imaging_study.findOne({ selector: { studyInstanceUid: uid(12) } }).exec()).toBeNull();
    await service.close();
  });

  it('imports a bare data set (no Part 10 header, old media) with a warning, stored as a Part 10 file', async () => {
    const ins = nir('1740475115042');
    const patient = await bed.addPatient({ birthName: 'Ancien', firstNames: ['Léo'], birthDate: '1974-04-04', nir: ins });
    const elements = imageElements(study(13, { patientId: ins, issuerOfPatientId: INS_OID.NIR })(1));
    const bare = encodeDataSet(elements, { explicit: false, littleEndian: true, text: 'ascii' });
    const folder = bed.folder('bare', { IMG00001: bare });
    const snap = await importAll([folder], patient.id);
    expect(snap.files[0]).toMatchObject({ status: 'imported', warnings: [{ code: 'DICOM_NO_PART10_HEADER' }] });
    const [doc] = await bed.studies.list(patient.id);
    const stored = await bed.studies.readInstance(doc?.id ?? '', uid('13.1.1'));
    expect(Buffer.from(stored.subarray(128, 132)).toString('latin1')).toBe('DICM');
    expect(Buffer.from(stored.subarray(stored.length - bare.length)).equals(Buffer.from(bare))).toBe(true);
    expect(doc?.series[0]?.instances[0]).toMatchObject({ transferSyntaxUid: '1.2.840.10008.1.2', size: stored.length });
  });

  it('keeps one document per study when two imports of it are stored one after the other', async () => {
    const ins = nir('1760675115042');
    const patient = await bed.addPatient({ birthName: 'Faure', firstNames: ['Marc'], birthDate: '1976-06-06', nir: ins });
    const a = bed.folder('twice-a', { IM1: writeImage(study(16, { patientName: 'Faure^Marc', birthDate: '19760606' })(1)) });
    const b = bed.folder('twice-b', { IM2: writeImage(study(16, { patientId: ins, issuerOfPatientId: INS_OID.NIR, birthDate: '19760606' })(2)) });
    const waiting = await importAll([a], patient.id);
    expect(waiting.state).toBe('waiting');
    const other = await importAll([b], patient.id);
    expect(other.studies[0]).toMatchObject({ status: 'imported', added: 1 });
    const confirmed = await bed.imports.confirm(waiting.importId, uid(16), { attach: true, patientId: patient.id });
    expect(confirmed.studies[0]).toMatchObject({ status: 'imported', added: 1 });
    const docs = await bed.store.db.imaging_study.find({ selector: { studyInstanceUid: uid(16) } }).exec();
    expect(docs).toHaveLength(1);
    expect(docs[0]?.series[0]?.instances.map((i) => i.instanceNumber)).toEqual([1, 2]);
  });
});
