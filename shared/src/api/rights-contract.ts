import { z } from 'zod';
import { DocumentIdSchema } from '../schemas/common';
import {
  ErasureRequestInputSchema,
  ErasureRequestListSchema,
  ErasureRequestSchema,
  ExpiredListSchema,
  PatientRightsStatusSchema,
  RectificationInputSchema,
  RectificationListSchema,
  RestrictionSchema,
  RightsStateSchema,
} from '../sync/rights-protocol';

/**
 * Patients' rights entries of the API contract (GDPR Articles 16, 17, 18, 30), spread into
 * API by contract.ts (names in channels.ts). The host forwards them to the sync server's
 * `/v1/rights/...` routes with the session's token (the server is the shared truth of
 * requests, restrictions and holds), except `rights:restricted`, the workstation's own list.
 */
const PatientRequestSchema = z.strictObject({ patientId: DocumentIdSchema });
const ReasonRequestSchema = z.strictObject({ patientId: DocumentIdSchema, reason: z.string().trim().min(3).max(500) });

export const RIGHTS_API = {
  /** Retention clock, restriction, legal hold and erasure requests of one record (DPO, practitioner with access, secretary). */
  'rights:status': { request: PatientRequestSchema, response: PatientRightsStatusSchema },
  /** DPO: records an erasure request; refused with the legal basis while the retention runs, else the record is erased. */
  'rights:erasure-request': { request: ErasureRequestInputSchema, response: ErasureRequestSchema },
  /** DPO: the erasure requests, newest first. */
  'rights:erasure-requests': { request: z.strictObject({}), response: ErasureRequestListSchema },
  /** DPO or practitioner: freezes a record (Art. 18). */
  'rights:restrict': { request: ReasonRequestSchema, response: RestrictionSchema },
  'rights:lift-restriction': { request: ReasonRequestSchema, response: RestrictionSchema },
  /** DPO: a legal hold suspends erasure. */
  'rights:hold': { request: ReasonRequestSchema, response: RestrictionSchema },
  'rights:lift-hold': { request: ReasonRequestSchema, response: RestrictionSchema },
  /** Practitioner or secretary: rectifies identity fields, history kept. */
  'rights:rectify': { request: RectificationInputSchema.extend({ patientId: DocumentIdSchema }), response: RectificationListSchema },
  'rights:rectifications': { request: PatientRequestSchema, response: RectificationListSchema },
  /** DPO: records past their retention. */
  'rights:expired': { request: z.strictObject({}), response: ExpiredListSchema },
  /** DPO: the register of processing (Art. 30) as Markdown, to save as a file. */
  'rights:register': {
    request: z.strictObject({ language: z.enum(['fr', 'de', 'en']) }),
    response: z.strictObject({
      markdown: z.string().max(1_000_000),
      generatedAt: z.string(),
      fileName: z.string(),
      /** Where the file was written (Electron's save dialog); absent in browser mode, where the renderer downloads it. */
      savedTo: z.string().optional(),
    }),
  },
  /** The restricted records this workstation enforces (works offline). */
  'rights:restricted': { request: z.strictObject({}), response: RightsStateSchema },
} as const;

export { RIGHTS_API_CHANNELS } from './channels';
