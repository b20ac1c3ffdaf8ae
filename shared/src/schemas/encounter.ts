import { z } from 'zod';
import type { ErrorParams, Result } from '../errors/app-error';
import { err, ok } from '../errors/app-error';
import type { SchemaIssueCode } from './common';
import {
  addCodedIssue,
  DocumentIdSchema,
  InstantSchema,
  requiredText,
  RppsSchema,
  Sha256HexSchema,
  text,
} from './common';

export const EncounterEntrySchema = z.strictObject({
  id: DocumentIdSchema,
  kind: z.enum(['note', 'addendum']),
  text: requiredText(100_000),
  authorRpps: RppsSchema,
  createdAt: InstantSchema,
  signedAt: InstantSchema.optional(),
  /** SHA-256 (hex) of entryHashPayload(entry), fixed when the entry is signed. */
  contentHash: Sha256HexSchema.optional(),
  /** For an addendum: the id of the entry it amends. */
  amends: DocumentIdSchema.optional(),
});
export type EncounterEntry = z.infer<typeof EncounterEntrySchema>;

export const ENCOUNTER_STATUSES = [
  'planned',
  'in-progress',
  'finished',
  'cancelled',
  'entered-in-error',
] as const;

export const EncounterObjectSchema = z.strictObject({
  id: DocumentIdSchema,
  patientId: DocumentIdSchema,
  authorRpps: RppsSchema,
  start: InstantSchema,
  end: InstantSchema.optional(),
  reason: text(500),
  status: z.enum(ENCOUNTER_STATUSES),
  entries: z.array(EncounterEntrySchema).max(1000),
  createdAt: InstantSchema,
  updatedAt: InstantSchema,
});

export type EncounterErrorCode =
  | 'ENCOUNTER_END_BEFORE_START'
  | 'ENCOUNTER_ENTRY_ID_DUPLICATE'
  | 'ENCOUNTER_ADDENDUM_TARGET_REQUIRED'
  | 'ENCOUNTER_ADDENDUM_TARGET_MISSING'
  | 'ENCOUNTER_NOTE_AMENDS'
  | 'ENCOUNTER_SIGNATURE_INCOMPLETE'
  | 'ENCOUNTER_ID_CHANGED'
  | 'ENCOUNTER_PATIENT_CHANGED'
  | 'ENCOUNTER_SIGNED_ENTRY_IMMUTABLE'
  | 'ENCOUNTER_SIGNED_ENTRY_DELETED';

export const ENCOUNTER_ERROR_CODES: readonly EncounterErrorCode[] = [
  'ENCOUNTER_END_BEFORE_START',
  'ENCOUNTER_ENTRY_ID_DUPLICATE',
  'ENCOUNTER_ADDENDUM_TARGET_REQUIRED',
  'ENCOUNTER_ADDENDUM_TARGET_MISSING',
  'ENCOUNTER_NOTE_AMENDS',
  'ENCOUNTER_SIGNATURE_INCOMPLETE',
  'ENCOUNTER_ID_CHANGED',
  'ENCOUNTER_PATIENT_CHANGED',
  'ENCOUNTER_SIGNED_ENTRY_IMMUTABLE',
  'ENCOUNTER_SIGNED_ENTRY_DELETED',
];

type EntryProblem = { code: EncounterErrorCode & SchemaIssueCode; index: number; params: ErrorParams };

/** Rules on the entries of one encounter version; shared by the schema and checkEncounterUpdate. */
function entryProblems(entries: readonly EncounterEntry[]): EntryProblem | undefined {
  const ids = new Set<string>();
  for (const [index, e] of entries.entries()) {
    if (ids.has(e.id)) return { code: 'ENCOUNTER_ENTRY_ID_DUPLICATE', index, params: { entryId: e.id } };
    ids.add(e.id);
  }
  for (const [index, e] of entries.entries()) {
    if (e.kind === 'addendum') {
      if (e.amends === undefined)
        return { code: 'ENCOUNTER_ADDENDUM_TARGET_REQUIRED', index, params: { entryId: e.id } };
      if (e.amends === e.id || !ids.has(e.amends)) {
        return { code: 'ENCOUNTER_ADDENDUM_TARGET_MISSING', index, params: { entryId: e.id } };
      }
    } else if (e.amends !== undefined) {
      return { code: 'ENCOUNTER_NOTE_AMENDS', index, params: { entryId: e.id } };
    }
    if ((e.signedAt === undefined) !== (e.contentHash === undefined)) {
      return { code: 'ENCOUNTER_SIGNATURE_INCOMPLETE', index, params: { entryId: e.id } };
    }
  }
  return undefined;
}

export const EncounterSchema = EncounterObjectSchema.superRefine((enc, ctx) => {
  if (enc.end !== undefined && enc.end < enc.start) addCodedIssue(ctx, 'ENCOUNTER_END_BEFORE_START', ['end']);
  const problem = entryProblems(enc.entries);
  if (problem) addCodedIssue(ctx, problem.code, ['entries', problem.index], problem.params);
});
export type Encounter = z.infer<typeof EncounterSchema>;

/**
 * What a signature covers, as a canonical string: the host hashes it (SHA-256) into
 * contentHash when the entry is signed. Fixed field order; JSON escaping keeps field
 * boundaries unambiguous.
 */
export function entryHashPayload(entry: EncounterEntry): string {
  return JSON.stringify([
    entry.id,
    entry.kind,
    entry.text,
    entry.authorRpps,
    entry.createdAt,
    entry.amends ?? null,
  ]);
}

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/**
 * Whether `next` may replace `previous`. A signed entry is part of the medical record:
 * it may be neither changed (text, author, dates, hash, even un-signing) nor removed; a
 * correction is an addendum that points at it. Unsigned entries are drafts and may
 * change. Who may write is the service's business, not this function's.
 */
export function checkEncounterUpdate(
  previous: Encounter,
  next: Encounter,
): Result<Encounter, EncounterErrorCode> {
  if (next.id !== previous.id) return err('ENCOUNTER_ID_CHANGED');
  if (next.patientId !== previous.patientId) return err('ENCOUNTER_PATIENT_CHANGED');
  const nextById = new Map(next.entries.map((e) => [e.id, e]));
  for (const before of previous.entries) {
    if (before.signedAt === undefined) continue;
    const after = nextById.get(before.id);
    if (after === undefined) return err('ENCOUNTER_SIGNED_ENTRY_DELETED', { entryId: before.id });
    if (!sameJson(before, after)) return err('ENCOUNTER_SIGNED_ENTRY_IMMUTABLE', { entryId: before.id });
  }
  const problem = entryProblems(next.entries);
  if (problem) return err(problem.code, problem.params);
  if (next.end !== undefined && next.end < next.start) return err('ENCOUNTER_END_BEFORE_START');
  return ok(next);
}
