import type { RxCollection, RxDatabase, RxStorage } from 'rxdb';
import { addRxPlugin, createRxDatabase } from 'rxdb';
import { RxDBAttachmentsPlugin } from 'rxdb/plugins/attachments';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import type { CollectionDocuments, CollectionName } from '../../../shared/src/schemas';
import { COLLECTIONS } from '../../../shared/src/schemas';
import type { SyncConflict } from '../../../shared/src/sync/conflicts';
import { createConflictHandler } from '../sync/conflict-handler';
import type { SyncStateDoc } from '../sync/sync-collections';
import { syncCollectionCreators } from '../sync/sync-collections';

export type ClinicCollections = { [N in CollectionName]: RxCollection<CollectionDocuments[N]> } & {
  /** Local only, never replicated: conflicts recorded by the replication client for a person to resolve. */
  readonly sync_conflict: RxCollection<SyncConflict>;
  /** Local only: the replication client's own checkpoints (revocations). */
  readonly sync_state: RxCollection<SyncStateDoc>;
};
export type ClinicDatabase = RxDatabase<ClinicCollections>;

export const CLINIC_DATABASE_NAME = 'clinic';

let pluginsAdded = false;
function addPlugins(): void {
  if (pluginsAdded) return;
  // Documents and DICOM instances keep their files as RxDB attachments, stored inside the
  // encrypted database by the SQLCipher storage.
  addRxPlugin(RxDBAttachmentsPlugin);
  // A collection whose schema version went up (imaging_study 0 → 1) migrates its stored
  // documents, attachments included, when the vault opens.
  addRxPlugin(RxDBMigrationSchemaPlugin);
  pluginsAdded = true;
}

/**
 * The workstation's RxDatabase: one collection per entry of the shared registry, with the
 * RxDB schema derived from its zod schema, plus the replication client's two local
 * collections (sync_conflict, sync_state). Validation of what is written happens in the
 * services (the one choke point that also checks permissions and writes the audit event),
 * so the storage is not wrapped in a second validator.
 */
export async function openClinicDatabase(
  // RxDB's storage types are generic over each storage's internals.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  storage: RxStorage<any, any>,
  options: { readonly name?: string } = {},
): Promise<ClinicDatabase> {
  addPlugins();
  const db = await createRxDatabase<ClinicCollections>({
    name: options.name ?? CLINIC_DATABASE_NAME,
    storage,
    // One process (Electron main) owns the vault; the single-instance lock guarantees it.
    multiInstance: false,
    eventReduce: true,
    ignoreDuplicate: false,
  });
  try {
    /**
     * Each replicated collection gets the "no edit is silently lost" merge as its conflict
     * handler from the start (RxDB reads it when a replication starts); the conflicts it
     * finds go to the local sync_conflict collection, created here with the others.
     */
    const record = async (records: readonly SyncConflict[]): Promise<void> => {
      if (records.length === 0) return;
      const conflicts = db.collections.sync_conflict;
      const existing = await conflicts.findByIds(records.map((r) => r.id)).exec();
      const fresh = records.filter((r) => !existing.has(r.id));
      if (fresh.length > 0) await conflicts.bulkInsert(fresh);
    };
    const creators = {
      ...Object.fromEntries(
        Object.values(COLLECTIONS).map((entry) => [
          entry.name,
          {
            schema: entry.rxSchema,
            conflictHandler: createConflictHandler(entry.name, record),
            ...(entry.migrationStrategies ? { migrationStrategies: entry.migrationStrategies } : {}),
          },
        ]),
      ),
      ...syncCollectionCreators,
    };
    await db.addCollections(creators as unknown as Parameters<ClinicDatabase['addCollections']>[0]);
  } catch (cause) {
    await db.close();
    throw cause;
  }
  return db;
}
