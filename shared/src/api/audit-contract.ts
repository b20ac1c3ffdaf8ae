import { z } from 'zod';
import { DocumentIdSchema, InstantSchema } from '../schemas/common';
import {
  AuditCheckpointSchema,
  AuditVerifyResponseSchema,
  PatientAccessReportSchema,
} from '../sync/audit-protocol';
import { MergeRequestSchema, PatientMergeSchema, ReviewedBreakGlassSchema } from '../sync/vigilance-protocol';
import { ErrorPayloadSchema } from './envelope';
import { PatientObjectSchema } from '../schemas/patient';

/**
 * Audit for people (the DPO's view of the central log, a practitioner's "who accessed
 * this record") and identity vigilance (likely duplicates, merge, unmerge), spread into
 * API by contract.ts (names in channels.ts). The host reaches the sync server with the
 * session's token; the server decides who may see what, the host refuses earlier the
 * roles that can never (AUDIT_FORBIDDEN, AUDIT_PATIENT_REPORT_FORBIDDEN).
 */

/** The last signed checkpoint, with what this workstation checked itself. */
export const CheckpointStatusSchema = z.strictObject({
  checkpoint: AuditCheckpointSchema.nullable(),
  /** Ed25519 signature checked here, against the key this workstation pinned when it first saw one. */
  signatureValid: z.boolean().nullable(),
  /** The key id pinned on this workstation (first key seen), and whether it was pinned by this call. */
  pinnedKeyId: z.string().nullable(),
  pinnedNow: z.boolean(),
  /** The server's answer to "is this head still in the chain?". */
  headInChain: z.boolean().nullable(),
  /** Why not: AUDIT_CHECKPOINT_SIGNATURE_INVALID, AUDIT_CHECKPOINT_KEY_CHANGED, AUDIT_CHECKPOINT_HEAD_MISMATCH… */
  problem: ErrorPayloadSchema.nullable(),
});
export type CheckpointStatus = z.infer<typeof CheckpointStatusSchema>;

/** The patient list's row (PatientRowSchema of contract.ts, which imports this file). */
const DuplicateRowSchema = PatientObjectSchema.pick({
  id: true,
  birthName: true,
  usedName: true,
  firstNames: true,
  usedFirstName: true,
  birthDate: true,
  sex: true,
  nir: true,
  identityStatus: true,
  deceasedDate: true,
  updatedAt: true,
});

export const DuplicateGroupSchema = z.strictObject({
  /** nir: the same NIR; traits: same birth name, first name, birth date and sex. */
  match: z.enum(['nir', 'traits']),
  patients: z.array(DuplicateRowSchema).min(2).max(100),
});
export type DuplicateGroup = z.infer<typeof DuplicateGroupSchema>;

export const AUDIT_API = {
  /** DPO: the server walks the whole chain and checks it against its signed checkpoints. */
  'audit:verify': { request: z.strictObject({}).optional(), response: AuditVerifyResponseSchema },
  /** Any signed-in user: the last signed checkpoint, its signature checked on this workstation. */
  'audit:checkpoint': { request: z.strictObject({}).optional(), response: CheckpointStatusSchema },
  /** DPO: break-the-glass accesses, pending review by default. */
  'audit:break-glass': {
    request: z.strictObject({ status: z.enum(['pending', 'reviewed', 'all']).optional() }),
    response: z.strictObject({ entries: z.array(ReviewedBreakGlassSchema) }),
  },
  /** DPO: marks one reviewed with a comment (recorded in the audit log). */
  'audit:break-glass-review': {
    request: z.strictObject({ id: DocumentIdSchema, comment: z.string().trim().min(1).max(2000) }),
    response: ReviewedBreakGlassSchema,
  },
  /**
   * DPO: CSV export of a period. In the desktop app the host asks where to save it and
   * writes the file (`saved`); in browser mode it returns the text for a download.
   */
  'audit:export': {
    request: z.strictObject({ from: InstantSchema, to: InstantSchema, patientId: DocumentIdSchema.optional() }),
    response: z.discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('saved'), path: z.string().max(4096), bytes: z.number().int().min(0) }),
      z.strictObject({ kind: z.literal('download'), fileName: z.string().max(200), csv: z.string().max(50_000_000) }),
    ]),
  },
  /** Practitioner with access to the patient, or DPO: who accessed this record (central log). */
  'audit:patient-accesses': {
    request: z.strictObject({ patientId: DocumentIdSchema, before: z.number().int().positive().optional() }),
    response: PatientAccessReportSchema,
  },
  /** Likely duplicates among the patients on this workstation (after each sync too). */
  'identity:duplicates': { request: z.strictObject({}).optional(), response: z.strictObject({ groups: z.array(DuplicateGroupSchema) }) },
  'identity:merges': {
    request: z.strictObject({ patientId: DocumentIdSchema.optional() }),
    response: z.strictObject({ merges: z.array(PatientMergeSchema) }),
  },
  /** Merge on the server (explicit survivor); every workstation gets it on its next pull. */
  'identity:merge': { request: MergeRequestSchema, response: PatientMergeSchema },
  'identity:unmerge': { request: z.strictObject({ mergeId: DocumentIdSchema }), response: PatientMergeSchema },
} as const;

/** The zod-free names live in channels.ts. */
export { AUDIT_API_CHANNELS } from './channels';
