import fs from 'node:fs';
import path from 'node:path';
import type {
  EventBulk,
  MangoQuery,
  RxAttachmentWriteData,
  RxDocumentData,
  RxStorageInstance,
  RxStorageWriteError,
  RxStorageWriteErrorConflict,
} from 'rxdb';
import { createRxDatabase, fillWithDefaultSettings, normalizeMangoQuery, now, prepareQuery } from 'rxdb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/src/errors';
import type { SqlCipherDatabase } from './connection';
import { openSqlCipher, WAL_AUTOCHECKPOINT_PAGES } from './connection';
import { IDLE_CHECKPOINT_MS } from './connection-pool';
import { getRxStorageSQLCipher, isConnectionOpen, RxStorageInstanceSQLCipher } from './index';
import { BULK_LOAD_MIN_ROWS } from './rx-storage-instance-sqlcipher';
import type { TempVault, TestDoc } from './test-support';
import {
  createInstance,
  fileDigest,
  fileExists,
  listDir,
  newDoc,
  readFileBytes,
  tempVault,
  testSchema,
} from './test-support';

type NestedDoc = { id: string; nes: { ted: string } };

let vault: TempVault;
const opened: RxStorageInstance<TestDoc, unknown, unknown>[] = [];

beforeEach(() => {
  vault = tempVault();
});

afterEach(async () => {
  for (const instance of opened.splice(0)) await instance.close();
  vault.cleanup();
});

function storage() {
  return getRxStorageSQLCipher({ filename: vault.filename, key: vault.key });
}

async function open(collection = 'patients', schema = testSchema(), databaseName = 'testdb') {
  const instance = await createInstance(storage(), collection, schema, databaseName);
  opened.push(instance);
  return instance;
}

function prepared(query: MangoQuery<RxDocumentData<TestDoc>>, schema = testSchema()) {
  return prepareQuery(schema, normalizeMangoQuery(schema, query as MangoQuery<TestDoc>));
}

async function expectAppError(promise: Promise<unknown>, code: string) {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
}

function conflictDoc(error: RxStorageWriteError<TestDoc> | undefined) {
  return (error as RxStorageWriteErrorConflict<TestDoc> | undefined)?.documentInDb;
}

function must<T>(value: T | undefined | null): T {
  if (value === undefined || value === null) throw new Error('expected a value');
  return value;
}

describe('SQLCipher RxStorage: writes and conflicts', () => {
  it('inserts, finds by id and rejects a second insert of the same id with 409 and the stored document', async () => {
    const instance = await open();
    const first = newDoc({ id: 'a', name: 'Hélène', age: 40 });
    expect((await instance.bulkWrite([{ document: first }], 'test')).error).toEqual([]);
    const again = await instance.bulkWrite(
      [{ document: newDoc({ id: 'a', name: 'Other', age: 1 }) }],
      'test',
    );
    expect(again.error).toHaveLength(1);
    expect(again.error[0]?.status).toBe(409);
    expect(again.error[0]?.documentId).toBe('a');
    expect(conflictDoc(again.error[0])).toEqual(first);
    expect(await instance.findDocumentsById(['a'], false)).toEqual([first]);
  });

  it('rejects an insert over a deleted document (no previous) with 409', async () => {
    const instance = await open();
    const doc = newDoc({ id: 'a', name: 'Müller', age: 3 });
    await instance.bulkWrite([{ document: doc }], 'test');
    const deleted = newDoc({ id: 'a', name: 'Müller', age: 3 }, doc, { _deleted: true });
    expect((await instance.bulkWrite([{ document: deleted, previous: doc }], 'test')).error).toEqual([]);
    const reinsert = await instance.bulkWrite(
      [{ document: newDoc({ id: 'a', name: 'New', age: 1 }) }],
      'test',
    );
    expect(reinsert.error[0]?.status).toBe(409);
    expect(conflictDoc(reinsert.error[0])).toEqual(deleted);
    expect(await instance.findDocumentsById(['a'], false)).toEqual([]);
    expect(await instance.findDocumentsById(['a'], true)).toEqual([deleted]);
  });

  it('rejects an update with a wrong previous revision with 409 and documentInDb, and keeps the stored one', async () => {
    const instance = await open();
    const v1 = newDoc({ id: 'a', name: 'Œdipe', age: 30 });
    await instance.bulkWrite([{ document: v1 }], 'test');
    const v2 = newDoc({ id: 'a', name: 'Œdipe', age: 31 }, v1);
    expect((await instance.bulkWrite([{ document: v2, previous: v1 }], 'test')).error).toEqual([]);
    const stale = newDoc({ id: 'a', name: 'Œdipe', age: 99 }, v1);
    const result = await instance.bulkWrite([{ document: stale, previous: v1 }], 'test');
    expect(result.error).toHaveLength(1);
    expect(result.error[0]?.status).toBe(409);
    expect(conflictDoc(result.error[0])).toEqual(v2);
    expect(await instance.findDocumentsById(['a'], false)).toEqual([v2]);
  });

  it('reports a full disk with its AppError and writes nothing of the bulk', async () => {
    const instance = await open();
    await instance.bulkWrite([{ document: newDoc({ id: 'before', name: 'x', age: 1 }) }], 't');
    // max_page_count is how SQLite itself simulates a full disk; it acts on this connection only.
    const connection = (instance as unknown as { connection: { db: SqlCipherDatabase } }).connection;
    const pages = connection.db.pragma('page_count', { simple: true }) as number;
    connection.db.pragma(`max_page_count = ${pages + 2}`);
    const big = 'é'.repeat(20_000);
    const rows = Array.from({ length: 20 }, (_, i) => ({
      document: newDoc({ id: `big${i}`, name: 'big', age: 2, tags: [big] }),
    }));
    await expectAppError(instance.bulkWrite(rows, 't'), 'STORAGE_DISK_FULL');
    connection.db.pragma('max_page_count = 1073741823');
    expect(
      await instance.findDocumentsById(
        rows.map((r) => r.document.id),
        true,
      ),
    ).toEqual([]);
    expect((await instance.findDocumentsById(['before'], false)).map((d) => d.id)).toEqual(['before']);
  });

  it('writes a bulk in one transaction: a failing row leaves nothing written and emits nothing', async () => {
    const instance = await open();
    const internals = instance.internals as { documentsTable: string };
    const side = openSqlCipher(vault.filename, { key: vault.key });
    side.exec(
      `CREATE TRIGGER boom BEFORE INSERT ON "${internals.documentsTable}" WHEN json_extract(NEW.data, '$.id') = 'boom' ` +
        "BEGIN SELECT RAISE(ABORT, 'boom'); END",
    );
    side.close();
    const events: unknown[] = [];
    const sub = instance.changeStream().subscribe((e) => events.push(e));
    const rows = ['a', 'b', 'boom', 'c'].map((id) => ({ document: newDoc({ id, name: id, age: 1 }) }));
    await expectAppError(instance.bulkWrite(rows, 'test'), 'STORAGE_WRITE_FAILED');
    sub.unsubscribe();
    expect(events).toEqual([]);
    expect(await instance.findDocumentsById(['a', 'b', 'c'], true)).toEqual([]);
  });
});

describe('SQLCipher RxStorage: concurrent writes', () => {
  it('commits concurrent writes in call order: the first insert wins, the second gets a 409', async () => {
    const instance = await open();
    const [first, second] = await Promise.all([
      instance.bulkWrite([{ document: newDoc({ id: 'x', name: 'first', age: 1 }) }], 't'),
      instance.bulkWrite([{ document: newDoc({ id: 'x', name: 'second', age: 2 }) }], 't'),
    ]);
    expect(first.error).toEqual([]);
    expect(second.error[0]?.status).toBe(409);
    expect(conflictDoc(second.error[0])?.name).toBe('first');
    // No storage-internal field may leak into the stored document or the conflict.
    expect(Object.keys(must(conflictDoc(second.error[0]))).sort()).toEqual(
      ['_attachments', '_deleted', '_meta', '_rev', 'age', 'id', 'name'].sort(),
    );
  });

  it('takes the last row when one bulk inserts the same new id twice, and indexes it once', async () => {
    const instance = await open();
    const first = newDoc({ id: 'twice', name: 'first', age: 1 });
    const second = newDoc({ id: 'twice', name: 'second', age: 2 });
    expect((await instance.bulkWrite([{ document: first }, { document: second }], 't')).error).toEqual([]);
    expect(await instance.findDocumentsById(['twice'], false)).toEqual([second]);
    const byAge = await instance.query(
      prepared({ selector: { _deleted: { $eq: false }, age: { $gte: 0 } } }),
    );
    expect(byAge.documents).toEqual([second]);
  });

  it('keeps call order when the first write has to read a large attachment first', async () => {
    const instance = await open();
    const big = new Uint8Array(4 * 1024 * 1024).fill(1);
    const withBig = newDoc({ id: 'x', name: 'first', age: 1 }, undefined, {
      _attachments: {
        scan: {
          length: big.length,
          type: 'application/octet-stream',
          digest: 'd-big',
          data: new Blob([big]),
        } as RxAttachmentWriteData,
      },
    });
    const [first, second] = await Promise.all([
      instance.bulkWrite([{ document: withBig }], 't'),
      instance.bulkWrite([{ document: newDoc({ id: 'x', name: 'second', age: 2 }) }], 't'),
    ]);
    expect(first.error).toEqual([]);
    expect(second.error[0]?.status).toBe(409);
    const blob = await instance.getAttachmentData('x', 'scan', 'd-big');
    expect(blob.size).toBe(big.length);
  });

  it('opens many instances of one database at once and closes the file after the last', async () => {
    const names = Array.from({ length: 20 }, (_, i) => `coll${i}`);
    const instances = await Promise.all(names.map((name) => createInstance(storage(), name, testSchema())));
    await Promise.all(
      instances.map((i, n) => i.bulkWrite([{ document: newDoc({ id: `d${n}`, name: 'x', age: n }) }], 't')),
    );
    expect(isConnectionOpen(vault.filename)).toBe(true);
    await Promise.all(instances.map((i) => i.close()));
    expect(isConnectionOpen(vault.filename)).toBe(false);
  });
});

describe('SQLCipher RxStorage: queries', () => {
  async function seeded() {
    const instance = await open();
    const docs = [
      newDoc({ id: 'p1', name: 'Hélène', age: 40, city: 'Paris', score: 12.5 }),
      newDoc({ id: 'p2', name: 'Müller', age: 25, city: 'Lyon', score: -3 }),
      newDoc({ id: 'p3', name: 'Œ', age: 70, city: 'Paris' }),
      newDoc({ id: 'p4', name: 'Zoé 😀', age: 25 }),
      newDoc({ id: 'p5', name: 'anne', age: 5, city: 'Nice', score: 0.01 }),
    ];
    await instance.bulkWrite(
      docs.map((document) => ({ document })),
      'seed',
    );
    return { instance, docs };
  }

  it('honours limit: 0 in queries', async () => {
    const { instance } = await seeded();
    const q = prepared({ selector: { age: { $gt: 0 } }, sort: [{ age: 'asc' }], limit: 0 });
    expect((await instance.query(q)).documents).toEqual([]);
    const all = prepared({ selector: {}, limit: 0 });
    expect((await instance.query(all)).documents).toEqual([]);
  });

  it('leaves deleted documents out of queries on _deleted: false, and counts them out too', async () => {
    const { instance, docs } = await seeded();
    const p2 = docs[1] as RxDocumentData<TestDoc>;
    await instance.bulkWrite(
      [{ document: newDoc({ id: 'p2', name: 'Müller', age: 25 }, p2, { _deleted: true }), previous: p2 }],
      't',
    );
    const q = prepared({ selector: { _deleted: { $eq: false }, age: { $eq: 25 } } });
    const found = (await instance.query(q)).documents.map((d) => d.id);
    expect(found).toEqual(['p4']);
    expect((await instance.count(q)).count).toBe(1);
  });

  it('sorts, skips and limits on indexed and non-indexed fields', async () => {
    const { instance } = await seeded();
    const byAge = await instance.query(
      prepared({ selector: {}, sort: [{ age: 'desc' }, { name: 'asc' }], skip: 1, limit: 3 }),
    );
    expect(byAge.documents.map((d) => d.id)).toEqual(['p1', 'p2', 'p4']);
    const byCity = await instance.query(
      prepared({ selector: { city: { $in: ['Paris', 'Lyon'] } }, sort: [{ city: 'asc' }, { age: 'asc' }] }),
    );
    expect(byCity.documents.map((d) => d.id)).toEqual(['p2', 'p1', 'p3']);
    const regex = await instance.query(
      prepared({ selector: { name: { $regex: '^[A-Z]' } }, sort: [{ name: 'asc' }] }),
    );
    expect(regex.documents.map((d) => d.id)).toEqual(['p1', 'p2', 'p4']);
  });

  it('runs an indexed range query as an index SEARCH in SQLite, never a full-table SCAN', async () => {
    const { instance } = await seeded();
    expect(instance).toBeInstanceOf(RxStorageInstanceSQLCipher);
    const sqlInstance = instance as unknown as RxStorageInstanceSQLCipher<TestDoc>;
    // RxQuery always adds _deleted: false, which is why RxDB puts _deleted first in every index.
    const q = prepared({
      selector: { _deleted: { $eq: false }, age: { $gte: 20, $lt: 50 } },
      sort: [{ age: 'asc' }],
    });
    expect(q.queryPlan.index).toEqual(['_deleted', 'age', 'id']);
    for (const mode of ['rows', 'page', 'count'] as const) {
      const plan = sqlInstance.explainQuery(q, mode).join('\n');
      expect(plan).toMatch(/SEARCH .* USING (COVERING )?INDEX/);
      expect(plan).not.toMatch(/\bSCAN\b/);
      expect(plan).not.toMatch(/TEMP B-TREE/);
    }
    expect((await instance.query(q)).documents.map((d) => d.id)).toEqual(['p2', 'p4', 'p1']);
    expect((await instance.count(q)).count).toBe(3);
  });

  it('counts large ranges exactly, through the table size minus what lies outside, or directly', async () => {
    const instance = await open();
    // Ages 0..149, a few deleted documents at the end of the [_deleted, age, id] index, so
    // every path of count() runs: small range, large range with few outside, large range with
    // many outside on one side.
    const docs = Array.from({ length: 6000 }, (_, i) =>
      newDoc({ id: `c${String(i).padStart(5, '0')}`, name: `n${i % 7}`, age: i % 150 }, undefined, {
        _deleted: i % 500 === 3,
      }),
    );
    expect(
      (
        await instance.bulkWrite(
          docs.map((document) => ({ document })),
          't',
        )
      ).error,
    ).toEqual([]);
    const expected = (keep: (d: RxDocumentData<TestDoc>) => boolean) =>
      docs.filter((d) => !d._deleted && keep(d)).length;
    const cases: [MangoQuery<RxDocumentData<TestDoc>>, (d: RxDocumentData<TestDoc>) => boolean][] = [
      [{ selector: { _deleted: { $eq: false } } }, () => true],
      [
        { selector: { _deleted: { $eq: false }, age: { $gte: 3, $lte: 146 } } },
        (d) => d.age >= 3 && d.age <= 146,
      ],
      [
        { selector: { _deleted: { $eq: false }, age: { $gt: 3, $lt: 146 } } },
        (d) => d.age > 3 && d.age < 146,
      ],
      [{ selector: { _deleted: { $eq: false }, age: { $gt: 100 } } }, (d) => d.age > 100],
      [
        { selector: { _deleted: { $eq: false }, age: { $gte: 5, $lte: 70 } } },
        (d) => d.age >= 5 && d.age <= 70,
      ],
      [{ selector: { _deleted: { $eq: false }, age: { $lt: 40 } } }, (d) => d.age < 40],
      [
        { selector: { _deleted: { $eq: false }, age: { $gte: 10, $lt: 12 } } },
        (d) => d.age >= 10 && d.age < 12,
      ],
      [{ selector: { _deleted: { $eq: false }, age: { $gt: 200 } } }, () => false],
    ];
    for (const [query, keep] of cases) {
      const q = prepared(query);
      expect(q.queryPlan.selectorSatisfiedByIndex, JSON.stringify(query)).toBe(true);
      expect((await instance.count(q)).count, JSON.stringify(query)).toBe(expected(keep));
    }
  });

  it('keeps a cleanup key for deleted documents only, in a partial index that cleanup() searches', async () => {
    const instance = await open();
    const alive = newDoc({ id: 'alive', name: 'a', age: 1 });
    const gone = newDoc({ id: 'gone', name: 'g', age: 2 }, undefined, {
      _deleted: true,
      _meta: { lwt: now() - 60_000 },
    });
    await instance.bulkWrite([{ document: alive }, { document: gone }], 't');
    const table = (instance.internals as { documentsTable: string }).documentsTable;
    const side = openSqlCipher(vault.filename, { key: vault.key });
    try {
      const indexSql = side
        .prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql LIKE '%WHERE%'")
        .pluck()
        .all(table) as string[];
      expect(indexSql).toHaveLength(1);
      const column = /ON "[^"]+" \((ix\d+)(?:, idk)?\)/.exec(indexSql[0] ?? '')?.[1];
      expect(column).toBeDefined();
      const keyed = side
        .prepare(`SELECT json_extract(data, '$.id') FROM "${table}" WHERE ${column ?? ''} IS NOT NULL`)
        .pluck()
        .all();
      expect(keyed).toEqual(['gone']);
      const plan = side
        .prepare(
          `EXPLAIN QUERY PLAN SELECT data FROM "${table}" WHERE ${column ?? ''} > ? AND ${column ?? ''} <= ?`,
        )
        .all('1', '2') as { detail: string }[];
      expect(plan.map((row) => row.detail).join('\n')).toMatch(/SEARCH .* USING INDEX/);
    } finally {
      side.close();
    }
    expect(await instance.cleanup(30_000)).toBe(true);
    expect((await instance.findDocumentsById(['alive', 'gone'], true)).map((d) => d.id)).toEqual(['alive']);
  });

  it('indexes nested fields', async () => {
    const schema = fillWithDefaultSettings<NestedDoc>({
      version: 0,
      primaryKey: 'id',
      type: 'object',
      properties: {
        id: { type: 'string', maxLength: 20 },
        nes: { type: 'object', properties: { ted: { type: 'string', maxLength: 20 } }, required: ['ted'] },
      },
      required: ['id', 'nes'],
      indexes: [['nes.ted', 'id']],
    });
    const nested = await storage().createStorageInstance<NestedDoc>({
      databaseInstanceToken: 'tok',
      databaseName: 'testdb',
      collectionName: 'nested',
      schema,
      options: {},
      multiInstance: false,
      devMode: false,
    });
    try {
      const docs = ['b', 'Ä', 'a', 'c'].map((ted, i) => ({
        id: `n${i}`,
        nes: { ted },
        _deleted: false,
        _attachments: {},
        _meta: { lwt: now() },
        _rev: '1-a',
      }));
      await nested.bulkWrite(
        docs.map((document) => ({ document })),
        't',
      );
      const q = prepareQuery(
        schema,
        normalizeMangoQuery(schema, {
          selector: {
            _deleted: { $eq: false },
            'nes.ted': { $gt: 'a' },
          } as MangoQuery<NestedDoc>['selector'],
          sort: [{ 'nes.ted': 'asc' }],
        }),
      );
      expect(q.queryPlan.index).toEqual(['_deleted', 'nes.ted', 'id']);
      const plan = (nested as RxStorageInstanceSQLCipher<NestedDoc>).explainQuery(q).join('\n');
      expect(plan).toMatch(/SEARCH .* USING INDEX/);
      expect((await nested.query(q)).documents.map((d) => d.nes.ted)).toEqual(['b', 'c', 'Ä']);
    } finally {
      await nested.close();
    }
  });

  it('orders strings like JavaScript, also for characters above U+FFFF against U+E000–U+FFFF', async () => {
    const instance = await open();
    const names = ['😀', '\uFFFD', '\uFB00', 'z', '𝔸', '\uE000', 'é'];
    await instance.bulkWrite(
      names.map((name, i) => ({ document: newDoc({ id: `u${i}`, name, age: i }) })),
      't',
    );
    const alive = { _deleted: { $eq: false } };
    const sorted = await instance.query(prepared({ selector: alive, sort: [{ name: 'asc' }] }));
    // The planner must serve these from the name index, or the test would only exercise JS sorting.
    expect(prepared({ selector: alive, sort: [{ name: 'asc' }] }).queryPlan.sortSatisfiedByIndex).toBe(true);
    expect(sorted.documents.map((d) => d.name)).toEqual([...names].sort());
    const above = await instance.query(
      prepared({ selector: { ...alive, name: { $gt: '\uE000' } }, sort: [{ name: 'asc' }] }),
    );
    expect(above.documents.map((d) => d.name)).toEqual(names.filter((n) => n > '\uE000').sort());
    const below = await instance.query(
      prepared({ selector: { ...alive, name: { $lt: '\uFB00' } }, sort: [{ name: 'asc' }] }),
    );
    expect(below.documents.map((d) => d.name)).toEqual(names.filter((n) => n < '\uFB00').sort());
  });
});

describe('SQLCipher RxStorage: change stream and replication checkpoint', () => {
  it('emits each bulk before bulkWrite resolves, in order, with the checkpoint of the last row', async () => {
    const instance = await open();
    const bulks: EventBulk<unknown, { id: string; lwt: number }>[] = [];
    instance.changeStream().subscribe((bulk) => bulks.push(bulk as (typeof bulks)[number]));
    const a = newDoc({ id: 'a', name: 'a', age: 1 });
    const b = newDoc({ id: 'b', name: 'b', age: 2 });
    const promise = instance.bulkWrite([{ document: a }, { document: b }], 'ctx-1');
    const seenAtResolve = await promise.then(() => bulks.length);
    expect(seenAtResolve).toBe(1);
    const a2 = newDoc({ id: 'a', name: 'a', age: 3 }, a);
    await instance.bulkWrite([{ document: a2, previous: a }], 'ctx-2');
    const a3 = newDoc({ id: 'a', name: 'a', age: 3 }, a2, { _deleted: true });
    await instance.bulkWrite([{ document: a3, previous: a2 }], 'ctx-3');
    expect(bulks.map((bulk) => bulk.context)).toEqual(['ctx-1', 'ctx-2', 'ctx-3']);
    const ops = bulks.map((bulk) =>
      (bulk.events as { operation: string; documentId: string }[]).map(
        (e) => `${e.operation}:${e.documentId}`,
      ),
    );
    expect(ops).toEqual([['INSERT:a', 'INSERT:b'], ['UPDATE:a'], ['DELETE:a']]);
    expect(bulks[0]?.checkpoint).toEqual({ id: 'b', lwt: b._meta.lwt });
    expect(bulks[2]?.checkpoint).toEqual({ id: 'a', lwt: a3._meta.lwt });
    expect(new Set(bulks.map((bulk) => bulk.id)).size).toBe(3);
  });

  it('pages getChangedDocumentsSince by {id, lwt} checkpoints, deleted documents included', async () => {
    const instance = await open();
    const lwt = now();
    const docs = ['c', 'a', 'b', 'd'].map((id, i) =>
      newDoc({ id, name: id, age: i }, undefined, { _meta: { lwt: i < 3 ? lwt : lwt + 1 } }),
    );
    const lastOne = docs[3] as RxDocumentData<TestDoc>;
    docs[3] = { ...lastOne, _deleted: true };
    await instance.bulkWrite(
      docs.map((document) => ({ document })),
      't',
    );
    const changed = instance.getChangedDocumentsSince;
    expect(changed).toBeDefined();
    const page1 = await must(instance.getChangedDocumentsSince).call(instance, 2);
    expect(page1.documents.map((d) => d.id)).toEqual(['a', 'b']);
    expect(page1.checkpoint).toEqual({ id: 'b', lwt });
    const page2 = await must(instance.getChangedDocumentsSince).call(instance, 2, page1.checkpoint);
    expect(page2.documents.map((d) => d.id)).toEqual(['c', 'd']);
    const page3 = await must(instance.getChangedDocumentsSince).call(instance, 2, page2.checkpoint);
    expect(page3.documents).toEqual([]);
    expect(page3.checkpoint).toEqual(page2.checkpoint);
  });

  it('answers getChangedDocumentsSince with one index SEARCH on [_meta.lwt, id], never a SCAN or a sort', async () => {
    const instance = (await open()) as unknown as RxStorageInstanceSQLCipher<TestDoc>;
    const lwt = now();
    await instance.bulkWrite(
      ['b', 'a', 'c'].map((id) => ({
        document: newDoc({ id, name: id, age: 1 }, undefined, { _meta: { lwt } }),
      })),
      't',
    );
    for (const checkpoint of [undefined, { id: 'a', lwt }]) {
      const plan = instance.explainChangedDocumentsSince(checkpoint).join('\n');
      // The [_meta.lwt, id] index is split: its column holds the lwt key, idk the id's.
      expect(plan).toMatch(/^SEARCH \S+ USING INDEX \S+\/(ix\d+) \(\(\1,idk\)>\(\?,\?\)\)$/);
      expect(plan).not.toMatch(/\bSCAN\b/);
      expect(plan).not.toMatch(/TEMP B-TREE/);
    }
    const page = await instance.getChangedDocumentsSince(1, { id: 'a', lwt });
    expect(page.documents.map((d) => d.id)).toEqual(['b']);
  });

  it('pages getChangedDocumentsSince past ids that extend the checkpoint id with controls or spaces', async () => {
    const instance = await open();
    const lwt = now();
    // 'a\x00' and 'a \x01' sort before 'a' in RxDB's padded index strings but after it in JavaScript.
    const ids = ['a', 'a\x00', 'a \x01', 'a0', 'b', '\x00'];
    await instance.bulkWrite(
      ids.map((id) => ({ document: newDoc({ id, name: 'x', age: 1 }, undefined, { _meta: { lwt } }) })),
      't',
    );
    const all = await must(instance.getChangedDocumentsSince).call(instance, 10);
    const order = all.documents.map((d) => d.id);
    expect(order).toEqual(['\x00', 'a\x00', 'a \x01', 'a', 'a0', 'b']);
    const after = await must(instance.getChangedDocumentsSince).call(instance, 10, { id: 'a', lwt });
    // Exactly what RxDB's generic query returns: lwt equal and id greater in JavaScript, in index order.
    expect(after.documents.map((d) => d.id)).toEqual(order.filter((id) => id > 'a'));
  });
});

describe('SQLCipher RxStorage: attachments', () => {
  it('writes, reads, updates and removes attachments with the document, inside the encrypted file', async () => {
    let instance = await open();
    const bytes = new TextEncoder().encode('compte rendu: Hélène ✓');
    const digest = 'digest-1';
    const withAtt = newDoc({ id: 'a', name: 'a', age: 1 }, undefined, {
      _attachments: {
        report: {
          length: bytes.length,
          type: 'text/plain',
          digest,
          data: new Blob([bytes], { type: 'text/plain' }),
        } as RxAttachmentWriteData,
      },
    });
    expect((await instance.bulkWrite([{ document: withAtt }], 't')).error).toEqual([]);
    const stored = (await instance.findDocumentsById(['a'], false))[0];
    expect(stored?._attachments.report).toEqual({ length: bytes.length, type: 'text/plain', digest });
    const blob = await instance.getAttachmentData('a', 'report', digest);
    expect(new Uint8Array(await blob.arrayBuffer())).toEqual(bytes);
    expect(blob.type).toBe('text/plain');
    await expectAppError(
      instance.getAttachmentData('a', 'report', 'other-digest'),
      'STORAGE_ATTACHMENT_MISSING',
    );

    await instance.close();
    opened.length = 0;
    expect(readFileBytes(vault.filename).includes(Buffer.from('compte rendu'))).toBe(false);
    instance = await open();
    expect(
      new Uint8Array(await (await instance.getAttachmentData('a', 'report', digest)).arrayBuffer()),
    ).toEqual(bytes);

    const newBytes = new TextEncoder().encode('v2');
    const updated = newDoc({ id: 'a', name: 'a', age: 2 }, stored, {
      _attachments: {
        report: {
          length: 2,
          type: 'text/plain',
          digest: 'digest-2',
          data: new Blob([newBytes], { type: 'text/plain' }),
        } as RxAttachmentWriteData,
      },
    });
    expect((await instance.bulkWrite([{ document: updated, previous: must(stored) }], 't')).error).toEqual(
      [],
    );
    expect(await (await instance.getAttachmentData('a', 'report', 'digest-2')).text()).toBe('v2');
    const afterUpdate = must((await instance.findDocumentsById(['a'], false))[0]);
    const removed = newDoc({ id: 'a', name: 'a', age: 3 }, afterUpdate, { _attachments: {} });
    expect((await instance.bulkWrite([{ document: removed, previous: afterUpdate }], 't')).error).toEqual([]);
    await expectAppError(instance.getAttachmentData('a', 'report', 'digest-2'), 'STORAGE_ATTACHMENT_MISSING');
  });
});

describe('SQLCipher RxStorage: cleanup and lifecycle', () => {
  it('purges deleted documents older than the given time and their attachments, and keeps the rest', async () => {
    const instance = await open();
    const old = now() - 60_000;
    // Replication may insert a document that is already deleted, attachments included.
    const oldDeleted = newDoc({ id: 'old', name: 'old', age: 1 }, undefined, {
      _deleted: true,
      _meta: { lwt: old },
      _attachments: {
        scan: {
          length: 3,
          type: 'text/plain',
          digest: 'd-old',
          data: new Blob(['old']),
        } as RxAttachmentWriteData,
      },
    });
    const recentDeleted = newDoc({ id: 'recent', name: 'recent', age: 2 }, undefined, { _deleted: true });
    const alive = newDoc({ id: 'alive', name: 'alive', age: 3 }, undefined, { _meta: { lwt: old } });
    await instance.bulkWrite(
      [oldDeleted, recentDeleted, alive].map((document) => ({ document })),
      't',
    );
    expect(await (await instance.getAttachmentData('old', 'scan', 'd-old')).text()).toBe('old');
    expect(await instance.cleanup(30_000)).toBe(true);
    const left = await instance.findDocumentsById(['old', 'recent', 'alive'], true);
    expect(left.map((d) => d.id)).toEqual(['recent', 'alive']);
    await expectAppError(instance.getAttachmentData('old', 'scan', 'd-old'), 'STORAGE_ATTACHMENT_MISSING');
    const side = openSqlCipher(vault.filename, { key: vault.key });
    const attachmentsTable = (instance.internals as { attachmentsTable: string }).attachmentsTable;
    expect(side.prepare(`SELECT count(*) FROM "${attachmentsTable}"`).pluck().get()).toBe(0);
    side.close();
    await instance.cleanup(0);
    expect((await instance.findDocumentsById(['old', 'recent', 'alive'], true)).map((d) => d.id)).toEqual([
      'alive',
    ]);
  });

  it('keeps a burst of writes in the -wal and copies it into the database once the connection is idle', async () => {
    const instance = await open();
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- files of the temporary vault
    const size = (file: string): number => (fileExists(file) ? fs.statSync(file).size : 0);
    const docs = Array.from({ length: 2_000 }, (_, i) =>
      newDoc({ id: `d${String(i).padStart(5, '0')}`, name: `name ${i} `.repeat(8), age: i % 150 }),
    );
    for (let i = 0; i < docs.length; i += 500) {
      await instance.bulkWrite(
        docs.slice(i, i + 500).map((document) => ({ document })),
        't',
      );
    }
    // Hundreds of pages, below WAL_AUTOCHECKPOINT_PAGES: SQLite's own checkpoint has not run.
    const walBytes = size(`${vault.filename}-wal`);
    expect(walBytes).toBeGreaterThan(100 * 4096);
    expect(walBytes).toBeLessThan(WAL_AUTOCHECKPOINT_PAGES * 4096);
    expect(size(vault.filename)).toBeLessThan(walBytes / 4);
    const deadline = Date.now() + IDLE_CHECKPOINT_MS + 10_000;
    while (size(vault.filename) < walBytes / 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(size(vault.filename)).toBeGreaterThanOrEqual(walBytes / 2);
    expect((await instance.findDocumentsById(['d01999'], false)).map((d) => d.id)).toEqual(['d01999']);
  });

  it('refuses use after close, keeps everything on reopen, and remove() drops only this collection', async () => {
    const patients = await open('patients');
    const notes = await open('notes');
    await patients.bulkWrite([{ document: newDoc({ id: 'a', name: 'a', age: 1 }) }], 't');
    await notes.bulkWrite([{ document: newDoc({ id: 'n', name: 'n', age: 1 }) }], 't');
    await patients.close();
    await expectAppError(patients.findDocumentsById(['a'], false), 'STORAGE_CLOSED');
    expect(isConnectionOpen(vault.filename)).toBe(true);
    await notes.close();
    expect(isConnectionOpen(vault.filename)).toBe(false);
    opened.length = 0;

    const reopened = await open('patients');
    expect((await reopened.findDocumentsById(['a'], false)).map((d) => d.id)).toEqual(['a']);
    await reopened.remove();
    opened.length = 0;
    expect(isConnectionOpen(vault.filename)).toBe(false);
    const fresh = await open('patients');
    expect(await fresh.findDocumentsById(['a'], true)).toEqual([]);
    const notesAgain = await open('notes');
    expect((await notesAgain.findDocumentsById(['n'], false)).map((d) => d.id)).toEqual(['n']);
  });

  it('keeps several collections and schema versions apart in one file, as separate tables', async () => {
    const v0 = await open('patients', testSchema(0));
    const v1 = await open('patients', testSchema(1));
    const other = await open('encounters', testSchema(0));
    await v0.bulkWrite([{ document: newDoc({ id: 'x', name: 'v0', age: 1 }) }], 't');
    await v1.bulkWrite([{ document: newDoc({ id: 'x', name: 'v1', age: 1 }) }], 't');
    expect((await v0.findDocumentsById(['x'], false))[0]?.name).toBe('v0');
    expect((await v1.findDocumentsById(['x'], false))[0]?.name).toBe('v1');
    expect(await other.findDocumentsById(['x'], false)).toEqual([]);
    for (const i of opened.splice(0)) await i.close();
    const db = openSqlCipher(vault.filename, { key: vault.key });
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .pluck()
      .all();
    db.close();
    expect(tables).toEqual(
      expect.arrayContaining(['testdb/patients__v0', 'testdb/patients__v1', 'testdb/encounters__v0']),
    );
  });

  it('rebuilds the index columns when a schema version is reopened with other indexes', async () => {
    const first = await open('patients', testSchema(0, ['name']));
    await first.bulkWrite(
      [20, 5, 60].map((age, i) => ({ document: newDoc({ id: `d${i}`, name: `n${i}`, age }) })),
      't',
    );
    await first.close();
    opened.length = 0;
    const schema = testSchema(0, ['age']);
    const second = await open('patients', schema);
    const result = await second.query(
      prepared({ selector: { age: { $gt: 10 } }, sort: [{ age: 'asc' }] }, schema),
    );
    expect(result.documents.map((d) => d.age)).toEqual([20, 60]);
  });

  it('refuses names that are not safe SQL identifiers', async () => {
    await expectAppError(open('bad"name'), 'STORAGE_INVALID_NAME');
    await expectAppError(open('patients', testSchema(), 'a/b'), 'STORAGE_INVALID_NAME');
    expect(isConnectionOpen(vault.filename)).toBe(false);
  });

  it('refuses a wrong key with the AppError of connection.ts and leaves the file untouched', async () => {
    const instance = await open();
    await instance.bulkWrite([{ document: newDoc({ id: 'a', name: 'a', age: 1 }) }], 't');
    await instance.close();
    opened.length = 0;
    const before = fileDigest(vault.filename);
    const listing = listDir(vault.dir);
    const wrong = getRxStorageSQLCipher({ filename: vault.filename, key: new Uint8Array(32).fill(7) });
    await expectAppError(createInstance(wrong, 'patients', testSchema()), 'STORAGE_WRONG_KEY_OR_CORRUPT');
    expect(fileDigest(vault.filename)).toBe(before);
    expect(listDir(vault.dir)).toEqual(listing);
    expect(isConnectionOpen(vault.filename)).toBe(false);
  });

  it('refuses a second opener with another key while the file is open in this process', async () => {
    await open();
    const wrong = getRxStorageSQLCipher({ filename: vault.filename, key: new Uint8Array(32).fill(9) });
    await expectAppError(createInstance(wrong, 'patients', testSchema()), 'STORAGE_WRONG_KEY_OR_CORRUPT');
  });

  it('refuses to create a missing file when mustExist is set', async () => {
    const s = getRxStorageSQLCipher({
      filename: path.join(vault.dir, 'missing.db'),
      key: vault.key,
      mustExist: true,
    });
    await expectAppError(createInstance(s, 'patients', testSchema()), 'STORAGE_OPEN_FAILED');
    expect(fileExists(path.join(vault.dir, 'missing.db'))).toBe(false);
  });
});

describe('SQLCipher RxStorage: bulk loads', () => {
  const CITIES = ['Lyon', 'Brest', 'Arles', 'Nancy'];
  const bulkDocs = (count: number, prefix = 'b'): RxDocumentData<TestDoc>[] =>
    Array.from({ length: count }, (_, i) =>
      newDoc({ id: `${prefix}${String((i * 7919) % count).padStart(5, '0')}`, name: `n${(i * 31) % 997}`, age: i % 150, city: CITIES[i % 4] as string, score: (i % 2000) / 2 - 500, active: i % 3 === 0 }),
    );
  /** The SQLite indexes of the collection's table, by name, without the UNIQUE id's automatic one. */
  const indexesOf = (instance: RxStorageInstance<TestDoc, unknown, unknown>): string[] => {
    const table = (instance.internals as { documentsTable: string }).documentsTable;
    const side = openSqlCipher(vault.filename, { key: vault.key, readonly: true });
    try {
      return (side.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name").pluck().all(table) as string[]);
    } finally {
      side.close();
    }
  };
  const allIndexes = (instance: RxStorageInstance<TestDoc, unknown, unknown>): string[] => {
    const table = (instance.internals as { documentsTable: string }).documentsTable;
    // testSchema's five indexes, RxDB's [_meta.lwt, id] and the partial cleanup index.
    return ['ix0', 'ix1', 'ix2', 'ix3', 'ix4', 'ix5', 'ix6'].map((c) => `${table}/${c}`);
  };

  it('leaves the secondary indexes out of a bulk load into an empty table, builds each before a query needs it, and the rest when idle', async () => {
    const instance = await open();
    const sqlInstance = instance as unknown as RxStorageInstanceSQLCipher<TestDoc>;
    const table = (instance.internals as { documentsTable: string }).documentsTable;
    expect(indexesOf(instance)).toEqual(allIndexes(instance));
    const docs = bulkDocs(BULK_LOAD_MIN_ROWS + 500);
    await instance.bulkWrite(docs.slice(0, BULK_LOAD_MIN_ROWS).map((document) => ({ document })), 'sync');
    // Only the partial cleanup index is left (nothing in it for live documents).
    expect(indexesOf(instance)).toEqual([`${table}/ix6`]);
    // Later writes of the burst, inserts and updates alike, go in without the indexes.
    await instance.bulkWrite(docs.slice(BULK_LOAD_MIN_ROWS).map((document) => ({ document })), 'sync');
    const stored = must((await instance.findDocumentsById(['b00003'], false))[0]);
    await instance.bulkWrite([{ previous: stored, document: { ...stored, age: 149, city: 'Zurich', _rev: '2-b', _meta: { lwt: now() } } }], 'edit');
    expect(indexesOf(instance)).toEqual([`${table}/ix6`]);

    // A query builds the index it reads, and answers exactly.
    const q = prepared({ selector: { _deleted: { $eq: false }, city: { $eq: 'Zurich' } }, sort: [{ city: 'asc' }, { age: 'asc' }] });
    expect(q.queryPlan.index).toEqual(['_deleted', 'city', 'age', 'id']);
    expect((await instance.query(q)).documents.map((d) => [d.id, d.age])).toEqual([['b00003', 149]]);
    expect(indexesOf(instance)).toEqual([`${table}/ix2`, `${table}/ix6`]);
    expect(sqlInstance.explainQuery(q).join('\n')).toMatch(/SEARCH .* USING (COVERING )?INDEX/);
    const byAge = prepared({ selector: { _deleted: { $eq: false }, age: { $gte: 148 } }, sort: [{ age: 'asc' }] });
    const expected = [...docs.filter((d) => d.id !== 'b00003' && d.age >= 148), { ...stored, age: 149 }]
      .sort((a, b) => a.age - b.age || (a.id < b.id ? -1 : 1))
      .map((d) => d.id);
    expect((await instance.query(byAge)).documents.map((d) => d.id)).toEqual(expected);
    expect((await instance.count(byAge)).count).toBe(expected.length);
    // The replication feed reads its own index, built on demand too.
    expect((await sqlInstance.getChangedDocumentsSince(5)).documents).toHaveLength(5);

    // Idle: every index is there again, with every document in it.
    const deadline = Date.now() + IDLE_CHECKPOINT_MS + 10_000;
    while (indexesOf(instance).length < allIndexes(instance).length && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(indexesOf(instance)).toEqual(allIndexes(instance));
    const byName = prepared({ selector: { _deleted: { $eq: false }, name: { $gte: 'n996' } }, sort: [{ name: 'asc' }] });
    expect((await instance.query(byName)).documents.map((d) => d.id)).toEqual(
      docs.filter((d) => d.name >= 'n996').sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : 1)).map((d) => d.id),
    );
  });

  it('keeps maintaining the indexes when the table already holds as many documents as the insert brings', async () => {
    const instance = await open();
    await instance.bulkWrite(bulkDocs(BULK_LOAD_MIN_ROWS, 'a').map((document) => ({ document })), 'sync');
    // The indexes are built again once the connection is idle; then a second bulk of the same size.
    expect(indexesOf(instance)).not.toEqual(allIndexes(instance));
    await new Promise((resolve) => setTimeout(resolve, IDLE_CHECKPOINT_MS + 500));
    expect(indexesOf(instance)).toEqual(allIndexes(instance));
    await instance.bulkWrite(bulkDocs(BULK_LOAD_MIN_ROWS, 'c').map((document) => ({ document })), 'sync');
    expect(indexesOf(instance)).toEqual(allIndexes(instance));
  });

  it('takes the dropped indexes back with a bulk load that fails, and builds missing ones again at the next open', async () => {
    const instance = await open();
    const table = (instance.internals as { documentsTable: string }).documentsTable;
    const side = openSqlCipher(vault.filename, { key: vault.key });
    side.exec(`CREATE TRIGGER boom BEFORE INSERT ON "${table}" WHEN json_extract(NEW.data, '$.id') = 'boom' BEGIN SELECT RAISE(ABORT, 'boom'); END`);
    side.close();
    const failing = [...bulkDocs(BULK_LOAD_MIN_ROWS), newDoc({ id: 'boom', name: 'x', age: 1 })];
    await expectAppError(instance.bulkWrite(failing.map((document) => ({ document })), 'sync'), 'STORAGE_WRITE_FAILED');
    expect(indexesOf(instance)).toEqual(allIndexes(instance));
    // A bulk load, then the app goes away before the connection was ever idle.
    await instance.bulkWrite(bulkDocs(BULK_LOAD_MIN_ROWS).map((document) => ({ document })), 'sync');
    expect(indexesOf(instance)).toEqual([`${table}/ix6`]);
    await instance.close();
    opened.splice(opened.indexOf(instance), 1);
    expect(isConnectionOpen(vault.filename)).toBe(false);
    const reopened = await open();
    expect(indexesOf(reopened)).toEqual(allIndexes(reopened));
    expect((await reopened.count(prepared({ selector: { _deleted: { $eq: false } } }))).count).toBe(BULK_LOAD_MIN_ROWS);
    // A second collection's bulk load, built at once on request.
    const other = (await open('others')) as unknown as RxStorageInstanceSQLCipher<TestDoc>;
    await other.bulkWrite(bulkDocs(BULK_LOAD_MIN_ROWS).map((document) => ({ document })), 'import');
    expect(indexesOf(other)).toHaveLength(1);
    other.buildDeferredIndexes();
    expect(indexesOf(other)).toEqual(allIndexes(other));
    expect(indexesOf(reopened)).toEqual(allIndexes(reopened));
  });
});

describe('SQLCipher RxStorage results cross a worker boundary', () => {
  it('returns only structured-cloneable values', async () => {
    const instance = await open();
    const bulks: unknown[] = [];
    instance.changeStream().subscribe((bulk) => bulks.push(bulk));
    const doc = newDoc({ id: 'a', name: 'Hélène', age: 4 }, undefined, {
      _attachments: {
        scan: {
          length: 2,
          type: 'text/plain',
          digest: 'd1',
          data: new Blob(['ok']),
        } as RxAttachmentWriteData,
      },
    });
    const written = await instance.bulkWrite([{ document: doc }], 't');
    const conflict = await instance.bulkWrite([{ document: newDoc({ id: 'a', name: 'x', age: 1 }) }], 't');
    const q = prepared({ selector: { _deleted: { $eq: false } }, sort: [{ name: 'asc' }] });
    const results: unknown[] = [
      written,
      conflict,
      bulks,
      await instance.query(q),
      await instance.count(q),
      await instance.findDocumentsById(['a'], true),
      await must(instance.getChangedDocumentsSince).call(instance, 10),
      instance.internals,
    ];
    for (const value of results) expect(structuredClone(value)).toEqual(value);
    const blob = await instance.getAttachmentData('a', 'scan', 'd1');
    expect(await structuredClone(blob).text()).toBe('ok');
  });
});

describe('SQLCipher RxStorage under a full RxDatabase', () => {
  it('inserts, finds, updates and removes through an RxCollection, and keeps data across reopen', async () => {
    const schema = {
      version: 0,
      primaryKey: 'id',
      type: 'object',
      properties: {
        id: { type: 'string', maxLength: 40 },
        lastName: { type: 'string', maxLength: 60 },
        birthYear: { type: 'integer', minimum: 1900, maximum: 2100, multipleOf: 1 },
      },
      required: ['id', 'lastName', 'birthYear'],
      indexes: ['lastName', 'birthYear'],
    } as const;
    const openDb = async () => {
      const db = await createRxDatabase({
        name: 'clinic',
        storage: storage(),
        multiInstance: false,
        eventReduce: true,
      });
      await db.addCollections({ patients: { schema } });
      return db;
    };
    let db = await openDb();
    const patients = must(db.collections.patients);
    await patients.bulkInsert([
      { id: 'p1', lastName: 'Dupré', birthYear: 1950 },
      { id: 'p2', lastName: 'Müller', birthYear: 1980 },
      { id: 'p3', lastName: 'Åberg', birthYear: 2001 },
    ]);
    const born = await patients
      .find({ selector: { birthYear: { $gte: 1960 } }, sort: [{ birthYear: 'asc' }] })
      .exec();
    expect(born.map((d) => d.id)).toEqual(['p2', 'p3']);
    const p1 = await patients.findOne('p1').exec();
    await must(p1).incrementalPatch({ lastName: 'Dupré-Lefèvre' });
    await must(await patients.findOne('p2').exec()).remove();
    expect(await patients.count().exec()).toBe(2);
    await db.close();
    expect(isConnectionOpen(vault.filename)).toBe(false);

    db = await openDb();
    const all = await must(db.collections.patients)
      .find({ sort: [{ lastName: 'asc' }] })
      .exec();
    expect(all.map((d) => d.lastName)).toEqual(['Dupré-Lefèvre', 'Åberg']);
    await db.remove();
    expect(isConnectionOpen(vault.filename)).toBe(false);
  });
});
