import { addRxPlugin, createRxDatabase } from 'rxdb';
import { RxDBAttachmentsPlugin } from 'rxdb/plugins/attachments';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqlCipher } from './connection';
import { getRxStorageSQLCipher, isConnectionOpen } from './index';
import type { TempVault } from './test-support';
import { tempVault } from './test-support';

/** RxDB's own plugins on this storage: what the app does with it, beyond the raw interface. */

addRxPlugin(RxDBAttachmentsPlugin);
addRxPlugin(RxDBMigrationSchemaPlugin);

let vault: TempVault;
beforeEach(() => {
  vault = tempVault();
});
afterEach(() => vault.cleanup());

const storage = () => getRxStorageSQLCipher({ filename: vault.filename, key: vault.key });

function schemaV(version: 0 | 1) {
  return {
    version,
    primaryKey: 'id',
    type: 'object',
    properties: {
      id: { type: 'string', maxLength: 40 },
      lastName: { type: 'string', maxLength: 60 },
      ...(version === 1 ? { upper: { type: 'string', maxLength: 60 } } : {}),
    },
    required: ['id', 'lastName'],
    indexes: ['lastName'],
    attachments: {},
  } as const;
}

function tables(): string[] {
  const db = openSqlCipher(vault.filename, { key: vault.key });
  try {
    return db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .pluck()
      .all() as string[];
  } finally {
    db.close();
  }
}

describe('RxDB plugins on the SQLCipher storage', () => {
  it('stores attachments through RxDocument.putAttachment and reads them back after reopen', async () => {
    let db = await createRxDatabase({ name: 'clinic', storage: storage(), multiInstance: false });
    await db.addCollections({ patients: { schema: schemaV(0) } });
    const patient = await db.collections.patients?.insert({ id: 'p1', lastName: 'Lefèvre' });
    const bytes = new Uint8Array([0, 1, 2, 250, 255]);
    await patient?.putAttachment({ id: 'scan.dcm', type: 'application/dicom', data: new Blob([bytes]) });
    await db.close();

    db = await createRxDatabase({ name: 'clinic', storage: storage(), multiInstance: false });
    await db.addCollections({ patients: { schema: schemaV(0) } });
    const again = await db.collections.patients?.findOne('p1').exec();
    const attachment = again?.getAttachment('scan.dcm');
    expect(attachment?.type).toBe('application/dicom');
    const data = await attachment?.getData();
    expect(new Uint8Array(await (data as Blob).arrayBuffer())).toEqual(bytes);
    await attachment?.remove();
    const afterRemove = await db.collections.patients?.findOne('p1').exec();
    expect(afterRemove?.allAttachments()).toEqual([]);
    await db.close();
  });

  it('migrates a collection to a new schema version inside the same file and drops the old table', async () => {
    let db = await createRxDatabase({ name: 'clinic', storage: storage(), multiInstance: false });
    await db.addCollections({ patients: { schema: schemaV(0) } });
    await db.collections.patients?.bulkInsert([
      { id: 'p1', lastName: 'Dupré' },
      { id: 'p2', lastName: 'Müller' },
    ]);
    await db.close();
    expect(tables()).toContain('clinic/patients__v0');

    db = await createRxDatabase({ name: 'clinic', storage: storage(), multiInstance: false });
    await db.addCollections({
      patients: {
        schema: schemaV(1),
        migrationStrategies: {
          1: (old: { id: string; lastName: string }) => ({ ...old, upper: old.lastName.toUpperCase() }),
        },
      },
    });
    const docs = await db.collections.patients?.find({ sort: [{ lastName: 'asc' }] }).exec();
    expect(docs?.map((d) => d.toJSON())).toEqual([
      { id: 'p1', lastName: 'Dupré', upper: 'DUPRÉ' },
      { id: 'p2', lastName: 'Müller', upper: 'MÜLLER' },
    ]);
    await db.close();
    expect(isConnectionOpen(vault.filename)).toBe(false);
    const names = tables();
    expect(names).toContain('clinic/patients__v1');
    expect(names).not.toContain('clinic/patients__v0');
  });
});
