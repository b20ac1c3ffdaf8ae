import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INS_OID } from '../../../shared/src/identifiers/ins';
import { writeImage } from '../../../shared/src/dicom/test-support/writer';
import { createImagingStudyService } from './study-service';
import type { Testbed } from './test-support';
import { nir, openTestbed, PRACTITIONER } from './test-support';

// The viewer's reads of instance files: audited once per study and session, refusals and
// failures every time.

let bed: Testbed;
beforeAll(async () => {
  bed = await openTestbed({ progressIntervalMs: 0 });
});
afterAll(async () => {
  await bed?.close();
});

const uid = (n: number | string): string => `1.2.826.0.1.3680043.10.9.${n}`;

describe('readInstance audit', () => {
  it('one read event per study for a session of reads; denials and unknown instances each on record; a new session audits again', async () => {
    const ins = nir('1840375115042');
    const patient = await bed.addPatient({ birthName: 'Roux', firstNames: ['Anne'], birthDate: '1984-03-01', nir: ins });
    const files: Record<string, Uint8Array> = {};
    for (const s of [1, 2])
      for (const i of [1, 2, 3])
        files[`S${s}/IM${i}`] = writeImage({
          patientId: ins,
          issuerOfPatientId: INS_OID.NIR,
          studyInstanceUid: uid(s),
          seriesInstanceUid: uid(`${s}.1`),
          sopInstanceUid: uid(`${s}.1.${i}`),
          instanceNumber: i,
        });
    const { importId } = await bed.imports.start({ paths: [bed.folder('audit', files)], patientId: patient.id });
    expect((await bed.imports.settled(importId)).state).toBe('done');
    const [a, b] = await bed.studies.list(patient.id).then((l) => [...l].sort((x, y) => x.studyInstanceUid.localeCompare(y.studyInstanceUid)));
    if (!a || !b) throw new Error('two studies expected');

    const reads = async () => (await bed.audits()).filter((e) => e.action === 'read' && e.object?.collection === 'imaging_study' && e.object.id !== patient.id);
    const before = (await reads()).length;

    for (const i of [1, 2, 3, 1, 2]) {
      const bytes = await bed.studies.readInstance(a.id, uid(`1.1.${i}`));
      expect(Buffer.from(bytes).equals(Buffer.from(files[`S1/IM${i}`] ?? []))).toBe(true);
    }
    await bed.studies.readInstance(b.id, uid('2.1.1'));
    let events = (await reads()).slice(before);
    expect(events.map((e) => [e.object?.id, e.outcome, e.patientId])).toEqual([
      [a.id, 'success', patient.id],
      [b.id, 'success', patient.id],
    ]);

    // An instance the study does not hold: an error event each time, even after a success.
    await expect(bed.studies.readInstance(a.id, uid('1.1.99'))).rejects.toMatchObject({ code: 'IMAGING_STUDY_NOT_FOUND' });
    await expect(bed.studies.readInstance(a.id, uid('1.1.98'))).rejects.toMatchObject({ code: 'IMAGING_STUDY_NOT_FOUND' });
    events = (await reads()).slice(before);
    expect(events.slice(2).map((e) => [e.object?.id, e.outcome, e.reason])).toEqual([
      [a.id, 'error', 'IMAGING_STUDY_NOT_FOUND'],
      [a.id, 'error', 'IMAGING_STUDY_NOT_FOUND'],
    ]);

    // Another actor (a secretary on the same service): refused and audited at every read.
    bed.actor = { userId: 'u-sec', role: 'secretary', displayName: 'Accueil', workstationId: 'ws-1' };
    try {
      await expect(bed.studies.readInstance(a.id, uid('1.1.1'))).rejects.toMatchObject({ code: 'ACCESS_CLINICAL_DENIED' });
      await expect(bed.studies.readInstance(a.id, uid('1.1.1'))).rejects.toMatchObject({ code: 'ACCESS_CLINICAL_DENIED' });
    } finally {
      bed.actor = PRACTITIONER;
    }
    events = (await reads()).slice(before);
    expect(events.slice(4).map((e) => [e.userId, e.outcome])).toEqual([
      ['u-sec', 'denied'],
      ['u-sec', 'denied'],
    ]);

    // A new service is a new session (one per unlock): the first read is on record again.
    const next = createImagingStudyService({ db: bed.store.db, clock: { now: () => Date.now() }, actor: () => bed.actor, access: bed.access });
    await next.readInstance(a.id, uid('1.1.1'));
    // The vault read and the audit write overlap, but the bytes come back only once the event is stored.
    expect((await reads()).slice(before).length).toBe(7);
    await next.readInstance(a.id, uid('1.1.2'));
    events = (await reads()).slice(before);
    expect(events.slice(6).map((e) => [e.object?.id, e.outcome])).toEqual([[a.id, 'success']]);
  }, 60_000);
});
