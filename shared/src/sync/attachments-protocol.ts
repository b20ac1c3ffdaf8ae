import { z } from 'zod';
import { DocumentIdSchema } from '../schemas/common';
import { CollectionNameSchema } from './protocol';

/**
 * Files of replicated documents (RxDB attachments) between workstations and the sync
 * server, outside the document stream: documents replicate without `_attachments`; each
 * file is uploaded in chunks by a workstation that has it and downloaded on demand by
 * one that lacks it. A file is named by its document, its attachment id and RxDB's digest
 * (SHA-256 hex of the bytes), which the server checks when the last byte arrives.
 */
export const ATTACHMENT_API_PATHS = {
  status: '/v1/attachments/status',
  chunk: '/v1/attachments/:collection/:documentId/:attachmentId/:digest',
  file: '/v1/attachments/:collection/:documentId/:attachmentId',
} as const;

/** Collections whose documents carry files. */
export const ATTACHMENT_COLLECTIONS = ['imaging_study', 'document'] as const;
export const AttachmentCollectionSchema = CollectionNameSchema.refine((c) => (ATTACHMENT_COLLECTIONS as readonly string[]).includes(c), { message: 'SYNC_ATTACHMENT_UNKNOWN' });

/** Bytes per upload request: the client sends at most this much per chunk. */
export const ATTACHMENT_CHUNK_BYTES = 4 * 1024 * 1024;
/** The largest file (the DICOM import's own limit). */
export const ATTACHMENT_MAX_BYTES = 1024 * 1024 * 1024;
export const ATTACHMENT_STATUS_BATCH = 500;

/** Attachment ids are SOP Instance UIDs (imaging) or document ids: dots, digits, id characters. */
export const AttachmentIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[0-9A-Za-z][0-9A-Za-z._-]*$/);
export const DigestSchema = z.string().regex(/^[0-9a-f]{64}$/);
export const ContentTypeSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/i);

export const AttachmentRefSchema = z.strictObject({
  collection: AttachmentCollectionSchema,
  documentId: DocumentIdSchema,
  attachmentId: AttachmentIdSchema,
  digest: DigestSchema,
  length: z.number().int().nonnegative().max(ATTACHMENT_MAX_BYTES),
});
export type AttachmentRef = z.infer<typeof AttachmentRefSchema>;

export const AttachmentStatusRequestSchema = z.strictObject({ items: z.array(AttachmentRefSchema).max(ATTACHMENT_STATUS_BATCH) });
export const AttachmentStateSchema = z.enum(['complete', 'partial', 'missing', 'refused']);
export const AttachmentStatusResponseSchema = z.strictObject({
  items: z.array(
    z.strictObject({
      attachmentId: AttachmentIdSchema,
      documentId: DocumentIdSchema,
      state: AttachmentStateSchema,
      /** Bytes the server holds (an upload resumes there). */
      received: z.number().int().nonnegative(),
      /** Why an upload is refused (no document on the server yet, no right to write it…). */
      code: z.string().max(64).optional(),
    }),
  ),
});
export type AttachmentStatusResponse = z.infer<typeof AttachmentStatusResponseSchema>;

export const AttachmentChunkParamsSchema = z.strictObject({
  collection: AttachmentCollectionSchema,
  documentId: DocumentIdSchema,
  attachmentId: AttachmentIdSchema,
  digest: DigestSchema,
});
export const AttachmentChunkQuerySchema = z.strictObject({
  offset: z.coerce.number().int().nonnegative().max(ATTACHMENT_MAX_BYTES),
  length: z.coerce.number().int().nonnegative().max(ATTACHMENT_MAX_BYTES),
  type: ContentTypeSchema,
});
export const AttachmentChunkResponseSchema = z.strictObject({ received: z.number().int().nonnegative(), complete: z.boolean() });
export const AttachmentFileParamsSchema = z.strictObject({
  collection: AttachmentCollectionSchema,
  documentId: DocumentIdSchema,
  attachmentId: AttachmentIdSchema,
});

/** The header of a download carrying the file's digest (SHA-256 hex), which the workstation checks. */
export const ATTACHMENT_DIGEST_HEADER = 'x-attachment-digest';

/** The files a document of a collection declares (what the server accepts uploads of). */
export function declaredAttachments(collection: string, doc: Record<string, unknown>): Map<string, number | undefined> {
  const out = new Map<string, number | undefined>();
  if (collection === 'imaging_study') {
    const series = Array.isArray(doc['series']) ? (doc['series'] as { instances?: unknown }[]) : [];
    for (const s of series) {
      for (const i of Array.isArray(s.instances) ? (s.instances as { sopInstanceUid?: unknown; size?: unknown }[]) : []) {
        if (typeof i.sopInstanceUid === 'string') out.set(i.sopInstanceUid, typeof i.size === 'number' ? i.size : undefined);
      }
    }
  } else if (collection === 'document') {
    if (typeof doc['attachmentId'] === 'string') out.set(doc['attachmentId'], typeof doc['size'] === 'number' ? doc['size'] : undefined);
  }
  return out;
}
