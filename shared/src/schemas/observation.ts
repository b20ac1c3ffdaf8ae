import { z } from 'zod';
import { luhnValid } from '../identifiers/luhn';
import {
  addCodedIssue,
  DocumentIdSchema,
  InstantSchema,
  LoincCodeSchema,
  requiredText,
  text,
} from './common';

export const ObservationValueSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('quantity'), value: z.number() }),
  z.strictObject({ type: z.literal('string'), value: text(2000) }),
  z.strictObject({
    type: z.literal('coded'),
    system: requiredText(200),
    code: requiredText(64),
    display: text(200).optional(),
  }),
]);

/** UCUM expressions are printable ASCII without spaces ("mmol/L", "10*9/L", "{beats}/min"). */
export const UcumUnitSchema = z
  .string()
  .min(1)
  .max(50)
  .regex(/^[!-~]+$/);

export const ObservationObjectSchema = z.strictObject({
  id: DocumentIdSchema,
  patientId: DocumentIdSchema,
  encounterId: DocumentIdSchema.optional(),
  loincCode: LoincCodeSchema,
  display: requiredText(200),
  value: ObservationValueSchema,
  unit: UcumUnitSchema.optional(),
  referenceRange: z
    .strictObject({
      low: z.number().optional(),
      high: z.number().optional(),
      text: text(200).optional(),
    })
    .optional(),
  effectiveAt: InstantSchema,
  /** HL7 v2 / FHIR observation interpretation codes. */
  interpretation: z.enum(['N', 'L', 'H', 'LL', 'HH', 'A', 'AA', 'POS', 'NEG']).optional(),
  status: z.enum(['registered', 'preliminary', 'final', 'amended', 'cancelled', 'entered-in-error']),
  createdAt: InstantSchema,
  updatedAt: InstantSchema,
});

export const ObservationSchema = ObservationObjectSchema.superRefine((o, ctx) => {
  // LOINC's check digit is the Luhn (mod 10) digit of the number part.
  if (!luhnValid(o.loincCode.replace('-', '')))
    addCodedIssue(ctx, 'OBSERVATION_LOINC_CHECK_DIGIT', ['loincCode']);
  const range = o.referenceRange;
  if (range?.low !== undefined && range.high !== undefined && range.low > range.high) {
    addCodedIssue(ctx, 'OBSERVATION_RANGE_INVERTED', ['referenceRange']);
  }
});
export type Observation = z.infer<typeof ObservationSchema>;
