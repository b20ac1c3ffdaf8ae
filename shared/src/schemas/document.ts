import { z } from 'zod';
import {
  addCodedIssue,
  CategorySchema,
  DocumentIdSchema,
  InstantSchema,
  LoincCodeSchema,
  requiredText,
  RppsSchema,
  Sha256HexSchema,
  text,
} from './common';

export const MimeTypeSchema = z
  .string()
  .min(3)
  .max(127)
  .regex(/^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*$/);

export const ClinicalDocumentObjectSchema = z.strictObject({
  id: DocumentIdSchema,
  patientId: DocumentIdSchema,
  title: requiredText(200),
  type: z.strictObject({
    system: z.enum(['LOINC', 'local']),
    code: requiredText(64),
    display: text(200).optional(),
  }),
  /** Decides who may see it: an ID card scan is administrative, a discharge letter clinical. */
  category: CategorySchema,
  mimeType: MimeTypeSchema,
  size: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  /** Id of the RxDB attachment holding the file. */
  attachmentId: requiredText(64),
  sha256: Sha256HexSchema.optional(),
  authorRpps: RppsSchema.optional(),
  createdAt: InstantSchema,
  updatedAt: InstantSchema,
});

export const ClinicalDocumentSchema = ClinicalDocumentObjectSchema.superRefine((d, ctx) => {
  if (d.type.system === 'LOINC' && !LoincCodeSchema.safeParse(d.type.code).success) {
    addCodedIssue(ctx, 'DOCUMENT_TYPE_CODE', ['type', 'code']);
  }
});
export type ClinicalDocument = z.infer<typeof ClinicalDocumentSchema>;
