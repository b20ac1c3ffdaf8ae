import fc from 'fast-check';
import type { RxDatabase } from 'rxdb';
import { addRxPlugin, createBlob, createRxDatabase } from 'rxdb';
import { RxDBAttachmentsPlugin } from 'rxdb/plugins/attachments';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { checkSchema, disableWarnings, RxDBDevModePlugin } from 'rxdb/plugins/dev-mode';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clinicalDocumentArb, documentArbitraries, patientArb } from './arbitraries';
import { COLLECTIONS, rxSchemas } from './collections';
import { COLLECTION_NAMES } from './names';
import { patientSearchKey, patientSearchKeys } from './search-key';

disableWarnings();
addRxPlugin(RxDBDevModePlugin);
addRxPlugin(RxDBAttachmentsPlugin);
addRxPlugin(RxDBMigrationSchemaPlugin);

describe('derived RxDB schemas', () => {
  it.each(COLLECTION_NAMES.map((n) => [n]))('%s passes dev-mode checkSchema', (name) => {
    expect(() => checkSchema(COLLECTIONS[name].rxSchema as never)).not.toThrow();
    // Each version above 0 has its migration strategy.
    expect(COLLECTIONS[name].rxSchema.version).toBe(Object.keys(COLLECTIONS[name].migrationStrategies ?? {}).length);
    expect(COLLECTIONS[name].rxSchema.primaryKey).toBe('id');
  });

  it('declares attachments exactly for documents and imaging studies', () => {
    const withAttachments = COLLECTION_NAMES.filter((n) => COLLECTIONS[n].rxSchema.attachments !== undefined);
    expect(withAttachments).toEqual(['document', 'imaging_study']);
  });
});

describe('a real RxDB database with the ajv-validated storage', () => {
  let db: RxDatabase;

  beforeAll(async () => {
    db = await createRxDatabase({
      name: `schemas-${Date.now()}-${Math.random().toString(36).slice(2)}`,
      storage: wrappedValidateAjvStorage({ storage: getRxStorageMemory() }),
    });
    // No casts: the derived schemas type-check where the host will use them.
    await db.addCollections({
      patient: { schema: rxSchemas.patient },
      encounter: { schema: rxSchemas.encounter },
      observation: { schema: rxSchemas.observation },
      allergy: { schema: rxSchemas.allergy },
      prescription: { schema: rxSchemas.prescription },
      document: { schema: rxSchemas.document },
      imaging_study: { schema: rxSchemas.imaging_study, migrationStrategies: COLLECTIONS.imaging_study.migrationStrategies ?? {} },
      audit_event: { schema: rxSchemas.audit_event },
    });
  });

  afterAll(async () => {
    await db?.remove();
  });

  it.each(COLLECTION_NAMES.map((n) => [n]))(
    '%s: stores generated documents and gives them back unchanged',
    async (name) => {
      const docs = fc.sample(documentArbitraries[name] as fc.Arbitrary<Record<string, unknown>>, {
        numRuns: 25,
        seed: 42,
      });
      const unique = [...new Map(docs.map((d) => [d.id as string, d])).values()];
      const collection = db.collections[name];
      if (!collection) throw new Error(`collection ${name} missing`);
      const result = await collection.bulkInsert(unique);
      expect(result.error).toEqual([]);
      for (const doc of unique) {
        const stored = await collection.findOne(doc.id as string).exec();
        const json = stored?.toJSON() as Record<string, unknown>;
        const { _attachments: _a, ...rest } = json;
        expect(rest).toEqual(doc);
        expect(COLLECTIONS[name].zodSchema.safeParse(rest).success).toBe(true);
      }
    },
  );

  it('refuses documents that break the schema', async () => {
    const [doc] = fc.sample(patientArb, { numRuns: 1, seed: 7 });
    // VD2: RxDB's "object does not match schema", raised by the ajv-validated storage.
    await expect(db.collections.patient?.insert({ ...doc, sex: 'X' })).rejects.toMatchObject({ code: 'VD2' });
    const { birthDate: _b, ...withoutBirthDate } = doc as Record<string, unknown>;
    await expect(
      db.collections.patient?.insert({ ...withoutBirthDate, id: 'no-birth-date' }),
    ).rejects.toMatchObject({
      code: 'VD2',
    });
    await expect(db.collections.patient?.insert({ ...doc, id: 'extra', extra: 1 })).rejects.toMatchObject({
      code: 'VD2',
    });
    expect(await db.collections.patient?.findByIds([doc?.id ?? '', 'no-birth-date', 'extra']).exec()).toEqual(
      new Map(),
    );
  });

  it('finds patients by accent- and case-insensitive prefixes through the name indexes', async () => {
    const base = fc.sample(patientArb, { numRuns: 1, seed: 11 })[0];
    if (!base) throw new Error('no sample');
    const names = [
      { id: 'p-muller', birthName: 'MÜLLER', firstNames: ['Hélène', 'Marie'] },
      { id: 'p-mullet', birthName: 'Mullet', firstNames: ['Éric'] },
      { id: 'p-moreau', birthName: 'Moreau', firstNames: ['Zoé'] },
      { id: 'p-dupont', birthName: 'Dupont', usedName: 'Martin', firstNames: ['Anne', 'Sophie'] },
    ];
    for (const n of names) {
      const { usedName: _u, ...rest } = base;
      const doc = { ...rest, ...n };
      await db.collections.patient?.insert({ ...doc, ...patientSearchKeys(doc) });
    }
    const prefix = async (field: 'searchKey' | 'usedSearchKey', text: string) => {
      const typed = patientSearchKey(text);
      const found = await db.collections.patient
        ?.find({ selector: { [field]: { $gte: typed, $lt: `${typed}\uffff` } }, index: [field] })
        .exec();
      return found?.map((d) => d.primary).sort();
    };
    expect(await prefix('searchKey', 'Mül')).toEqual(['p-muller', 'p-mullet']);
    expect(await prefix('searchKey', 'MULLER hel')).toEqual(['p-muller']);
    expect(await prefix('searchKey', 'dupont anne')).toEqual(['p-dupont']);
    expect(await prefix('usedSearchKey', 'Martin A')).toEqual(['p-dupont']);
    expect(await prefix('usedSearchKey', 'moreau')).toEqual(['p-moreau']);
  });

  it('keeps a document file as an attachment', async () => {
    const [doc] = fc.sample(clinicalDocumentArb, { numRuns: 1, seed: 3 });
    if (!doc) throw new Error('no sample');
    const stored = await db.collections.document?.insert({
      ...doc,
      id: 'doc-with-file',
      attachmentId: 'file',
    });
    await stored?.putAttachment({
      id: 'file',
      data: createBlob('%PDF-1.7 test', 'application/pdf'),
      type: 'application/pdf',
    });
    const again = await db.collections.document?.findOne('doc-with-file').exec();
    const attachment = again?.getAttachment('file');
    expect(await attachment?.getStringData()).toBe('%PDF-1.7 test');
  });
});
