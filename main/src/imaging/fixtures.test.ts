/* eslint-disable security/detect-non-literal-fs-filename -- the shared fixtures folder */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportSnapshot } from './import-service';
import type { Testbed } from './test-support';
import { FIXTURES, fixturesPresent, fixturesRequired, openTestbed } from './test-support';

// The real DICOM files of ../shared/fixtures/dicom (pydicom's test data). A clone without
// them skips these tests with a message; CI (CI=true) fails instead.
if (!fixturesPresent) {
  if (fixturesRequired) {
    it('finds the DICOM fixtures (required under CI)', () => {
      throw new Error(`DICOM fixtures missing: ${FIXTURES}`);
    });
  } else {
    it.skip(`DICOM fixtures: skipped, ${FIXTURES} is absent (tests with files made in code still run)`, () => undefined);
  }
}

const describeFixtures = fixturesPresent ? describe : describe.skip;

describeFixtures('import of the real DICOM fixtures', () => {
  let bed: Testbed;
  beforeAll(async () => {
    bed = await openTestbed();
  });
  afterAll(async () => {
    await bed?.close();
  });

  const rel = (snap: ImportSnapshot) =>
    Object.fromEntries(snap.files.map((f) => [path.relative(FIXTURES, f.path), [f.status, f.reason?.code]]));

  it('reads the whole folder: broken files get their code, non-DICOM files are skipped, the DICOMDIR medium is read through its directory, and nothing is attached without a patient', async () => {
    const { importId } = await bed.imports.start({ paths: [FIXTURES] });
    const snap = await bed.imports.settled(importId);
    const files = rel(snap);
    expect(files['bad/MR_truncated.dcm']).toEqual(['failed', 'DICOM_TRUNCATED']);
    expect(files['bad/rtplan_truncated.dcm']).toEqual(['failed', 'DICOM_TRUNCATED']);
    // A corrupt JPEG 2000 codestream inside a valid structure: indexed (the viewer says it cannot display it).
    expect(files['bad/JPEG2000-embedded-sequence-delimiter.dcm']?.[0]).toBe('awaiting-confirmation');
    expect(files['LICENSE-pydicom.txt']).toEqual(['skipped', 'DICOM_NOT_DICOM']);
    expect(files['-']).toEqual(['skipped', 'DICOM_NOT_DICOM']);
    // Deflated transfer syntax, inflated by the host's zlib.
    expect(files['image_dfl.dcm']?.[0]).toBe('awaiting-confirmation');
    // chrFrenMulti.dcm repeats chrFren.dcm's SOP Instance UID.
    expect(files['chrFrenMulti.dcm']).toEqual(['duplicate', 'IMAGING_DUPLICATE_IN_IMPORT']);

    // Every file of the medium, found through the DICOMDIR (its README is not part of the set).
    const onMedium: string[] = [];
    const walk = (d: string): void => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const full = path.join(d, e.name);
        if (e.isDirectory()) walk(full);
        else if (!['DICOMDIR', 'README.txt'].includes(e.name)) onMedium.push(path.relative(FIXTURES, full));
      }
    };
    walk(path.join(FIXTURES, 'dicomdir'));
    const fromMedium = Object.keys(files).filter((f) => f.startsWith('dicomdir'));
    expect(fromMedium.sort()).toEqual(onMedium.sort());
    expect(fromMedium.every((f) => files[f]?.[0] === 'awaiting-confirmation')).toBe(true);
    expect(files['dicomdir/README.txt']).toBeUndefined();

    // No patient on this workstation: every study waits for a person to choose one.
    expect(snap.state).toBe('waiting');
    expect(snap.studies.every((s) => s.status === 'awaiting-confirmation' && s.reason?.code === 'IMAGING_PATIENT_NOT_FOUND')).toBe(true);
    expect(await bed.store.db.imaging_study.count().exec()).toBe(0);
    expect((await bed.imports.cancel(importId)).state).toBe('cancelled');
  });

  it('decodes ISO_IR 100 names (Buc^Jérôme, Äneas^Rüdiger) and attaches only after confirmation', async () => {
    const buc = await bed.addPatient({ birthName: 'Buc', firstNames: ['Jérôme'], birthDate: '1960-01-01' });
    const { importId } = await bed.imports.start({ paths: [path.join(FIXTURES, 'chrFren.dcm')], patientId: buc.id });
    const snap = await bed.imports.settled(importId);
    // The file has no birth date: names alone are not enough to attach.
    expect(snap.studies[0]).toMatchObject({
      status: 'awaiting-confirmation',
      match: 'mismatch',
      filePatient: { name: 'Buc, Jérôme' },
      reason: { code: 'IMAGING_PATIENT_MISMATCH', params: { filePatient: 'Buc, Jérôme' } },
    });
    const done = await bed.imports.confirm(importId, snap.studies[0]?.studyInstanceUid ?? '', { attach: true, patientId: buc.id });
    expect(done.studies[0]).toMatchObject({ status: 'imported', added: 1 });
    const [study] = await bed.studies.list(buc.id);
    expect(study?.filePatient?.name).toBe('Buc^Jérôme');

    const rudiger = await bed.addPatient({ birthName: 'Äneas', firstNames: ['Rüdiger'], birthDate: '1960-01-01' });
    const german = await bed.imports.start({ paths: [path.join(FIXTURES, 'chrGerm.dcm')], patientId: rudiger.id });
    const g = await bed.imports.settled(german.importId);
    expect(g.studies[0]?.filePatient.name).toBe('Äneas, Rüdiger');
    await bed.imports.cancel(german.importId);
  });

  it('indexes the DICOMDIR medium by study, series and instance with slice positions and pixel spacing', async () => {
    const archibald = await bed.addPatient({ birthName: 'Doe', firstNames: ['Archibald'], birthDate: '1950-01-01' });
    const { importId } = await bed.imports.start({ paths: [path.join(FIXTURES, 'dicomdir', 'DICOMDIR')], patientId: archibald.id });
    const snap = await bed.imports.settled(importId);
    expect(snap.studies.length).toBeGreaterThanOrEqual(3);
    expect(snap.files.every((f) => f.status === 'awaiting-confirmation')).toBe(true);
    const ct = snap.studies.find((s) => s.filePatient.name === 'Doe, Archibald' && s.modalities.includes('CT'));
    expect(ct).toBeDefined();
    const done = await bed.imports.confirm(importId, ct?.studyInstanceUid ?? '', { attach: true, patientId: archibald.id });
    expect(done.studies.find((s) => s.studyInstanceUid === ct?.studyInstanceUid)).toMatchObject({ status: 'imported' });
    const [doc] = await bed.studies.list(archibald.id);
    const series = doc?.series.find((s) => s.modality === 'CT');
    expect(series?.instances.length).toBe(4);
    expect(series?.instances.every((i) => i.imagePosition?.length === 3 && i.rows && i.columns)).toBe(true);
    await bed.imports.cancel(importId);
    expect((await bed.imports.status(importId)).state).toBe('cancelled');
  });
});
