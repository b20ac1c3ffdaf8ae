import type { RxCollection, RxDocumentData, RxStorageInstanceReplicationState } from 'rxdb';
import { createRevision, getAssumedMasterState, getMetaWriteRow, now as rxNow, writeDocToDocState } from 'rxdb';
import type { RxReplicationState } from 'rxdb/plugins/replication';
import type { CollectionName } from '../../../shared/src/schemas';
import type { ClinicDatabase } from '../db/clinic-database';
import { countPendingChanges } from './pending';
import type { SyncCollections } from './sync-collections';

/** Documents of these patients in one collection (full storage rows). */
async function rowsOfPatients<T>(
  name: CollectionName,
  collection: RxCollection<T>,
  patientIds: readonly string[],
): Promise<RxDocumentData<T>[]> {
  const ids =
    name === 'patient'
      ? [...patientIds]
      : (await collection.find({ selector: { patientId: { $in: [...patientIds] } } as never }).exec()).map(
          (d) => d.primary,
        );
  if (ids.length === 0) return [];
  return collection.storageInstance.findDocumentsById(ids, false);
}

/**
 * Removes the local copies of documents without telling the server: the removal is
 * written through the storage (not the collection) while replication is paused, and the
 * replication's record of what the server holds is set to the same tombstone, so RxDB's
 * push sees nothing to send. Then tombstones are purged from disk, unless some other
 * local deletion still waits to be pushed (a purge would lose it): `purgeTombstones`
 * runs again once the workstation is in sync.
 *
 * Returns the number of documents removed and whether tombstones remain to be purged.
 */
export async function removeLocalCopies(
  db: ClinicDatabase,
  states: ReadonlyMap<CollectionName, RxReplicationState<unknown, unknown>>,
  sync: SyncCollections,
  patientIds: readonly string[],
): Promise<{ removed: number; purgeDeferred: boolean }> {
  if (patientIds.length === 0) return { removed: 0, purgeDeferred: false };
  let removed = 0;
  const running = [...states.values()].filter((s) => !s.isStoppedOrPaused());
  await Promise.all(running.map((s) => s.pause()));
  try {
    for (const [name, state] of states) {
      // Unpushed audit events must still reach the central log; they are never purged here.
      if (name === 'audit_event') continue;
      const collection = db.collections[name] as unknown as RxCollection<unknown>;
      const rows = (await rowsOfPatients(name, collection, patientIds)).filter((r) => !r._deleted);
      if (rows.length === 0) continue;
      const tombstones = rows.map((previous) => ({
        previous,
        document: {
          ...previous,
          _deleted: true,
          _rev: createRevision(db.token, previous),
          _meta: { ...previous._meta, lwt: rxNow() },
        } as RxDocumentData<unknown>,
      }));
      const internal = state.internalReplicationState as RxStorageInstanceReplicationState<unknown> | undefined;
      if (internal !== undefined) {
        // The server keeps its copy: from the replication's point of view, its state is
        // now this tombstone, so the tombstone is "already pushed".
        const ids = rows.map((r) => String((r as Record<string, unknown>)[internal.primaryPath]));
        const assumed = await getAssumedMasterState(internal, ids);
        const metaRows = await Promise.all(
          tombstones.map((t, i) =>
            getMetaWriteRow(internal, writeDocToDocState(t.document, internal.hasAttachments, false), assumed[ids[i] as string]?.metaDocument),
          ),
        );
        const metaResult = await internal.input.metaInstance.bulkWrite(metaRows, 'sync-revocation-meta');
        if (metaResult.error.length > 0) throw new Error(`revocation: ${metaResult.error.length} meta rows not written`);
      }
      const result = await collection.storageInstance.bulkWrite(tombstones, 'sync-revocation');
      removed += tombstones.length - result.error.length;
    }
    await sync.sync_conflict.find({ selector: { patientId: { $in: [...patientIds] } } }).remove();
    const purgeDeferred = !(await purgeTombstones(db, states));
    return { removed, purgeDeferred };
  } finally {
    await Promise.all(running.map((s) => s.start()));
  }
}

/**
 * Deletes tombstones from disk (they still hold the removed data) in every replicated
 * collection where no local deletion waits to be pushed. True when all were purged.
 */
export async function purgeTombstones(
  db: ClinicDatabase,
  states: ReadonlyMap<CollectionName, RxReplicationState<unknown, unknown>>,
): Promise<boolean> {
  let all = true;
  for (const [name, state] of states) {
    if (name === 'audit_event') continue;
    if ((await countPendingChanges(state, { tombstonesOnly: true })) > 0) {
      all = false;
      continue;
    }
    await (db.collections[name] as unknown as RxCollection<unknown>).storageInstance.cleanup(0);
  }
  return all;
}
