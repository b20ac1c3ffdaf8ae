import { z } from 'zod';
import { DocumentIdSchema, IsoDateSchema } from '../schemas/common';
import { DicomCodeStringSchema, DicomUidSchema, ImagingStudyObjectSchema } from '../schemas/imaging-study';
import { ErrorPayloadSchema } from './envelope';

/**
 * Imaging entries of the API contract (DICOM import, studies of a patient), spread into
 * API and EVENTS by contract.ts (names in channels.ts). Same conventions: request and
 * response schemas per channel, an event map; the host validates both ways, the renderer
 * validates what it gets.
 */

/** A local path the user chose (Electron's open dialog, or typed in browser mode); the host resolves it. */
export const ImportPathSchema = z.string().min(1).max(4096);

export const ImportFileStatusSchema = z.enum([
  'pending',
  'imported',
  'already-present',
  'duplicate',
  'skipped',
  'failed',
  'awaiting-confirmation',
  'declined',
  'refused',
  'cancelled',
]);

export const ImportFileResultSchema = z.strictObject({
  path: ImportPathSchema,
  status: ImportFileStatusSchema,
  /** Why, as a catalogue code: DICOM_TRUNCATED, DICOM_NOT_DICOM, IMAGING_INSTANCE_ALREADY_PRESENT … */
  reason: ErrorPayloadSchema.optional(),
  warnings: z.array(ErrorPayloadSchema).max(64).optional(),
  studyInstanceUid: DicomUidSchema.optional(),
  sopInstanceUid: DicomUidSchema.optional(),
});

export const ImportStudyStatusSchema = z.enum([
  'pending',
  'awaiting-confirmation',
  'importing',
  'imported',
  'declined',
  'refused',
  'failed',
  'cancelled',
]);

export const ImportStudyResultSchema = z.strictObject({
  studyInstanceUid: DicomUidSchema,
  status: ImportStudyStatusSchema,
  /** IMAGING_PATIENT_CONFIRMATION_REQUIRED / _MISMATCH / _NOT_FOUND while waiting; the refusal or failure otherwise. */
  reason: ErrorPayloadSchema.optional(),
  description: z.string().max(64).optional(),
  studyDate: IsoDateSchema.optional(),
  modalities: z.array(DicomCodeStringSchema).max(32),
  fileCount: z.number().int().min(0),
  /** The patient as the files name them, decoded with their character set (`Buc, Jérôme`). */
  filePatient: z.strictObject({
    name: z.string().max(400).optional(),
    birthDate: IsoDateSchema.optional(),
    id: z.string().max(64).optional(),
    sex: z.string().max(16).optional(),
  }),
  /** The target patient, or the proposed one when the import had no target. */
  patientId: DocumentIdSchema.optional(),
  /** ins: INS/NIR equal; traits: name + birth date agree (confirm); mismatch; existing: study already filed; none: no candidate. */
  match: z.enum(['ins', 'traits', 'mismatch', 'existing', 'none']).optional(),
  added: z.number().int().min(0),
  alreadyPresent: z.number().int().min(0),
  studyId: DocumentIdSchema.optional(),
});

export const ImportStateSchema = z.enum(['scanning', 'importing', 'waiting', 'done', 'cancelled', 'failed']);

export const ImportSnapshotSchema = z.strictObject({
  importId: DocumentIdSchema,
  state: ImportStateSchema,
  patientId: DocumentIdSchema.optional(),
  progress: z.strictObject({
    phase: z.enum(['scan', 'store']),
    done: z.number().int().min(0),
    total: z.number().int().min(0),
  }),
  files: z.array(ImportFileResultSchema).max(200_000),
  studies: z.array(ImportStudyResultSchema).max(20_000),
  /** A failure of the import as a whole (IMAGING_WORKER_FAILED, IMAGING_NOTHING_TO_IMPORT). */
  error: ErrorPayloadSchema.optional(),
});
export type ImportSnapshotView = z.infer<typeof ImportSnapshotSchema>;

export const ImportProgressEventSchema = z.strictObject({
  importId: DocumentIdSchema,
  state: ImportStateSchema,
  phase: z.enum(['scan', 'store']),
  done: z.number().int().min(0),
  total: z.number().int().min(0),
  imported: z.number().int().min(0),
  failed: z.number().int().min(0),
  awaiting: z.number().int().min(0),
});

const ImportIdRequestSchema = z.strictObject({ importId: DocumentIdSchema });

export const ImagingStudyViewSchema = ImagingStudyObjectSchema;

export const IMAGING_API = {
  /** Starts an import; progress comes as imaging:import-progress events, the detail from imaging:import-status. */
  'imaging:import-start': {
    request: z.strictObject({
      paths: z.array(ImportPathSchema).min(1).max(1000),
      /** The patient whose record the import was started from; without it, matching proposes one per study. */
      patientId: DocumentIdSchema.optional(),
    }),
    response: z.strictObject({ importId: DocumentIdSchema }),
  },
  'imaging:import-status': { request: ImportIdRequestSchema, response: ImportSnapshotSchema },
  /** Stops between files; studies already stored stay complete, nothing else is added. */
  'imaging:import-cancel': { request: ImportIdRequestSchema, response: ImportSnapshotSchema },
  /** For a study awaiting confirmation: attach it to a patient (never overrides a differing INS), or set it aside. */
  'imaging:import-confirm': {
    request: z.strictObject({
      importId: DocumentIdSchema,
      studyInstanceUid: DicomUidSchema,
      decision: z.discriminatedUnion('attach', [
        z.strictObject({ attach: z.literal(true), patientId: DocumentIdSchema }),
        z.strictObject({ attach: z.literal(false) }),
      ]),
    }),
    response: ImportSnapshotSchema,
  },
  /** The patient's studies, newest first (index only; instance files are read by the viewer's loader). */
  'imaging:studies': {
    request: z.strictObject({ patientId: DocumentIdSchema }),
    response: z.strictObject({ studies: z.array(ImagingStudyViewSchema).max(10_000) }),
  },
} as const;

export const IMAGING_EVENTS = {
  'imaging:import-progress': ImportProgressEventSchema,
} as const;

/** The zod-free names live in channels.ts (the preload imports them without zod). */
export { IMAGING_API_CHANNELS, IMAGING_API_EVENTS } from './channels';
