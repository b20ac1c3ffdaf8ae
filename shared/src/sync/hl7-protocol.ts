import { z } from 'zod';
import { DocumentIdSchema, InstantSchema } from '../schemas/common';

/**
 * The sync server's HL7 inbox (messages of the MLLP lab feed it could not apply on its
 * own): practitioners list the open ones and claim each into their workstation's
 * quarantine list, where a person attaches or rejects it.
 */
export const HL7_INBOX_ENDPOINTS = {
  list: '/v1/hl7/inbox',
  claim: '/v1/hl7/inbox/:id/claim',
} as const;

export const Hl7InboxItemSchema = z.strictObject({
  id: DocumentIdSchema,
  receivedAt: InstantSchema,
  messageType: z.string().max(32),
  controlId: z.string().max(64),
  status: z.enum(['quarantined', 'rejected', 'attached', 'dismissed']),
  reasonCode: z.string().min(1).max(64),
  reasonParams: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  /** The message exactly as received, base64 of its bytes. */
  rawBase64: z.string().max(1_500_000),
});
export type Hl7InboxItem = z.infer<typeof Hl7InboxItemSchema>;

export const Hl7InboxListSchema = z.strictObject({ items: z.array(Hl7InboxItemSchema).max(500) });
export const Hl7InboxParamsSchema = z.strictObject({ id: DocumentIdSchema });
