import { z } from 'zod';
import { addCodedIssue, DocumentIdSchema, InstantSchema, IsoDateSchema, requiredText, text } from './common';

/** DICOM UI: dot-separated numbers without leading zeros, at most 64 characters. */
export const DicomUidSchema = z
  .string()
  .min(1)
  .max(64)
  // eslint-disable-next-line security/detect-unsafe-regex -- each repetition starts with a literal dot, so matching is linear
  .regex(/^(?:0|[1-9][0-9]*)(?:\.(?:0|[1-9][0-9]*))*$/);

/** DICOM CS values such as modalities: upper-case letters, digits, underscore, space; 16 characters. */
export const DicomCodeStringSchema = z
  .string()
  .min(1)
  .max(16)
  .regex(/^[A-Z0-9_ ]+$/);

export const ImagingInstanceSchema = z.strictObject({
  sopInstanceUid: DicomUidSchema,
  sopClassUid: DicomUidSchema,
  instanceNumber: z.number().int().min(0).max(2_147_483_647).optional(),
  /** Image Position (Patient), mm. */
  imagePosition: z.array(z.number()).length(3).optional(),
  sliceLocation: z.number().optional(),
  frames: z.number().int().min(1).max(100_000),
  /** Id of the RxDB attachment holding the DICOM file. */
  attachmentId: requiredText(64),
  transferSyntaxUid: DicomUidSchema.optional(),
  // Since schema version 1: what a viewer needs before it opens the file.
  rows: z.number().int().min(1).max(65_535).optional(),
  columns: z.number().int().min(1).max(65_535).optional(),
  /** Photometric Interpretation (MONOCHROME2, RGB, YBR_FULL_422 …). */
  photometric: DicomCodeStringSchema.optional(),
  /** Pixel Spacing (row, column), mm. */
  pixelSpacing: z.array(z.number().positive()).length(2).optional(),
  /** Image Orientation (Patient): row then column direction cosines (with imagePosition, the slice order). */
  imageOrientation: z.array(z.number().min(-1).max(1)).length(6).optional(),
  /** Size of the stored file, bytes. */
  size: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
});

export const ImagingSeriesSchema = z.strictObject({
  seriesInstanceUid: DicomUidSchema,
  modality: DicomCodeStringSchema,
  description: text(64).optional(),
  bodyPart: DicomCodeStringSchema.optional(),
  seriesNumber: z.number().int().min(0).max(2_147_483_647).optional(),
  instances: z.array(ImagingInstanceSchema).max(20_000),
});

export const ImagingStudyObjectSchema = z.strictObject({
  id: DocumentIdSchema,
  patientId: DocumentIdSchema,
  studyInstanceUid: DicomUidSchema,
  studyDate: IsoDateSchema.optional(),
  /** DICOM TM as recorded by the modality (local time of the site, no zone). */
  studyTime: z
    .string()
    .max(15)
    // eslint-disable-next-line security/detect-unsafe-regex -- bounded optional groups, each introduced by a distinct literal
    .regex(/^(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\.[0-9]{1,6})?)?$/)
    .optional(),
  description: text(64).optional(),
  accessionNumber: text(16).optional(),
  modalities: z.array(DicomCodeStringSchema).max(32),
  series: z.array(ImagingSeriesSchema).max(2000),
  /**
   * Since schema version 1: the patient as the files name them (decoded with their
   * character set), kept so a reader can always see whose images these were said to be.
   */
  filePatient: z
    .strictObject({
      name: text(200).optional(),
      id: text(64).optional(),
      birthDate: IsoDateSchema.optional(),
    })
    .optional(),
  /** How the study was attached to the patient: matching INS/NIR, or a person's confirmation. */
  patientMatch: z.enum(['ins', 'confirmed']).optional(),
  createdAt: InstantSchema,
  updatedAt: InstantSchema,
});

export const ImagingStudySchema = ImagingStudyObjectSchema.superRefine((s, ctx) => {
  const uids = new Set<string>([s.studyInstanceUid]);
  for (const [i, series] of s.series.entries()) {
    if (uids.has(series.seriesInstanceUid)) {
      addCodedIssue(ctx, 'IMAGING_UID_DUPLICATE', ['series', i, 'seriesInstanceUid'], {
        uid: series.seriesInstanceUid,
      });
    }
    uids.add(series.seriesInstanceUid);
    for (const [j, instance] of series.instances.entries()) {
      if (uids.has(instance.sopInstanceUid)) {
        addCodedIssue(ctx, 'IMAGING_UID_DUPLICATE', ['series', i, 'instances', j, 'sopInstanceUid'], {
          uid: instance.sopInstanceUid,
        });
      }
      uids.add(instance.sopInstanceUid);
    }
  }
});
export type ImagingStudy = z.infer<typeof ImagingStudySchema>;
