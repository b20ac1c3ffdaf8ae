import { AppError } from '../../../shared/src/errors';
import type { AuditAction, AuditEvent, DataClass } from '../../../shared/src/schemas';
import { AuditEventSchema } from '../../../shared/src/schemas';
import type { Actor, ServiceDeps } from './context';
import { defaultNewId, instantOf } from './context';

/**
 * The one choke point of patient data on the workstation: every service reads and writes
 * patient documents only inside `access.run`, which checks the actor's role for the data
 * class (the same rules as the sync server: a secretary never touches clinical data, the
 * DPO and admins no patient documents at all) and writes an `audit_event` document for
 * the access, reads and searches included, denials and failures too. The audit collection
 * is push-only: the replication client sends the events to the server's chain.
 */

export type AccessRequest = {
  readonly action: AuditAction;
  readonly dataClass: Exclude<DataClass, 'audit'>;
  readonly patientId?: string | undefined;
  /** What was touched: a collection and document id, or another kind of object ('timeline', 'patient_search'). */
  readonly object?: { readonly collection: string; readonly id: string } | undefined;
};

export type Access = {
  /** Checks the role, runs `work`, records the outcome; the error of a denial or a failure is rethrown. */
  run<T>(request: AccessRequest, work: (actor: Actor) => Promise<T>): Promise<T>;
  /** Records more events for one operation that touched several documents (after `run` succeeded). */
  record(actor: Actor, requests: readonly AccessRequest[], outcome?: AuditEvent['outcome']): Promise<void>;
};

/** Null when allowed; the catalogue code of the refusal otherwise. */
export function refusalFor(role: Actor['role'], dataClass: AccessRequest['dataClass']): string | null {
  switch (role) {
    case 'practitioner':
      return null;
    case 'secretary':
      return dataClass === 'administrative' ? null : 'ACCESS_CLINICAL_DENIED';
    case 'dpo':
    case 'admin':
      return 'ACCESS_ROLE_NO_DOCUMENTS';
  }
}

const ID_SAFE = /[^0-9A-Za-z_-]/g;

/** Actions that change a record: refused while it is restricted (GDPR Art. 18). */
const WRITE_ACTIONS: ReadonlySet<AuditAction> = new Set(['create', 'update', 'delete', 'sign', 'import']);

/** The reason on the audit event of a read of a restricted record (it happens only for legal needs). */
export const RESTRICTED_READ_REASON = 'RIGHTS_PATIENT_RESTRICTED';

export function createAccess(deps: ServiceDeps): Access {
  const newId = deps.newId ?? defaultNewId;

  const eventOf = (actor: Actor, r: AccessRequest, outcome: AuditEvent['outcome'], reason?: string): AuditEvent => {
    const instant = instantOf(deps.clock);
    const event: AuditEvent = {
      id: newId(),
      userId: actor.userId,
      role: actor.role,
      workstation: actor.workstationId,
      action: r.action,
      ...(r.patientId === undefined ? {} : { patientId: r.patientId }),
      ...(r.object === undefined
        ? {}
        : { object: { collection: r.object.collection, id: r.object.id.replace(ID_SAFE, '_').slice(0, 64) || '_' } }),
      instant,
      outcome,
      ...(reason === undefined ? {} : { reason }),
      updatedAt: instant,
    };
    // A malformed event is a bug of this file: fail loudly rather than store it.
    return AuditEventSchema.parse(event);
  };

  const record: Access['record'] = async (actor, requests, outcome = 'success') => {
    if (requests.length === 0) return;
    await deps.db.audit_event.bulkInsert(requests.map((r) => eventOf(actor, r, outcome)));
  };

  return {
    async run<T>(request: AccessRequest, work: (actor: Actor) => Promise<T>): Promise<T> {
      const actor = deps.actor();
      const refusal = refusalFor(actor.role, request.dataClass);
      if (refusal !== null) {
        await record(actor, [request], 'denied');
        throw new AppError(refusal, { role: actor.role });
      }
      const restricted = request.patientId !== undefined && deps.restricted?.(request.patientId) === true;
      if (restricted && WRITE_ACTIONS.has(request.action)) {
        await deps.db.audit_event.insert(eventOf(actor, request, 'denied', RESTRICTED_READ_REASON));
        throw new AppError('RIGHTS_PATIENT_RESTRICTED');
      }
      let result: T;
      try {
        result = await work(actor);
      } catch (error) {
        // The attempt is on record too, with the catalogue code (never a message that could hold data).
        const reason = error instanceof AppError ? error.code : 'APP_INTERNAL_ERROR';
        await deps.db.audit_event.insert(eventOf(actor, request, 'error', reason)).catch(() => undefined);
        throw error;
      }
      if (restricted) await deps.db.audit_event.insert(eventOf(actor, request, 'success', RESTRICTED_READ_REASON));
      else await record(actor, [request]);
      return result;
    },
    record,
  };
}
