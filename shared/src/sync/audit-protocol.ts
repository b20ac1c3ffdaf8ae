import { z } from 'zod';
import { AUDIT_ACTIONS } from '../schemas/audit-event';
import { DocumentIdSchema, InstantSchema } from '../schemas/common';
import { SYNC_API_PREFIX } from './protocol';

/**
 * The HTTP contract of the central audit log (version 1). Checkpoints and the signing
 * keys are for every authenticated user (a workstation keeps the last signed head it saw
 * and can ask the server to prove it is still in the chain); search, the CSV export and
 * the full verification are for the DPO; the "who accessed this patient" report is for
 * the DPO and for a practitioner with access to that patient (a patient may ask them).
 */
export const AUDIT_API_PATHS = {
  latestCheckpoint: `${SYNC_API_PREFIX}/audit/checkpoints/latest`,
  checkpoints: `${SYNC_API_PREFIX}/audit/checkpoints`,
  verifyCheckpoint: `${SYNC_API_PREFIX}/audit/checkpoints/verify`,
  keys: `${SYNC_API_PREFIX}/audit/keys`,
  entries: `${SYNC_API_PREFIX}/audit/entries`,
  patientAccesses: `${SYNC_API_PREFIX}/audit/patients/:patientId/accesses`,
  export: `${SYNC_API_PREFIX}/audit/export.csv`,
  verify: `${SYNC_API_PREFIX}/audit/verify`,
} as const;

const HashSchema = z.string().regex(/^[0-9a-f]{64}$/);

export const AuditCheckpointSchema = z.strictObject({
  sequence: z.number().int().nonnegative(),
  headHash: HashSchema,
  signedAt: InstantSchema,
  keyId: z.string().regex(/^[0-9a-f]{32}$/),
  /** Ed25519 over the canonical JSON {type:'clinic-audit-checkpoint/v1', sequence, headHash, signedAt, keyId}, base64. */
  signature: z.string().min(1).max(200),
});
export type AuditCheckpoint = z.infer<typeof AuditCheckpointSchema>;

export const LatestCheckpointResponseSchema = z.strictObject({ checkpoint: AuditCheckpointSchema.nullable() });

export const AuditKeysResponseSchema = z.strictObject({
  keys: z.array(
    z.strictObject({
      keyId: z.string(),
      /** SPKI PEM of the Ed25519 public key. */
      publicKey: z.string(),
      createdAt: z.string(),
    }),
  ),
});

export const VerifyCheckpointResponseSchema = z.strictObject({
  valid: z.boolean(),
  /** Why not: AUDIT_CHECKPOINT_SIGNATURE_INVALID, AUDIT_CHECKPOINT_KEY_UNKNOWN, AUDIT_CHECKPOINT_HEAD_MISMATCH. */
  code: z.string().optional(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});

export const AuditEntrySchema = z.strictObject({
  sequence: z.number().int().positive(),
  id: z.string(),
  source: z.enum(['server', 'workstation']),
  userId: z.string(),
  role: z.string(),
  workstation: z.string(),
  action: z.string(),
  patientId: z.string().optional(),
  object: z.strictObject({ collection: z.string(), id: z.string() }).optional(),
  /** When it happened (the workstation's clock for its own events). */
  instant: z.string(),
  /** When the server stored it. */
  receivedAt: z.string(),
  outcome: z.enum(['success', 'denied', 'error']),
  reason: z.string().optional(),
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  /** Workstation events: the signed-in user whose session pushed it (on a shared workstation, maybe not its author). */
  deliveredBy: z.string().optional(),
  /** Workstation events: the role the server knows for the author, when the workstation claimed another. */
  serverRole: z.string().optional(),
  previousHash: z.string(),
  hash: z.string(),
});
export type AuditEntryWire = z.infer<typeof AuditEntrySchema>;

const RangeShape = {
  /** Event instants: from inclusive, to exclusive. */
  from: InstantSchema.optional(),
  to: InstantSchema.optional(),
};

export const AuditSearchQuerySchema = z.strictObject({
  patientId: DocumentIdSchema.optional(),
  userId: z.string().min(1).max(200).optional(),
  action: z.enum(AUDIT_ACTIONS).optional(),
  ...RangeShape,
  /** The `nextCursor` of the previous page. */
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type AuditSearchQueryWire = z.infer<typeof AuditSearchQuerySchema>;

export const AuditSearchResponseSchema = z.strictObject({
  /** Newest first (server order). */
  entries: z.array(AuditEntrySchema),
  nextCursor: z.number().int().positive().nullable(),
});

export const PatientAccessParamsSchema = z.strictObject({ patientId: DocumentIdSchema });

export const PatientAccessQuerySchema = z.strictObject({
  ...RangeShape,
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

export const PatientAccessSchema = z.strictObject({
  sequence: z.number().int().positive(),
  userId: z.string(),
  role: z.string(),
  workstation: z.string(),
  action: z.string(),
  instant: z.string(),
  outcome: z.enum(['success', 'denied', 'error']),
  source: z.enum(['server', 'workstation']),
  object: z.strictObject({ collection: z.string(), id: z.string() }).optional(),
  reason: z.string().optional(),
});

export const PatientAccessUserSchema = z.strictObject({
  userId: z.string(),
  username: z.string().optional(),
  displayName: z.string().optional(),
  role: z.string(),
  actions: z.array(z.string()),
  count: z.number().int().nonnegative(),
  first: z.string(),
  last: z.string(),
});

export const PatientAccessReportSchema = z.strictObject({
  patientId: z.string(),
  /** One line per user and role over the whole range. */
  users: z.array(PatientAccessUserSchema),
  /** Each access, newest first, paginated. */
  accesses: z.array(PatientAccessSchema),
  nextCursor: z.number().int().positive().nullable(),
});
export type PatientAccessReport = z.infer<typeof PatientAccessReportSchema>;

export const AuditExportQuerySchema = z.strictObject({
  from: InstantSchema,
  to: InstantSchema,
  patientId: DocumentIdSchema.optional(),
});

export const AuditVerifyResponseSchema = z.strictObject({
  valid: z.boolean(),
  head: z.strictObject({ sequence: z.number().int().nonnegative(), hash: z.string() }),
  firstBadSequence: z.number().int().positive().optional(),
  kind: z.enum(['missing', 'order', 'link', 'hash', 'checkpoint']).optional(),
  checkpointsChecked: z.number().int().nonnegative().optional(),
});
