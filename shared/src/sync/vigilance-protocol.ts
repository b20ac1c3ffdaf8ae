import { z } from 'zod';
import { DocumentIdSchema, InstantSchema } from '../schemas/common';
import { BreakGlassEntrySchema } from './admin-protocol';
import { SYNC_API_PREFIX } from './protocol';

/**
 * HTTP contract of the DPO's review of break-the-glass accesses and of identity
 * vigilance (explicit merge of two patient identities, and its undoing). Patients appear
 * by id only; no answer carries clinical content.
 */
export const VIGILANCE_API_PATHS = {
  breakGlass: `${SYNC_API_PREFIX}/audit/break-glass`,
  breakGlassReview: `${SYNC_API_PREFIX}/audit/break-glass/:breakGlassId/review`,
  merges: `${SYNC_API_PREFIX}/identity/merges`,
  unmerge: `${SYNC_API_PREFIX}/identity/merges/:mergeId/undo`,
} as const;

export const BreakGlassReviewSchema = z.strictObject({
  reviewedBy: DocumentIdSchema,
  reviewerName: z.string().min(1).max(200),
  reviewedAt: InstantSchema,
  comment: z.string().min(1).max(2000),
});

export const ReviewedBreakGlassSchema = BreakGlassEntrySchema.extend({ review: BreakGlassReviewSchema.nullable() }).strict();
export type ReviewedBreakGlass = z.infer<typeof ReviewedBreakGlassSchema>;

export const BreakGlassReviewListQuerySchema = z.strictObject({
  /** pending: not reviewed yet (the default: the DPO's to-do list). */
  status: z.enum(['pending', 'reviewed', 'all']).default('pending'),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export const BreakGlassReviewListResponseSchema = z.strictObject({ entries: z.array(ReviewedBreakGlassSchema) });

export const BreakGlassReviewParamsSchema = z.strictObject({ breakGlassId: DocumentIdSchema });
export const BreakGlassReviewRequestSchema = z.strictObject({ comment: z.string().trim().min(1).max(2000) });

export const MergeRequestSchema = z.strictObject({
  /** The identity that stays (usually the better-qualified one). */
  survivorId: DocumentIdSchema,
  /** The identity merged into it: its documents move to the survivor; it becomes a tombstone until an unmerge. */
  mergedId: DocumentIdSchema,
  reason: z.string().trim().min(1).max(1000).optional(),
});
export type MergeRequest = z.infer<typeof MergeRequestSchema>;

export const PatientMergeSchema = z.strictObject({
  id: DocumentIdSchema,
  survivorId: DocumentIdSchema,
  mergedId: DocumentIdSchema,
  reason: z.string().optional(),
  mergedBy: DocumentIdSchema,
  mergedAt: InstantSchema,
  /** Documents moved from the merged patient to the survivor, per collection. */
  moved: z.record(z.string(), z.number().int().nonnegative()),
  undoneBy: DocumentIdSchema.nullable(),
  undoneAt: InstantSchema.nullable(),
});
export type PatientMerge = z.infer<typeof PatientMergeSchema>;

export const MergeListQuerySchema = z.strictObject({ patientId: DocumentIdSchema.optional() });
export const MergeListResponseSchema = z.strictObject({ merges: z.array(PatientMergeSchema) });
export const UnmergeParamsSchema = z.strictObject({ mergeId: DocumentIdSchema });
