import type { Result } from '../errors/app-error';
import { err, ok } from '../errors/app-error';
import type { DataSet, DicomReader } from './dataset';
import { createReader } from './dataset';
import type { DicomErrorCode } from './errors';
import { MEDIA_STORAGE_DIRECTORY_SOP_CLASS, TAG } from './tags';

/** One directory record of a DICOMDIR (PS3.3 F.3), with the context of its parents. */
export type DicomdirRecord = {
  /** PATIENT, STUDY, SERIES, IMAGE, RT DOSE, SR DOCUMENT, PRESENTATION … */
  readonly type: string;
  /** Referenced File ID (0004,1500): path components relative to the DICOMDIR's folder. */
  readonly fileId?: readonly string[];
  readonly referencedSopInstanceUid?: string;
  readonly patientId?: string;
  readonly patientName?: string;
  readonly studyInstanceUid?: string;
  readonly seriesInstanceUid?: string;
  readonly modality?: string;
  readonly children: readonly DicomdirRecord[];
};

export type Dicomdir = {
  readonly fileSetId?: string;
  readonly roots: readonly DicomdirRecord[];
  /** Every record with a Referenced File ID, in directory order (patient → study → series → instance). */
  readonly files: readonly DicomdirFileRef[];
};

export type DicomdirFileRef = {
  readonly fileId: readonly string[];
  readonly recordType: string;
  readonly referencedSopInstanceUid?: string;
  readonly patientId?: string;
  readonly patientName?: string;
  readonly studyInstanceUid?: string;
  readonly seriesInstanceUid?: string;
};

type RawRecord = {
  readonly start: number;
  readonly reader: DicomReader;
  readonly type: string;
  readonly next?: number;
  readonly lower?: number;
};

const LEVEL: Readonly<Record<string, number>> = { PATIENT: 0, STUDY: 1, SERIES: 2 };
const MAX_DEPTH = 16;

/** A Referenced File ID component: CS of upper-case letters, digits and underscore, at most 8 (PS3.10 8.2). Lenient on case and length. */
const FILE_ID_COMPONENT = /^[A-Za-z0-9_.-]{1,64}$/;

function uint32(reader: DicomReader, tag: string): number | undefined {
   
  const el = reader.dataSet.elements[tag];
  if (!el || el.length < 4) return undefined;
  const v = reader.dataSet.uint32(tag);
  return v === undefined || v === 0 ? undefined : v;
}

/**
 * Reads the directory records of a parsed DICOMDIR. The hierarchy follows the offsets
 * (next record, lower-level records) from the first root record, as the standard says;
 * when they are missing or point nowhere (media writers get them wrong), it falls back to
 * the order of the records (PATIENT → STUDY → SERIES → instance records). File IDs are
 * returned as written; resolving them against the medium (case-insensitively, as CDs
 * need) is the caller's job since it needs the file system.
 */
export function readDicomdir(dataSet: DataSet): Result<Dicomdir, DicomErrorCode> {
  try {
    return read(dataSet);
  } catch {
    return err('DICOMDIR_MALFORMED');
  }
}

function read(dataSet: DataSet): Result<Dicomdir, DicomErrorCode> {
  const top = createReader(dataSet);
  const sopClass = top.ascii(TAG.MediaStorageSopClassUid);
   
  const sequence = dataSet.elements[TAG.DirectoryRecordSequence];
  if ((sopClass !== undefined && sopClass !== MEDIA_STORAGE_DIRECTORY_SOP_CLASS) || !sequence?.items) {
    return err('DICOMDIR_MALFORMED');
  }
  const raw: RawRecord[] = [];
  for (const item of sequence.items) {
    if (!item.dataSet) continue;
    const reader = createReader(item.dataSet, top.charset);
    const next = uint32(reader, TAG.OffsetOfNextRecord);
    const lower = uint32(reader, TAG.OffsetOfLowerLevelRecords);
    raw.push({
      // dicom-parser's dataOffset is past the 8-byte item header; offsets in the DICOMDIR point at the header.
      start: item.dataOffset - 8,
      reader,
      type: (reader.ascii(TAG.DirectoryRecordType) ?? '').toUpperCase(),
      ...(next === undefined ? {} : { next }),
      ...(lower === undefined ? {} : { lower }),
    });
  }
  const fileSetId = top.text(TAG.FileSetId);
  const byOffset = new Map(raw.map((r) => [r.start, r]));
  const first = uint32(top, TAG.OffsetOfFirstRootRecord) ?? raw[0]?.start;

  const toRecord = (r: RawRecord, children: DicomdirRecord[], parent: Partial<DicomdirRecord>): DicomdirRecord => {
    const fileId = r.reader.asciiValues(TAG.ReferencedFileId);
    const sop = r.reader.ascii(TAG.ReferencedSopInstanceUidInFile);
    const patientId = r.type === 'PATIENT' ? r.reader.text(TAG.PatientId) : parent.patientId;
    const patientName = r.type === 'PATIENT' ? r.reader.personNameText(TAG.PatientName) : parent.patientName;
    const studyInstanceUid = r.type === 'STUDY' ? r.reader.ascii(TAG.StudyInstanceUid) : parent.studyInstanceUid;
    const seriesInstanceUid = r.type === 'SERIES' ? r.reader.ascii(TAG.SeriesInstanceUid) : parent.seriesInstanceUid;
    const modality = r.type === 'SERIES' ? r.reader.ascii(TAG.Modality) : parent.modality;
    return {
      type: r.type,
      // '.' and '..' never name a file on the medium: a record using them points outside it.
      ...(fileId.length > 0 && fileId.every((c) => FILE_ID_COMPONENT.test(c) && c !== '.' && c !== '..') ? { fileId } : {}),
      ...(sop === undefined ? {} : { referencedSopInstanceUid: sop }),
      ...(patientId === undefined ? {} : { patientId }),
      ...(patientName === undefined ? {} : { patientName }),
      ...(studyInstanceUid === undefined ? {} : { studyInstanceUid }),
      ...(seriesInstanceUid === undefined ? {} : { seriesInstanceUid }),
      ...(modality === undefined ? {} : { modality }),
      children,
    };
  };

  // By offsets: each chain of "next" records is one level; "lower" opens the level below.
  const visited = new Set<number>();
  const chain = (offset: number | undefined, parent: Partial<DicomdirRecord>, depth: number): DicomdirRecord[] | null => {
    const out: DicomdirRecord[] = [];
    let at = offset;
    while (at !== undefined) {
      const r = byOffset.get(at);
      if (!r || visited.has(at) || depth > MAX_DEPTH) return null;
      visited.add(at);
      const self = toRecord(r, [], parent);
      const children = r.lower === undefined ? [] : chain(r.lower, self, depth + 1);
      if (children === null) return null;
      out.push({ ...self, children });
      at = r.next;
    }
    return out;
  };
  let roots = first === undefined ? [] : chain(first, {}, 0);
  if (roots === null || visited.size < raw.length) {
    roots = byOrder(raw, toRecord);
  }
  const files: DicomdirFileRef[] = [];
  const collect = (records: readonly DicomdirRecord[]): void => {
    for (const rec of records) {
      if (rec.fileId) {
        files.push({
          fileId: rec.fileId,
          recordType: rec.type,
          ...(rec.referencedSopInstanceUid === undefined ? {} : { referencedSopInstanceUid: rec.referencedSopInstanceUid }),
          ...(rec.patientId === undefined ? {} : { patientId: rec.patientId }),
          ...(rec.patientName === undefined ? {} : { patientName: rec.patientName }),
          ...(rec.studyInstanceUid === undefined ? {} : { studyInstanceUid: rec.studyInstanceUid }),
          ...(rec.seriesInstanceUid === undefined ? {} : { seriesInstanceUid: rec.seriesInstanceUid }),
        });
      }
      collect(rec.children);
    }
  };
  collect(roots);
  return ok({ ...(fileSetId === undefined ? {} : { fileSetId }), roots, files });
}

/** The hierarchy from the order of the records alone. */
function byOrder(
  raw: readonly RawRecord[],
  toRecord: (r: RawRecord, children: DicomdirRecord[], parent: Partial<DicomdirRecord>) => DicomdirRecord,
): DicomdirRecord[] {
  type Node = { record: DicomdirRecord; children: DicomdirRecord[]; level: number };
  const roots: DicomdirRecord[] = [];
  const stack: Node[] = [];
  for (const r of raw) {
    const level = LEVEL[r.type] ?? 3;
    while (stack.length > 0 && (stack[stack.length - 1] as Node).level >= level) stack.pop();
    const parent = stack[stack.length - 1];
    const children: DicomdirRecord[] = [];
    const record = toRecord(r, children, parent?.record ?? {});
    if (parent) parent.children.push(record);
    else roots.push(record);
    stack.push({ record, children, level });
  }
  return roots;
}
