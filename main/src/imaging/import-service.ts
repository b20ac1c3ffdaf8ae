import type { RxDocument } from 'rxdb';
import type { z } from 'zod';
import type {
  ImportFileResultSchema,
  ImportFileStatusSchema,
  ImportProgressEventSchema,
  ImportSnapshotSchema,
  ImportStateSchema,
  ImportStudyResultSchema,
  ImportStudyStatusSchema,
} from '../../../shared/src/api/imaging-contract';
import type { DicomFileIndex } from '../../../shared/src/dicom';
import type { ErrorPayload } from '../../../shared/src/errors';
import { AppError } from '../../../shared/src/errors';
import { insOfDicomPatient } from '../../../shared/src/dicom';
import type { ImagingStudy, Patient } from '../../../shared/src/schemas';
import { DicomCodeStringSchema, DicomUidSchema, ImagingStudySchema } from '../../../shared/src/schemas';
import type { Access } from '../services/access';
import type { ServiceDeps } from '../services/context';
import { defaultNewId, instantOf } from '../services/context';
import { plain } from '../services/plain';
import type { DicomWorker } from './dicom-worker-client';
import type { PatientMatch } from './patient-match';
import { filePatientKey, filePatientLabel, matchPatient } from './patient-match';
import type { ScannedFile } from './protocol';

// ---------------------------------------------------------------- what the UI sees

// The shapes are the contract's (shared/src/api/imaging-contract.ts): one definition for host and UI.
export type ImportFileStatus = z.infer<typeof ImportFileStatusSchema>;
export type ImportFileResult = z.infer<typeof ImportFileResultSchema>;
export type ImportStudyStatus = z.infer<typeof ImportStudyStatusSchema>;
export type ImportStudyResult = z.infer<typeof ImportStudyResultSchema>;
export type ImportState = z.infer<typeof ImportStateSchema>;
export type ImportSnapshot = z.infer<typeof ImportSnapshotSchema>;
export type ImportProgressEvent = z.infer<typeof ImportProgressEventSchema>;

export type ConfirmDecision = { readonly attach: true; readonly patientId: string } | { readonly attach: false };

export type ImagingImportService = {
  /** Starts an import of files, folders or DICOMDIR media; the target patient is optional (matching proposes one). */
  start(request: { readonly paths: readonly string[]; readonly patientId?: string }): Promise<{ importId: string }>;
  /** Stops between files; studies already stored stay complete, the rest is not added. */
  cancel(importId: string): Promise<ImportSnapshot>;
  /** Attaches a study waiting for confirmation to a patient, or sets it aside. */
  confirm(importId: string, studyInstanceUid: string, decision: ConfirmDecision): Promise<ImportSnapshot>;
  status(importId: string): ImportSnapshot;
  /** Resolves when the import is done, cancelled, failed, or waits for a confirmation. */
  settled(importId: string): Promise<ImportSnapshot>;
  onProgress(listener: (event: ImportProgressEvent) => void): () => void;
  close(): Promise<void>;
};

export type ImagingImportDeps = ServiceDeps & {
  readonly access: Access;
  /** The DICOM worker thread (started lazily by the caller, shared by imports). */
  readonly worker: () => Promise<DicomWorker>;
  /** Files above this size are refused (default 1 GiB). */
  readonly maxFileBytes?: number;
  /** Minimum time between two progress events of one import (default 100 ms); state changes are sent at once. */
  readonly progressIntervalMs?: number;
  /**
   * Bytes of files stored per write (default 64 MiB): a study up to this size is one
   * write; a larger one is several, rolled back together. Bounds memory, and the main
   * thread's share of a write (RxDB hashes a new document's inline attachments there).
   */
  readonly chunkBytes?: number;
};

// ---------------------------------------------------------------- internals

type Indexed = Extract<ScannedFile, { status: 'indexed' }>;

type StudyWork = {
  readonly uid: string;
  readonly files: Indexed[];
  /** SOP Instance UIDs of `files`. */
  readonly sops: Set<string>;
  status: ImportStudyStatus;
  reason?: ErrorPayload;
  patientId?: string;
  match?: ImportStudyResult['match'];
  added: number;
  alreadyPresent: number;
  studyId?: string;
};

type ImportWork = {
  readonly id: string;
  readonly targetPatientId?: string;
  state: ImportState;
  phase: 'scan' | 'store';
  done: number;
  total: number;
  readonly files: Map<string, ImportFileResult>;
  readonly studies: Map<string, StudyWork>;
  cancelled: boolean;
  cancelScan?: () => void;
  cancelLoad?: () => void;
  error?: ErrorPayload;
  /** The last commit of this import (commits of all imports run one at a time). */
  chain: Promise<void>;
  readonly settledListeners: Set<() => void>;
};

const MAX_KEPT_IMPORTS = 8;
const DEFAULT_MAX_FILE_BYTES = 2 ** 30;
/** How long `close` waits for cancelled imports to reach their final state (their last progress event). */
const CLOSE_SETTLE_MS = 5000;

const instanceOf = (f: Indexed): ImagingStudy['series'][number]['instances'][number] => {
  const i = f.index.instance;
  const photometric = i.photometric !== undefined && DicomCodeStringSchema.safeParse(i.photometric).success ? i.photometric : undefined;
  const ts = DicomUidSchema.safeParse(i.transferSyntaxUid).success ? i.transferSyntaxUid : undefined;
  return {
    sopInstanceUid: i.sopInstanceUid,
    sopClassUid: i.sopClassUid,
    ...(i.instanceNumber === undefined ? {} : { instanceNumber: i.instanceNumber }),
    ...(i.imagePosition === undefined ? {} : { imagePosition: [...i.imagePosition] }),
    ...(i.sliceLocation === undefined ? {} : { sliceLocation: i.sliceLocation }),
    frames: i.frames,
    attachmentId: i.sopInstanceUid,
    ...(ts === undefined ? {} : { transferSyntaxUid: ts }),
    ...(i.rows ? { rows: i.rows } : {}),
    ...(i.columns ? { columns: i.columns } : {}),
    ...(photometric === undefined ? {} : { photometric }),
    ...(i.pixelSpacing === undefined ? {} : { pixelSpacing: [...i.pixelSpacing] }),
    ...(i.imageOrientation === undefined || i.imageOrientation.some((v) => v < -1 || v > 1)
      ? {}
      : { imageOrientation: [...i.imageOrientation] }),
    size: f.size,
  };
};

const byInstanceOrder = (
  a: ImagingStudy['series'][number]['instances'][number],
  b: ImagingStudy['series'][number]['instances'][number],
): number =>
  (a.instanceNumber ?? Number.MAX_SAFE_INTEGER) - (b.instanceNumber ?? Number.MAX_SAFE_INTEGER) ||
  (a.sopInstanceUid < b.sopInstanceUid ? -1 : a.sopInstanceUid > b.sopInstanceUid ? 1 : 0);

/** The study document with `files` merged in (series created or extended, instances ordered). */
export function mergeStudy(base: ImagingStudy, files: readonly Indexed[], now: string): ImagingStudy {
  const series = base.series.map((s) => ({ ...s, instances: [...s.instances] }));
  for (const f of files) {
    const idx: DicomFileIndex = f.index;
    let s = series.find((x) => x.seriesInstanceUid === idx.series.seriesInstanceUid);
    if (!s) {
      s = {
        seriesInstanceUid: idx.series.seriesInstanceUid,
        modality: idx.series.modality,
        ...(idx.series.description === undefined ? {} : { description: idx.series.description }),
        ...(idx.series.bodyPart === undefined ? {} : { bodyPart: idx.series.bodyPart }),
        ...(idx.series.seriesNumber === undefined ? {} : { seriesNumber: idx.series.seriesNumber }),
        instances: [],
      };
      series.push(s);
    }
    s.instances.push(instanceOf(f));
  }
  for (const s of series) s.instances.sort(byInstanceOrder);
  series.sort((a, b) => (a.seriesNumber ?? Number.MAX_SAFE_INTEGER) - (b.seriesNumber ?? Number.MAX_SAFE_INTEGER));
  const modalities = [...new Set(series.map((s) => s.modality))].slice(0, 32);
  return { ...base, series, modalities, updatedAt: now };
}

function newStudy(
  id: string,
  patientId: string,
  studyInstanceUid: string,
  first: Indexed,
  patientMatch: 'ins' | 'confirmed' | undefined,
  now: string,
): ImagingStudy {
  const { study, patient } = first.index;
  const cut = (v: string, max: number): string => [...v].slice(0, max).join('');
  return {
    id,
    patientId,
    studyInstanceUid,
    ...(study.studyDate === undefined ? {} : { studyDate: study.studyDate }),
    ...(study.studyTime === undefined ? {} : { studyTime: study.studyTime }),
    ...(study.description === undefined ? {} : { description: study.description }),
    ...(study.accessionNumber === undefined ? {} : { accessionNumber: study.accessionNumber }),
    modalities: [],
    series: [],
    filePatient: {
      ...(patient.nameRaw === undefined ? {} : { name: cut(patient.nameRaw, 200) }),
      ...(patient.identifiers[0] === undefined ? {} : { id: cut(patient.identifiers[0].id, 64) }),
      ...(patient.birthDate === undefined ? {} : { birthDate: patient.birthDate }),
    },
    ...(patientMatch === undefined ? {} : { patientMatch }),
    createdAt: now,
    updatedAt: now,
  };
}

/** Files in groups of at most `maxBytes` (a file larger than that is a group of its own). */
export function chunksOf<T extends { readonly size: number }>(files: readonly T[], maxBytes: number): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let size = 0;
  for (const f of files) {
    if (current.length > 0 && size + f.size > maxBytes) {
      out.push(current);
      current = [];
      size = 0;
    }
    current.push(f);
    size += f.size;
  }
  if (current.length > 0) out.push(current);
  return out;
}

function studyResult(s: StudyWork): ImportStudyResult {
  const first = s.files[0]?.index;
  const p = first?.patient;
  const modalities = [...new Set(s.files.map((f) => f.index.series.modality))];
  return {
    studyInstanceUid: s.uid,
    status: s.status,
    ...(s.reason ? { reason: s.reason } : {}),
    ...(first?.study.description === undefined ? {} : { description: first.study.description }),
    ...(first?.study.studyDate === undefined ? {} : { studyDate: first.study.studyDate }),
    modalities,
    fileCount: s.files.length,
    filePatient: {
      ...(p?.displayName === undefined ? {} : { name: p.displayName }),
      ...(p?.birthDate === undefined ? {} : { birthDate: p.birthDate }),
      ...(p?.identifiers[0] === undefined ? {} : { id: p.identifiers[0].id }),
      ...(p?.sex === undefined ? {} : { sex: p.sex }),
    },
    ...(s.patientId === undefined ? {} : { patientId: s.patientId }),
    ...(s.match === undefined ? {} : { match: s.match }),
    added: s.added,
    alreadyPresent: s.alreadyPresent,
    ...(s.studyId === undefined ? {} : { studyId: s.studyId }),
  };
}

function snapshotOf(w: ImportWork): ImportSnapshot {
  return {
    importId: w.id,
    state: w.state,
    ...(w.targetPatientId === undefined ? {} : { patientId: w.targetPatientId }),
    progress: { phase: w.phase, done: w.done, total: w.total },
    files: [...w.files.values()],
    studies: [...w.studies.values()].map(studyResult),
    ...(w.error ? { error: w.error } : {}),
  };
}

export function createImagingImportService(deps: ImagingImportDeps): ImagingImportService {
  const { db, access } = deps;
  const newId = deps.newId ?? defaultNewId;
  const maxFileBytes = deps.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const interval = deps.progressIntervalMs ?? 100;
  const chunkBytes = deps.chunkBytes ?? 64 * 2 ** 20;
  const imports = new Map<string, ImportWork>();
  const listeners = new Set<(e: ImportProgressEvent) => void>();
  const lastSent = new Map<string, { at: number; state: ImportState }>();
  let closed = false;

  const emit = (w: ImportWork, force = false): void => {
    const now = deps.clock.now();
    const last = lastSent.get(w.id);
    if (!force && last && last.state === w.state && now - last.at < interval) return;
    lastSent.set(w.id, { at: now, state: w.state });
    let imported = 0;
    let failed = 0;
    let awaiting = 0;
    for (const f of w.files.values()) {
      if (f.status === 'imported') imported++;
      else if (f.status === 'failed' || f.status === 'refused') failed++;
      else if (f.status === 'awaiting-confirmation') awaiting++;
    }
    const event: ImportProgressEvent = { importId: w.id, state: w.state, phase: w.phase, done: w.done, total: w.total, imported, failed, awaiting };
    for (const l of listeners) l(event);
  };

  const setFile = (w: ImportWork, result: ImportFileResult): void => {
    w.files.set(result.path, result);
  };
  const setStudyFiles = (w: ImportWork, s: StudyWork, status: ImportFileStatus, reason?: ErrorPayload, only?: (f: Indexed) => boolean): void => {
    for (const f of s.files) {
      if (only && !only(f)) continue;
      const previous = w.files.get(f.path);
      setFile(w, {
        path: f.path,
        status,
        ...(reason ? { reason } : {}),
        ...(previous?.warnings ? { warnings: previous.warnings } : {}),
        studyInstanceUid: s.uid,
        sopInstanceUid: f.index.instance.sopInstanceUid,
      });
    }
  };

  const finishIfSettled = (w: ImportWork): void => {
    if (w.state === 'scanning') return;
    const studies = [...w.studies.values()];
    if (studies.some((s) => s.status === 'pending' || s.status === 'importing')) return;
    if (w.state !== 'cancelled' && w.state !== 'failed') {
      w.state = studies.some((s) => s.status === 'awaiting-confirmation') ? 'waiting' : 'done';
    }
    emit(w, true);
    for (const l of w.settledListeners) l();
    w.settledListeners.clear();
  };

  const loadPatient = async (id: string): Promise<Patient> => {
    const doc = await db.patient.findOne(id).exec();
    if (doc === null) throw new AppError('PATIENT_NOT_FOUND');
    return plain<Patient>(doc.toJSON());
  };

  /** Candidates for a study without a target patient: by INS/NIR, else by birth date and names. */
  const proposePatient = async (s: StudyWork): Promise<{ patientId?: string; match: PatientMatch['kind'] | 'none' }> => {
    const filePatient = s.files[0]?.index.patient;
    if (!filePatient) return { match: 'none' };
    return access.run(
      { action: 'search', dataClass: 'administrative', object: { collection: 'patient', id: 'imaging_import_match' } },
      async () => {
        const ins = insOfDicomPatient(filePatient);
        if (ins) {
          const byIns = await db.patient.find({ selector: { $or: [{ nir: ins.matricule }, { 'ins.matricule': ins.matricule }] } }).exec();
          const same = byIns.map((d) => plain<Patient>(d.toJSON())).filter((p) => matchPatient(filePatient, p).kind === 'ins');
          if (same.length === 1 && same[0]) return { patientId: same[0].id, match: 'ins' as const };
        }
        const candidates = filePatient.birthDate ? await db.patient.find({ selector: { birthDate: filePatient.birthDate } }).exec() : [];
        // A candidate whose INS differs from the file's is another person, whatever the names.
        const traits = candidates.map((d) => plain<Patient>(d.toJSON())).filter((p) => matchPatient(filePatient, p).kind === 'traits');
        if (traits.length === 1 && traits[0]) return { patientId: traits[0].id, match: 'traits' as const };
        return { match: 'none' as const };
      },
    );
  };

  /** Decides what happens to one study after the scan: stored now, waiting for a person, or refused. */
  const decide = async (w: ImportWork, s: StudyWork): Promise<'commit' | 'wait' | 'stop'> => {
    // One patient per study: same name and Patient ID everywhere, and no two different birth dates
    // (a file without a birth date, such as some structured reports, does not disagree).
    const keys = new Set(s.files.map((f) => filePatientKey(f.index.patient)));
    const births = new Set(s.files.flatMap((f) => (f.index.patient.birthDate === undefined ? [] : [f.index.patient.birthDate])));
    if (keys.size > 1 || births.size > 1) {
      s.status = 'failed';
      s.reason = { code: 'IMAGING_STUDY_PATIENTS_DIFFER' };
      setStudyFiles(w, s, 'failed', s.reason);
      return 'stop';
    }
    const filePatient = (s.files[0] as Indexed).index.patient;
    const label = filePatientLabel(filePatient);
    const existing = await db.imaging_study.findOne({ selector: { studyInstanceUid: s.uid } }).exec();
    if (existing) {
      if (w.targetPatientId !== undefined && existing.patientId !== w.targetPatientId) {
        s.status = 'refused';
        s.reason = { code: 'IMAGING_STUDY_OTHER_PATIENT' };
        setStudyFiles(w, s, 'refused', s.reason);
        return 'stop';
      }
      // Already filed (after a match or a confirmation): more of the same study joins it.
      s.patientId = existing.patientId;
      s.match = 'existing';
      return 'commit';
    }
    if (w.targetPatientId === undefined) {
      const proposal = await proposePatient(s);
      s.match = proposal.match === 'ins' ? 'ins' : proposal.match === 'traits' ? 'traits' : 'none';
      if (proposal.patientId !== undefined) s.patientId = proposal.patientId;
      if (proposal.match === 'ins') return 'commit';
      s.status = 'awaiting-confirmation';
      s.reason = {
        code: proposal.patientId === undefined ? 'IMAGING_PATIENT_NOT_FOUND' : 'IMAGING_PATIENT_CONFIRMATION_REQUIRED',
        params: { filePatient: label },
      };
      setStudyFiles(w, s, 'awaiting-confirmation', s.reason);
      return 'wait';
    }
    const patient = await loadPatient(w.targetPatientId);
    const m = matchPatient(filePatient, patient);
    s.patientId = patient.id;
    switch (m.kind) {
      case 'ins':
        s.match = 'ins';
        return 'commit';
      case 'ins-mismatch':
        s.match = 'mismatch';
        s.status = 'refused';
        s.reason = { code: 'IMAGING_PATIENT_INS_MISMATCH' };
        setStudyFiles(w, s, 'refused', s.reason);
        return 'stop';
      case 'traits':
      case 'mismatch':
        s.match = m.kind;
        s.status = 'awaiting-confirmation';
        s.reason = {
          code: m.kind === 'traits' ? 'IMAGING_PATIENT_CONFIRMATION_REQUIRED' : 'IMAGING_PATIENT_MISMATCH',
          params: { filePatient: label },
        };
        setStudyFiles(w, s, 'awaiting-confirmation', s.reason);
        return 'wait';
    }
  };

  /** Reads one chunk's files again (checked against the scan's SHA-256); a file that fails is marked and left out. */
  const loadChunk = async (w: ImportWork, s: StudyWork, chunk: readonly Indexed[]): Promise<Map<string, Uint8Array>> => {
    const bytes = new Map<string, Uint8Array>();
    const worker = await deps.worker();
    const loading = worker.load(
      chunk.map((f) => ({
        path: f.path,
        sha256: f.sha256,
        ...(f.raw === undefined
          ? {}
          : {
              wrap: {
                sopClassUid: f.index.instance.sopClassUid,
                sopInstanceUid: f.index.instance.sopInstanceUid,
                transferSyntaxUid: f.raw,
              },
            }),
      })),
      (file, result) => {
        if ('bytes' in result) bytes.set(file, result.bytes);
        else {
          const f = chunk.find((x) => x.path === file);
          setFile(w, {
            path: file,
            status: 'failed',
            reason: result.error,
            studyInstanceUid: s.uid,
            ...(f ? { sopInstanceUid: f.index.instance.sopInstanceUid } : {}),
          });
        }
        w.done++;
        emit(w);
      },
    );
    w.cancelLoad = loading.cancel;
    try {
      await loading.done;
    } finally {
      w.cancelLoad = undefined;
    }
    return bytes;
  };

  /** Takes the instances this commit added back out (the whole document if it created it). */
  const rollback = async (studyId: string, created: boolean, added: readonly Indexed[], seriesBefore: ReadonlySet<string>): Promise<void> => {
    const doc = await db.imaging_study.findOne(studyId).exec();
    if (!doc) return;
    const ids = new Set(added.map((f) => f.index.instance.sopInstanceUid));
    await db.imaging_study.incrementalWriteQueue.addWrite((doc as RxDocument<ImagingStudy>)._data, (data) => {
      if (created) return { ...data, _deleted: true, _attachments: {} };
      const series = data.series
        .map((x) => ({ ...x, instances: x.instances.filter((i) => !ids.has(i.sopInstanceUid)) }))
        .filter((x) => x.instances.length > 0 || seriesBefore.has(x.seriesInstanceUid));
      const atts = Object.fromEntries(Object.entries(data._attachments).filter(([id]) => !ids.has(id)));
      return { ...data, series, modalities: [...new Set(series.map((x) => x.modality))], _attachments: atts } as typeof data;
    });
  };

  /**
   * Stores one study: every new instance's file and the index in one write (one SQLite
   * transaction), or, for a study larger than `chunkBytes`, in several writes that are
   * taken back out if a later one fails or the import is cancelled. Nothing half-stored stays.
   */
  const commit = async (w: ImportWork, s: StudyWork, patientMatch: 'ins' | 'confirmed' | undefined): Promise<void> => {
    const patientId = s.patientId as string;
    s.status = 'importing';
    w.phase = 'store';
    emit(w, true);
    const existing = await db.imaging_study.findOne({ selector: { studyInstanceUid: s.uid } }).exec();
    const studyId = existing?.id ?? newId();
    try {
      await access.run(
        { action: 'import', dataClass: 'clinical', patientId, object: { collection: 'imaging_study', id: studyId } },
        async () => {
          if (existing && existing.patientId !== patientId) throw new AppError('IMAGING_STUDY_OTHER_PATIENT');
          const present = new Set(existing?.series.flatMap((x) => x.instances.map((i) => i.sopInstanceUid)) ?? []);
          const isPresent = (f: Indexed): boolean => present.has(f.index.instance.sopInstanceUid);
          s.alreadyPresent = s.files.filter(isPresent).length;
          w.done += s.alreadyPresent;
          setStudyFiles(w, s, 'already-present', { code: 'IMAGING_INSTANCE_ALREADY_PRESENT' }, isPresent);
          const fresh = s.files.filter((f) => !isPresent(f));
          if (fresh.length === 0) return;

          const now = instantOf(deps.clock);
          const seriesBefore = new Set(existing?.series.map((x) => x.seriesInstanceUid) ?? []);
          let created = false;
          const added: Indexed[] = [];
          try {
            for (const chunk of chunksOf(fresh, chunkBytes)) {
              if (w.cancelled) throw new AppError('IMAGING_IMPORT_CANCELLED');
              const bytes = await loadChunk(w, s, chunk);
              if (w.cancelled) throw new AppError('IMAGING_IMPORT_CANCELLED');
              const stored = chunk.filter((f) => bytes.has(f.path));
              if (stored.length === 0) continue;
              const attachments = stored.map((f) => ({
                id: f.index.instance.sopInstanceUid,
                type: 'application/dicom',
                data: new Blob([bytes.get(f.path) as Uint8Array<ArrayBuffer>], { type: 'application/dicom' }),
              }));
              bytes.clear();
              // The size recorded is the stored file's (a bare data set gained its header).
              const sized = stored.map((f, i) => ({ ...f, size: (attachments[i] as { data: Blob }).data.size }));
              const current = existing || created ? await db.imaging_study.findOne(studyId).exec() : null;
              if (current === null) {
                const study = ImagingStudySchema.safeParse(mergeStudy(newStudy(studyId, patientId, s.uid, stored[0] as Indexed, patientMatch, now), sized, now));
                if (!study.success) throw new AppError('IMAGING_STUDY_TOO_LARGE', { limit: '2000 × 20000' });
                // One insert with its attachments: one storage write, one SQLite transaction.
                await db.imaging_study.insert({ ...study.data, _attachments: attachments } as unknown as ImagingStudy);
                created = true;
              } else {
                // RxDB's digest is the SHA-256 of the bytes: the worker computed it at the scan and
                // the re-read bytes were checked against it, so the main thread hashes nothing here
                // (except for a bare data set, stored with the header the worker added).
                const digests = await Promise.all(
                  stored.map((f, i) => (f.raw === undefined ? f.sha256 : db.hashFunction((attachments[i] as { data: Blob }).data))),
                );
                await db.imaging_study.incrementalWriteQueue.addWrite((current as RxDocument<ImagingStudy>)._data, (data) => {
                  const merged = ImagingStudySchema.safeParse(mergeStudy(plain<ImagingStudy>(data), sized, now));
                  if (!merged.success) throw new AppError('IMAGING_STUDY_TOO_LARGE', { limit: '2000 × 20000' });
                  const atts: Record<string, unknown> = { ...data._attachments };
                  attachments.forEach((a, i) => {
                    atts[a.id] = { length: a.data.size, type: a.type, data: a.data, digest: digests[i] };
                  });
                  return { ...data, ...merged.data, _attachments: atts } as typeof data;
                });
              }
              added.push(...stored);
            }
          } catch (error) {
            // A study stored in several writes (larger than one chunk) is taken back out whole.
            if (added.length > 0) await rollback(studyId, created, added, seriesBefore);
            throw error;
          }
          s.added = added.length;
          if (added.length > 0) s.studyId = studyId;
          for (const f of added) {
            const previous = w.files.get(f.path);
            setFile(w, {
              path: f.path,
              status: 'imported',
              ...(previous?.warnings ? { warnings: previous.warnings } : {}),
              studyInstanceUid: s.uid,
              sopInstanceUid: f.index.instance.sopInstanceUid,
            });
          }
        },
      );
      s.status = 'imported';
      if (s.studyId === undefined && existing) s.studyId = existing.id;
    } catch (error) {
      const reason: ErrorPayload =
        error instanceof AppError
          ? error.toPayload()
          : { code: 'IMAGING_STUDY_WRITE_FAILED' };
      const cancelled = reason.code === 'IMAGING_IMPORT_CANCELLED';
      s.status = cancelled ? 'cancelled' : reason.code === 'IMAGING_STUDY_OTHER_PATIENT' ? 'refused' : 'failed';
      s.reason = reason.code.startsWith('STORAGE_') ? { code: 'IMAGING_STUDY_WRITE_FAILED' } : reason;
      s.added = 0;
      const notFailedAlready = (f: Indexed): boolean => {
        const st = w.files.get(f.path)?.status;
        return st !== 'failed' && st !== 'already-present';
      };
      setStudyFiles(w, s, cancelled ? 'cancelled' : s.status === 'refused' ? 'refused' : 'failed', s.reason, notFailedAlready);
    }
    emit(w, true);
  };

  /**
   * Every commit of every import runs in one chain: two imports of the same study (one
   * waiting for a confirmation, one attaching by INS) never write it at the same time, and
   * each sees what the other stored.
   */
  let commits: Promise<void> = Promise.resolve();
  const enqueue = (w: ImportWork, task: () => Promise<void>): Promise<void> => {
    const run = commits.then(task).catch(() => undefined);
    commits = run;
    w.chain = run;
    return run;
  };

  const run = async (w: ImportWork, paths: readonly string[]): Promise<void> => {
    const worker = await deps.worker();
    const scan = worker.scan(paths, maxFileBytes, {
      onTotal: (total) => {
        w.total = total;
        emit(w, true);
      },
      onFile: (file) => {
        w.done++;
        if (file.status !== 'indexed') {
          setFile(w, { path: file.path, status: file.status, reason: file.error });
        } else {
          const uid = file.index.study.studyInstanceUid;
          let s = w.studies.get(uid);
          if (!s) {
            s = { uid, files: [], sops: new Set(), status: 'pending', added: 0, alreadyPresent: 0 };
            w.studies.set(uid, s);
          }
          const duplicate = s.sops.has(file.index.instance.sopInstanceUid);
          s.sops.add(file.index.instance.sopInstanceUid);
          const warnings = file.index.warnings.length > 0 ? { warnings: [...file.index.warnings] } : {};
          if (duplicate) {
            setFile(w, { path: file.path, status: 'duplicate', reason: { code: 'IMAGING_DUPLICATE_IN_IMPORT' }, ...warnings, studyInstanceUid: uid, sopInstanceUid: file.index.instance.sopInstanceUid });
          } else {
            s.files.push(file);
            setFile(w, { path: file.path, status: 'pending', ...warnings, studyInstanceUid: uid, sopInstanceUid: file.index.instance.sopInstanceUid });
          }
        }
        emit(w);
      },
    });
    w.cancelScan = scan.cancel;
    await scan.done;
    w.cancelScan = undefined;
    if (w.cancelled) return;
    if (w.studies.size === 0 && ![...w.files.values()].some((f) => f.status === 'failed')) {
      w.error = { code: 'IMAGING_NOTHING_TO_IMPORT' };
    }
    w.state = 'importing';
    w.phase = 'store';
    w.done = 0;
    w.total = [...w.studies.values()].reduce((n, s) => n + s.files.length, 0);
    emit(w, true);
    for (const s of w.studies.values()) {
      if (w.cancelled) break;
      let decision: 'commit' | 'wait' | 'stop';
      try {
        decision = await decide(w, s);
      } catch (error) {
        s.status = 'failed';
        s.reason = error instanceof AppError ? error.toPayload() : { code: 'IMAGING_STUDY_WRITE_FAILED' };
        setStudyFiles(w, s, 'failed', s.reason);
        continue;
      }
      if (decision === 'commit') await enqueue(w, () => commit(w, s, s.match === 'ins' ? 'ins' : undefined));
    }
  };

  const get = (importId: string): ImportWork => {
    const w = imports.get(importId);
    if (!w) throw new AppError('IMAGING_IMPORT_NOT_FOUND');
    return w;
  };

  const forget = (): void => {
    const finished = [...imports.values()].filter((w) => w.state === 'done' || w.state === 'cancelled' || w.state === 'failed');
    while (imports.size > MAX_KEPT_IMPORTS && finished.length > 0) {
      const oldest = finished.shift() as ImportWork;
      imports.delete(oldest.id);
      lastSent.delete(oldest.id);
    }
  };

  const service: ImagingImportService = {
    async start(request) {
      if (closed) throw new AppError('IMAGING_IMPORT_NOT_FOUND');
      const busy = [...imports.values()].some((w) => w.state === 'scanning' || w.state === 'importing');
      if (busy) throw new AppError('IMAGING_IMPORT_BUSY');
      const id = newId();
      // The start is on record (and refused here for a role without clinical access).
      await access.run(
        {
          action: 'import',
          dataClass: 'clinical',
          ...(request.patientId === undefined ? {} : { patientId: request.patientId }),
          object: { collection: 'imaging_import', id },
        },
        async () => {
          if (request.patientId !== undefined) await loadPatient(request.patientId);
        },
      );
      const w: ImportWork = {
        id,
        ...(request.patientId === undefined ? {} : { targetPatientId: request.patientId }),
        state: 'scanning',
        phase: 'scan',
        done: 0,
        total: 0,
        files: new Map(),
        studies: new Map(),
        cancelled: false,
        chain: Promise.resolve(),
        settledListeners: new Set(),
      };
      imports.set(id, w);
      forget();
      emit(w, true);
      void run(w, request.paths)
        .catch((error: unknown) => {
          w.state = 'failed';
          w.error = error instanceof AppError ? error.toPayload() : { code: 'IMAGING_WORKER_FAILED' };
          for (const s of w.studies.values()) {
            if (s.status === 'pending' || s.status === 'awaiting-confirmation') {
              s.status = 'cancelled';
              setStudyFiles(w, s, 'cancelled', w.error);
            }
          }
        })
        .then(() => w.chain)
        .then(() => {
          if (w.state === 'scanning') w.state = w.cancelled ? 'cancelled' : 'importing';
          if (w.cancelled) {
            w.state = 'cancelled';
            for (const s of w.studies.values()) {
              if (s.status === 'pending' || s.status === 'awaiting-confirmation') {
                s.status = 'cancelled';
                s.reason = { code: 'IMAGING_IMPORT_CANCELLED' };
                setStudyFiles(w, s, 'cancelled', s.reason);
              }
            }
            for (const f of w.files.values()) {
              if (f.status === 'pending') setFile(w, { ...f, status: 'cancelled', reason: { code: 'IMAGING_IMPORT_CANCELLED' } });
            }
          }
          finishIfSettled(w);
        });
      return { importId: id };
    },

    async cancel(importId) {
      const w = get(importId);
      if (w.state === 'done' || w.state === 'cancelled' || w.state === 'failed') return snapshotOf(w);
      w.cancelled = true;
      w.cancelScan?.();
      w.cancelLoad?.();
      if (w.state === 'waiting') {
        w.state = 'cancelled';
        for (const s of w.studies.values()) {
          if (s.status === 'awaiting-confirmation' || s.status === 'pending') {
            s.status = 'cancelled';
            s.reason = { code: 'IMAGING_IMPORT_CANCELLED' };
            setStudyFiles(w, s, 'cancelled', s.reason);
          }
        }
        finishIfSettled(w);
      }
      return snapshotOf(w);
    },

    async confirm(importId, studyInstanceUid, decision) {
      const w = get(importId);
      const s = w.studies.get(studyInstanceUid);
      if (!s || s.status !== 'awaiting-confirmation' || w.cancelled) throw new AppError('IMAGING_IMPORT_NOT_WAITING');
      if (!decision.attach) {
        s.status = 'declined';
        s.reason = { code: 'IMAGING_STUDY_DECLINED' };
        setStudyFiles(w, s, 'declined', s.reason);
        finishIfSettled(w);
        return snapshotOf(w);
      }
      const patient = await loadPatient(decision.patientId);
      const filePatient = (s.files[0] as Indexed).index.patient;
      // A person's confirmation never overrides a differing INS: that is another patient.
      if (matchPatient(filePatient, patient).kind === 'ins-mismatch') {
        s.status = 'refused';
        s.reason = { code: 'IMAGING_PATIENT_INS_MISMATCH' };
        setStudyFiles(w, s, 'refused', s.reason);
        finishIfSettled(w);
        return snapshotOf(w);
      }
      s.patientId = patient.id;
      s.status = 'pending';
      if (w.state === 'waiting') w.state = 'importing';
      await enqueue(w, () => commit(w, s, 'confirmed'));
      finishIfSettled(w);
      return snapshotOf(w);
    },

    status: (importId) => snapshotOf(get(importId)),

    settled(importId) {
      const w = get(importId);
      const done = (): boolean => w.state === 'done' || w.state === 'cancelled' || w.state === 'failed' || w.state === 'waiting';
      if (done()) return Promise.resolve(snapshotOf(w));
      return new Promise((resolve) => {
        w.settledListeners.add(() => resolve(snapshotOf(w)));
      });
    },

    onProgress(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    async close() {
      closed = true;
      const running = [...imports.values()].filter((w) => w.state === 'scanning' || w.state === 'importing' || w.state === 'waiting');
      // As a cancel: a waiting import is cancelled at once, a running one stops between two files.
      for (const w of running) await service.cancel(w.id);
      await Promise.all([...imports.values()].map((w) => w.chain));
      // Let each running import reach its final state, so its last progress event (cancelled) is
      // sent before the listeners go; bounded, in case the worker does not answer any more.
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        Promise.all(running.map((w) => service.settled(w.id))),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, CLOSE_SETTLE_MS);
        }),
      ]);
      clearTimeout(timer);
      listeners.clear();
    },
  };
  return service;
}
