import type { RxCollection, RxDocumentData, RxStorageInstanceReplicationState } from 'rxdb';
import {
  getAssumedMasterState,
  getChangedDocumentsSince,
  getComposedPrimaryKeyOfDocumentData,
  getHeightOfRevision,
  writeDocToDocState,
} from 'rxdb';
import type { RxReplicationState } from 'rxdb/plugins/replication';

const PAGE = 500;

/** The push checkpoint RxDB stored for this replication, if any. */
async function upstreamCheckpoint(internal: RxStorageInstanceReplicationState<unknown>): Promise<unknown> {
  const meta = internal.input.metaInstance;
  const id = getComposedPrimaryKeyOfDocumentData(meta.schema, { isCheckpoint: '1', itemId: 'up' });
  const [doc] = await meta.findDocumentsById([id], false);
  return (doc as { checkpointData?: unknown } | undefined)?.checkpointData;
}

/**
 * Documents of the collection written on this workstation and not yet acknowledged by
 * the server: those changed since the push checkpoint whose state differs from what
 * RxDB assumes the server holds (exactly the test RxDB's upstream uses to decide what to
 * push). Documents written by the pull itself carry the replication's revision mark and
 * are not counted.
 */
export async function countPendingChanges<T>(state: RxReplicationState<T, unknown>, options: { tombstonesOnly?: boolean } = {}): Promise<number> {
  const internal = state.internalReplicationState as RxStorageInstanceReplicationState<T> | undefined;
  if (internal === undefined || state.isStopped()) return 0;
  const collection = state.collection as RxCollection<T>;
  const identifier = internal.input.identifier;
  let checkpoint = await upstreamCheckpoint(internal as RxStorageInstanceReplicationState<unknown>);
  let pending = 0;
  for (;;) {
    const page = await getChangedDocumentsSince(collection.storageInstance, PAGE, checkpoint);
    const docs = (page.documents as RxDocumentData<T>[]).filter(
      (d) =>
        d._meta[identifier] !== getHeightOfRevision(d._rev) && (options.tombstonesOnly !== true || d._deleted),
    );
    if (docs.length > 0) {
      const primary = collection.schema.primaryPath as string;
      const ids = docs.map((d) => String((d as Record<string, unknown>)[primary]));
      const assumed = await getAssumedMasterState(internal, ids);
      for (const [i, d] of docs.entries()) {
        const a = assumed[ids[i] as string];
        if (a === undefined || !internal.input.conflictHandler.isEqual(a.docData, writeDocToDocState(d, internal.hasAttachments, false), 'pending-count')) {
          pending++;
        }
      }
    }
    if (page.documents.length < PAGE) return pending;
    checkpoint = page.checkpoint;
  }
}
