export type { SpecificCharacterSet } from './charset';
export { decodeDicomText, parseSpecificCharacterSet, splitValues } from './charset';
export type { DataSet, DicomReader, Element } from './dataset';
export { createReader } from './dataset';
export type { Dicomdir, DicomdirFileRef, DicomdirRecord } from './dicomdir';
export { readDicomdir } from './dicomdir';
export type { DicomErrorCode, DicomWarningCode } from './errors';
export { DICOM_ERROR_CODES, DICOM_WARNING_CODES } from './errors';
export type {
  DicomFileIndex,
  DicomInstanceIndex,
  DicomPatient,
  DicomPatientIdentifier,
  DicomSeriesIndex,
  DicomStudyIndex,
} from './extract';
export { dicomDateToIso, dicomTimeToIso, extractFileIndex } from './extract';
export type { ParseDicomOptions } from './parse';
export { hasPart10Prefix, parseDicomPart10 } from './parse';
export { IMPLEMENTATION_CLASS_UID, rawDataSetTransferSyntax, wrapInPart10 } from './part10';
export type { PersonName, PersonNameGroup } from './person-name';
export { formatPersonName, isEmptyPersonName, parsePersonName } from './person-name';
export type { DicomInsCandidate } from './patient-ids';
export { insOfDicomPatient } from './patient-ids';
export type { TagKey } from './tags';
export { formatTag, MEDIA_STORAGE_DIRECTORY_SOP_CLASS, NATIVE_TRANSFER_SYNTAXES, TAG, TRANSFER_SYNTAX } from './tags';
