import { z } from 'zod';
import { DocumentIdSchema, InstantSchema, IsoDateSchema } from '../schemas/common';
import { ERASURE_EXCEPTIONS } from '../rgpd/legal-basis';
import { SYNC_API_PREFIX } from './protocol';

/**
 * HTTP contract of patients' rights on the sync server (GDPR Articles 16, 17, 18, 30):
 * erasure requests, restrictions, legal holds, rectifications of identity, the retention
 * clock of a record and the register of processing. Patients appear by id; nothing here
 * returns clinical content.
 */
export const RIGHTS_ENDPOINTS = {
  erasureRequests: `${SYNC_API_PREFIX}/rights/erasure-requests`,
  status: `${SYNC_API_PREFIX}/rights/patients/:patientId`,
  restrictions: `${SYNC_API_PREFIX}/rights/patients/:patientId/restriction`,
  liftRestriction: `${SYNC_API_PREFIX}/rights/patients/:patientId/restriction/lift`,
  holds: `${SYNC_API_PREFIX}/rights/patients/:patientId/legal-hold`,
  liftHold: `${SYNC_API_PREFIX}/rights/patients/:patientId/legal-hold/lift`,
  rectifications: `${SYNC_API_PREFIX}/rights/patients/:patientId/rectifications`,
  state: `${SYNC_API_PREFIX}/rights/state`,
  expired: `${SYNC_API_PREFIX}/rights/expired`,
  register: `${SYNC_API_PREFIX}/rights/register`,
} as const;

export const PatientParamsSchema = z.strictObject({ patientId: DocumentIdSchema });

export const RetentionSchema = z.strictObject({
  status: z.enum(['running', 'expired', 'held']),
  keptUntil: IsoDateSchema,
  erasableFrom: IsoDateSchema,
  basis: z.enum(['last-encounter', 'record-created', 'age', 'death']),
  anchor: IsoDateSchema,
});
export type RetentionView = z.infer<typeof RetentionSchema>;

export const REQUESTER_KINDS = ['patient', 'legal-representative', 'heir', 'other'] as const;

export const ErasureRequestInputSchema = z.strictObject({
  patientId: DocumentIdSchema,
  requesterKind: z.enum(REQUESTER_KINDS),
  /** Name of who asked, kept while the request is open; removed when the record is erased. */
  requesterName: z.string().trim().min(1).max(200),
  /** When the clinic received the request (letter, desk); defaults to now. */
  receivedAt: InstantSchema.optional(),
});
export type ErasureRequestInput = z.infer<typeof ErasureRequestInputSchema>;

export const ErasureRequestSchema = z.strictObject({
  id: DocumentIdSchema,
  patientId: DocumentIdSchema,
  requesterKind: z.enum(REQUESTER_KINDS),
  /** null once the record is erased (only a pseudonymous trace remains). */
  requesterName: z.string().nullable(),
  receivedAt: InstantSchema,
  recordedBy: z.string(),
  recordedAt: InstantSchema,
  /** refused: retention running or legal hold; completed: the record was erased. */
  status: z.enum(['refused', 'completed']),
  /** For a refusal: the clock at the decision and the GDPR exceptions invoked. */
  retention: RetentionSchema.nullable(),
  legalBasis: z.array(z.enum(ERASURE_EXCEPTIONS)),
  completedAt: InstantSchema.nullable(),
});
export type ErasureRequest = z.infer<typeof ErasureRequestSchema>;

export const ErasureRequestListSchema = z.strictObject({ requests: z.array(ErasureRequestSchema) });

export const ReasonSchema = z.strictObject({ reason: z.string().trim().min(3).max(500) });

export const RestrictionSchema = z.strictObject({
  id: DocumentIdSchema,
  patientId: DocumentIdSchema,
  reason: z.string(),
  setBy: z.string(),
  setAt: InstantSchema,
  liftedBy: z.string().nullable(),
  liftedAt: InstantSchema.nullable(),
  liftReason: z.string().nullable(),
});
export type Restriction = z.infer<typeof RestrictionSchema>;

export const LegalHoldSchema = RestrictionSchema;
export type LegalHold = z.infer<typeof LegalHoldSchema>;

/** Identity fields a rectification may change (INS fields follow identity vigilance instead). */
export const RECTIFIABLE_FIELDS = [
  'birthName',
  'usedName',
  'firstNames',
  'usedFirstName',
  'birthDate',
  'sex',
  'birthplaceCode',
  'contact',
  'deceasedDate',
  'treatingPractitionerRpps',
] as const;
export type RectifiableField = (typeof RECTIFIABLE_FIELDS)[number];

export const RectificationInputSchema = z.strictObject({
  /** New values; null removes an optional field. */
  changes: z.record(z.string(), z.unknown()).refine((c) => Object.keys(c).length > 0 && Object.keys(c).length <= 20),
  reason: z.string().trim().min(3).max(500),
});
export type RectificationInput = z.infer<typeof RectificationInputSchema>;

export const RectificationSchema = z.strictObject({
  id: DocumentIdSchema,
  patientId: DocumentIdSchema,
  field: z.string(),
  /** JSON of the previous and new values (absent = null). */
  previousValue: z.unknown(),
  newValue: z.unknown(),
  reason: z.string(),
  rectifiedBy: z.string(),
  rectifiedAt: InstantSchema,
});
export type Rectification = z.infer<typeof RectificationSchema>;
export const RectificationListSchema = z.strictObject({ rectifications: z.array(RectificationSchema) });

export const PatientRightsStatusSchema = z.strictObject({
  patientId: DocumentIdSchema,
  erased: z.boolean(),
  retention: RetentionSchema.nullable(),
  restriction: RestrictionSchema.nullable(),
  legalHold: LegalHoldSchema.nullable(),
  erasureRequests: z.array(ErasureRequestSchema),
});
export type PatientRightsStatus = z.infer<typeof PatientRightsStatusSchema>;

/** What every workstation enforces: the restricted records (ids only). */
export const RightsStateSchema = z.strictObject({
  restricted: z.array(z.strictObject({ patientId: DocumentIdSchema, since: InstantSchema })),
});
export type RightsState = z.infer<typeof RightsStateSchema>;

export const ExpiredListSchema = z.strictObject({
  records: z.array(z.strictObject({ patientId: DocumentIdSchema, retention: RetentionSchema })),
});

export const RegisterQuerySchema = z.strictObject({
  language: z.enum(['fr', 'de', 'en']).optional(),
});
export const RegisterResponseSchema = z.strictObject({ markdown: z.string(), generatedAt: InstantSchema });
