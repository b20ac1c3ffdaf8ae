import type { RxCollection, RxJsonSchema } from 'rxdb';
import type { SyncConflict } from '../../../shared/src/sync/conflicts';
import { SYNC_CONFLICT_COLLECTION, syncConflictRxSchema } from '../../../shared/src/sync/conflicts';
import type { ClinicDatabase } from '../db/clinic-database';

/** Small key/value records of the replication client that RxDB does not keep itself (revocation checkpoint). */
export type SyncStateDoc = { readonly id: string; readonly value: string };

export const SYNC_STATE_COLLECTION = 'sync_state';

const syncStateRxSchema: RxJsonSchema<SyncStateDoc> = {
  title: SYNC_STATE_COLLECTION,
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    id: { type: 'string', maxLength: 64 },
    value: { type: 'string' },
  },
  required: ['id', 'value'],
};

export type SyncCollections = {
  sync_conflict: RxCollection<SyncConflict>;
  sync_state: RxCollection<SyncStateDoc>;
};

/** The clinic database with the replication client's local collections. */
export type SyncedDatabase = ClinicDatabase & { readonly collections: ClinicDatabase['collections'] & SyncCollections };

/**
 * Adds the client's local, never replicated collections (recorded conflicts, sync state)
 * to an open clinic database. Idempotent. Ideally openClinicDatabase creates them with
 * the others (`...syncCollectionCreators`), so they are part of the database's schema
 * from the start.
 */
export async function addSyncCollections(db: ClinicDatabase): Promise<SyncedDatabase> {
  const missing = Object.fromEntries(
    Object.entries(syncCollectionCreators).filter(([name]) => !(name in db.collections)),
  );
  if (Object.keys(missing).length > 0) await db.addCollections(missing);
  return db as SyncedDatabase;
}

export const syncCollectionCreators = {
  [SYNC_CONFLICT_COLLECTION]: { schema: syncConflictRxSchema },
  [SYNC_STATE_COLLECTION]: { schema: syncStateRxSchema },
} as const;

export function syncCollectionsOf(db: ClinicDatabase): SyncCollections {
  const c = db.collections as unknown as Partial<SyncCollections>;
  if (c.sync_conflict === undefined || c.sync_state === undefined) {
    throw new Error('addSyncCollections(db) must run before the replication client starts');
  }
  return { sync_conflict: c.sync_conflict, sync_state: c.sync_state };
}
