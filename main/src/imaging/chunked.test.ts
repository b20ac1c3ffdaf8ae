import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INS_OID } from '../../../shared/src/identifiers/ins';
import type { TestImage } from '../../../shared/src/dicom/test-support/writer';
import { writeImage } from '../../../shared/src/dicom/test-support/writer';
import type { Testbed } from './test-support';
import { nir, openTestbed } from './test-support';

// A study larger than one write (chunkBytes) is stored in several writes; a cancellation
// or failure after some of them takes the added instances back out.

const FILE_BYTES = writeImage({ rows: 32, columns: 32 }).length;
let bed: Testbed;
beforeAll(async () => {
  bed = await openTestbed({ progressIntervalMs: 0, chunkBytes: FILE_BYTES * 3 });
});
afterAll(async () => {
  await bed?.close();
});

const uid = (n: number | string): string => `1.2.826.0.1.3680043.10.8.${n}`;
const ins = nir('1650575115042');
const image = (s: number, i: number, over: TestImage = {}): Uint8Array =>
  writeImage({
    studyInstanceUid: uid(s),
    seriesInstanceUid: uid(`${s}.${over.seriesNumber ?? 1}`),
    sopInstanceUid: uid(`${s}.${over.seriesNumber ?? 1}.${i}`),
    instanceNumber: i,
    rows: 32,
    columns: 32,
    patientId: ins,
    issuerOfPatientId: INS_OID.NIR,
    ...over,
  });

describe('studies stored in several writes', () => {
  it('stores every chunk of a large study', async () => {
    const patient = await bed.addPatient({ birthName: 'Lenoir', firstNames: ['Tom'], birthDate: '1965-05-05', nir: ins });
    const files = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`IM${i}`, image(1, i + 1)]));
    const { importId } = await bed.imports.start({ paths: [bed.folder('big', files)], patientId: patient.id });
    const snap = await bed.imports.settled(importId);
    expect(snap.studies[0]).toMatchObject({ status: 'imported', added: 10 });
    const [doc] = await bed.studies.list(patient.id);
    expect(doc?.series[0]?.instances.map((i) => i.instanceNumber)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const bytes = await bed.studies.readInstance(doc?.id ?? '', uid('1.1.10'));
    expect(Buffer.from(bytes).equals(Buffer.from(files.IM9 as Uint8Array))).toBe(true);
  });

  it('takes a partly stored new study back out when cancelled between writes', async () => {
    const files = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`IM${i}`, image(2, i + 1)]));
    const target = await bed.addPatient({ birthName: 'Lenoir', firstNames: ['Tom'], birthDate: '1965-05-05', nir: ins });
    const { importId } = await bed.imports.start({ paths: [bed.folder('cancel-mid', files)], patientId: target.id });
    const stop = bed.imports.onProgress((e) => {
      if (e.importId === importId && e.phase === 'store' && e.done >= 5) void bed.imports.cancel(importId);
    });
    const snap = await bed.imports.settled(importId);
    stop();
    expect(snap.state).toBe('cancelled');
    expect(snap.studies[0]).toMatchObject({ status: 'cancelled', added: 0 });
    expect(await bed.store.db.imaging_study.findOne({ selector: { studyInstanceUid: uid(2) } }).exec()).toBeNull();
  });

  it('keeps what the study had before when adding to it is cancelled between writes', async () => {
    const target = await bed.addPatient({ birthName: 'Lenoir', firstNames: ['Tom'], birthDate: '1965-05-05', nir: ins });
    const first = await bed.imports.start({ paths: [bed.folder('before', { A: image(3, 1), B: image(3, 2) })], patientId: target.id });
    expect((await bed.imports.settled(first.importId)).studies[0]).toMatchObject({ status: 'imported', added: 2 });
    const more = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`S2-${i}`, image(3, i + 1, { seriesNumber: 2 })]));
    const { importId } = await bed.imports.start({ paths: [bed.folder('more', more)], patientId: target.id });
    const stop = bed.imports.onProgress((e) => {
      if (e.importId === importId && e.phase === 'store' && e.done >= 5) void bed.imports.cancel(importId);
    });
    const snap = await bed.imports.settled(importId);
    stop();
    expect(snap.studies[0]).toMatchObject({ status: 'cancelled', added: 0 });
    const doc = await bed.store.db.imaging_study.findOne({ selector: { studyInstanceUid: uid(3) } }).exec();
    expect(doc?.series.map((s) => [s.seriesInstanceUid, s.instances.length])).toEqual([[uid('3.1'), 2]]);
    expect(Object.keys(doc?.toJSON(true)._attachments ?? {}).sort()).toEqual([uid('3.1.1'), uid('3.1.2')]);
  });
});
