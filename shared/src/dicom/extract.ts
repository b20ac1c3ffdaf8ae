import type { ErrorPayload, Result } from '../errors/app-error';
import { err, ok } from '../errors/app-error';
import { DicomCodeStringSchema, DicomUidSchema } from '../schemas/imaging-study';
import type { DataSet } from './dataset';
import { createReader } from './dataset';
import type { DicomReader } from './dataset';
import type { DicomErrorCode, DicomWarningCode } from './errors';
import type { PersonName } from './person-name';
import { formatPersonName } from './person-name';
import { formatTag, NATIVE_TRANSFER_SYNTAXES, TAG, TRANSFER_SYNTAX } from './tags';

/** An identifier of the patient as the file gives it (Patient ID or an Other Patient IDs item). */
export type DicomPatientIdentifier = {
  readonly id: string;
  /** Issuer of Patient ID (0010,0021), or the Universal Entity ID of its qualifiers (an OID). */
  readonly issuer?: string;
  readonly universalEntityId?: string;
};

export type DicomPatient = {
  /** Decoded with the file's character set: `Buc^Jérôme`. */
  readonly nameRaw?: string;
  readonly name?: PersonName;
  /** `Buc, Jérôme`. */
  readonly displayName?: string;
  readonly birthDate?: string;
  readonly sex?: string;
  /** Patient ID first, then the Other Patient IDs Sequence items. */
  readonly identifiers: readonly DicomPatientIdentifier[];
};

export type DicomStudyIndex = {
  readonly studyInstanceUid: string;
  readonly studyDate?: string;
  readonly studyTime?: string;
  readonly description?: string;
  readonly accessionNumber?: string;
  readonly studyId?: string;
};

export type DicomSeriesIndex = {
  readonly seriesInstanceUid: string;
  readonly modality: string;
  readonly description?: string;
  readonly bodyPart?: string;
  readonly seriesNumber?: number;
};

export type DicomInstanceIndex = {
  readonly sopInstanceUid: string;
  readonly sopClassUid: string;
  readonly transferSyntaxUid: string;
  readonly instanceNumber?: number;
  /** Image Position (Patient), mm. */
  readonly imagePosition?: readonly [number, number, number];
  readonly imageOrientation?: readonly [number, number, number, number, number, number];
  readonly sliceLocation?: number;
  readonly frames: number;
  readonly rows?: number;
  readonly columns?: number;
  readonly photometric?: string;
  /** Row spacing then column spacing, mm (Pixel Spacing order). */
  readonly pixelSpacing?: readonly [number, number];
  readonly bitsAllocated?: number;
  readonly samplesPerPixel?: number;
  readonly hasPixelData: boolean;
};

/** Everything the import indexes from one file: plain data (crosses worker messages). */
export type DicomFileIndex = {
  readonly patient: DicomPatient;
  readonly study: DicomStudyIndex;
  readonly series: DicomSeriesIndex;
  readonly instance: DicomInstanceIndex;
  readonly characterSet: readonly string[];
  readonly warnings: readonly ErrorPayload<DicomWarningCode>[];
};

const INT_MAX = 2_147_483_647;

/** DICOM DA (`YYYYMMDD`, or the old `YYYY.MM.DD`) → ISO date, when it is a real calendar date. */
export function dicomDateToIso(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d{4})\.?(\d{2})\.?(\d{2})$/.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo, d] = m as unknown as [string, string, string, string];
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (date.getUTCFullYear() !== Number(y) || date.getUTCMonth() !== Number(mo) - 1 || date.getUTCDate() !== Number(d)) {
    return undefined;
  }
  return `${y}-${mo}-${d}`;
}

/** DICOM TM (`HHMMSS.FFFFFF`, `HHMM`, `HH`, or the old `HH:MM:SS`) → `HH:MM[:SS[.ffffff]]`. */
export function dicomTimeToIso(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  // eslint-disable-next-line security/detect-unsafe-regex -- bounded groups, each introduced by fixed-width digits
  const m = /^([01]\d|2[0-3]):?(?:([0-5]\d):?(?:([0-5]\d|60)(?:\.(\d{1,6}))?)?)?$/.exec(value.trim());
  if (!m) return undefined;
  const [, hh, mm = '00', ss, frac] = m;
  if (ss === undefined) return `${hh}:${mm}`;
  const sec = ss === '60' ? '59' : ss;
  return frac === undefined ? `${hh}:${mm}:${sec}` : `${hh}:${mm}:${sec}.${frac}`;
}

function clip(value: string | undefined, max: number): string | undefined {
  if (value === undefined) return undefined;
  const chars = [...value];
  return chars.length <= max ? value : chars.slice(0, max).join('');
}

function intOf(reader: DicomReader, tag: string): number | undefined {
  const n = reader.numbers(tag)[0];
  return n !== undefined && Number.isInteger(n) && n >= 0 && n <= INT_MAX ? n : undefined;
}

function identifiersOf(reader: DicomReader): DicomPatientIdentifier[] {
  const one = (r: DicomReader): DicomPatientIdentifier | undefined => {
    const id = r.text(TAG.PatientId);
    if (id === undefined) return undefined;
    const issuer = r.text(TAG.IssuerOfPatientId);
    const universalEntityId = r.items(TAG.IssuerOfPatientIdQualifiersSequence)[0]?.text(TAG.UniversalEntityId);
    return {
      id,
      ...(issuer === undefined ? {} : { issuer }),
      ...(universalEntityId === undefined ? {} : { universalEntityId }),
    };
  };
  const out: DicomPatientIdentifier[] = [];
  const main = one(reader);
  if (main) out.push(main);
  for (const item of reader.items(TAG.OtherPatientIdsSequence)) {
    const other = one(item);
    if (other) out.push(other);
  }
  return out;
}

function uidOf(
  reader: DicomReader,
  tags: readonly string[],
): Result<string, DicomErrorCode> {
  for (const tag of tags) {
    const value = reader.ascii(tag);
    if (value === undefined) continue;
    return DicomUidSchema.safeParse(value).success ? ok(value) : err('DICOM_UID_INVALID', { tag: formatTag(tag) });
  }
  return err('DICOM_REQUIRED_ELEMENT_MISSING', { tag: formatTag(tags[0] ?? '') });
}

function expectedPixelBytes(i: {
  rows?: number;
  columns?: number;
  bitsAllocated?: number;
  samplesPerPixel?: number;
  frames: number;
}): number | undefined {
  if (!i.rows || !i.columns || !i.bitsAllocated) return undefined;
  const bits = i.rows * i.columns * (i.samplesPerPixel ?? 1) * i.frames * i.bitsAllocated;
  return Math.ceil(bits / 8);
}

/**
 * The study / series / instance index of one parsed file, with its patient as the file
 * names them. Validates what the index needs: the three instance UIDs (present, well
 * formed), native pixel data as long as rows × columns × samples × frames × bits says.
 * Values the schema would refuse (a modality in lower case, an impossible date) are left
 * out with a DICOM_VALUE_IGNORED warning rather than failing the file.
 */
export function extractFileIndex(
  dataSet: DataSet,
  options: { readonly rawTransferSyntax?: string } = {},
): Result<DicomFileIndex, DicomErrorCode | DicomWarningCode> {
  try {
    return extract(dataSet, options.rawTransferSyntax);
  } catch {
    // dicom-parser accepted the structure but a value reader did not: still a typed error.
    return err('DICOM_MALFORMED');
  }
}

function extract(dataSet: DataSet, rawTransferSyntax: string | undefined): Result<DicomFileIndex, DicomErrorCode | DicomWarningCode> {
  const r = createReader(dataSet);
  const warnings: ErrorPayload<DicomWarningCode>[] = [];
  const ignored = (tag: string): void => {
    warnings.push({ code: 'DICOM_VALUE_IGNORED', params: { tag: formatTag(tag) } });
  };
  for (const term of r.charset.unsupported) {
    warnings.push({ code: 'DICOM_CHARSET_UNSUPPORTED', params: { charset: term || '(default)' } });
  }

  const sop = uidOf(r, [TAG.SopInstanceUid, TAG.MediaStorageSopInstanceUid]);
  if (!sop.ok) return sop;
  const sopClass = uidOf(r, [TAG.SopClassUid, TAG.MediaStorageSopClassUid]);
  if (!sopClass.ok) return sopClass;
  const studyUid = uidOf(r, [TAG.StudyInstanceUid]);
  if (!studyUid.ok) return studyUid;
  const seriesUid = uidOf(r, [TAG.SeriesInstanceUid]);
  if (!seriesUid.ok) return seriesUid;
  const transferSyntaxUid = r.ascii(TAG.TransferSyntaxUid) ?? rawTransferSyntax ?? TRANSFER_SYNTAX.ImplicitVrLittleEndian;
  if (rawTransferSyntax !== undefined) warnings.push({ code: 'DICOM_NO_PART10_HEADER' });

  // Patient
  const nameRaw = r.personNameText(TAG.PatientName);
  const name = r.personName(TAG.PatientName);
  const birthRaw = r.ascii(TAG.PatientBirthDate);
  const birthDate = dicomDateToIso(birthRaw);
  if (birthRaw !== undefined && birthDate === undefined) ignored(TAG.PatientBirthDate);
  const sex = r.ascii(TAG.PatientSex);
  const displayName = name ? formatPersonName(name) : undefined;
  const patient: DicomPatient = {
    ...(nameRaw === undefined ? {} : { nameRaw }),
    ...(name === undefined ? {} : { name }),
    ...(displayName ? { displayName } : {}),
    ...(birthDate === undefined ? {} : { birthDate }),
    ...(sex === undefined ? {} : { sex }),
    identifiers: identifiersOf(r),
  };

  // Study
  const dateRaw = r.ascii(TAG.StudyDate);
  const studyDate = dicomDateToIso(dateRaw);
  if (dateRaw !== undefined && studyDate === undefined) ignored(TAG.StudyDate);
  const timeRaw = r.ascii(TAG.StudyTime);
  const studyTime = dicomTimeToIso(timeRaw);
  if (timeRaw !== undefined && studyTime === undefined) ignored(TAG.StudyTime);
  const studyDescription = clip(r.text(TAG.StudyDescription), 64);
  const accessionNumber = clip(r.text(TAG.AccessionNumber), 16);
  const studyId = clip(r.text(TAG.StudyId), 16);
  const study: DicomStudyIndex = {
    studyInstanceUid: studyUid.value,
    ...(studyDate === undefined ? {} : { studyDate }),
    ...(studyTime === undefined ? {} : { studyTime }),
    ...(studyDescription === undefined ? {} : { description: studyDescription }),
    ...(accessionNumber === undefined ? {} : { accessionNumber }),
    ...(studyId === undefined ? {} : { studyId }),
  };

  // Series
  const codeString = (tag: string): string | undefined => {
    const raw = r.ascii(tag);
    if (raw === undefined) return undefined;
    const upper = raw.toUpperCase();
    if (DicomCodeStringSchema.safeParse(upper).success) return upper;
    ignored(tag);
    return undefined;
  };
  const modality = codeString(TAG.Modality) ?? 'OT';
  const seriesDescription = clip(r.text(TAG.SeriesDescription), 64);
  const bodyPart = codeString(TAG.BodyPartExamined);
  const seriesNumber = intOf(r, TAG.SeriesNumber);
  const series: DicomSeriesIndex = {
    seriesInstanceUid: seriesUid.value,
    modality,
    ...(seriesDescription === undefined ? {} : { description: seriesDescription }),
    ...(bodyPart === undefined ? {} : { bodyPart }),
    ...(seriesNumber === undefined ? {} : { seriesNumber }),
  };

  // Instance
  const position = r.numbers(TAG.ImagePositionPatient);
  const orientation = r.numbers(TAG.ImageOrientationPatient);
  const spacing = r.numbers(TAG.PixelSpacing).filter((n) => n > 0);
  const sliceLocation = r.numbers(TAG.SliceLocation)[0];
  const framesRaw = intOf(r, TAG.NumberOfFrames);
  const frames = framesRaw !== undefined && framesRaw >= 1 && framesRaw <= 100_000 ? framesRaw : 1;
  const rows = r.uint16(TAG.Rows);
  const columns = r.uint16(TAG.Columns);
  const bitsAllocated = r.uint16(TAG.BitsAllocated);
  const samplesPerPixel = r.uint16(TAG.SamplesPerPixel);
  const photometric = r.ascii(TAG.PhotometricInterpretation);
  const instanceNumber = intOf(r, TAG.InstanceNumber);
   
  const pixel = dataSet.elements[TAG.PixelData] ?? dataSet.elements[TAG.FloatPixelData] ?? dataSet.elements[TAG.DoubleFloatPixelData];
  const instance: DicomInstanceIndex = {
    sopInstanceUid: sop.value,
    sopClassUid: sopClass.value,
    transferSyntaxUid,
    ...(instanceNumber === undefined ? {} : { instanceNumber }),
    ...(position.length === 3 ? { imagePosition: position as unknown as [number, number, number] } : {}),
    ...(orientation.length === 6
      ? { imageOrientation: orientation as unknown as [number, number, number, number, number, number] }
      : {}),
    ...(sliceLocation === undefined ? {} : { sliceLocation }),
    frames,
    ...(rows === undefined ? {} : { rows }),
    ...(columns === undefined ? {} : { columns }),
    ...(photometric === undefined ? {} : { photometric: clip(photometric, 16) as string }),
    ...(spacing.length === 2 ? { pixelSpacing: spacing as unknown as [number, number] } : {}),
    ...(bitsAllocated === undefined ? {} : { bitsAllocated }),
    ...(samplesPerPixel === undefined ? {} : { samplesPerPixel }),
    hasPixelData: pixel !== undefined,
  };

  if (pixel) {
    if (pixel.dataOffset + (pixel.encapsulatedPixelData ? 0 : pixel.length) > dataSet.byteArray.length) {
      return err('DICOM_PIXEL_DATA_TRUNCATED');
    }
    if (!pixel.encapsulatedPixelData && NATIVE_TRANSFER_SYNTAXES.has(transferSyntaxUid)) {
      const expected = expectedPixelBytes(instance);
      if (expected !== undefined && pixel.length < expected) {
        return err('DICOM_PIXEL_DATA_TRUNCATED', { expected, actual: pixel.length });
      }
    }
  }

  return ok({ patient, study, series, instance, characterSet: r.charset.terms, warnings });
}
