import { z } from 'zod';
import { DocumentIdSchema, InstantSchema, IsoDateSchema, text } from '../schemas/common';
import { SexSchema } from '../schemas/patient';
import { ErrorPayloadSchema } from './envelope';

/**
 * Interoperability entries of the API contract (HL7 v2 import and its quarantine list,
 * FHIR / PDF / HL7 exports of a patient), spread into API by contract.ts (names in
 * channels.ts). Same conventions as the rest: a request and a response schema per channel.
 */

/** Largest message accepted from the UI (the parser's own limit is the same). */
export const HL7_UPLOAD_MAX_BYTES = 1_048_576;

export const Hl7SourceSchema = z.enum(['file', 'paste', 'mllp']);

export const Hl7ImportOutcomeSchema = z.enum([
  /** Lab results stored on the matched patient. */
  'observations-imported',
  /** A new patient identity was created (ADT^A28/A31 of an unknown person). */
  'patient-created',
  /** An existing patient's identity was updated (ADT^A31/A28 of a known person). */
  'patient-updated',
  /** Set aside for a person (unmatched, needs confirmation, malformed). */
  'quarantined',
]);

export const Hl7ImportResultSchema = z.strictObject({
  outcome: Hl7ImportOutcomeSchema,
  /** The message type as read (ORU^R01, ADT^A31 …), '' when unreadable. */
  messageType: z.string().max(32),
  patientId: DocumentIdSchema.optional(),
  observationCount: z.number().int().min(0).optional(),
  quarantineId: DocumentIdSchema.optional(),
  /** Why it was quarantined (catalogue code). */
  reason: ErrorPayloadSchema.optional(),
});
export type Hl7ImportResult = z.infer<typeof Hl7ImportResultSchema>;

export const QuarantineStatusSchema = z.enum(['open', 'attached', 'rejected']);

/** A quarantined message as the list shows it: what it says about the patient, never its results. */
export const QuarantineItemSchema = z.strictObject({
  id: DocumentIdSchema,
  receivedAt: InstantSchema,
  source: Hl7SourceSchema,
  sourceName: text(255).optional(),
  messageType: z.string().max(32),
  kind: z.enum(['lab', 'identity', 'unreadable']),
  reason: ErrorPayloadSchema,
  status: QuarantineStatusSchema,
  patient: z
    .strictObject({
      birthName: text(100).optional(),
      firstNames: z.array(text(60)).max(20),
      birthDate: IsoDateSchema.optional(),
      sex: SexSchema,
      hasIns: z.boolean(),
    })
    .optional(),
  observationCount: z.number().int().min(0).optional(),
  /** Patients proposed by the matcher (same traits), for the person to confirm. */
  candidates: z.array(DocumentIdSchema).max(20),
  resolvedAt: InstantSchema.optional(),
  resolvedPatientId: DocumentIdSchema.optional(),
  rejectReason: text(500).optional(),
});
export type QuarantineItem = z.infer<typeof QuarantineItemSchema>;

export const ExportFormatSchema = z.enum(['fhir-bundle', 'fhir-patient', 'hl7-adt-a31', 'pdf-summary']);
export type ExportFormat = z.infer<typeof ExportFormatSchema>;

export const INTEROP_API = {
  /** Imports one HL7 v2 message (file content or pasted text); the answer says what became of it. */
  'interop:import': {
    request: z.strictObject({
      /** The message, base64 of its bytes (its MSH-18 decides the character set). */
      contentBase64: z
        .string()
        .min(1)
        .max(Math.ceil(HL7_UPLOAD_MAX_BYTES / 3) * 4 + 4),
      source: z.enum(['file', 'paste']),
      sourceName: text(255).optional(),
    }),
    response: Hl7ImportResultSchema,
  },
  /** The quarantine list, newest first (a secretary sees identity messages only). */
  'interop:quarantine-list': {
    request: z.strictObject({ status: QuarantineStatusSchema.optional() }).optional(),
    response: z.strictObject({ items: z.array(QuarantineItemSchema).max(10_000) }),
  },
  /** Attaches a quarantined message to a patient a person chose and confirmed. */
  'interop:quarantine-attach': {
    request: z.strictObject({
      id: DocumentIdSchema,
      patientId: DocumentIdSchema,
      confirmed: z.literal(true),
    }),
    response: Hl7ImportResultSchema,
  },
  /** Rejects a quarantined message with the reason; it stays in the list (never deleted). */
  'interop:quarantine-reject': {
    request: z.strictObject({ id: DocumentIdSchema, reason: z.string().trim().min(3).max(500) }),
    response: QuarantineItemSchema,
  },
  /**
   * Takes the open messages of the sync server's lab-feed inbox (practitioners) into this
   * workstation's quarantine list, where a person attaches or rejects them.
   */
  'interop:server-inbox': {
    request: z.strictObject({}).optional(),
    response: z.strictObject({ claimed: z.number().int().min(0) }),
  },
  /**
   * Exports a patient: FHIR R4 Bundle of the whole record (FR Core), FHIR Patient,
   * HL7 ADT^A31, or the PDF summary in the language asked. Saved where the user chose
   * (Electron's dialog) or given back as a download (browser mode).
   */
  'patients:export': {
    request: z.strictObject({
      patientId: DocumentIdSchema,
      format: ExportFormatSchema,
      language: z.enum(['fr', 'de', 'en']).optional(),
    }),
    response: z.discriminatedUnion('kind', [
      z.strictObject({
        kind: z.literal('saved'),
        path: z.string().max(4096),
        bytes: z.number().int().min(0),
      }),
      z.strictObject({
        kind: z.literal('download'),
        fileName: z.string().min(1).max(255),
        mimeType: z.string().min(3).max(127),
        contentBase64: z.string(),
      }),
      z.strictObject({ kind: z.literal('cancelled') }),
    ]),
  },
} as const;

/** The zod-free names live in channels.ts (the preload imports them without zod). */
export { INTEROP_API_CHANNELS } from './channels';
