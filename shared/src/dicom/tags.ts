/**
 * DICOM tags the import reads, in dicom-parser's key form `xggggeeee` (lower-case hex).
 * Names follow PS3.6; only what the project uses is listed.
 */
export const TAG = {
  // File meta information (group 0002)
  MediaStorageSopClassUid: 'x00020002',
  MediaStorageSopInstanceUid: 'x00020003',
  TransferSyntaxUid: 'x00020010',
  // DICOMDIR (group 0004)
  FileSetId: 'x00041130',
  OffsetOfFirstRootRecord: 'x00041200',
  DirectoryRecordSequence: 'x00041220',
  OffsetOfNextRecord: 'x00041400',
  OffsetOfLowerLevelRecords: 'x00041420',
  DirectoryRecordType: 'x00041430',
  ReferencedFileId: 'x00041500',
  ReferencedSopInstanceUidInFile: 'x00041511',
  ReferencedTransferSyntaxUidInFile: 'x00041512',
  // Patient, study, series, instance
  SpecificCharacterSet: 'x00080005',
  SopClassUid: 'x00080016',
  SopInstanceUid: 'x00080018',
  StudyDate: 'x00080020',
  StudyTime: 'x00080030',
  AccessionNumber: 'x00080050',
  Modality: 'x00080060',
  StudyDescription: 'x00081030',
  SeriesDescription: 'x0008103e',
  PatientName: 'x00100010',
  PatientId: 'x00100020',
  IssuerOfPatientId: 'x00100021',
  IssuerOfPatientIdQualifiersSequence: 'x00100024',
  PatientBirthDate: 'x00100030',
  PatientSex: 'x00100040',
  OtherPatientIdsSequence: 'x00101002',
  BodyPartExamined: 'x00180015',
  StudyInstanceUid: 'x0020000d',
  SeriesInstanceUid: 'x0020000e',
  StudyId: 'x00200010',
  SeriesNumber: 'x00200011',
  InstanceNumber: 'x00200013',
  ImagePositionPatient: 'x00200032',
  ImageOrientationPatient: 'x00200037',
  SliceLocation: 'x00201041',
  SamplesPerPixel: 'x00280002',
  PhotometricInterpretation: 'x00280004',
  NumberOfFrames: 'x00280008',
  Rows: 'x00280010',
  Columns: 'x00280011',
  PixelSpacing: 'x00280030',
  BitsAllocated: 'x00280100',
  BitsStored: 'x00280101',
  UniversalEntityId: 'x00400032',
  UniversalEntityIdType: 'x00400033',
  PixelData: 'x7fe00010',
  FloatPixelData: 'x7fe00008',
  DoubleFloatPixelData: 'x7fe00009',
} as const;
export type TagKey = (typeof TAG)[keyof typeof TAG];

/** `x00100010` → `(0010,0010)`, the form people read in tag browsers and error messages. */
export function formatTag(tag: string): string {
  const hex = tag.replace(/^x/, '').toUpperCase().padStart(8, '0');
  return `(${hex.slice(0, 4)},${hex.slice(4)})`;
}

/** Transfer syntaxes the import knows by name (it indexes any syntax it can read the structure of). */
export const TRANSFER_SYNTAX = {
  ImplicitVrLittleEndian: '1.2.840.10008.1.2',
  ExplicitVrLittleEndian: '1.2.840.10008.1.2.1',
  DeflatedExplicitVrLittleEndian: '1.2.840.10008.1.2.1.99',
  ExplicitVrBigEndian: '1.2.840.10008.1.2.2',
  JpegBaseline: '1.2.840.10008.1.2.4.50',
  JpegExtended: '1.2.840.10008.1.2.4.51',
  JpegLossless: '1.2.840.10008.1.2.4.57',
  JpegLosslessSv1: '1.2.840.10008.1.2.4.70',
  JpegLsLossless: '1.2.840.10008.1.2.4.80',
  JpegLsNearLossless: '1.2.840.10008.1.2.4.81',
  Jpeg2000Lossless: '1.2.840.10008.1.2.4.90',
  Jpeg2000: '1.2.840.10008.1.2.4.91',
  Rle: '1.2.840.10008.1.2.5',
} as const;

/** Transfer syntaxes whose pixel data is native (not encapsulated): its length can be checked. */
export const NATIVE_TRANSFER_SYNTAXES: ReadonlySet<string> = new Set([
  TRANSFER_SYNTAX.ImplicitVrLittleEndian,
  TRANSFER_SYNTAX.ExplicitVrLittleEndian,
  TRANSFER_SYNTAX.DeflatedExplicitVrLittleEndian,
  TRANSFER_SYNTAX.ExplicitVrBigEndian,
]);

/** The DICOMDIR's Media Storage SOP Class (Media Storage Directory Storage). */
export const MEDIA_STORAGE_DIRECTORY_SOP_CLASS = '1.2.840.10008.1.3.10';
