import { createHash, randomUUID } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { ErrorPayload } from '../../../shared/src/errors';
import type { Hl7Message, LabReport } from '../../../shared/src/hl7';
import { buildAck, messageHeader, parseHl7, readLabReport } from '../../../shared/src/hl7';
import type { Observation, Patient } from '../../../shared/src/schemas';
import { parseDocument } from '../../../shared/src/schemas';
import type { Engine, Queryable } from '../db/engine';
import { toBoolean } from '../db/engine';
import { REPLICATION_CHANNEL } from '../replication/repository';
import type { AuditLog, AuditRecord, Clock } from '../types';

/**
 * The lab feed of the sync server (MLLP listener, off by default): an ORU^R01 whose
 * patient is found by INS, then NIR, among the server's patient documents becomes
 * observation documents of that patient, written like a replicated push (next sequence,
 * live notification), so they reach exactly the workstations whose users may read that
 * patient's clinical data (the pull filters by grant, care team, break-the-glass, as for
 * any document). Anything else is kept whole in `hl7_inbox` with its reason: unreadable
 * (ACK AR: the sender should fix and resend), unmatched, matched by traits only, or not a
 * lab result (ACK AE: stored, a person decides; no resend needed). Every message is a
 * server event of the audit chain (the feed's own identity, `hl7-feed`), observation
 * writes with the patient's id.
 */
export type Hl7Feed = {
  /** Handles one message (its bytes as framed); returns the acknowledgement to send back. */
  receive(
    bytes: Uint8Array,
    remote?: string,
  ): Promise<{ ack: string; outcome: 'imported' | 'quarantined' | 'rejected' }>;
};

export const FEED_USER = 'hl7-feed';
export const FEED_APPLICATION = 'CLINIQUE-SYNC';

/** Same id as the workstation import gives (main/src/interop/hl7-import.ts): one result, one document, wherever it came in. */
export function labObservationId(patientId: string, key: string): string {
  return `hl7-${createHash('sha256').update(`${patientId}\u0000${key}`, 'utf8').digest('hex').slice(0, 40)}`;
}

type Match =
  { kind: 'matched'; patientId: string } | { kind: 'none' | 'ambiguous' | 'conflict'; candidates: string[] };

async function matchPatient(q: Queryable, report: LabReport): Promise<Match> {
  const p = report.patient;
  for (const key of [p.ins?.matricule, p.nir]) {
    if (key === undefined) continue;
    // Prefilter on the text (the number appears quoted in the JSON), then read exactly.
    const rows = await q.query<{ id: string; data: string; deleted: unknown }>(
      "SELECT id, data, deleted FROM documents WHERE collection = 'patient' AND data LIKE $1",
      [`%"${key}"%`],
    );
    const hits: Patient[] = [];
    for (const row of rows) {
      if (toBoolean(row.deleted)) continue;
      const doc = JSON.parse(row.data) as Patient;
      if (doc.nir === key || doc.ins?.matricule === key) hits.push(doc);
    }
    if (hits.length > 1) return { kind: 'ambiguous', candidates: hits.map((h) => h.id).slice(0, 20) };
    const hit = hits[0];
    if (hit === undefined) continue;
    if (p.ins !== undefined && hit.ins !== undefined && hit.ins.matricule !== p.ins.matricule)
      return { kind: 'conflict', candidates: [hit.id] };
    if (p.birthDate !== undefined && p.birthDate !== hit.birthDate)
      return { kind: 'conflict', candidates: [hit.id] };
    return { kind: 'matched', patientId: hit.id };
  }
  // Traits alone never attach a result here: nobody is there to confirm.
  return { kind: 'none', candidates: [] };
}

const REASON: Readonly<Record<Exclude<Match['kind'], 'matched'>, string>> = {
  none: 'HL7_PATIENT_UNMATCHED',
  ambiguous: 'HL7_PATIENT_AMBIGUOUS',
  conflict: 'HL7_PATIENT_INS_CONFLICT',
};

export function createHl7Feed(deps: {
  readonly engine: Engine;
  readonly audit: AuditLog;
  readonly clock: Clock;
}): Hl7Feed {
  const { engine, audit, clock } = deps;
  const sender = (at: string) => ({
    application: FEED_APPLICATION,
    facility: 'CLINIQUE',
    controlId: randomUUID().replace(/-/g, '').slice(0, 20),
    at,
  });
  const record = (
    at: string,
    fields: Pick<AuditRecord, 'action' | 'outcome'> &
      Partial<Pick<AuditRecord, 'patientId' | 'object' | 'details'>>,
  ): AuditRecord => ({
    id: randomUUID(),
    source: 'server',
    userId: FEED_USER,
    role: 'system',
    workstation: 'mllp',
    instant: at,
    ...fields,
  });

  const keep = async (
    tx: Queryable,
    at: string,
    bytes: Uint8Array,
    remote: string | undefined,
    message: Hl7Message | undefined,
    status: 'quarantined' | 'rejected',
    reason: ErrorPayload,
    candidates: readonly string[],
  ): Promise<string> => {
    const id = randomUUID();
    const header = message === undefined ? undefined : messageHeader(message);
    await tx.execute(
      `INSERT INTO hl7_inbox (id, received_at, remote, message_type, control_id, status, reason_code, reason_params, candidates, raw)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        id,
        at,
        remote ?? null,
        header === undefined ? '' : `${header.type.code}^${header.type.event}`.slice(0, 32),
        (header?.controlId ?? '').slice(0, 64),
        status,
        reason.code,
        reason.params === undefined ? null : JSON.stringify(reason.params),
        JSON.stringify(candidates),
        Buffer.from(bytes).toString('base64'),
      ],
    );
    await audit.append(tx, [
      record(at, {
        action: 'import',
        outcome: status === 'rejected' ? 'error' : 'denied',
        object: { collection: 'hl7_inbox', id },
        details: { code: reason.code },
      }),
    ]);
    return id;
  };

  return {
    async receive(bytes, remote) {
      const at = new Date(clock()).toISOString();
      const parsed = parseHl7(bytes);
      if (!parsed.ok) {
        await engine.transaction(async (tx) =>
          keep(tx, at, bytes, remote, undefined, 'rejected', parsed.error, []),
        );
        return { ack: buildAck(undefined, 'AR', sender(at), parsed.error), outcome: 'rejected' };
      }
      const message = parsed.value;
      const report = readLabReport(message);
      if (!report.ok) {
        await engine.transaction(async (tx) =>
          keep(tx, at, bytes, remote, message, 'quarantined', report.error, []),
        );
        return { ack: buildAck(message, 'AE', sender(at), report.error), outcome: 'quarantined' };
      }
      return engine.transaction(
        async (tx) => {
          const match = await matchPatient(tx, report.value);
          if (match.kind !== 'matched') {
            const reason = { code: REASON[match.kind] };
            await keep(tx, at, bytes, remote, message, 'quarantined', reason, match.candidates);
            return { ack: buildAck(message, 'AE', sender(at), reason), outcome: 'quarantined' as const };
          }
          const patientId = match.patientId;
          const ids = report.value.observations.map((o) => labObservationId(patientId, o.key));
          const existing = new Map<string, Observation>();
          for (const id of ids) {
            const [row] = await tx.query<{ data: string }>(
              "SELECT data FROM documents WHERE collection = 'observation' AND id = $1",
              [id],
            );
            if (row !== undefined) existing.set(id, JSON.parse(row.data) as Observation);
          }
          const docs: Observation[] = [];
          for (const [i, o] of report.value.observations.entries()) {
            const id = ids[i] as string;
            const prev = existing.get(id);
            const { key: _key, ...fields } = o;
            void _key;
            const updatedAt =
              prev === undefined || at > prev.updatedAt
                ? at
                : new Date(Date.parse(prev.updatedAt) + 1).toISOString();
            const doc = parseDocument('observation', {
              ...fields,
              id,
              patientId,
              createdAt: prev?.createdAt ?? at,
              updatedAt,
            });
            if (!doc.ok) {
              await keep(tx, at, bytes, remote, message, 'quarantined', doc.error, [patientId]);
              return { ack: buildAck(message, 'AE', sender(at), doc.error), outcome: 'quarantined' as const };
            }
            docs.push(doc.value);
          }
          const [max] = await tx.query<{ m: number | null }>('SELECT MAX(sequence) AS m FROM documents');
          let sequence = (max?.m ?? 0) + 1;
          const first = sequence;
          for (const doc of docs) {
            await tx.execute(
              `INSERT INTO documents (collection, id, sequence, patient_id, data_class, deleted, data, updated_at, updated_by)
               VALUES ('observation', $1, $2, $3, 'clinical', $4, $5, $6, $7)
               ON CONFLICT (collection, id) DO UPDATE SET sequence = excluded.sequence, patient_id = excluded.patient_id,
                 data_class = excluded.data_class, deleted = excluded.deleted, data = excluded.data,
                 updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
              [doc.id, sequence, patientId, false, canonicalize(doc) ?? '{}', at, FEED_USER],
            );
            sequence += 1;
          }
          await audit.append(
            tx,
            docs.map((d) =>
              record(at, {
                action: 'import',
                outcome: 'success',
                patientId,
                object: { collection: 'observation', id: d.id },
              }),
            ),
          );
          if (docs.length > 0) {
            await engine.notify(
              tx,
              REPLICATION_CHANNEL,
              JSON.stringify({ collection: 'observation', from: first, to: sequence - 1, at: Date.now() }),
            );
          }
          return { ack: buildAck(message, 'AA', sender(at)), outcome: 'imported' as const };
        },
        { lock: 'replication' },
      );
    },
  };
}
