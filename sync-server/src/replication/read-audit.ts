import type { CollectionName } from '../../../shared/src/schemas';
import type { Queryable } from '../db/engine';
import type { AuditRecord, Clock, Principal } from '../types';
import { auditRecordId } from '../audit/record-id';
import type { ReplicationAudit } from './repository';

/**
 * The server's own record of documents it handed out: one entry per patient per pull
 * batch (or live event), in the same transaction as the read.
 */
export async function auditRead(
  tx: Queryable,
  audit: ReplicationAudit,
  clock: Clock,
  principal: Principal,
  collection: CollectionName,
  documents: number,
  patientIds: readonly string[],
  via: 'pull' | 'stream',
): Promise<void> {
  if (documents === 0 || patientIds.length === 0) return;
  const instant = new Date(clock()).toISOString();
  const records: AuditRecord[] = patientIds.map((patientId) => ({
    id: auditRecordId(),
    source: 'server',
    userId: principal.userId,
    role: principal.role,
    workstation: principal.workstationId,
    action: 'read',
    patientId,
    instant,
    outcome: 'success',
    details: { collection, via },
  }));
  // Ids made just now: no lookup of them in the log (see AuditLog.append).
  await audit.append(tx, records, { freshIds: true });
}
