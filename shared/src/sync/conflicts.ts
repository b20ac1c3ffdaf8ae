import type { RxJsonSchema } from 'rxdb';
import type { Encounter, EncounterEntry } from '../schemas/encounter';
import { checkEncounterUpdate } from '../schemas/encounter';
import type { CollectionName } from '../schemas/names';
import { parseDocument } from '../schemas/collections';
import { patientSearchKeys } from '../schemas/search-key';
import { ID_MAX_LENGTH } from '../schemas/common';

/**
 * The workstation's conflict policy ("no edit is silently lost"), as pure functions.
 *
 * A conflict reaches the client when a push's assumed master state is not the server's
 * state: RxDB then gives the conflict handler three states of one document, `base` (what
 * the workstation last saw from the server), `local` (the workstation's version) and
 * `server` (the current master). The merge is three-way:
 * - a field changed on one side only takes that side;
 * - a field changed differently on both sides keeps the server's value in the document and
 *   is returned as a conflict (both values kept) for a person to resolve;
 * - encounters: entries are merged by id; a signed entry is never altered nor dropped;
 * - deletion against edit: the document is kept (not deleted) and the deletion is a conflict.
 * The merged document is validated with the collection's schema; when the merge would give
 * an invalid document (e.g. an identity status that needs an INS removed on the other side),
 * the server's document is kept and every local change becomes a conflict.
 */

/** A document as the replication carries it: fields plus `_deleted`. */
export type WireState = { readonly _deleted: boolean; readonly [field: string]: unknown };

/** One field (dotted path; `entries.<id>` for an encounter entry; `_deleted` for a deletion) changed differently on both sides. */
export type DetectedConflict = {
  readonly path: string;
  /** undefined: the field was absent on that side (or the document did not exist there). */
  readonly base: unknown;
  readonly local: unknown;
  readonly server: unknown;
};

export type MergeInput = {
  readonly collection: CollectionName;
  readonly base: WireState | undefined;
  readonly local: WireState;
  readonly server: WireState;
};

export type MergeOutcome = {
  readonly merged: WireState;
  readonly conflicts: readonly DetectedConflict[];
};

/** Fields that are bookkeeping, not content: never a conflict; the later instant wins. */
const LATEST_WINS = new Set(['updatedAt']);
/** Fields derived from others, recomputed after the merge. */
const DERIVED: Partial<Record<CollectionName, readonly string[]>> = {
  patient: ['searchKey', 'usedSearchKey'],
};
/** RxDB's bookkeeping, never part of what is merged. */
const INTERNAL = new Set(['_deleted', '_meta', '_rev', '_attachments']);

type Json = unknown;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Structural equality of JSON values; a key holding undefined counts as absent. */
export function jsonEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => jsonEqual(x, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ka = Object.keys(ao).filter((k) => ao[k] !== undefined);
  const kb = Object.keys(bo).filter((k) => bo[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => jsonEqual(ao[k], bo[k]));
}

function joinPath(prefix: string, key: string): string {
  return prefix === '' ? key : `${prefix}.${key}`;
}

/** Three-way merge of one value; objects recurse key by key, anything else is atomic. */
function merge3(
  base: Json,
  local: Json,
  server: Json,
  path: string,
  conflicts: DetectedConflict[],
): Json {
  if (jsonEqual(local, server)) return server;
  if (jsonEqual(base, local)) return server;
  if (jsonEqual(base, server)) return local;
  if (isPlainObject(local) && isPlainObject(server) && (base === undefined || isPlainObject(base))) {
    const b = (base ?? {}) as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const key of unionKeys(b, local, server)) {
      const v = merge3(b[key], local[key], server[key], joinPath(path, key), conflicts);
      if (v !== undefined) out[key] = v;
    }
    return out;
  }
  conflicts.push({ path, base, local, server });
  return server;
}

function unionKeys(...objects: Record<string, unknown>[]): string[] {
  const keys = new Set<string>();
  for (const o of objects) for (const k of Object.keys(o)) if (o[k] !== undefined) keys.add(k);
  // Sorted so the order of the merged keys, and of the conflicts, never depends on the
  // order in which each side happened to write its keys.
  return [...keys].sort();
}

function body(state: WireState | undefined, skip: ReadonlySet<string>): Record<string, unknown> | undefined {
  if (state === undefined) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(state)) if (!INTERNAL.has(k) && !skip.has(k) && v !== undefined) out[k] = v;
  return out;
}

function isSigned(e: EncounterEntry): boolean {
  return e.signedAt !== undefined;
}

/**
 * Entries of an encounter, by id. Signed entries are append-only: a signed entry on either
 * side is kept exactly as signed, whatever the other side did to its draft.
 */
function mergeEntries(
  base: readonly EncounterEntry[] | undefined,
  local: readonly EncounterEntry[],
  server: readonly EncounterEntry[],
  conflicts: DetectedConflict[],
): EncounterEntry[] {
  const baseById = new Map((base ?? []).map((e) => [e.id, e]));
  const localById = new Map(local.map((e) => [e.id, e]));
  const serverById = new Map(server.map((e) => [e.id, e]));
  const order = [...server.map((e) => e.id), ...local.map((e) => e.id).filter((id) => !serverById.has(id))];
  const out: EncounterEntry[] = [];
  for (const id of order) {
    const b = baseById.get(id);
    const l = localById.get(id);
    const s = serverById.get(id);
    const path = `entries.${id}`;
    if (l !== undefined && s !== undefined) {
      if (isSigned(s) || isSigned(l)) {
        const signed = isSigned(s) ? s : l;
        const other = signed === s ? l : s;
        // The other side changed what is now signed: its version is kept beside it.
        if (!jsonEqual(other, signed) && !jsonEqual(other, b)) conflicts.push({ path, base: b, local: l, server: s });
        out.push(signed);
      } else {
        out.push(merge3(b, l, s, path, conflicts) as EncounterEntry);
      }
    } else {
      const present = (l ?? s) as EncounterEntry;
      if (b === undefined || isSigned(present)) {
        // Added on one side, or a signed entry the other side may not remove.
        out.push(present);
      } else if (!jsonEqual(present, b)) {
        // Draft removed on one side, edited on the other: keep it, ask a person.
        conflicts.push({ path, base: b, local: l, server: s });
        out.push(present);
      }
      // else: an unchanged draft removed on the other side stays removed.
    }
  }
  return out;
}

function latest(a: unknown, b: unknown): unknown {
  if (typeof a === 'string' && typeof b === 'string') return a > b ? a : b;
  return b ?? a;
}

function mergeFields(input: MergeInput, conflicts: DetectedConflict[]): Record<string, unknown> {
  const derived = new Set(DERIVED[input.collection] ?? []);
  const special = new Set<string>([...LATEST_WINS, ...derived]);
  if (input.collection === 'encounter') special.add('entries');
  const b = body(input.base, special) ?? {};
  const l = body(input.local, special) ?? {};
  const s = body(input.server, special) ?? {};
  const out: Record<string, unknown> = {};
  for (const key of unionKeys(b, l, s)) {
    const v = merge3(b[key], l[key], s[key], key, conflicts);
    if (v !== undefined) out[key] = v;
  }
  for (const key of LATEST_WINS) {
    const v = latest(input.local[key], input.server[key]);
    if (v !== undefined) out[key] = v;
  }
  if (input.collection === 'encounter') {
    out['entries'] = mergeEntries(
      input.base?.['entries'] as EncounterEntry[] | undefined,
      (input.local['entries'] ?? []) as EncounterEntry[],
      (input.server['entries'] ?? []) as EncounterEntry[],
      conflicts,
    );
  }
  if (input.collection === 'patient') {
    Object.assign(out, patientSearchKeys(out as Parameters<typeof patientSearchKeys>[0]));
  } else {
    for (const key of derived) if (input.server[key] !== undefined) out[key] = input.server[key];
  }
  return out;
}

/** Every leaf the local side changed against the base, as conflicts beside the server's values. */
function localChangesAsConflicts(input: MergeInput): DetectedConflict[] {
  const out: DetectedConflict[] = [];
  const walk = (b: Json, l: Json, s: Json, path: string): void => {
    if (jsonEqual(b, l) || jsonEqual(l, s)) return;
    if (isPlainObject(l) && isPlainObject(s) && (b === undefined || isPlainObject(b))) {
      const bo = (b ?? {}) as Record<string, unknown>;
      for (const k of unionKeys(bo, l, s)) walk(bo[k], l[k], s[k], joinPath(path, k));
      return;
    }
    out.push({ path, base: b, local: l, server: s });
  };
  const skip = new Set([...LATEST_WINS, ...(DERIVED[input.collection] ?? [])]);
  walk(body(input.base, skip), body(input.local, skip), body(input.server, skip), '');
  return out;
}

function isValid(collection: CollectionName, doc: Record<string, unknown>, server: WireState): boolean {
  const parsed = parseDocument(collection, doc);
  if (!parsed.ok) return false;
  if (collection === 'encounter' && !server._deleted) {
    const serverDoc = parseDocument('encounter', body(server, new Set()));
    if (serverDoc.ok && !checkEncounterUpdate(serverDoc.value, parsed.value as Encounter).ok) return false;
  }
  return true;
}

/**
 * Merges the local and server versions of one document against the base both started
 * from. Deterministic (same input, same output, same conflicts in the same order).
 */
export function mergeReplicatedDocument(input: MergeInput): MergeOutcome {
  const { local, server, base } = input;
  if (jsonEqual(local, server)) return { merged: server, conflicts: [] };
  if (local._deleted && server._deleted) return { merged: server, conflicts: [] };
  if (local._deleted !== server._deleted) {
    const deleter = local._deleted ? local : server;
    const editor = local._deleted ? server : local;
    const skip = new Set(['updatedAt']);
    const unchanged = base !== undefined && !base._deleted && jsonEqual(body(editor, skip), body(base, skip));
    if (unchanged) return { merged: deleter, conflicts: [] };
    // Deletion against an edit: the document stays; the deletion waits for a person.
    const conflict: DetectedConflict = {
      path: '_deleted',
      base: base?._deleted,
      local: local._deleted,
      server: server._deleted,
    };
    const conflicts: DetectedConflict[] = [conflict];
    if (deleter === local) {
      // This workstation deleted, maybe after editing, while the server's document was
      // edited: the edits made here before the deletion are merged like any edit, so that
      // keeping the document (the person's choice) keeps them too; only differences are
      // recorded. The tombstone may carry only some fields; the base fills the others.
      const edited: MergeInput = { ...input, local: { ...(base ?? {}), ...body(local, new Set()), _deleted: false } };
      const fields = mergeFields(edited, conflicts);
      if (isValid(input.collection, fields, server)) return { merged: { ...fields, _deleted: false }, conflicts };
      return { merged: server, conflicts: [conflict, ...localChangesAsConflicts(edited)] };
    }
    // A tombstone may carry only some fields; the base fills the others. Without a base
    // (a push the server committed but never acknowledged, retried with no assumed state),
    // the tombstone still holds what others wrote before deleting: merged against the
    // local body with no base, so their edits are kept and differences become conflicts
    // instead of the local body silently replacing them.
    const fields = base?._deleted
      ? (body(local, new Set()) ?? {})
      : mergeFields({ ...input, server: { ...(base ?? {}), ...body(server, new Set()), _deleted: false } }, conflicts);
    const merged: WireState = { ...fields, _deleted: false };
    if (isValid(input.collection, fields, server)) return { merged, conflicts };
    return { merged: { ...body(local, new Set()), _deleted: false }, conflicts: [conflict] };
  }
  const conflicts: DetectedConflict[] = [];
  const fields = mergeFields(input, conflicts);
  if (isValid(input.collection, fields, server)) return { merged: { ...fields, _deleted: false }, conflicts };
  return { merged: server, conflicts: localChangesAsConflicts(input) };
}

// ---------------------------------------------------------------------------------------
// Recorded conflicts: a local, non-replicated collection of the workstation.

export const SYNC_CONFLICT_COLLECTION = 'sync_conflict';

export type SyncConflictStatus = 'open' | 'resolved';

/**
 * One field in conflict, kept until a person resolves it. Values are JSON text so any
 * field type fits one schema; an absent value (field missing on that side) is an absent
 * property.
 */
export type SyncConflict = {
  readonly id: string;
  /** Not `collection`: an RxDocument already has a property of that name. */
  readonly collectionName: CollectionName;
  readonly documentId: string;
  /** The patient the document belongs to (its own id for a patient): lets a revocation purge it. */
  readonly patientId?: string;
  readonly path: string;
  readonly baseValue?: string;
  readonly localValue?: string;
  readonly serverValue?: string;
  readonly detectedAt: string;
  readonly status: SyncConflictStatus;
  readonly resolvedAt?: string;
  readonly resolution?: 'local' | 'server';
};

const CONFLICT_ID_MAX = 128;
const PATH_MAX = 512;

export const syncConflictRxSchema: RxJsonSchema<SyncConflict> = {
  title: SYNC_CONFLICT_COLLECTION,
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    id: { type: 'string', maxLength: CONFLICT_ID_MAX },
    collectionName: { type: 'string', maxLength: 32 },
    documentId: { type: 'string', maxLength: ID_MAX_LENGTH },
    patientId: { type: 'string', maxLength: ID_MAX_LENGTH },
    path: { type: 'string', maxLength: PATH_MAX },
    baseValue: { type: 'string' },
    localValue: { type: 'string' },
    serverValue: { type: 'string' },
    detectedAt: { type: 'string', maxLength: 32 },
    status: { type: 'string', enum: ['open', 'resolved'], maxLength: 8 },
    resolvedAt: { type: 'string', maxLength: 32 },
    resolution: { type: 'string', enum: ['local', 'server'] },
  },
  required: ['id', 'collectionName', 'documentId', 'path', 'detectedAt', 'status'],
  indexes: [['status', 'detectedAt'], ['collectionName', 'documentId']],
};

/** FNV-1a, 32 bits: a short, stable fingerprint (not a security hash) for conflict ids. */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

function encode(v: unknown): string | undefined {
  return v === undefined ? undefined : JSON.stringify(v);
}

/**
 * The records to store for the conflicts of one merge. The id is derived from the
 * document, path and both values, so the same conflict met again (a retried push) is the
 * same record, not a duplicate.
 */
export function toSyncConflicts(
  collection: CollectionName,
  documentId: string,
  patientId: string | undefined,
  conflicts: readonly DetectedConflict[],
  detectedAt: string,
): SyncConflict[] {
  return conflicts.map((c) => {
    const localValue = encode(c.local);
    const serverValue = encode(c.server);
    const baseValue = encode(c.base);
    const path = c.path.length > PATH_MAX ? c.path.slice(0, PATH_MAX) : c.path;
    const fingerprint = fnv1a(`${c.path}\u0000${localValue ?? ''}\u0000${serverValue ?? ''}`);
    return {
      id: `${collection}.${documentId}.${fingerprint}`,
      collectionName: collection,
      documentId,
      ...(patientId === undefined ? {} : { patientId }),
      path,
      ...(baseValue === undefined ? {} : { baseValue }),
      ...(localValue === undefined ? {} : { localValue }),
      ...(serverValue === undefined ? {} : { serverValue }),
      detectedAt,
      status: 'open',
    };
  });
}

/** The patient a replicated document belongs to, for conflicts and revocations. */
export function patientIdOf(collection: CollectionName, doc: Record<string, unknown>): string | undefined {
  if (collection === 'patient') return typeof doc['id'] === 'string' ? doc['id'] : undefined;
  const p = doc['patientId'];
  return typeof p === 'string' ? p : undefined;
}
