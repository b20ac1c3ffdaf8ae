/** Codes of the DICOM reading and validation of this folder; each is in the imaging catalogue. */
export const DICOM_ERROR_CODES = [
  'DICOM_NOT_DICOM',
  'DICOM_TRUNCATED',
  'DICOM_MALFORMED',
  'DICOM_DEFLATE_FAILED',
  'DICOM_REQUIRED_ELEMENT_MISSING',
  'DICOM_UID_INVALID',
  'DICOM_PIXEL_DATA_TRUNCATED',
  'DICOMDIR_MALFORMED',
] as const;
export type DicomErrorCode = (typeof DICOM_ERROR_CODES)[number];

/** Warnings: the file is indexed, with something to tell. */
export const DICOM_WARNING_CODES = ['DICOM_CHARSET_UNSUPPORTED', 'DICOM_VALUE_IGNORED', 'DICOM_NO_PART10_HEADER'] as const;
export type DicomWarningCode = (typeof DICOM_WARNING_CODES)[number];
