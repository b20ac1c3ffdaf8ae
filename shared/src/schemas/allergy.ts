import { z } from 'zod';
import { DocumentIdSchema, InstantSchema, requiredText, RppsSchema, text } from './common';

export const SubstanceSchema = z.union([
  z.strictObject({ system: z.literal('text'), display: requiredText(200) }),
  z.strictObject({
    system: z.enum(['ATC', 'SNOMED-CT', 'UCD', 'CIP13', 'UNII', 'local']),
    code: requiredText(64),
    display: requiredText(200),
  }),
]);

export const AllergySchema = z.strictObject({
  id: DocumentIdSchema,
  patientId: DocumentIdSchema,
  substance: SubstanceSchema,
  reaction: text(1000).optional(),
  severity: z.enum(['mild', 'moderate', 'severe']).optional(),
  criticality: z.enum(['low', 'high', 'unable-to-assess']),
  status: z.enum(['active', 'inactive', 'resolved', 'entered-in-error']),
  recordedAt: InstantSchema,
  recorderRpps: RppsSchema.optional(),
  createdAt: InstantSchema,
  updatedAt: InstantSchema,
});
export type Allergy = z.infer<typeof AllergySchema>;
