/* eslint-disable security/detect-non-literal-fs-filename -- every path here comes from mkdtempSync */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RxJsonSchema } from 'rxdb';
import { addRxPlugin, createRxDatabase, fillWithDefaultSettings } from 'rxdb';
import { RxDBAttachmentsPlugin } from 'rxdb/plugins/attachments';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/src/errors';
import type { WorkerRxStorage } from './worker-storage';
import { createWorkerRxStorage } from './worker-storage';

type Patient = { id: string; lastName: string; firstName: string; birthDate: string; nir: string };

const patientSchema: RxJsonSchema<Patient> = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 64 },
    lastName: { type: 'string', maxLength: 100 },
    firstName: { type: 'string', maxLength: 100 },
    birthDate: { type: 'string', maxLength: 10 },
    nir: { type: 'string', maxLength: 15 },
  },
  required: ['id', 'lastName', 'firstName', 'birthDate', 'nir'],
  indexes: ['birthDate', 'lastName'],
};

function patient(i: number): Patient {
  return {
    id: `p${String(i).padStart(6, '0')}`,
    lastName: ['Dupré', 'Lefèvre', 'Bénard', 'Gaël', 'Çelik'][i % 5] ?? 'Martin',
    firstName: ['Élodie', 'François', 'Zoé', 'Anaïs'][i % 4] ?? 'Jean',
    birthDate: `${1940 + (i % 80)}-0${1 + (i % 9)}-1${i % 10}`,
    nir: `${1 + (i % 2)}${String(40 + (i % 60))}0${1 + (i % 9)}75${String(100000 + i).slice(-6)}`,
  };
}

let dir: string;
let filename: string;
let key: Uint8Array;
const open: WorkerRxStorage[] = [];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'worker-sqlcipher-'));
  filename = path.join(dir, 'vault.db');
  key = new Uint8Array(randomBytes(32));
});

afterEach(async () => {
  await Promise.allSettled(open.splice(0).map((w) => w.close()));
  fs.rmSync(dir, { recursive: true, force: true });
});

async function start(options: Partial<Parameters<typeof createWorkerRxStorage>[0]> = {}): Promise<WorkerRxStorage> {
  const w = await createWorkerRxStorage({ filename, key, ...options } as Parameters<typeof createWorkerRxStorage>[0]);
  open.push(w);
  return w;
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return (error as AppError).code;
}

describe('worker RxStorage (SQLCipher engine)', () => {
  it('runs an RxDatabase on an encrypted file that a new worker reopens', async () => {
    const w = await start();
    const db = await createRxDatabase({ name: 'clinic', storage: w.storage, multiInstance: false });
    const { patients } = await db.addCollections({ patients: { schema: patientSchema } });
    const changed: string[] = [];
    const sub = patients.$.subscribe((event) => changed.push(`${event.operation}:${event.documentId}`));

    const all = Array.from({ length: 300 }, (_, i) => patient(i));
    await patients.bulkInsert(all);
    await (await patients.findOne('p000007').exec())?.remove();

    const range = await patients
      .find({ selector: { birthDate: { $gte: '1950-01-01', $lt: '1952-01-01' } }, sort: [{ birthDate: 'asc' }, { id: 'asc' }] })
      .exec();
    const expected = all
      .filter((p) => p.id !== 'p000007' && p.birthDate >= '1950-01-01' && p.birthDate < '1952-01-01')
      .sort((a, b) => (a.birthDate === b.birthDate ? (a.id < b.id ? -1 : 1) : a.birthDate < b.birthDate ? -1 : 1))
      .map((p) => p.id);
    expect(range.map((d) => d.id)).toEqual(expected);
    expect(expected.length).toBeGreaterThan(2);
    expect(changed.filter((c) => c.startsWith('INSERT:'))).toHaveLength(300);
    expect(changed).toContain('DELETE:p000007');
    sub.unsubscribe();
    await db.close();
    await w.close();

    expect(fs.readFileSync(filename).subarray(0, 15).toString('latin1')).not.toBe('SQLite format 3');

    const again = await start({ mustExist: true });
    const db2 = await createRxDatabase({ name: 'clinic', storage: again.storage, multiInstance: false });
    const { patients: p2 } = await db2.addCollections({ patients: { schema: patientSchema } });
    expect(await p2.count().exec()).toBe(299);
    expect((await p2.findOne('p000042').exec())?.toJSON()).toEqual(patient(42));
    await db2.close();
  });

  it('fails to start with the store’s own code: wrong key, bad key, missing vault', async () => {
    const first = await start();
    await first.close();
    expect(await codeOf(start({ key: randomBytes(32) }))).toBe('STORAGE_WRONG_KEY_OR_CORRUPT');
    expect(await codeOf(start({ key: new Uint8Array(16) }))).toBe('STORAGE_INVALID_KEY');
    expect(await codeOf(start({ filename: path.join(dir, 'absent.db'), mustExist: true }))).toBe('STORAGE_OPEN_FAILED');
  });

  it('carries an AppError raised by a call inside the worker with its code and params', async () => {
    const w = await start();
    const instance = await w.storage.createStorageInstance<Patient>({
      databaseInstanceToken: 'token',
      databaseName: 'clinic',
      collectionName: 'patients',
      schema: fillWithDefaultSettings(patientSchema),
      options: {},
      multiInstance: false,
      devMode: false,
    });
    const error = await instance.getAttachmentData('p000001', 'ordonnance.pdf', 'digest').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('STORAGE_ATTACHMENT_MISSING');
    expect((error as AppError).params).toEqual({ attachmentId: 'ordonnance.pdf' });
    await instance.close();
  });

  it('leaves the caller’s key buffer intact', async () => {
    const copy = new Uint8Array(key);
    await start();
    expect(key).toEqual(copy);
  });

  it('close() lets a write already sent commit before the worker ends', async () => {
    const w = await start();
    const db = await createRxDatabase({ name: 'clinic', storage: w.storage, multiInstance: false });
    const { patients } = await db.addCollections({ patients: { schema: patientSchema } });
    const write = patients.bulkInsert(Array.from({ length: 3000 }, (_, i) => patient(i)));
    // Give RxDB the microtasks it needs to hand the write to the storage.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const closing = w.close();
    const result = await write;
    expect(result.error).toEqual([]);
    await closing;
    // RxDB closing after the worker is gone must not fail: the worker closed its instances.
    await db.close();

    const again = await start({ mustExist: true });
    const db2 = await createRxDatabase({ name: 'clinic', storage: again.storage, multiInstance: false });
    const { patients: p2 } = await db2.addCollections({ patients: { schema: patientSchema } });
    expect(await p2.count().exec()).toBe(3000);
    await db2.close();
  });

  it('keeps the owner’s event loop ticking while the worker writes 20,000 encrypted documents', async () => {
    const w = await start();
    const db = await createRxDatabase({ name: 'clinic', storage: w.storage, multiInstance: false });
    try {
      const { patients } = await db.addCollections({ patients: { schema: patientSchema } });
      const docs = Array.from({ length: 20_000 }, (_, i) => patient(i));
      let last = performance.now();
      let maxGap = 0;
      const timer = setInterval(() => {
        const now = performance.now();
        maxGap = Math.max(maxGap, now - last);
        last = now;
      }, 2);
      const started = performance.now();
      // One call: on the owning thread the synchronous store would block the loop for the
      // whole write (gap ≈ elapsed), so the bound below fails without the worker.
      await patients.bulkInsert(docs);
      await new Promise((resolve) => setTimeout(resolve, 5));
      const elapsed = performance.now() - started;
      clearInterval(timer);
      expect(await patients.count().exec()).toBe(20_000);
      // Relative to the whole run, so a loaded machine slows both sides alike.
      expect(maxGap).toBeLessThan(elapsed / 3);
    } finally {
      await db.close();
    }
  });
});

describe('worker RxStorage: attachments', () => {
  it('stores an attachment through the worker and reads the same bytes back as a Blob', async () => {
    addRxPlugin(RxDBAttachmentsPlugin);
    const w = await start();
    const db = await createRxDatabase({ name: 'clinic', storage: w.storage, multiInstance: false });
    const { patients } = await db.addCollections({
      patients: { schema: { ...patientSchema, attachments: {} } },
    });
    const doc = await patients.insert(patient(1));
    const bytes = new Uint8Array(randomBytes(4096));
    await doc.putAttachment({ id: 'scan.dcm', type: 'application/dicom', data: new Blob([bytes]) });
    const again = await patients.findOne('p000001').exec();
    const data = await again?.getAttachment('scan.dcm')?.getData();
    expect(data).toBeInstanceOf(Blob);
    expect(new Uint8Array(await (data as Blob).arrayBuffer())).toEqual(bytes);
    await db.close();
  });
});
