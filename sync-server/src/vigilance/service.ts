import canonicalize from 'canonicalize';
import { randomUUID } from 'node:crypto';
import { AppError } from '../../../shared/src/errors';
import type { CollectionName } from '../../../shared/src/schemas';
import type { PatientMerge, ReviewedBreakGlass } from '../../../shared/src/sync/vigilance-protocol';
import type { Engine, Queryable } from '../db/engine';
import { toBoolean } from '../db/engine';
import type { ChangeNotice } from '../replication/repository';
import { REPLICATION_CHANNEL } from '../replication/repository';
import type { AccessService, AuditLog, AuditRecord, Clock, Principal } from '../types';

export type VigilanceDeps = {
  readonly engine: Engine;
  readonly access: AccessService;
  readonly audit: AuditLog;
  readonly clock: Clock;
};

export type VigilanceService = {
  listBreakGlass(status: 'pending' | 'reviewed' | 'all', limit: number): Promise<ReviewedBreakGlass[]>;
  reviewBreakGlass(principal: Principal, breakGlassId: string, comment: string): Promise<ReviewedBreakGlass>;
  merge(principal: Principal, input: { survivorId: string; mergedId: string; reason?: string | undefined }): Promise<PatientMerge>;
  unmerge(principal: Principal, mergeId: string): Promise<PatientMerge>;
  listMerges(principal: Principal, patientId: string | undefined): Promise<PatientMerge[]>;
};

type BreakGlassRow = {
  id: string;
  user_id: string;
  username: string;
  display_name: string;
  patient_id: string;
  workstation_id: string;
  reason: string;
  opened_at: string;
  expires_at: string;
  ended_at: string | null;
  reviewed_by: string | null;
  reviewer_name: string | null;
  reviewed_at: string | null;
  comment: string | null;
};

type MergeRow = {
  id: string;
  survivor_id: string;
  merged_id: string;
  reason: string | null;
  merged_by: string;
  merged_at: string;
  moved: string;
  undone_by: string | null;
  undone_at: string | null;
};

const BREAK_GLASS_SELECT = `SELECT b.id, b.user_id, u.username, u.display_name, b.patient_id, b.workstation_id, b.reason,
        b.opened_at, b.expires_at, b.ended_at, r.reviewed_by, ru.display_name AS reviewer_name, r.reviewed_at, r.comment
   FROM break_glass_grants b
   JOIN users u ON u.id = b.user_id
   LEFT JOIN break_glass_reviews r ON r.break_glass_id = b.id
   LEFT JOIN users ru ON ru.id = r.reviewed_by`;

function breakGlassView(row: BreakGlassRow): ReviewedBreakGlass {
  return {
    id: row.id,
    userId: row.user_id,
    username: row.username,
    displayName: row.display_name,
    patientId: row.patient_id,
    workstationId: row.workstation_id,
    reason: row.reason,
    openedAt: row.opened_at,
    expiresAt: row.expires_at,
    endedAt: row.ended_at,
    review:
      row.reviewed_by !== null && row.reviewed_at !== null && row.comment !== null
        ? { reviewedBy: row.reviewed_by, reviewerName: row.reviewer_name ?? row.reviewed_by, reviewedAt: row.reviewed_at, comment: row.comment }
        : null,
  };
}

type MovedDoc = readonly [CollectionName, string];

function mergeView(row: MergeRow): PatientMerge {
  const moved: Record<string, number> = {};
  for (const [collection] of JSON.parse(row.moved) as MovedDoc[]) moved[collection] = (moved[collection] ?? 0) + 1;
  return {
    id: row.id,
    survivorId: row.survivor_id,
    mergedId: row.merged_id,
    ...(row.reason !== null ? { reason: row.reason } : {}),
    mergedBy: row.merged_by,
    mergedAt: row.merged_at,
    moved,
    undoneBy: row.undone_by,
    undoneAt: row.undone_at,
  };
}

/**
 * The DPO's review of break-the-glass accesses, and explicit identity merges.
 *
 * A merge runs on the server, in one transaction under the replication lock: every
 * document of the merged patient (encounters, observations, prescriptions, allergies,
 * documents, imaging studies, tombstones included) gets the survivor as its patient and a
 * new sequence, the merged patient's document becomes a tombstone, and the list of what
 * moved is kept in `patient_merges`. Every workstation pulls the moved documents and the
 * tombstone like any other change: the merge reaches them all. An unmerge moves exactly
 * those documents back and restores the merged patient (its stored fields were kept under
 * the tombstone). Documents written for the survivor after the merge stay with it.
 * Workstations cannot merge offline: the push route refuses a document that changes
 * patient (SYNC_PATIENT_CHANGED), so the server is the one place where a move is decided.
 */
export function createVigilanceService(deps: VigilanceDeps): VigilanceService {
  const { engine, access, audit, clock } = deps;
  const iso = () => new Date(clock()).toISOString();

  const record = (principal: Principal, action: string, fields: Partial<AuditRecord>): AuditRecord => ({
    id: randomUUID(),
    source: 'server',
    userId: principal.userId,
    role: principal.role,
    workstation: principal.workstationId,
    action,
    instant: iso(),
    outcome: 'success',
    ...fields,
  });

  async function requireIdentityAccess(tx: Queryable, principal: Principal, patientIds: readonly string[]): Promise<void> {
    for (const patientId of patientIds) {
      const decision = await access.canRead(tx, principal, patientId, 'administrative');
      if (!decision.allowed || (principal.role !== 'practitioner' && principal.role !== 'secretary')) {
        throw new AppError('IDENTITY_MERGE_FORBIDDEN', { patientId });
      }
    }
  }

  /** Rewrites documents in place with a new sequence each; announces the ranges. */
  async function rewrite(
    tx: Queryable,
    principal: Principal,
    docs: readonly { collection: CollectionName; id: string; data: string; deleted: boolean; patientId: string | null }[],
  ): Promise<void> {
    if (docs.length === 0) return;
    const [max] = await tx.query<{ m: number | string | null }>('SELECT MAX(sequence) AS m FROM documents');
    let next = Number(max?.m ?? 0) + 1;
    const ranges = new Map<CollectionName, { from: number; to: number }>();
    const now = iso();
    for (const doc of docs) {
      const sequence = next;
      next += 1;
      await tx.execute(
        `UPDATE documents SET sequence = $1, patient_id = $2, deleted = $3, data = $4, updated_at = $5, updated_by = $6
          WHERE collection = $7 AND id = $8`,
        [sequence, doc.patientId, tx.kind === 'postgres' ? doc.deleted : doc.deleted ? 1 : 0, doc.data, now, principal.userId, doc.collection, doc.id],
      );
      const range = ranges.get(doc.collection);
      if (range) range.to = sequence;
      else ranges.set(doc.collection, { from: sequence, to: sequence });
    }
    // Sequences are assigned in `docs` order; a collection's range may enclose another
    // collection's sequences, which a pull of that collection skips (it filters by collection).
    for (const [collection, range] of ranges) {
      const notice: ChangeNotice = { collection, from: range.from, to: range.to, at: Date.now() };
      await engine.notify(tx, REPLICATION_CHANNEL, JSON.stringify(notice));
    }
  }

  const withPatient = (data: string, patientId: string): string => {
    const body = JSON.parse(data) as Record<string, unknown>;
    return canonicalize({ ...body, patientId }) ?? data;
  };

  /** A refused merge or unmerge is recorded after its transaction rolled back. */
  async function auditedRefusal<T>(principal: Principal, what: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof AppError && error.code === 'IDENTITY_MERGE_FORBIDDEN') {
        const patientId = typeof error.params?.patientId === 'string' ? error.params.patientId : undefined;
        await engine.transaction((tx) =>
          audit.append(tx, [
            record(principal, what, {
              ...(patientId !== undefined ? { patientId } : {}),
              outcome: 'denied',
              details: { code: 'IDENTITY_MERGE_FORBIDDEN' },
            }),
          ]),
        );
        throw new AppError('IDENTITY_MERGE_FORBIDDEN');
      }
      throw error;
    }
  }

  async function readMerge(tx: Queryable, mergeId: string): Promise<MergeRow> {
    const [row] = await tx.query<MergeRow>('SELECT * FROM patient_merges WHERE id = $1', [mergeId]);
    if (!row) throw new AppError('IDENTITY_MERGE_NOT_FOUND');
    return row;
  }

  return {
    async listBreakGlass(status, limit) {
      const where = status === 'pending' ? 'WHERE r.break_glass_id IS NULL' : status === 'reviewed' ? 'WHERE r.break_glass_id IS NOT NULL' : '';
      const rows = await engine.query<BreakGlassRow>(`${BREAK_GLASS_SELECT} ${where} ORDER BY b.opened_at DESC, b.id LIMIT $1`, [limit]);
      return rows.map(breakGlassView);
    },

    async reviewBreakGlass(principal, breakGlassId, comment) {
      return engine.transaction(async (tx) => {
        const [row] = await tx.query<BreakGlassRow>(`${BREAK_GLASS_SELECT} WHERE b.id = $1`, [breakGlassId]);
        if (!row) throw new AppError('BREAK_GLASS_NOT_FOUND');
        if (row.reviewed_by !== null) throw new AppError('BREAK_GLASS_ALREADY_REVIEWED');
        const at = iso();
        await tx.execute('INSERT INTO break_glass_reviews (break_glass_id, reviewed_by, reviewed_at, comment) VALUES ($1, $2, $3, $4)', [
          breakGlassId,
          principal.userId,
          at,
          comment,
        ]);
        // The comment is the DPO's judgement, which may quote the reason: kept in its table, not in the chain.
        await audit.append(tx, [
          record(principal, 'review', {
            patientId: row.patient_id,
            object: { collection: 'break_glass_grants', id: breakGlassId },
            details: { targetUserId: row.user_id },
          }),
        ]);
        const [after] = await tx.query<BreakGlassRow>(`${BREAK_GLASS_SELECT} WHERE b.id = $1`, [breakGlassId]);
        return breakGlassView(after as BreakGlassRow);
      });
    },

    async merge(principal, input) {
      if (input.survivorId === input.mergedId) throw new AppError('IDENTITY_MERGE_SAME_PATIENT');
      return auditedRefusal(principal, 'merge', () => engine.transaction(
        async (tx) => {
          await requireIdentityAccess(tx, principal, [input.survivorId, input.mergedId]);
          const patients = await tx.query<{ id: string; deleted: unknown }>(
            "SELECT id, deleted FROM documents WHERE collection = 'patient' AND id IN ($1, $2)",
            [input.survivorId, input.mergedId],
          );
          if (patients.length !== 2 || patients.some((p) => toBoolean(p.deleted))) throw new AppError('IDENTITY_MERGE_PATIENT_NOT_FOUND');
          const active = await tx.query<{ id: string }>(
            `SELECT id FROM patient_merges WHERE undone_at IS NULL
               AND (merged_id IN ($1, $2) OR survivor_id = $2)`,
            [input.survivorId, input.mergedId],
          );
          if (active.length > 0) throw new AppError('IDENTITY_MERGE_ALREADY_MERGED');
          const docs = await tx.query<{ collection: CollectionName; id: string; data: string; deleted: unknown }>(
            "SELECT collection, id, data, deleted FROM documents WHERE patient_id = $1 AND collection <> 'patient' ORDER BY collection, sequence",
            [input.mergedId],
          );
          const [mergedPatient] = await tx.query<{ data: string }>("SELECT data FROM documents WHERE collection = 'patient' AND id = $1", [
            input.mergedId,
          ]);
          await rewrite(tx, principal, [
            ...docs.map((d) => ({
              collection: d.collection,
              id: d.id,
              data: withPatient(d.data, input.survivorId),
              deleted: toBoolean(d.deleted),
              patientId: input.survivorId,
            })),
            { collection: 'patient', id: input.mergedId, data: mergedPatient?.data ?? '{}', deleted: true, patientId: input.mergedId },
          ]);
          const id = randomUUID();
          const moved: MovedDoc[] = docs.map((d) => [d.collection, d.id]);
          const at = iso();
          await tx.execute(
            `INSERT INTO patient_merges (id, survivor_id, merged_id, reason, merged_by, merged_at, moved) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
            [id, input.survivorId, input.mergedId, input.reason ?? null, principal.userId, at, JSON.stringify(moved)],
          );
          const object = { collection: 'patient_merges', id };
          await audit.append(tx, [
            record(principal, 'merge', { patientId: input.survivorId, object, details: { mergedId: input.mergedId, moved: moved.length } }),
            record(principal, 'merge', { patientId: input.mergedId, object, details: { survivorId: input.survivorId, moved: moved.length } }),
          ]);
          return mergeView(await readMerge(tx, id));
        },
        { lock: 'replication' },
      ));
    },

    async unmerge(principal, mergeId) {
      return auditedRefusal(principal, 'unmerge', () => engine.transaction(
        async (tx) => {
          const merge = await readMerge(tx, mergeId);
          await requireIdentityAccess(tx, principal, [merge.survivor_id]);
          if (merge.undone_at !== null) throw new AppError('IDENTITY_MERGE_ALREADY_UNDONE');
          const moved = JSON.parse(merge.moved) as MovedDoc[];
          const back: { collection: CollectionName; id: string; data: string; deleted: boolean; patientId: string }[] = [];
          for (const [collection, id] of moved) {
            const [row] = await tx.query<{ data: string; deleted: unknown; patient_id: string | null }>(
              'SELECT data, deleted, patient_id FROM documents WHERE collection = $1 AND id = $2',
              [collection, id],
            );
            // Still with the survivor: moved back. Gone since (erased by a retention purge) stays gone.
            if (row && row.patient_id === merge.survivor_id) {
              back.push({ collection, id, data: withPatient(row.data, merge.merged_id), deleted: toBoolean(row.deleted), patientId: merge.merged_id });
            }
          }
          const [patient] = await tx.query<{ data: string }>("SELECT data FROM documents WHERE collection = 'patient' AND id = $1", [merge.merged_id]);
          await rewrite(tx, principal, [
            ...(patient ? [{ collection: 'patient' as const, id: merge.merged_id, data: patient.data, deleted: false, patientId: merge.merged_id }] : []),
            ...back,
          ]);
          const at = iso();
          await tx.execute('UPDATE patient_merges SET undone_by = $1, undone_at = $2 WHERE id = $3', [principal.userId, at, mergeId]);
          const object = { collection: 'patient_merges', id: mergeId };
          await audit.append(tx, [
            record(principal, 'unmerge', { patientId: merge.survivor_id, object, details: { mergedId: merge.merged_id, movedBack: back.length } }),
            record(principal, 'unmerge', { patientId: merge.merged_id, object, details: { survivorId: merge.survivor_id, movedBack: back.length } }),
          ]);
          return mergeView(await readMerge(tx, mergeId));
        },
        { lock: 'replication' },
      ));
    },

    async listMerges(principal, patientId) {
      const rows = patientId
        ? await engine.query<MergeRow>('SELECT * FROM patient_merges WHERE survivor_id = $1 OR merged_id = $1 ORDER BY merged_at DESC', [patientId])
        : await engine.query<MergeRow>('SELECT * FROM patient_merges ORDER BY merged_at DESC LIMIT 500');
      const visible: PatientMerge[] = [];
      for (const row of rows) {
        const decision = await access.canRead(engine, principal, row.survivor_id, 'administrative');
        if (decision.allowed) visible.push(mergeView(row));
      }
      return visible;
    },
  };
}
