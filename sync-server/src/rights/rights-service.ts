import canonicalize from 'canonicalize';
import { AppError } from '../../../shared/src/errors';
import type { RetentionRules } from '../../../shared/src/rgpd/retention';
import { computeRetention, DEFAULT_RETENTION_RULES, parseRetentionRules } from '../../../shared/src/rgpd/retention';
import type { ErasureException } from '../../../shared/src/rgpd/legal-basis';
import { erasureExceptionsFor } from '../../../shared/src/rgpd/legal-basis';
import { parseReplicatedDocument } from '../../../shared/src/schemas';
import { parisDateOf } from '../../../shared/src/time/paris';
import { patientSearchKeys } from '../../../shared/src/schemas/search-key';
import type {
  ErasureRequest,
  ErasureRequestInput,
  PatientRightsStatus,
  Rectification,
  RectificationInput,
  Restriction,
  RetentionView,
  RightsState,
} from '../../../shared/src/sync/rights-protocol';
import { RECTIFIABLE_FIELDS } from '../../../shared/src/sync/rights-protocol';
import type { Engine, Queryable } from '../db/engine';
import type { Actor } from '../auth/auth-service';
import { newId } from '../auth/crypto';
import { ACCESS_CHANGE_CHANNEL } from '../access/access-service';
import { takeReplicationLock } from '../access/resequence';
import type { ChangeNotice } from '../replication/repository';
import { REPLICATION_CHANNEL } from '../replication/repository';
import type { AccessService, AuditLog, AuditRecord, Clock, Principal } from '../types';

export type RetentionPolicy = 'list' | 'purge';

export type RightsConfig = {
  readonly rules: RetentionRules;
  /** What the periodic retention job does with expired records: list them for the DPO (default) or erase them. */
  readonly policy: RetentionPolicy;
  /** How often the retention job runs (once across instances). */
  readonly intervalMs: number;
};

export const DEFAULT_RIGHTS_CONFIG: RightsConfig = { rules: DEFAULT_RETENTION_RULES, policy: 'list', intervalMs: 24 * 3_600_000 };

/** RETENTION_RULES (JSON of RetentionRules), RETENTION_POLICY (list|purge), RETENTION_INTERVAL_MS. */
export function rightsConfigFromEnv(env: Readonly<Record<string, string | undefined>>): RightsConfig {
  let rules = DEFAULT_RETENTION_RULES;
  if (env.RETENTION_RULES) {
    let raw: unknown;
    try {
      raw = JSON.parse(env.RETENTION_RULES);
    } catch {
      raw = undefined;
    }
    const parsed = parseRetentionRules(raw);
    if (!parsed) throw new AppError('RIGHTS_CLI_USAGE', { detail: 'RETENTION_RULES' });
    rules = parsed;
  }
  const policy = env.RETENTION_POLICY ?? 'list';
  if (policy !== 'list' && policy !== 'purge') throw new AppError('RIGHTS_CLI_USAGE', { detail: 'RETENTION_POLICY' });
  const intervalMs = env.RETENTION_INTERVAL_MS ? Number(env.RETENTION_INTERVAL_MS) : DEFAULT_RIGHTS_CONFIG.intervalMs;
  if (!Number.isInteger(intervalMs) || intervalMs < 1000) throw new AppError('RIGHTS_CLI_USAGE', { detail: 'RETENTION_INTERVAL_MS' });
  return { rules, policy, intervalMs };
}

export type RightsDeps = {
  readonly engine: Engine;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly access: AccessService & { hasPatientAccess(q: Queryable, userId: string, patientId: string): Promise<boolean> };
  readonly config?: RightsConfig;
  /**
   * Removes what else the server stores for these patients (image attachments when the server
   * keeps them), inside the erasure transaction.
   */
  readonly purgeExtra?: (tx: Queryable, patientId: string) => Promise<number>;
};

export type RestrictionKind = 'restriction' | 'legal_hold';

export type RightsService = {
  readonly config: RightsConfig;
  retention(patientId: string): Promise<RetentionView>;
  status(principal: Principal, patientId: string): Promise<PatientRightsStatus>;
  requestErasure(actor: Actor, input: ErasureRequestInput): Promise<ErasureRequest>;
  listErasureRequests(): Promise<ErasureRequest[]>;
  setRestriction(principal: Actor, patientId: string, kind: RestrictionKind, reason: string): Promise<Restriction>;
  liftRestriction(principal: Actor, patientId: string, kind: RestrictionKind, reason: string): Promise<Restriction>;
  rectify(principal: Principal, patientId: string, input: RectificationInput): Promise<Rectification[]>;
  rectifications(principal: Principal, patientId: string): Promise<Rectification[]>;
  state(): Promise<RightsState>;
  listExpired(): Promise<{ patientId: string; retention: RetentionView }[]>;
  /** The retention job: lists expired records, erases them when the policy says so; audited. */
  runRetention(actor: Actor, policy?: RetentionPolicy): Promise<{ expired: number; erased: number }>;
  /** Refuses writes to erased or restricted records (wraps the access module's canWrite). */
  guard<A extends AccessService>(access: A): A;
};

type RequestRow = {
  id: string;
  patient_id: string;
  requester_kind: string;
  requester_name: string | null;
  received_at: string;
  recorded_by: string;
  recorded_at: string;
  status: string;
  retention: string | null;
  legal_basis: string;
  completed_at: string | null;
};

type RestrictionRow = {
  id: string;
  kind: RestrictionKind;
  patient_id: string;
  reason: string;
  set_by: string;
  set_at: string;
  lifted_by: string | null;
  lifted_at: string | null;
  lift_reason: string | null;
};

const requestView = (r: RequestRow): ErasureRequest => ({
  id: r.id,
  patientId: r.patient_id,
  requesterKind: r.requester_kind as ErasureRequest['requesterKind'],
  requesterName: r.requester_name,
  receivedAt: r.received_at,
  recordedBy: r.recorded_by,
  recordedAt: r.recorded_at,
  status: r.status as ErasureRequest['status'],
  retention: r.retention === null ? null : (JSON.parse(r.retention) as RetentionView),
  legalBasis: JSON.parse(r.legal_basis) as ErasureException[],
  completedAt: r.completed_at,
});

const restrictionView = (r: RestrictionRow): Restriction => ({
  id: r.id,
  patientId: r.patient_id,
  reason: r.reason,
  setBy: r.set_by,
  setAt: r.set_at,
  liftedBy: r.lifted_by,
  liftedAt: r.lifted_at,
  liftReason: r.lift_reason,
});

const jsonOrNull = (value: unknown): string | null => (value === undefined || value === null ? null : (canonicalize(value) ?? null));

export function createRightsService(deps: RightsDeps): RightsService {
  const { engine, audit, clock, access } = deps;
  const config = deps.config ?? DEFAULT_RIGHTS_CONFIG;
  const iso = (): string => new Date(clock()).toISOString();

  const record = (
    actor: Actor,
    action: string,
    fields: Partial<Pick<AuditRecord, 'patientId' | 'reason' | 'details' | 'object'>> & { outcome?: AuditRecord['outcome'] },
  ): AuditRecord => {
    const { outcome, ...rest } = fields;
    return {
      id: newId(),
      source: 'server',
      userId: actor.userId,
      role: actor.role,
      workstation: actor.workstationId,
      action,
      instant: iso(),
      outcome: outcome ?? 'success',
      ...rest,
    };
  };

  async function isErased(q: Queryable, patientId: string): Promise<boolean> {
    return (await q.query('SELECT 1 AS x FROM erased_patients WHERE patient_id = $1', [patientId])).length > 0;
  }

  async function activeOf(q: Queryable, patientId: string, kind: RestrictionKind): Promise<RestrictionRow | undefined> {
    const [row] = await q.query<RestrictionRow>(
      'SELECT * FROM patient_restrictions WHERE patient_id = $1 AND kind = $2 AND lifted_at IS NULL',
      [patientId, kind],
    );
    return row;
  }

  async function patientDocument(q: Queryable, patientId: string): Promise<Record<string, unknown>> {
    const [row] = await q.query<{ data: string; deleted: unknown }>(
      "SELECT data, deleted FROM documents WHERE collection = 'patient' AND id = $1",
      [patientId],
    );
    if (!row) {
      if (await isErased(q, patientId)) throw new AppError('RIGHTS_PATIENT_ERASED');
      throw new AppError('RIGHTS_PATIENT_UNKNOWN', { patientId });
    }
    return JSON.parse(row.data) as Record<string, unknown>;
  }

  const lastEncounterSql = (kind: Engine['kind']): string =>
    kind === 'postgres'
      ? "SELECT patient_id, MAX((data::json)->>'start') AS s FROM documents WHERE collection = 'encounter' AND deleted = $1"
      : "SELECT patient_id, MAX(json_extract(data, '$.start')) AS s FROM documents WHERE collection = 'encounter' AND deleted = $1";

  async function retentionIn(q: Queryable, patientId: string): Promise<RetentionView> {
    const patient = await patientDocument(q, patientId);
    const [enc] = await q.query<{ s: string | null }>(`${lastEncounterSql(q.kind)} AND patient_id = $2 GROUP BY patient_id`, [false, patientId]);
    const held = (await activeOf(q, patientId, 'legal_hold')) !== undefined;
    return computeRetention(
      {
        birthDate: String(patient.birthDate),
        deceasedDate: typeof patient.deceasedDate === 'string' ? patient.deceasedDate : undefined,
        lastEncounterAt: enc?.s ?? undefined,
        recordCreatedAt: String(patient.createdAt),
        legalHold: held,
      },
      new Date(clock()),
      config.rules,
    );
  }

  async function requirePatientAccess(q: Queryable, principal: Actor, patientId: string, roles: readonly string[]): Promise<void> {
    if (!roles.includes(principal.role)) throw new AppError('RIGHTS_FORBIDDEN', { allowed: roles.join(', ') });
    if (principal.role === 'practitioner' && !(await access.hasPatientAccess(q, principal.userId, patientId))) {
      throw new AppError('ACCESS_NO_GRANT');
    }
  }

  /** Lock order of the server: 'access', then 'replication', then 'audit'. */
  const inRightsTx = <T>(work: (tx: Queryable) => Promise<T>): Promise<T> =>
    engine.transaction(async (tx) => {
      await takeReplicationLock(tx);
      return work(tx);
    }, { lock: 'access' });

  /**
   * Erases a record from the server: every document of the patient (bodies and tombstones of
   * every collection), what else the server keeps for it, its rights rows (reasons, previous
   * values), the requester's name on its requests; revokes every access path and records a
   * revocation for every user, so every workstation purges its copies at its next sync
   * (the existing revocation purge). The patient id is kept in `erased_patients` so a
   * workstation that was offline cannot recreate the record.
   */
  async function erase(tx: Queryable, actor: Actor, patientId: string, cause: string): Promise<number> {
    const now = iso();
    // Files of the patient's documents (image instances, scans): by the patient copied on the
    // upload, and by document, for an upload whose row was written before its document.
    const ofPatient = `(patient_id = $1 OR (collection, document_id) IN (SELECT collection, id FROM documents WHERE patient_id = $1))`;
    await tx.execute(
      `DELETE FROM attachment_chunks WHERE (collection, document_id, attachment_id, digest) IN
        (SELECT collection, document_id, attachment_id, digest FROM attachments WHERE ${ofPatient})
        OR (collection, document_id) IN (SELECT collection, id FROM documents WHERE patient_id = $1)`,
      [patientId],
    );
    const attachments = await tx.execute(`DELETE FROM attachments WHERE ${ofPatient}`, [patientId]);
    const documents = await tx.execute('DELETE FROM documents WHERE patient_id = $1', [patientId]);
    const extra = attachments + (deps.purgeExtra ? await deps.purgeExtra(tx, patientId) : 0);
    await tx.execute('DELETE FROM rectifications WHERE patient_id = $1', [patientId]);
    await tx.execute('DELETE FROM patient_restrictions WHERE patient_id = $1', [patientId]);
    await tx.execute('UPDATE erasure_requests SET requester_name = NULL WHERE patient_id = $1', [patientId]);
    await tx.execute("UPDATE patient_grants SET revoked_at = $1, revoked_by = 'erasure' WHERE patient_id = $2 AND revoked_at IS NULL", [now, patientId]);
    await tx.execute('DELETE FROM care_team_patients WHERE patient_id = $1', [patientId]);
    // The reason of an emergency access is free text that may name the patient; the audit log keeps the access itself.
    await tx.execute("UPDATE break_glass_grants SET ended_at = COALESCE(ended_at, $1), reason = '-' WHERE patient_id = $2", [now, patientId]);
    const users = await tx.query<{ id: string }>('SELECT id FROM users');
    for (const u of users) {
      await tx.execute('INSERT INTO access_revocations (user_id, patient_id, revoked_at, cause) VALUES ($1, $2, $3, $4)', [
        u.id,
        patientId,
        now,
        'erasure',
      ]);
    }
    await tx.execute('INSERT INTO erased_patients (patient_id, erased_at, cause) VALUES ($1, $2, $3)', [patientId, now, cause]);
    for (const u of users) await engine.notify(tx, ACCESS_CHANGE_CHANNEL, JSON.stringify({ userId: u.id }));
    await audit.append(tx, [
      record(actor, 'erase', { patientId, reason: cause, details: { documents, attachments: extra } }),
    ]);
    return documents;
  }

  async function announceRightsChange(tx: Queryable): Promise<void> {
    const users = await tx.query<{ id: string }>('SELECT id FROM users WHERE disabled_at IS NULL');
    for (const u of users) await engine.notify(tx, ACCESS_CHANGE_CHANNEL, JSON.stringify({ userId: u.id }));
  }

  async function restrictionRow(q: Queryable, id: string): Promise<Restriction> {
    const [row] = await q.query<RestrictionRow>('SELECT * FROM patient_restrictions WHERE id = $1', [id]);
    if (!row) throw new AppError('RIGHTS_NOT_FOUND');
    return restrictionView(row);
  }

  const service: RightsService = {
    config,

    retention: (patientId) => retentionIn(engine, patientId),

    async status(principal, patientId) {
      await requirePatientAccess(engine, principal, patientId, ['dpo', 'practitioner', 'secretary']);
      const erased = await isErased(engine, patientId);
      const requests = await engine.query<RequestRow>(
        'SELECT * FROM erasure_requests WHERE patient_id = $1 ORDER BY recorded_at, id',
        [patientId],
      );
      if (erased) {
        return { patientId, erased, retention: null, restriction: null, legalHold: null, erasureRequests: requests.map(requestView) };
      }
      const restriction = await activeOf(engine, patientId, 'restriction');
      const hold = await activeOf(engine, patientId, 'legal_hold');
      return {
        patientId,
        erased,
        retention: await retentionIn(engine, patientId),
        restriction: restriction ? restrictionView(restriction) : null,
        legalHold: hold ? restrictionView(hold) : null,
        erasureRequests: requests.map(requestView),
      };
    },

    async requestErasure(actor, input) {
      if (actor.role !== 'dpo' && actor.role !== 'system') throw new AppError('RIGHTS_FORBIDDEN', { allowed: 'dpo' });
      const result = await inRightsTx(async (tx) => {
        const retention = await retentionIn(tx, input.patientId);
        const now = iso();
        const id = newId();
        const refused = retention.status !== 'expired';
        const legalBasis = refused
          ? erasureExceptionsFor({
              retentionRunning: parisDateOf(new Date(clock())) < retention.erasableFrom,
              legalHold: retention.status === 'held',
            })
          : [];
        await tx.execute(
          `INSERT INTO erasure_requests (id, patient_id, requester_kind, requester_name, received_at, recorded_by, recorded_at, status, retention, legal_basis, completed_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
          [
            id,
            input.patientId,
            input.requesterKind,
            input.requesterName,
            input.receivedAt ?? now,
            actor.userId,
            now,
            refused ? 'refused' : 'completed',
            jsonOrNull(retention),
            JSON.stringify(legalBasis),
            refused ? null : now,
          ],
        );
        if (refused) {
          await audit.append(tx, [
            record(actor, 'erasure_request', {
              patientId: input.patientId,
              outcome: 'denied',
              object: { collection: 'erasure_request', id },
              reason: retention.status === 'held' ? 'RIGHTS_ERASURE_REFUSED_HOLD' : 'RIGHTS_ERASURE_REFUSED_RETENTION',
              details: { keptUntil: retention.keptUntil, basis: retention.basis, legalBasis: legalBasis.join(' ') },
            }),
          ]);
        } else {
          await audit.append(tx, [
            record(actor, 'erasure_request', {
              patientId: input.patientId,
              object: { collection: 'erasure_request', id },
              details: { keptUntil: retention.keptUntil, basis: retention.basis },
            }),
          ]);
          await erase(tx, actor, input.patientId, `erasure_request:${id}`);
        }
        return id;
      });
      const [row] = await engine.query<RequestRow>('SELECT * FROM erasure_requests WHERE id = $1', [result]);
      if (!row) throw new AppError('RIGHTS_NOT_FOUND');
      return requestView(row);
    },

    async listErasureRequests() {
      const rows = await engine.query<RequestRow>('SELECT * FROM erasure_requests ORDER BY recorded_at DESC, id LIMIT 1000');
      return rows.map(requestView);
    },

    async setRestriction(actor, patientId, kind, reason) {
      const roles = kind === 'legal_hold' ? ['dpo', 'system'] : ['dpo', 'practitioner', 'system'];
      const id = await inRightsTx(async (tx) => {
        await requirePatientAccess(tx, actor, patientId, roles);
        await patientDocument(tx, patientId);
        if (await activeOf(tx, patientId, kind)) throw new AppError('RIGHTS_ALREADY_ACTIVE');
        const rowId = newId();
        await tx.execute(
          'INSERT INTO patient_restrictions (id, kind, patient_id, reason, set_by, set_at) VALUES ($1, $2, $3, $4, $5, $6)',
          [rowId, kind, patientId, reason, actor.userId, iso()],
        );
        if (kind === 'restriction') await announceRightsChange(tx);
        await audit.append(tx, [
          record(actor, kind === 'restriction' ? 'restrict' : 'legal_hold', { patientId, object: { collection: kind, id: rowId } }),
        ]);
        return rowId;
      });
      return restrictionRow(engine, id);
    },

    async liftRestriction(actor, patientId, kind, reason) {
      const roles = kind === 'legal_hold' ? ['dpo', 'system'] : ['dpo', 'practitioner', 'system'];
      const id = await inRightsTx(async (tx) => {
        await requirePatientAccess(tx, actor, patientId, roles);
        const active = await activeOf(tx, patientId, kind);
        if (!active) throw new AppError('RIGHTS_NOT_FOUND');
        await tx.execute('UPDATE patient_restrictions SET lifted_by = $1, lifted_at = $2, lift_reason = $3 WHERE id = $4', [
          actor.userId,
          iso(),
          reason,
          active.id,
        ]);
        if (kind === 'restriction') await announceRightsChange(tx);
        await audit.append(tx, [
          record(actor, kind === 'restriction' ? 'restrict_lift' : 'legal_hold_lift', {
            patientId,
            object: { collection: kind, id: active.id },
          }),
        ]);
        return active.id;
      });
      return restrictionRow(engine, id);
    },

    async rectify(principal, patientId, input) {
      const fields = Object.keys(input.changes);
      for (const field of fields) {
        if (!(RECTIFIABLE_FIELDS as readonly string[]).includes(field)) throw new AppError('RIGHTS_RECTIFICATION_FIELD', { field });
      }
      const ids = await inRightsTx(async (tx) => {
        await requirePatientAccess(tx, principal, patientId, ['practitioner', 'secretary']);
        const current = await patientDocument(tx, patientId);
        const now = iso();
        const removed = new Set(fields.filter((f) => input.changes[f] === null));
        const next: Record<string, unknown> = Object.fromEntries(
          [...Object.entries(current), ...Object.entries(input.changes)].filter(([k]) => !removed.has(k)),
        );
        const names = next as { birthName: string; usedName?: string; firstNames: string[] };
        Object.assign(next, patientSearchKeys(names), { updatedAt: now });
        const parsed = parseReplicatedDocument('patient', next);
        if (!parsed.ok) {
          throw new AppError('RIGHTS_RECTIFICATION_INVALID', { detail: parsed.error.code });
        }
        const changed = fields.filter((f) => (canonicalize(current[f] ?? null) ?? '') !== (canonicalize(next[f] ?? null) ?? ''));
        if (changed.length === 0) return [];
        const [max] = await tx.query<{ m: number | string | null }>('SELECT MAX(sequence) AS m FROM documents');
        const sequence = Number(max?.m ?? 0) + 1;
        await tx.execute(
          "UPDATE documents SET sequence = $1, data = $2, updated_at = $3, updated_by = $4 WHERE collection = 'patient' AND id = $5",
          [sequence, canonicalize(parsed.value.doc) ?? '{}', now, principal.userId, patientId],
        );
        const notice: ChangeNotice = { collection: 'patient', from: sequence, to: sequence, at: Date.now() };
        await engine.notify(tx, REPLICATION_CHANNEL, JSON.stringify(notice));
        const rowIds: string[] = [];
        for (const field of changed) {
          const rowId = newId();
          rowIds.push(rowId);
          await tx.execute(
            `INSERT INTO rectifications (id, patient_id, field, previous_value, new_value, reason, rectified_by, rectified_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
            [rowId, patientId, field, jsonOrNull(current[field]), jsonOrNull(next[field]), input.reason, principal.userId, now],
          );
        }
        await audit.append(tx, [
          record(principal, 'rectify', {
            patientId,
            object: { collection: 'patient', id: patientId },
            // Field names only: the values stay in the rectification history, which an erasure removes.
            details: { fields: changed.join(' ') },
          }),
        ]);
        return rowIds;
      });
      if (ids.length === 0) return [];
      const all = await service.rectifications(principal, patientId);
      return all.filter((r) => ids.includes(r.id));
    },

    async rectifications(principal, patientId) {
      await requirePatientAccess(engine, principal, patientId, ['dpo', 'practitioner', 'secretary']);
      const rows = await engine.query<{
        id: string;
        patient_id: string;
        field: string;
        previous_value: string | null;
        new_value: string | null;
        reason: string;
        rectified_by: string;
        rectified_at: string;
      }>('SELECT * FROM rectifications WHERE patient_id = $1 ORDER BY seq', [patientId]);
      return rows.map((r) => ({
        id: r.id,
        patientId: r.patient_id,
        field: r.field,
        previousValue: r.previous_value === null ? null : (JSON.parse(r.previous_value) as unknown),
        newValue: r.new_value === null ? null : (JSON.parse(r.new_value) as unknown),
        reason: r.reason,
        rectifiedBy: r.rectified_by,
        rectifiedAt: r.rectified_at,
      }));
    },

    async state() {
      const rows = await engine.query<{ patient_id: string; set_at: string }>(
        "SELECT patient_id, MIN(set_at) AS set_at FROM patient_restrictions WHERE kind = 'restriction' AND lifted_at IS NULL GROUP BY patient_id ORDER BY patient_id",
      );
      return { restricted: rows.map((r) => ({ patientId: r.patient_id, since: r.set_at })) };
    },

    async listExpired() {
      const patients = await engine.query<{ id: string; data: string }>(
        "SELECT id, data FROM documents WHERE collection = 'patient' AND deleted = $1 ORDER BY id",
        [false],
      );
      const encounters = await engine.query<{ patient_id: string; s: string | null }>(
        `${lastEncounterSql(engine.kind)} GROUP BY patient_id`,
        [false],
      );
      const last = new Map(encounters.map((e) => [e.patient_id, e.s ?? undefined]));
      const holds = new Set(
        (
          await engine.query<{ patient_id: string }>(
            "SELECT patient_id FROM patient_restrictions WHERE kind = 'legal_hold' AND lifted_at IS NULL",
          )
        ).map((h) => h.patient_id),
      );
      const now = new Date(clock());
      const out: { patientId: string; retention: RetentionView }[] = [];
      for (const p of patients) {
        const doc = JSON.parse(p.data) as Record<string, unknown>;
        const retention = computeRetention(
          {
            birthDate: String(doc.birthDate),
            deceasedDate: typeof doc.deceasedDate === 'string' ? doc.deceasedDate : undefined,
            lastEncounterAt: last.get(p.id),
            recordCreatedAt: String(doc.createdAt),
            legalHold: holds.has(p.id),
          },
          now,
          config.rules,
        );
        if (retention.status === 'expired') out.push({ patientId: p.id, retention });
      }
      return out;
    },

    async runRetention(actor, policy = config.policy) {
      const expired = await service.listExpired();
      let erased = 0;
      if (policy === 'purge') {
        for (const { patientId } of expired) {
          await inRightsTx(async (tx) => {
            // Checked again inside the transaction: a hold or a new encounter may have come since the listing.
            const now = await retentionIn(tx, patientId).catch(() => undefined);
            if (now?.status !== 'expired') return;
            await erase(tx, actor, patientId, 'retention_expired');
            erased += 1;
          });
        }
      }
      await engine.transaction((tx) =>
        audit.append(tx, [record(actor, 'retention_review', { details: { expired: expired.length, erased, policy } })]),
      );
      return { expired: expired.length, erased };
    },

    guard(inner) {
      const canWrite: AccessService['canWrite'] = async (tx, principal, collection, doc) => {
        if (doc.dataClass !== 'audit' && doc.patientId !== undefined) {
          if (await isErased(tx, doc.patientId)) return { allowed: false, code: 'RIGHTS_PATIENT_ERASED' };
          if (await activeOf(tx, doc.patientId, 'restriction')) return { allowed: false, code: 'RIGHTS_PATIENT_RESTRICTED' };
        }
        return inner.canWrite(tx, principal, collection, doc);
      };
      return { ...inner, canWrite };
    },
  };
  return service;
}
