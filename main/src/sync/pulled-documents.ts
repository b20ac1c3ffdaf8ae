import type { ErrorPayload } from '../../../shared/src/errors';
import type { CollectionName } from '../../../shared/src/schemas';
import { parseReplicatedDocument } from '../../../shared/src/schemas';
import type { WireDocument } from '../../../shared/src/sync/protocol';
import { WireDocumentSchema } from '../../../shared/src/sync/protocol';

/**
 * Documents from the server are parsed like any input crossing a trust boundary: one the
 * collection's schema refuses is not stored (it would break every screen that reads it)
 * and is reported instead. A tombstone only needs a valid envelope (id, `_deleted`). This is
 * the only check of a pulled document (the pull answer's schema leaves them unchecked), so a
 * document with a broken envelope is refused here, alone, like one with a broken body.
 */
export function acceptPulledDocuments(
  collection: CollectionName,
  documents: readonly unknown[],
): { readonly accepted: WireDocument[]; readonly refused: ErrorPayload[] } {
  const accepted: WireDocument[] = [];
  const refused: ErrorPayload[] = [];
  const refuse = (doc: unknown, reason: string): void => {
    const id = typeof doc === 'object' && doc !== null ? (doc as { id?: unknown }).id : undefined;
    refused.push({
      code: 'SYNC_CLIENT_DOCUMENT_INVALID',
      params: { collection, documentId: typeof id === 'string' ? id.slice(0, 100) : '', reason },
    });
  };
  for (const doc of documents) {
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc) || typeof (doc as { _deleted?: unknown })._deleted !== 'boolean') {
      refuse(doc, 'VALIDATION_DOCUMENT_INVALID');
      continue;
    }
    if ((doc as { _deleted: boolean })._deleted) {
      if (WireDocumentSchema.safeParse(doc).success) accepted.push(doc as WireDocument);
      else refuse(doc, 'VALIDATION_DOCUMENT_INVALID');
      continue;
    }
    // The collection's schema checks the id with the rest (DocumentIdSchema, as the envelope).
    const parsed = parseReplicatedDocument(collection, doc);
    if (parsed.ok) accepted.push(doc as WireDocument);
    else refuse(doc, parsed.error.code);
  }
  return { accepted, refused };
}
