import type { DataClass } from '../../shared/src/schemas';
import type { CollectionName } from '../../shared/src/schemas';
import type { UserRole } from '../../shared/src/sync/protocol';
import type { Queryable } from './db/engine';

/** Who is calling: set on every authenticated request by the auth module. */
export type Principal = {
  readonly userId: string;
  readonly username: string;
  readonly role: UserRole;
  readonly rpps?: string;
  readonly workstationId: string;
  readonly sessionId: string;
};

export type Clock = () => number;

/**
 * What the replication routes ask the access module. Pull queries are filtered in SQL
 * (a user may see thousands of patients): `readScope` says which data classes a role may
 * read and whether patients are limited to those of the view `effective_patient_access`
 * (user_id, patient_id, valid_until), which the access module's migration defines
 * (direct grants, care-team shares and unexpired break-the-glass grants).
 */
export type ReadScope = {
  readonly dataClasses: readonly DataClass[];
  /** 'all': every patient of the clinic (secretary: administrative data only); 'granted': the view. */
  readonly patients: 'all' | 'granted';
};

export type AccessDecision = { readonly allowed: true } | { readonly allowed: false; readonly code: string };

export type AccessService = {
  readScope(principal: Principal): ReadScope;
  /** May this principal write this document (new state) of this collection? Checked per pushed row. */
  canWrite(
    tx: Queryable,
    principal: Principal,
    collection: CollectionName,
    doc: { readonly id: string; readonly patientId: string | undefined; readonly dataClass: DataClass },
  ): Promise<AccessDecision>;
  /** May this principal read this patient's data of this class (used outside pulls)? */
  canRead(tx: Queryable, principal: Principal, patientId: string, dataClass: DataClass): Promise<AccessDecision>;
};

/** An event the server records in the central audit log (its own, or received from a workstation). */
export type AuditRecord = {
  /** Unique: a workstation event keeps its own id, so a retried push is recorded once. */
  readonly id: string;
  readonly source: 'server' | 'workstation';
  readonly userId: string;
  readonly role: string;
  readonly workstation: string;
  readonly action: string;
  readonly patientId?: string;
  readonly object?: { readonly collection: string; readonly id: string };
  readonly instant: string;
  readonly outcome: 'success' | 'denied' | 'error';
  readonly reason?: string;
  /** Server events only: small, non-health details (counts, codes). Never document content. */
  readonly details?: Readonly<Record<string, string | number | boolean>>;
};

export type AuditLog = {
  /**
   * Appends records to the hash chain inside the caller's transaction (so a write and its
   * audit record commit together). Records whose id is already in the log are skipped:
   * each event is stored exactly once however often it is pushed. `freshIds`: the caller
   * has just made every id (auditRecordId), so none can be in the log and the lookup is
   * skipped (a pull appends a thousand read records; were an id ever there, the UNIQUE index
   * would refuse the insert and the whole transaction with it).
   */
  append(tx: Queryable, records: readonly AuditRecord[], options?: { readonly freshIds?: boolean }): Promise<{ readonly appended: number }>;
};
