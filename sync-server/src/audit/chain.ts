import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { AuditRecord } from '../types';

/** The hash before the first entry: 32 zero bytes, hex. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * What a workstation event carries beyond the record: who pushed it (`deliveredBy`, the
 * signed-in user of the workstation, possibly not its author) and the role the server knows
 * for its author when the workstation claimed another (`serverRole`).
 */
export type DeliveryFields = {
  readonly deliveredBy?: string;
  readonly serverRole?: string;
};

export type AppendRecord = AuditRecord & DeliveryFields;

/** A stored entry of the log: the record, its place in the chain and the server's receipt time. */
export type AuditEntry = AppendRecord & {
  readonly sequence: number;
  /** When the server stored it (a workstation's own `instant` may be days older, after offline work). */
  readonly receivedAt: string;
  readonly previousHash: string;
  readonly hash: string;
};

export type ChainHead = { readonly sequence: number; readonly hash: string };

export const EMPTY_HEAD: ChainHead = { sequence: 0, hash: GENESIS_HASH };

/** Deeper than this, the general serializer takes over (it detects cycles). */
const FAST_DEPTH = 32;

/** String.prototype.isWellFormed (Node 20; the ES2024 lib is not in this project's). */
const isWellFormed = (value: string): boolean => (value as unknown as { isWellFormed(): boolean }).isWellFormed();

/** A key V8 keeps in numeric order in front of the others, whatever the insertion order. */
const INDEX_KEY = /^(?:0|[1-9][0-9]*)$/;

/** Thrown inside the fast path: the value needs the general serializer. */
const GENERAL = Symbol('general');

/**
 * A copy of plain JSON data (strings, finite numbers, booleans, null, arrays, plain
 * objects) whose object keys are inserted in RFC 8785 order (UTF-16 code units, the
 * default sort), so that one JSON.stringify of it is the canonical text: for strings and
 * finite numbers JSON.stringify already writes what RFC 8785 requires. Throws GENERAL for
 * anything it does not handle exactly that way (toJSON, boxed primitives, class instances,
 * index-like keys, deep nesting).
 */
function sortedCopy(value: unknown, depth: number): unknown {
  switch (typeof value) {
    case 'string':
      if (!isWellFormed(value)) throw new Error('Lone surrogate is not allowed');
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw new Error(Number.isNaN(value) ? 'NaN is not allowed' : 'Infinity is not allowed');
      return value;
    case 'boolean':
      return value;
    case 'object':
      break;
    default:
      // undefined, functions, symbols, bigint: their rules (dropped, null, error) are the general serializer's.
      throw GENERAL;
  }
  if (value === null) return null;
  if (depth > FAST_DEPTH || typeof (value as { toJSON?: unknown }).toJSON === 'function') throw GENERAL;
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) throw GENERAL;
    return value.map((item: unknown) => sortedCopy(item, depth + 1));
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) throw GENERAL;
  const source = value as Record<string, unknown>;
  const keys = Object.keys(source).sort();
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    if (!isWellFormed(key)) throw new Error('Lone surrogate is not allowed');
    // An index-like key would not stay where it is put; `__proto__` would set the prototype.
    if (INDEX_KEY.test(key) || key === '__proto__') throw GENERAL;
    out[key] = sortedCopy(source[key], depth + 1);
  }
  return out;
}

/**
 * RFC 8785 text: the same bytes as the `canonicalize` package, which it falls back to for
 * anything but plain JSON data. Its general machinery (explicit stack, cycle set, one
 * JSON.stringify per key and value) cost a pull's thousand read records more than their
 * hashing.
 */
function canonicalText(value: unknown): string | undefined {
  try {
    return JSON.stringify(sortedCopy(value, 0));
  } catch (error) {
    if (error !== GENERAL) throw error;
    return canonicalize(value);
  }
}

/** RFC 8785 canonical JSON; refuses what JSON cannot carry faithfully (NaN, Infinity, undefined). */
export function canonicalJson(value: unknown): string {
  const text = canonicalText(value);
  if (text === undefined) throw new TypeError('value has no JSON form');
  return text;
}

/**
 * What the hash covers: every field of the entry except the hashes themselves (the
 * previous hash is chained in front). Absent optional fields are absent, never null, so
 * an entry has exactly one canonical form.
 */
export function hashedContent(entry: Omit<AuditEntry, 'previousHash' | 'hash'>): Record<string, unknown> {
  const content: Record<string, unknown> = {
    sequence: entry.sequence,
    id: entry.id,
    source: entry.source,
    userId: entry.userId,
    role: entry.role,
    workstation: entry.workstation,
    action: entry.action,
    instant: entry.instant,
    receivedAt: entry.receivedAt,
    outcome: entry.outcome,
  };
  if (entry.patientId !== undefined) content.patientId = entry.patientId;
  if (entry.object !== undefined) content.object = { collection: entry.object.collection, id: entry.object.id };
  if (entry.reason !== undefined) content.reason = entry.reason;
  if (entry.details !== undefined) content.details = { ...entry.details };
  if (entry.deliveredBy !== undefined) content.deliveredBy = entry.deliveredBy;
  if (entry.serverRole !== undefined) content.serverRole = entry.serverRole;
  return content;
}

/** A string field of an entry as RFC 8785 takes it. */
function checkedString(value: unknown): unknown {
  if (typeof value === 'string' && !isWellFormed(value)) throw new Error('Lone surrogate is not allowed');
  return value;
}

/**
 * canonicalJson(hashedContent(entry)) without the general path: the entry's own fields
 * are inserted in RFC 8785 order as written here (the order of the default sort of these
 * names, checked by a test), only `details` is sorted field by field. One JSON.stringify.
 */
export function entryCanonicalJson(entry: Omit<AuditEntry, 'previousHash' | 'hash'>): string {
  if (typeof entry.sequence !== 'number' || !Number.isFinite(entry.sequence)) return canonicalJson(hashedContent(entry));
  let details: unknown;
  if (entry.details !== undefined) {
    try {
      details = sortedCopy({ ...entry.details }, 1);
    } catch (error) {
      if (error !== GENERAL) throw error;
      return canonicalJson(hashedContent(entry));
    }
  }
  const content: Record<string, unknown> = {};
  content.action = checkedString(entry.action);
  if (entry.deliveredBy !== undefined) content.deliveredBy = checkedString(entry.deliveredBy);
  if (details !== undefined) content.details = details;
  content.id = checkedString(entry.id);
  content.instant = checkedString(entry.instant);
  if (entry.object !== undefined) {
    content.object = { collection: checkedString(entry.object.collection), id: checkedString(entry.object.id) };
  }
  content.outcome = checkedString(entry.outcome);
  if (entry.patientId !== undefined) content.patientId = checkedString(entry.patientId);
  if (entry.reason !== undefined) content.reason = checkedString(entry.reason);
  content.receivedAt = checkedString(entry.receivedAt);
  content.role = checkedString(entry.role);
  content.sequence = entry.sequence;
  if (entry.serverRole !== undefined) content.serverRole = checkedString(entry.serverRole);
  content.source = checkedString(entry.source);
  content.userId = checkedString(entry.userId);
  content.workstation = checkedString(entry.workstation);
  for (const value of Object.values(content)) {
    // Only strings, the sequence and the objects built above: anything else (a field of
    // the wrong type from a caller outside TypeScript) goes the general way.
    if (typeof value !== 'string' && typeof value !== 'number' && (typeof value !== 'object' || value === null)) {
      return canonicalJson(hashedContent(entry));
    }
  }
  return JSON.stringify(content);
}

/** SHA-256(previous hash (32 raw bytes) ‖ UTF-8 canonical JSON of the entry), hex. */
export function entryHash(previousHash: string, entry: Omit<AuditEntry, 'previousHash' | 'hash'>): string {
  if (!/^[0-9a-f]{64}$/.test(previousHash)) throw new TypeError('previous hash is not 64 hex digits');
  return createHash('sha256')
    .update(Buffer.from(previousHash, 'hex'))
    .update(entryCanonicalJson(entry), 'utf8')
    .digest('hex');
}

/** Links the next entry to `head`. */
export function chainEntry(
  head: ChainHead,
  record: AppendRecord,
  receivedAt: string,
): AuditEntry {
  const unhashed = { ...record, sequence: head.sequence + 1, receivedAt };
  return { ...unhashed, previousHash: head.hash, hash: entryHash(head.hash, unhashed) };
}

/**
 * The entry as one object literal with every field in the same order, absent ones
 * undefined (which canonical JSON and the row writers treat as absent). Entries spread from
 * records of different shapes made every later read of a field (canonical JSON, the row
 * values) a slow, many-shaped property lookup: about 4 µs per entry more, on the path of
 * every pull (one read record per patient).
 */
function uniformEntry(record: AppendRecord, sequence: number, receivedAt: string, previousHash: string): AuditEntry & { hash: string } {
  return {
    id: record.id,
    source: record.source,
    userId: record.userId,
    role: record.role,
    workstation: record.workstation,
    action: record.action,
    patientId: record.patientId,
    object: record.object,
    instant: record.instant,
    outcome: record.outcome,
    reason: record.reason,
    details: record.details,
    deliveredBy: record.deliveredBy,
    serverRole: record.serverRole,
    sequence,
    receivedAt,
    previousHash,
    hash: '',
  } as AuditEntry & { hash: string };
}

/**
 * chainEntry over a whole batch, with the same hashes: the previous hash is carried as raw
 * bytes from one digest to the next instead of being checked and decoded from hex per
 * entry (a pull appends a thousand read records under the audit lock).
 */
export function chainEntries(head: ChainHead, records: Iterable<AppendRecord>, receivedAt: string): AuditEntry[] {
  if (!/^[0-9a-f]{64}$/.test(head.hash)) throw new TypeError('previous hash is not 64 hex digits');
  const entries: AuditEntry[] = [];
  let previousHash = head.hash;
  let previousRaw = Buffer.from(previousHash, 'hex');
  let sequence = head.sequence;
  for (const record of records) {
    sequence += 1;
    const entry = uniformEntry(record, sequence, receivedAt, previousHash);
    const digest = createHash('sha256').update(previousRaw).update(entryCanonicalJson(entry), 'utf8').digest();
    entry.hash = digest.toString('hex');
    entries.push(entry);
    previousHash = entry.hash;
    previousRaw = digest;
  }
  return entries;
}

/**
 * - missing: the entry with this sequence is not there (deleted, or the chain renumbered);
 * - order: sequences go backwards or repeat;
 * - link: the entry's previous hash is not the hash of the entry before it;
 * - hash: the entry's content does not give its stored hash (it was edited).
 */
export type ChainFaultKind = 'missing' | 'order' | 'link' | 'hash';

export type ChainFault = { readonly sequence: number; readonly kind: ChainFaultKind };

/**
 * Walks entries in sequence order one at a time, so a chain of millions is checked in
 * pages without holding it in memory. Stops at the first fault: what follows it cannot be
 * trusted anyway.
 */
export class ChainVerifier {
  #head: ChainHead;
  #fault: ChainFault | null = null;

  constructor(start: ChainHead = EMPTY_HEAD) {
    this.#head = start;
  }

  get head(): ChainHead {
    return this.#head;
  }

  get fault(): ChainFault | null {
    return this.#fault;
  }

  /** Returns the fault found at this entry, or null; once a fault is found, further entries are ignored. */
  push(entry: AuditEntry): ChainFault | null {
    if (this.#fault) return this.#fault;
    const expected = this.#head.sequence + 1;
    let fault: ChainFault | null = null;
    if (entry.sequence > expected) fault = { sequence: expected, kind: 'missing' };
    else if (entry.sequence < expected) fault = { sequence: entry.sequence, kind: 'order' };
    else if (entry.previousHash !== this.#head.hash) fault = { sequence: entry.sequence, kind: 'link' };
    else if (safeHash(entry) !== entry.hash) fault = { sequence: entry.sequence, kind: 'hash' };
    if (fault) {
      this.#fault = fault;
      return fault;
    }
    this.#head = { sequence: entry.sequence, hash: entry.hash };
    return null;
  }
}

function safeHash(entry: AuditEntry): string | null {
  try {
    return entryHash(entry.previousHash, entry);
  } catch {
    return null;
  }
}

export type ChainReport =
  | { readonly ok: true; readonly head: ChainHead }
  | { readonly ok: false; readonly fault: ChainFault; readonly lastGood: ChainHead };

export function verifyEntries(entries: Iterable<AuditEntry>, start: ChainHead = EMPTY_HEAD): ChainReport {
  const verifier = new ChainVerifier(start);
  for (const entry of entries) {
    const fault = verifier.push(entry);
    if (fault) return { ok: false, fault, lastGood: verifier.head };
  }
  return { ok: true, head: verifier.head };
}
