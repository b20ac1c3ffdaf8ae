import type { RxConflictHandler, WithDeleted } from 'rxdb';
import { defaultConflictHandler } from 'rxdb';
import type { CollectionName } from '../../../shared/src/schemas';
import type { SyncConflict, WireState } from '../../../shared/src/sync/conflicts';
import { mergeReplicatedDocument, patientIdOf, toSyncConflicts } from '../../../shared/src/sync/conflicts';

/**
 * RxDB conflict handler of one collection: runs the shared three-way merge on what the
 * push answered (the server's current document) and hands the fields in conflict to
 * `record` before the merged document is written to the workstation (and pushed on the
 * next cycle with the server's state as its assumed master).
 */
export function createConflictHandler<T>(
  collection: CollectionName,
  record: (conflicts: readonly SyncConflict[]) => Promise<void>,
  now: () => number = Date.now,
): RxConflictHandler<T> {
  return {
    // The server stores no attachment data (files stay on the workstation that has them
    // until attachments replicate): they never make two states differ.
    isEqual: (a, b, context) => defaultConflictHandler.isEqual(withoutAttachments(a), withoutAttachments(b), context),
    async resolve(input) {
      const outcome = mergeReplicatedDocument({
        collection,
        base: input.assumedMasterState as WireState | undefined,
        local: input.newDocumentState as WireState,
        server: input.realMasterState as WireState,
      });
      if (outcome.conflicts.length > 0) {
        const doc = outcome.merged as Record<string, unknown>;
        const id = String(doc['id'] ?? (input.realMasterState as Record<string, unknown>)['id']);
        const patientId = patientIdOf(collection, doc) ?? patientIdOf(collection, input.realMasterState as Record<string, unknown>);
        // Recorded before RxDB writes the merge: a crash in between leaves a conflict
        // record too many (same id next time), never a lost one.
        await record(toSyncConflicts(collection, id, patientId, outcome.conflicts, new Date(now()).toISOString()));
      }
      // Without `_attachments`, RxDB keeps the workstation's own files on the merged
      // document (resolved._attachments || forkState._attachments).
      return withoutAttachments(outcome.merged as WithDeleted<T>);
    },
  };
}

function withoutAttachments<D>(doc: D): D {
  if (typeof doc !== 'object' || doc === null || !('_attachments' in doc)) return doc;
  const { _attachments: _files, ...rest } = doc as Record<string, unknown>;
  return rest as D;
}
