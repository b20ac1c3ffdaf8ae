import { z } from 'zod';
import {
  addCodedIssue,
  DocumentIdSchema,
  InstantSchema,
  IsoDateSchema,
  requiredText,
  RppsSchema,
  text,
} from './common';

/** CIP13 codes are EAN-13 numbers (prefix 3400): check digit with weights 1,3 from the left. */
export function ean13Valid(code: string): boolean {
  if (!/^[0-9]{13}$/.test(code)) return false;
  let sum = 0;
  for (let i = 0; i < 12; i += 1) sum += (code.charCodeAt(i) - 48) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10 === code.charCodeAt(12) - 48;
}

export const MedicationSchema = z.discriminatedUnion('system', [
  z.strictObject({
    system: z.literal('CIP13'),
    code: z
      .string()
      .length(13)
      .regex(/^[0-9]{13}$/),
    display: requiredText(300),
  }),
  z.strictObject({
    system: z.literal('UCD'),
    code: z
      .string()
      .min(7)
      .max(13)
      .regex(/^(?:[0-9]{7}|[0-9]{13})$/),
    display: requiredText(300),
  }),
  z.strictObject({ system: z.literal('text'), display: requiredText(300) }),
]);

export const ROUTES = [
  'oral',
  'sublingual',
  'buccal',
  'cutaneous',
  'transdermal',
  'nasal',
  'ophthalmic',
  'auricular',
  'inhalation',
  'rectal',
  'vaginal',
  'intravenous',
  'intramuscular',
  'subcutaneous',
  'other',
] as const;

export const PrescriptionLineSchema = z.strictObject({
  medication: MedicationSchema,
  dosageText: requiredText(1000),
  quantity: text(100).optional(),
  durationDays: z.number().int().min(1).max(3650).optional(),
  route: z.enum(ROUTES).optional(),
});

export const PrescriptionObjectSchema = z.strictObject({
  id: DocumentIdSchema,
  patientId: DocumentIdSchema,
  encounterId: DocumentIdSchema,
  prescriberRpps: RppsSchema,
  date: IsoDateSchema,
  lines: z.array(PrescriptionLineSchema).min(1).max(50),
  /** Number of renewals ("à renouveler n fois"); 0 for none. */
  renewals: z.number().int().min(0).max(12),
  status: z.enum(['draft', 'active', 'completed', 'cancelled', 'entered-in-error']),
  createdAt: InstantSchema,
  updatedAt: InstantSchema,
});

export const PrescriptionSchema = PrescriptionObjectSchema.superRefine((p, ctx) => {
  for (const [i, line] of p.lines.entries()) {
    if (line.medication.system === 'CIP13' && !ean13Valid(line.medication.code)) {
      addCodedIssue(ctx, 'PRESCRIPTION_CIP13_CHECK_DIGIT', ['lines', i, 'medication', 'code']);
    }
  }
});
export type Prescription = z.infer<typeof PrescriptionSchema>;
