import type { z } from 'zod';
import type {
  ImportFileResultSchema,
  ImportSnapshotView,
  ImportStudyResultSchema,
} from '../../../../../shared/src/api/imaging-contract';

export type ImportFileResult = z.infer<typeof ImportFileResultSchema>;
export type ImportStudyResult = z.infer<typeof ImportStudyResultSchema>;
export type ImportSnapshot = ImportSnapshotView;

/** An import the host is still working on (or waiting for a person on). */
export function isRunning(s: Pick<ImportSnapshot, 'state'>): boolean {
  return s.state === 'scanning' || s.state === 'importing';
}

export function isFinished(s: Pick<ImportSnapshot, 'state'>): boolean {
  return s.state === 'done' || s.state === 'cancelled' || s.state === 'failed';
}

/**
 * Progress as a value of a <progress> element: the scan counts the first half, the store
 * the second, so the bar never goes back when the phase changes. Undefined while the total
 * is not known yet (an indeterminate bar).
 */
export function progressValue(p: ImportSnapshot['progress']): number | undefined {
  if (p.total <= 0) return p.phase === 'store' ? 0.5 : undefined;
  const part = Math.min(1, p.done / p.total);
  return p.phase === 'scan' ? part / 2 : 0.5 + part / 2;
}

/** The per-file outcomes a user acts upon come first: failures, then waiting, then the rest. */
const FILE_ORDER: Record<ImportFileResult['status'], number> = {
  failed: 0,
  refused: 1,
  'awaiting-confirmation': 2,
  declined: 3,
  cancelled: 4,
  skipped: 5,
  duplicate: 6,
  'already-present': 7,
  pending: 8,
  imported: 9,
};

export function sortFiles(files: readonly ImportFileResult[]): ImportFileResult[] {
  return [...files].sort(
    (a, b) => FILE_ORDER[a.status] - FILE_ORDER[b.status] || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0),
  );
}

export type FileCounts = Record<
  'imported' | 'alreadyPresent' | 'failed' | 'skipped' | 'waiting' | 'other',
  number
>;

export function countFiles(files: readonly ImportFileResult[]): FileCounts {
  const c: FileCounts = { imported: 0, alreadyPresent: 0, failed: 0, skipped: 0, waiting: 0, other: 0 };
  for (const f of files) {
    if (f.status === 'imported') c.imported++;
    else if (f.status === 'already-present' || f.status === 'duplicate') c.alreadyPresent++;
    else if (f.status === 'failed' || f.status === 'refused') c.failed++;
    else if (f.status === 'skipped') c.skipped++;
    else if (f.status === 'awaiting-confirmation' || f.status === 'pending') c.waiting++;
    else c.other++;
  }
  return c;
}

/** The last part of a path, for the list (the full path goes in a title). */
export function fileName(path: string): string {
  const parts = path.split(/[\\/]/).filter((p) => p !== '');
  return parts[parts.length - 1] ?? path;
}

/**
 * What a person may decide for a study waiting on them:
 * - `confirm`: the files' name and birth date agree with the target patient; confirm or set aside;
 * - `mismatch`: they do not agree; attaching needs an explicit check of the identity, or pick another patient;
 * - `pick`: no patient found; choose one (or set aside).
 * A study refused for a differing INS offers nothing: it belongs to someone else.
 */
export type StudyDecision =
  | { readonly kind: 'confirm'; readonly patientId: string }
  | { readonly kind: 'mismatch'; readonly patientId: string | undefined }
  | { readonly kind: 'pick' }
  | { readonly kind: 'none' };

export function decisionFor(study: ImportStudyResult, targetPatientId: string | undefined): StudyDecision {
  if (study.status !== 'awaiting-confirmation') return { kind: 'none' };
  const proposed = study.patientId ?? targetPatientId;
  if (study.reason?.code === 'IMAGING_PATIENT_CONFIRMATION_REQUIRED' && proposed !== undefined) {
    return { kind: 'confirm', patientId: proposed };
  }
  if (study.reason?.code === 'IMAGING_PATIENT_MISMATCH') return { kind: 'mismatch', patientId: proposed };
  return { kind: 'pick' };
}

/**
 * Paths typed in browser mode (the host runs on this machine): one per line, blank lines and
 * surrounding spaces dropped, duplicates once. Quotes a file manager adds on copy are removed.
 */
export function parsePathList(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let p = raw.trim();
    if (p.length >= 2 && ((p.startsWith('"') && p.endsWith('"')) || (p.startsWith("'") && p.endsWith("'")))) {
      p = p.slice(1, -1).trim();
    }
    if (p !== '' && !out.includes(p)) out.push(p);
  }
  return out;
}
