import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { addRxPlugin, createRxDatabase } from 'rxdb';
import { RxDBAttachmentsPlugin } from 'rxdb/plugins/attachments';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ImagingInstanceSchema,
  ImagingSeriesSchema,
  ImagingStudyObjectSchema,
  ImagingStudySchema,
} from '../../../shared/src/schemas';
import { toRxJsonSchema } from '../../../shared/src/schemas/rx-schema';
import { CLINIC_DATABASE_NAME } from '../db/clinic-database';
import { openWorkstationStore } from '../db/workstation-store';
import { createWorkerRxStorage } from '../storage/worker';
import { createVault } from '../vault';
import { FAST } from '../vault/test-support';

// imaging_study went from schema version 0 to 1 (optional fields only). A vault written
// by the previous version must open, with its studies and their DICOM attachments moved.

/** Version 0 exactly as it was derived before the change. */
const V0 = toRxJsonSchema(
  ImagingStudyObjectSchema.omit({ filePatient: true, patientMatch: true }).extend({
    series: z
      .array(
        ImagingSeriesSchema.extend({
          instances: z
            .array(ImagingInstanceSchema.omit({ rows: true, columns: true, photometric: true, pixelSpacing: true, imageOrientation: true, size: true }))
            .max(20_000),
        }),
      )
      .max(2000),
  }),
  { title: 'imaging_study', indexes: [['patientId', 'createdAt'], ['studyInstanceUid'], ['updatedAt']], attachments: true },
);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clinic-imaging-migration-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('imaging_study schema 0 → 1', () => {
  it('migrates stored studies with their attachments when the vault opens', async () => {
    addRxPlugin(RxDBAttachmentsPlugin);
    const vault = await createVault(path.join(dir, 'vault'), 'cheval agrafe pile correcte', FAST);
    const now = new Date().toISOString();
    const study = ImagingStudySchema.parse({
      id: 'study-1',
      patientId: 'patient-1',
      studyInstanceUid: '1.2.3',
      modalities: ['CT'],
      series: [
        {
          seriesInstanceUid: '1.2.3.1',
          modality: 'CT',
          instances: [{ sopInstanceUid: '1.2.3.1.1', sopClassUid: '1.2.840.10008.5.1.4.1.1.2', frames: 1, attachmentId: '1.2.3.1.1' }],
        },
      ],
      createdAt: now,
      updatedAt: now,
    });
    const bytes = new Uint8Array(4096).map((_, i) => (i * 7) % 256);

    const worker = await createWorkerRxStorage({ filename: vault.databasePath, key: vault.key, mustExist: true });
    const old = await createRxDatabase({ name: CLINIC_DATABASE_NAME, storage: worker.storage, multiInstance: false });
    const { imaging_study: v0 } = await old.addCollections({ imaging_study: { schema: V0 } });
    expect(v0?.schema.version).toBe(0);
    await v0?.insert({ ...study, _attachments: [{ id: '1.2.3.1.1', type: 'application/dicom', data: new Blob([bytes]) }] } as never);
    await old.close();
    await worker.close();

    const store = await openWorkstationStore(vault);
    expect(store.db.imaging_study.schema.version).toBe(1);
    const doc = await store.db.imaging_study.findOne('study-1').exec();
    expect(doc?.series[0]?.instances[0]?.sopInstanceUid).toBe('1.2.3.1.1');
    const data = await doc?.getAttachment('1.2.3.1.1')?.getData();
    expect(new Uint8Array(await (data as Blob).arrayBuffer())).toEqual(bytes);
    await vault.lock();
  });
});
