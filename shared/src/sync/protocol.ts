import { z } from 'zod';
import { DocumentIdSchema, InstantSchema } from '../schemas/common';
import { ROLES } from '../schemas/audit-event';
import { COLLECTION_NAMES } from '../schemas/names';

/**
 * The HTTP contract between a workstation and the sync server (version 1). The server
 * validates every request and response with these schemas and generates its OpenAPI
 * document from them; the replication client in main/ parses every response with them.
 *
 * Replication follows RxDB's protocol, per collection:
 * - pull: documents changed after a checkpoint, in server order. The checkpoint is a
 *   server-assigned, strictly increasing sequence number, so the workstations' clocks never
 *   decide what a pull returns.
 * - push: rows of { assumedMasterState, newDocumentState }. A row whose assumed state is
 *   not the server's current state is a conflict: the answer holds the current master
 *   document for it. A row the user may not write is rejected with a code (the rest of the
 *   batch proceeds) and audited.
 * - stream: Server-Sent Events. `change` events carry the documents of one collection and
 *   the checkpoint after them; `resync` is sent first on every (re)connection, telling the
 *   client to pull (RxDB's 'RESYNC'); `access` tells the client its grants changed.
 */
export const SYNC_API_PREFIX = '/v1';

export const CollectionNameSchema = z.enum(COLLECTION_NAMES);

export const ReplicationCheckpointSchema = z.strictObject({
  sequence: z.number().int().nonnegative(),
});
export type ReplicationCheckpoint = z.infer<typeof ReplicationCheckpointSchema>;

/**
 * A document as it travels: the collection's fields plus `_deleted`. Its fields are
 * validated against the collection's schema with `parseReplicatedDocument` on the server;
 * this schema only checks the envelope, so that one bad document is one rejected row
 * rather than a refused batch.
 */
export const WireDocumentSchema = z
  .looseObject({
    id: DocumentIdSchema,
    _deleted: z.boolean(),
  });
export type WireDocument = z.infer<typeof WireDocumentSchema>;

export const MAX_PULL_BATCH = 1000;
export const MAX_PUSH_BATCH = 500;

export const PullRequestSchema = z.strictObject({
  checkpoint: ReplicationCheckpointSchema.nullable(),
  batchSize: z.number().int().min(1).max(MAX_PULL_BATCH),
});
export type PullRequest = z.infer<typeof PullRequestSchema>;

export const PullResponseSchema = z.strictObject({
  documents: z.array(WireDocumentSchema),
  checkpoint: ReplicationCheckpointSchema,
});
export type PullResponse = z.infer<typeof PullResponseSchema>;

export const PushRowSchema = z.strictObject({
  /** Absent or null for a document the client believes new (RxDB leaves it out). */
  assumedMasterState: WireDocumentSchema.nullish(),
  newDocumentState: WireDocumentSchema,
});
export type PushRow = z.infer<typeof PushRowSchema>;

export const PushRequestSchema = z.strictObject({
  rows: z.array(PushRowSchema).min(1).max(MAX_PUSH_BATCH),
});
export type PushRequest = z.infer<typeof PushRequestSchema>;

export const RejectedRowSchema = z.strictObject({
  id: DocumentIdSchema,
  /** A code of the shared error catalogue (SYNC_WRITE_DENIED, VALIDATION_DOCUMENT_INVALID, …). */
  code: z.string().min(1).max(64),
});
export type RejectedRow = z.infer<typeof RejectedRowSchema>;

export const PushResponseSchema = z.strictObject({
  /** Current master state of each conflicting row (RxDB's push answer). */
  conflicts: z.array(WireDocumentSchema),
  rejected: z.array(RejectedRowSchema),
});
export type PushResponse = z.infer<typeof PushResponseSchema>;

/** Data of a `change` event on the live stream. */
export const StreamChangeSchema = z.strictObject({
  collection: CollectionNameSchema,
  documents: z.array(WireDocumentSchema),
  checkpoint: ReplicationCheckpointSchema,
});
export type StreamChange = z.infer<typeof StreamChangeSchema>;

export const STREAM_EVENTS = ['change', 'resync', 'access'] as const;
export type StreamEventName = (typeof STREAM_EVENTS)[number];

/**
 * Patients whose access this user lost (grant revoked or expired, break-the-glass over):
 * the workstation removes its local copies of their data, without replicating a deletion.
 */
export const RevocationsRequestSchema = z.strictObject({
  checkpoint: ReplicationCheckpointSchema.nullable(),
});
export const RevocationsResponseSchema = z.strictObject({
  patientIds: z.array(DocumentIdSchema),
  checkpoint: ReplicationCheckpointSchema,
});
export type RevocationsResponse = z.infer<typeof RevocationsResponseSchema>;

// ---------------------------------------------------------------------------------------
// Identity

export const UserRoleSchema = z.enum(ROLES).exclude(['system']);
export type UserRole = z.infer<typeof UserRoleSchema>;

export const WorkstationIdSchema = DocumentIdSchema;

export const UsernameSchema = z
  .string()
  .min(2)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9._-]*$/);

export const LoginRequestSchema = z.strictObject({
  username: UsernameSchema,
  password: z.string().min(1).max(1024),
  workstationId: WorkstationIdSchema,
});
export type LoginRequest = z.infer<typeof LoginRequestSchema>;

export const SessionUserSchema = z.strictObject({
  id: DocumentIdSchema,
  username: UsernameSchema,
  displayName: z.string().min(1).max(200),
  role: UserRoleSchema,
  rpps: z
    .string()
    .regex(/^[0-9]{11}$/)
    .optional(),
});
export type SessionUser = z.infer<typeof SessionUserSchema>;

export const SessionResponseSchema = z.strictObject({
  accessToken: z.string().min(16).max(4096),
  accessTokenExpiresAt: InstantSchema,
  refreshToken: z.string().min(16).max(4096),
  refreshTokenExpiresAt: InstantSchema,
  user: SessionUserSchema,
});
export type SessionResponse = z.infer<typeof SessionResponseSchema>;

export const RefreshRequestSchema = z.strictObject({
  refreshToken: z.string().min(16).max(4096),
  workstationId: WorkstationIdSchema,
});
export type RefreshRequest = z.infer<typeof RefreshRequestSchema>;

export const LogoutRequestSchema = z.strictObject({
  refreshToken: z.string().min(16).max(4096),
});

export const BreakGlassRequestSchema = z.strictObject({
  patientId: DocumentIdSchema,
  reason: z.string().trim().min(10).max(1000),
});
export const BreakGlassResponseSchema = z.strictObject({
  patientId: DocumentIdSchema,
  expiresAt: InstantSchema,
});

// ---------------------------------------------------------------------------------------
// Errors

/** Every error answer of the server: a stable code of the shared catalogue, never a stack or a secret. */
export const ErrorResponseSchema = z.strictObject({
  code: z.string().min(1).max(64),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});
export type ErrorResponse = z.infer<typeof ErrorResponseSchema>;
