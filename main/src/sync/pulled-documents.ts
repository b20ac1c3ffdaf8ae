import type { ErrorPayload } from '../../../shared/src/errors';
import type { CollectionName } from '../../../shared/src/schemas';
import { parseReplicatedDocument } from '../../../shared/src/schemas';
import type { WireDocument } from '../../../shared/src/sync/protocol';

/**
 * Documents from the server are parsed like any input crossing a trust boundary: one the
 * collection's schema refuses is not stored (it would break every screen that reads it)
 * and is reported instead. A tombstone only needs its id, which the envelope checked.
 */
export function acceptPulledDocuments(
  collection: CollectionName,
  documents: readonly WireDocument[],
): { readonly accepted: WireDocument[]; readonly refused: ErrorPayload[] } {
  const accepted: WireDocument[] = [];
  const refused: ErrorPayload[] = [];
  for (const doc of documents) {
    if (doc._deleted) {
      accepted.push(doc);
      continue;
    }
    const parsed = parseReplicatedDocument(collection, doc);
    if (parsed.ok) accepted.push(doc);
    else refused.push({ code: 'SYNC_CLIENT_DOCUMENT_INVALID', params: { collection, documentId: doc.id, reason: parsed.error.code } });
  }
  return { accepted, refused };
}
