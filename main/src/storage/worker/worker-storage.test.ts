import type { RxJsonSchema, RxStorageInstance } from 'rxdb';
import { createRxDatabase, fillWithDefaultSettings, normalizeMangoQuery, prepareQuery } from 'rxdb';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/src/errors';
import type { WorkerRxStorage } from './worker-storage';
import { createWorkerRxStorage, resolveWorkerEntry } from './worker-storage';

type Patient = { id: string; lastName: string; firstName: string; birthDate: string };

const patientSchema: RxJsonSchema<Patient> = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 64 },
    lastName: { type: 'string', maxLength: 100 },
    firstName: { type: 'string', maxLength: 100 },
    birthDate: { type: 'string', maxLength: 10 },
  },
  required: ['id', 'lastName', 'firstName', 'birthDate'],
  indexes: ['birthDate', 'lastName'],
};

function patient(i: number): Patient {
  const year = 1940 + (i % 80);
  return {
    id: `p${String(i).padStart(6, '0')}`,
    lastName: ['Dupré', 'Lefèvre', 'Müller', 'Nguyễn', 'Çelik'][i % 5] ?? 'Martin',
    firstName: ['Élodie', 'François', 'Zoé', 'Anaïs'][i % 4] ?? 'Jean',
    birthDate: `${year}-0${1 + (i % 9)}-1${i % 10}`,
  };
}

const open: WorkerRxStorage[] = [];
async function start(options: Parameters<typeof createWorkerRxStorage>[0]): Promise<WorkerRxStorage> {
  const w = await createWorkerRxStorage(options);
  open.push(w);
  return w;
}

afterEach(async () => {
  await Promise.allSettled(open.splice(0).map((w) => w.close()));
});

async function expectCode(promise: Promise<unknown>, code: string): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  return error as AppError;
}

async function rawInstance(w: WorkerRxStorage, name: string): Promise<RxStorageInstance<Patient, unknown, unknown>> {
  return w.storage.createStorageInstance<Patient>({
    databaseInstanceToken: 'token',
    databaseName: name,
    collectionName: 'patients',
    schema: filledSchema,
    options: {},
    multiInstance: false,
    devMode: false,
  }) as Promise<RxStorageInstance<Patient, unknown, unknown>>;
}

const filledSchema = fillWithDefaultSettings(patientSchema);

function allQuery() {
  return prepareQuery<Patient>(filledSchema, normalizeMangoQuery(filledSchema, { selector: {} }));
}

function row(i: number) {
  return {
    document: { ...patient(i), _deleted: false, _attachments: {}, _rev: '1-a', _meta: { lwt: 1000 + i } },
  };
}

describe('resolveWorkerEntry', () => {
  it('runs the .ts entry through tsx when this module is TypeScript', () => {
    const entry = resolveWorkerEntry('file:///repo/main/src/storage/worker/worker-storage.ts');
    expect(entry.url.href).toBe('file:///repo/main/src/storage/worker/storage-worker.ts');
    expect(entry.loader).toBe('tsx');
  });

  it('picks the bundled worker beside the bundle, inside app.asar too', () => {
    expect(resolveWorkerEntry('file:///opt/app/dist/main/index.js')).toEqual({
      url: new URL('file:///opt/app/dist/main/storage-worker.js'),
      loader: 'node',
    });
    expect(resolveWorkerEntry('file:///opt/Clinique/resources/app.asar/dist/main/index.js').url.href).toBe(
      'file:///opt/Clinique/resources/app.asar/dist/main/storage-worker.js',
    );
  });
});

describe('worker RxStorage (memory engine)', () => {
  it('serves a full RxDatabase: insert, query, count, changes seen by the owner, close', async () => {
    const w = await start({ engine: 'memory' });
    const db = await createRxDatabase({ name: 'clinic', storage: w.storage, multiInstance: false });
    const { patients } = await db.addCollections({ patients: { schema: patientSchema } });

    const seen: string[] = [];
    const sub = patients.insert$.subscribe((event) => seen.push(event.documentId));

    await patients.bulkInsert(Array.from({ length: 50 }, (_, i) => patient(i)));
    await patients.insert(patient(1000));

    const born60s = await patients
      .find({ selector: { birthDate: { $gte: '1960-01-01', $lt: '1970-01-01' } }, sort: [{ birthDate: 'asc' }] })
      .exec();
    const inserted = [...Array.from({ length: 50 }, (_, i) => patient(i)), patient(1000)];
    const expected = inserted
      .filter((p) => p.birthDate >= '1960-01-01' && p.birthDate < '1970-01-01')
      .map((p) => p.id)
      .sort();
    expect(born60s.map((d) => d.id).sort()).toEqual(expected);
    expect(expected.length).toBeGreaterThan(0);

    expect(await patients.count({ selector: { lastName: 'Lefèvre' } }).exec()).toBe(
      inserted.filter((p) => p.lastName === 'Lefèvre').length,
    );
    const byId = await patients.findByIds(['p000003', 'nope']).exec();
    expect(byId.get('p000003')?.firstName).toBe('Anaïs');
    expect(byId.has('nope')).toBe(false);

    const doc = await patients.findOne('p000002').exec();
    await doc?.patch({ firstName: 'Hélène' });
    expect((await patients.findOne('p000002').exec())?.firstName).toBe('Hélène');

    expect(seen).toHaveLength(51);
    expect(seen).toContain('p001000');
    sub.unsubscribe();

    await db.close();
    await w.close();
  });

  it('rejects a failing call inside the worker with a coded AppError, and keeps serving', async () => {
    const w = await start({ engine: 'memory' });
    const instance = await rawInstance(w, 'errors');
    await instance.bulkWrite([row(1)], 'test');
    const error = await expectCode(
      instance.query({
        query: { selector: {}, sort: [{ lastName: 'asc' }], skip: 0 },
        queryPlan: {
          index: ['noSuchField'],
          startKeys: [],
          endKeys: [],
          inclusiveStart: true,
          inclusiveEnd: true,
          sortSatisfiedByIndex: false,
          selectorSatisfiedByIndex: false,
        },
      }),
      'STORAGE_OPERATION_FAILED',
    );
    expect(error.params).toEqual({ operation: 'query' });
    expect(await instance.findDocumentsById(['p000001'], false)).toHaveLength(1);
    await instance.close();
  });

  it('gives change listeners the very document objects that were written, as in-process', async () => {
    const w = await start({ engine: 'memory' });
    const instance = await rawInstance(w, 'identity');
    const events: { documentId: string; documentData: unknown; previousDocumentData: unknown }[] = [];
    const sub = instance.changeStream().subscribe((bulk) => events.push(...bulk.events));
    const rows = [row(1), row(2)];
    await instance.bulkWrite(rows, 'insert');
    const update = { previous: rows[0]?.document, document: { ...patient(1), firstName: 'Hélène', _deleted: false, _attachments: {}, _rev: '2-b', _meta: { lwt: 5000 } } };
    await instance.bulkWrite([update] as never, 'update');
    sub.unsubscribe();
    expect(events.map((e) => e.documentId)).toEqual(['p000001', 'p000002', 'p000001']);
    expect(events[0]?.documentData).toBe(rows[0]?.document);
    expect(events[1]?.documentData).toBe(rows[1]?.document);
    expect(events[2]?.documentData).toBe(update.document);
    expect(events[2]?.previousDocumentData).toEqual(rows[0]?.document);
    await instance.close();
  });

  it('reports an engine that cannot open as the engine’s own AppError', async () => {
    await expectCode(
      createWorkerRxStorage({ filename: '/nonexistent-dir/x/vault.db', key: new Uint8Array(32), mustExist: true }),
      'STORAGE_OPEN_FAILED',
    );
  });

  it('keeps the owner’s event loop ticking while the worker writes', async () => {
    const w = await start({ engine: 'memory' });
    const instance = await rawInstance(w, 'responsive');
    const batches = Array.from({ length: 20 }, (_, b) => Array.from({ length: 1000 }, (_, i) => row(b * 1000 + i)));
    let ticks = 0;
    let last = performance.now();
    let maxGap = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      maxGap = Math.max(maxGap, now - last);
      last = now;
      ticks++;
    }, 2);
    const started = performance.now();
    // Two writes in flight at a time, as a replication pull would do.
    for (let b = 0; b < batches.length; b += 2) {
      await Promise.all(batches.slice(b, b + 2).map((rows) => instance.bulkWrite(rows, 'load')));
    }
    // A stall is only seen when the delayed tick runs: let it run.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const elapsed = performance.now() - started;
    clearInterval(timer);
    expect((await instance.count(allQuery())).count).toBe(20_000);
    // The write keeps the worker busy for a while; the owner must tick all along. On the
    // owning thread the loop would not turn until the last write (gap ≈ elapsed); the bound
    // is relative, so a loaded machine slows both sides alike.
    expect(elapsed).toBeGreaterThan(20);
    expect(ticks).toBeGreaterThan(elapsed / 50);
    expect(maxGap).toBeLessThan(elapsed / 4);
    await instance.close();
  });

  it('close() waits for writes already sent, then refuses new calls', async () => {
    const w = await start({ engine: 'memory' });
    const instance = await rawInstance(w, 'closing');
    const write = instance.bulkWrite(Array.from({ length: 5000 }, (_, i) => row(i)), 'last-write');
    const closed = w.close();
    await expect(write).resolves.toEqual({ error: [] });
    await closed;
    await expectCode(instance.findDocumentsById(['p000001'], false), 'STORAGE_CLOSED');
    await expect(instance.close()).resolves.toBeUndefined();
  });

  it('fails to start with a coded error when the worker code cannot load', async () => {
    await expectCode(
      createWorkerRxStorage({
        engine: 'memory',
        entry: { url: new URL('./no-such-worker.js', import.meta.url), loader: 'node' },
      }),
      'STORAGE_WORKER_START_FAILED',
    );
  });
});

describe('worker RxStorage: crashed worker', () => {
  const crashEntry = {
    url: new URL('./storage-worker-crash-fixture.ts', import.meta.url),
    loader: 'tsx' as const,
  };

  for (const context of ['crash-exit', 'crash-throw']) {
    it(`rejects pending and later calls with STORAGE_WORKER_CRASHED (${context})`, async () => {
      const w = await start({ engine: 'memory', entry: crashEntry });
      const crashes: AppError[] = [];
      w.onCrash((e) => crashes.push(e));
      const instance = await rawInstance(w, context);
      await instance.bulkWrite([row(1)], 'fine');
      const pendingRead = instance.findDocumentsById(['p000001'], false);
      const fatal = instance.bulkWrite([row(2)], context);
      await expectCode(fatal, 'STORAGE_WORKER_CRASHED');
      // The read was sent before the crash: it either got its answer or fails with the crash.
      await pendingRead.then(
        (docs) => expect(docs).toHaveLength(1),
        (e: unknown) => expect((e as AppError).code).toBe('STORAGE_WORKER_CRASHED'),
      );
      await expectCode(instance.findDocumentsById(['p000001'], false), 'STORAGE_WORKER_CRASHED');
      expect(crashes).toHaveLength(1);
      expect(crashes[0]?.code).toBe('STORAGE_WORKER_CRASHED');
      if (context === 'crash-exit') expect(crashes[0]?.params).toEqual({ exitCode: 70 });
    });
  }

  it('fails RxDB writes with the crash code and lets the database close afterwards', async () => {
    const w = await start({ engine: 'memory', entry: crashEntry });
    const db = await createRxDatabase({ name: 'crashing', storage: w.storage, multiInstance: false });
    const { patients } = await db.addCollections({ patients: { schema: patientSchema } });
    await patients.insert(patient(1));
    await expectCode(patients.insert({ ...patient(2), id: 'crash-exit' }), 'STORAGE_WORKER_CRASHED');
    // A query RxDB cannot answer from its document cache, so it reaches the storage.
    await expectCode(patients.find({ selector: { lastName: 'Lefèvre' } }).exec(), 'STORAGE_WORKER_CRASHED');
    await db.close();
    await expect(w.close()).resolves.toBeUndefined();
  });
});
