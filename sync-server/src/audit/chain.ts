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

/** RFC 8785 canonical JSON; refuses what JSON cannot carry faithfully (NaN, Infinity, undefined). */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
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

/** SHA-256(previous hash (32 raw bytes) ‖ UTF-8 canonical JSON of the entry), hex. */
export function entryHash(previousHash: string, entry: Omit<AuditEntry, 'previousHash' | 'hash'>): string {
  if (!/^[0-9a-f]{64}$/.test(previousHash)) throw new TypeError('previous hash is not 64 hex digits');
  return createHash('sha256')
    .update(Buffer.from(previousHash, 'hex'))
    .update(canonicalJson(hashedContent(entry)), 'utf8')
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
    const unhashed = { ...record, sequence, receivedAt };
    const digest = createHash('sha256').update(previousRaw).update(canonicalJson(hashedContent(unhashed)), 'utf8').digest();
    const hash = digest.toString('hex');
    entries.push({ ...unhashed, previousHash, hash });
    previousHash = hash;
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
