import type { RxDocumentData, RxStorage, RxStorageInstance } from 'rxdb';
import { fillWithDefaultSettings, normalizeMangoQuery, prepareQuery } from 'rxdb';
import { openSqlCipher } from '../../main/src/storage/sqlcipher/connection';
import type { Statement } from 'better-sqlite3-multiple-ciphers';
import type { SqlCipherDatabase } from '../../main/src/storage/sqlcipher/connection';
import type { BenchPatient } from './patients';
import { patientSchema } from './patients';

// Queries are prepared as RxQuery prepares them: RxDB adds `_deleted: false` to every
// selector, which is what lets the planner use the ['_deleted', field, id] indexes.

/** The same workload, spoken to each store in its own terms. */
export type BenchStore = {
  open(): Promise<void>;
  /**
   * Builds, untimed, what this store's layer receives from the app (for an RxStorage: the
   * storage documents RxDB's collection makes, with `_deleted`, `_rev`, `_meta`…), and returns
   * the write itself, which is what is timed.
   */
  prepareInsert(patients: readonly BenchPatient[]): () => Promise<void>;
  insert(patients: readonly BenchPatient[]): Promise<void>;
  findByIds(ids: readonly string[]): Promise<BenchPatient[]>;
  /** Patients born in [from, to), by birth date then id, at most `limit`. */
  bornBetween(from: string, to: string, limit: number): Promise<BenchPatient[]>;
  count(): Promise<number>;
  close(): Promise<void>;
};

/** Writes go in batches of this size, one transaction (or bulkWrite) each, in every store. */
export const WRITE_BATCH = 10_000;

function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const filledSchema = fillWithDefaultSettings(patientSchema);

/** What RxDB's collection layer adds before a document reaches the storage. */
export function toStorageDocument(patient: BenchPatient): RxDocumentData<BenchPatient> {
  return { ...patient, _deleted: false, _attachments: {}, _rev: '1-bench', _meta: { lwt: patient.updatedAt } };
}

/**
 * An RxStorage driven at the storage-instance level: the layer a storage implements,
 * without RxDB's collection and document overhead, which is the same for every storage.
 */
export function rxStorageStore(storage: RxStorage<unknown, unknown>, databaseName: string): BenchStore {
  let instance: RxStorageInstance<BenchPatient, unknown, unknown> | undefined;
  const open = (): RxStorageInstance<BenchPatient, unknown, unknown> => {
    if (!instance) throw new Error('store not open');
    return instance;
  };
  return {
    async open() {
      instance = await storage.createStorageInstance<BenchPatient>({
        databaseInstanceToken: `bench-${databaseName}`,
        databaseName,
        collectionName: 'patients',
        schema: filledSchema,
        options: {},
        multiInstance: false,
        devMode: false,
      });
    },
    prepareInsert(patients) {
      const rows = batches(patients.map(toStorageDocument), WRITE_BATCH).map((batch) =>
        batch.map((document) => ({ document })),
      );
      return async () => {
        for (const batch of rows) {
          const result = await open().bulkWrite(batch, 'bench-insert');
          if (result.error.length > 0) throw new Error(`${result.error.length} write errors`);
        }
        // The SQLCipher storage leaves a bulk load's indexes to build later (when a query needs
        // one, or when idle): that work belongs to the insert, so it is timed with it.
        const instance = open() as { buildDeferredIndexes?: () => void };
        instance.buildDeferredIndexes?.();
      };
    },
    insert(patients) {
      return this.prepareInsert(patients)();
    },
    async findByIds(ids) {
      // Storage documents are patients plus RxDB's fields, and RxDB consumes them as they are;
      // the checks read ids only, so no copy without those fields is made inside the clock.
      return open().findDocumentsById([...ids], false);
    },
    async bornBetween(from, to, limit) {
      const query = normalizeMangoQuery<RxDocumentData<BenchPatient>>(filledSchema, {
        selector: { _deleted: { $eq: false }, birthDate: { $gte: from, $lt: to } },
        sort: [{ birthDate: 'asc' }, { id: 'asc' }],
        limit,
      });
      return (await open().query(prepareQuery(filledSchema, query))).documents;
    },
    async count() {
      const query = normalizeMangoQuery<RxDocumentData<BenchPatient>>(filledSchema, { selector: { _deleted: { $eq: false } } });
      return (await open().count(prepareQuery(filledSchema, query))).count;
    },
    async close() {
      await instance?.close();
      instance = undefined;
    },
  };
}

/**
 * The floor: better-sqlite3-multiple-ciphers with the same SQLCipher settings as the
 * storage (connection.ts), one table with the id as primary key, the document as JSON,
 * and an index on each queried field.
 */
export function rawSqlCipherStore(filename: string, key: Uint8Array): BenchStore {
  let db: SqlCipherDatabase | undefined;
  const open = (): SqlCipherDatabase => {
    if (!db) throw new Error('store not open');
    return db;
  };
  // A hand-written store prepares each statement once per connection, as the storage does:
  // better-sqlite3 does not cache prepare(), and compiling a query on every call is work
  // neither needs.
  const statements = new Map<string, Statement>();
  const statement = (sql: string): Statement => {
    let prepared = statements.get(sql);
    if (!prepared) {
      prepared = open().prepare(sql);
      statements.set(sql, prepared);
    }
    return prepared;
  };
  return {
    async open() {
      db = openSqlCipher(filename, { key });
      db.exec(`
        CREATE TABLE IF NOT EXISTS patients (
          id TEXT PRIMARY KEY NOT NULL,
          birthDate TEXT NOT NULL,
          lastName TEXT NOT NULL,
          data TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS patients_birthDate ON patients (birthDate, id);
        CREATE INDEX IF NOT EXISTS patients_lastName ON patients (lastName, id);
      `);
    },
    prepareInsert(patients) {
      // The app's own objects are what this layer receives: nothing to build.
      return async () => {
        const d = open();
        const insert = statement('INSERT INTO patients (id, birthDate, lastName, data) VALUES (?, ?, ?, ?)');
        const write = d.transaction((batch: readonly BenchPatient[]) => {
          for (const p of batch) insert.run(p.id, p.birthDate, p.lastName, JSON.stringify(p));
        });
        for (const batch of batches(patients, WRITE_BATCH)) write(batch);
      };
    },
    insert(patients) {
      return this.prepareInsert(patients)();
    },
    async findByIds(ids) {
      const get = statement('SELECT data FROM patients WHERE id = ?');
      const found: BenchPatient[] = [];
      for (const id of ids) {
        const row = get.get(id) as { data: string } | undefined;
        if (row) found.push(JSON.parse(row.data) as BenchPatient);
      }
      return found;
    },
    async bornBetween(from, to, limit) {
      const rows = statement(
        'SELECT data FROM patients WHERE birthDate >= ? AND birthDate < ? ORDER BY birthDate, id LIMIT ?',
      ).all(from, to, limit) as { data: string }[];
      return rows.map((r) => JSON.parse(r.data) as BenchPatient);
    },
    async count() {
      return (statement('SELECT count(*) AS n FROM patients').get() as { n: number } | undefined)?.n ?? 0;
    },
    async close() {
      statements.clear();
      db?.close();
      db = undefined;
    },
  };
}
