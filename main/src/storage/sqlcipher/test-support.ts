/* eslint-disable security/detect-non-literal-fs-filename -- every path here comes from mkdtempSync */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RxDocumentData, RxJsonSchema, RxStorage, RxStorageInstance } from 'rxdb';
import { createRevision, fillWithDefaultSettings, now } from 'rxdb';

/** Shared by the tests of this folder only; nothing in the app imports it. */

export type TestDoc = {
  id: string;
  name: string;
  age: number;
  city?: string;
  score?: number;
  tags?: string[];
  active?: boolean;
};

export const TOKEN = 'test-token';

export function testSchema(
  version = 0,
  indexes: (string | string[])[] = ['name', 'age', ['city', 'age'], ['score', 'name'], ['active', 'age']],
) {
  return fillWithDefaultSettings<TestDoc>({
    version,
    primaryKey: 'id',
    type: 'object',
    properties: {
      id: { type: 'string', maxLength: 40 },
      name: { type: 'string', maxLength: 40 },
      age: { type: 'integer', minimum: 0, maximum: 150, multipleOf: 1 },
      city: { type: 'string', maxLength: 40 },
      score: { type: 'number', minimum: -1000, maximum: 1000, multipleOf: 0.01 },
      tags: { type: 'array', items: { type: 'string' } },
      active: { type: 'boolean' },
    },
    required: ['id', 'name', 'age'],
    indexes,
    attachments: {},
  });
}

export type TempVault = {
  readonly dir: string;
  readonly filename: string;
  readonly key: Uint8Array;
  cleanup(): void;
};

export function tempVault(): TempVault {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqlcipher-storage-'));
  return {
    dir,
    filename: path.join(dir, 'vault.db'),
    key: randomBytes(32),
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

export function newDoc(
  data: TestDoc,
  previous?: RxDocumentData<TestDoc>,
  extra: Partial<RxDocumentData<TestDoc>> = {},
): RxDocumentData<TestDoc> {
  return {
    ...data,
    _deleted: false,
    _attachments: {},
    _meta: { lwt: now() },
    _rev: createRevision(TOKEN, previous),
    ...extra,
  };
}

export function createInstance<S extends RxStorage<unknown, unknown>>(
  storage: S,
  collectionName: string,
  schema: RxJsonSchema<RxDocumentData<TestDoc>>,
  databaseName = 'testdb',
): Promise<RxStorageInstance<TestDoc, unknown, unknown>> {
  return storage.createStorageInstance<TestDoc>({
    databaseInstanceToken: TOKEN,
    databaseName,
    collectionName,
    schema,
    options: {},
    multiInstance: false,
    devMode: false,
  }) as Promise<RxStorageInstance<TestDoc, unknown, unknown>>;
}

export function fileDigest(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

export function readFileBytes(file: string): Buffer {
  return fs.readFileSync(file);
}

export function listDir(dir: string): string[] {
  return fs.readdirSync(dir).sort();
}

export function fileExists(file: string): boolean {
  return fs.existsSync(file);
}
