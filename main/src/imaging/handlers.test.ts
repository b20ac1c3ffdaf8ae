import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMAGING_API } from '../../../shared/src/api/imaging-contract';
import { INS_OID } from '../../../shared/src/identifiers/ins';
import { writeImage } from '../../../shared/src/dicom/test-support/writer';
import type { Imaging } from './index';
import { createImaging, createImagingHandlers } from './index';
import type { Testbed } from './test-support';
import { nir, openTestbed } from './test-support';

// The host's view: requests and responses through the contract's schemas, as the dispatcher will do.
let bed: Testbed;
let imaging: Imaging;
beforeAll(async () => {
  bed = await openTestbed();
  imaging = createImaging({ db: bed.store.db, clock: { now: () => Date.now() }, actor: () => bed.actor, access: bed.access });
});
afterAll(async () => {
  await imaging?.close();
  await bed?.close();
});

describe('imaging handlers', () => {
  it('import, follow the status until done, list the studies; every answer passes the contract', async () => {
    const handlers = createImagingHandlers(() => imaging);
    const call = async <C extends keyof typeof IMAGING_API>(channel: C, request: unknown) => {
      const parsed = IMAGING_API[channel].request.parse(request);
      const response = await (handlers[channel] as (r: unknown) => Promise<unknown>)(parsed);
      return IMAGING_API[channel].response.parse(response) as never;
    };
    const ins = nir('1550575115042');
    const patient = await bed.addPatient({ birthName: 'Morel', firstNames: ['Yves'], birthDate: '1955-05-05', nir: ins });
    const folder = bed.folder('handlers', {
      IM1: writeImage({ patientId: ins, issuerOfPatientId: INS_OID.NIR, sopInstanceUid: '1.2.826.0.1.3680043.10.9.1' }),
    });
    const { importId } = await call('imaging:import-start', { paths: [folder], patientId: patient.id });
    let status: { state: string } = await call('imaging:import-status', { importId });
    for (let i = 0; i < 200 && status.state !== 'done'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      status = await call('imaging:import-status', { importId });
    }
    expect(status.state).toBe('done');
    const { studies } = (await call('imaging:studies', { patientId: patient.id })) as { studies: { series: unknown[] }[] };
    expect(studies).toHaveLength(1);
    await expect(call('imaging:import-confirm', { importId, studyInstanceUid: '1.2.3', decision: { attach: false } })).rejects.toMatchObject({
      code: 'IMAGING_IMPORT_NOT_WAITING',
    });
  });
});
