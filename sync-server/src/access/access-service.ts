import { AppError } from '../../../shared/src/errors';
import type { DataClass } from '../../../shared/src/schemas';
import type { UserRole } from '../../../shared/src/sync/protocol';
import type { Engine, Queryable } from '../db/engine';
import type { AccessDecision, AccessService, AuditLog, AuditRecord, Clock, Principal, ReadScope } from '../types';
import type { Actor } from '../auth/auth-service';
import { isUniqueViolation, SERVER_ACTOR } from '../auth/auth-service';
import { newId } from '../auth/crypto';
import { resequencePatients, takeReplicationLock } from './resequence';

/**
 * Notification channel (engine.listen/notify) on which `{ "userId": … }` announces that a
 * user's patients changed (gained or lost); the live stream sends that user an `access` event.
 */
export const ACCESS_CHANGE_CHANNEL = 'access';

export const DEFAULT_BREAK_GLASS_TTL_MS = 4 * 3_600_000;
export const MIN_BREAK_GLASS_REASON = 10;

export type GrantView = {
  readonly id: string;
  readonly userId: string;
  readonly patientId: string;
  readonly grantedBy: string;
  readonly grantedAt: string;
  readonly expiresAt: string | null;
};

export type CareTeamView = {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
  readonly memberIds: string[];
  readonly patientIds: string[];
};

export type BreakGlassView = {
  readonly id: string;
  readonly userId: string;
  readonly username: string;
  readonly displayName: string;
  readonly patientId: string;
  readonly workstationId: string;
  readonly reason: string;
  readonly openedAt: string;
  readonly expiresAt: string;
  readonly endedAt: string | null;
};

export type RevocationsPage = { readonly patientIds: string[]; readonly checkpoint: { readonly sequence: number } };

export type AccessAdmin = {
  /** Gives a practitioner a patient (replaces the end of an existing active grant). */
  grant(actor: Actor, input: { userId: string; patientId: string; expiresAt?: string | null }): Promise<GrantView>;
  /** Ends the user's direct grant; ACCESS_GRANT_NOT_FOUND when there is none. */
  revoke(actor: Actor, input: { userId: string; patientId: string }): Promise<void>;
  listGrants(filter: { userId?: string; patientId?: string }): Promise<GrantView[]>;
  createTeam(actor: Actor, name: string): Promise<CareTeamView>;
  addTeamMember(actor: Actor, teamId: string, userId: string): Promise<CareTeamView>;
  removeTeamMember(actor: Actor, teamId: string, userId: string): Promise<CareTeamView>;
  sharePatientWithTeam(actor: Actor, teamId: string, patientId: string): Promise<CareTeamView>;
  unsharePatientFromTeam(actor: Actor, teamId: string, patientId: string): Promise<CareTeamView>;
  listTeams(): Promise<CareTeamView[]>;
  /** A practitioner opens a patient without a grant: time-limited, flagged in the audit log. */
  breakGlass(principal: Principal, input: { patientId: string; reason: string }): Promise<{ patientId: string; expiresAt: string }>;
  /** For the DPO's review, newest first. */
  listBreakGlass(filter: { since?: string; until?: string; userId?: string; limit?: number }): Promise<BreakGlassView[]>;
  /** Ends expired grants and break-the-glass accesses, recording the revocations. Returns how many ended. */
  sweepExpired(): Promise<number>;
  /**
   * Patients this user lost after `afterSequence` (sweeps expiries first), for the
   * revocations endpoint: the workstation purges its local copies.
   */
  revocationsSince(userId: string, afterSequence: number, limit: number): Promise<RevocationsPage>;
  /** Does the user have an unexpired access path to the patient? */
  hasPatientAccess(q: Queryable, userId: string, patientId: string): Promise<boolean>;
};

export type AccessDeps = {
  readonly engine: Engine;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly breakGlassTtlMs?: number;
};

const iso = (ms: number): string => new Date(ms).toISOString();

const ALL_CLASSES: readonly DataClass[] = ['clinical', 'administrative'];
const ADMINISTRATIVE: readonly DataClass[] = ['administrative'];
const NONE: readonly DataClass[] = [];

/** What each role may read: fixed by the product, not configurable. */
export function readScopeOf(role: UserRole): ReadScope {
  switch (role) {
    case 'practitioner':
      return { dataClasses: ALL_CLASSES, patients: 'granted' };
    case 'secretary':
      return { dataClasses: ADMINISTRATIVE, patients: 'all' };
    case 'dpo':
    case 'admin':
      return { dataClasses: NONE, patients: 'granted' };
  }
}

const allow: AccessDecision = { allowed: true };
const deny = (code: string): AccessDecision => ({ allowed: false, code });

type GrantRow = {
  id: string;
  user_id: string;
  patient_id: string;
  granted_by: string;
  granted_at: string;
  expires_at: string | null;
};

const grantView = (r: GrantRow): GrantView => ({
  id: r.id,
  userId: r.user_id,
  patientId: r.patient_id,
  grantedBy: r.granted_by,
  grantedAt: r.granted_at,
  expiresAt: r.expires_at,
});

/**
 * Whether the server already holds a document of this patient, or the patient document
 * itself. Two separate probes rather than one `patient_id = $1 OR (collection, id) = …`:
 * PostgreSQL cannot serve that OR from one index and scans the whole table, and this runs
 * under the replication lock for every new patient a practitioner pushes. Each EXISTS here
 * is answered by an index (`documents_patient`, the primary key (collection, id)).
 */
export const KNOWN_PATIENT_SQL =
  `SELECT CASE WHEN EXISTS (SELECT 1 FROM documents WHERE patient_id = $1)
     OR EXISTS (SELECT 1 FROM documents WHERE collection = $2 AND id = $1) THEN 1 ELSE 0 END AS known`;

export async function isKnownPatient(tx: Queryable, patientId: string): Promise<boolean> {
  const [row] = await tx.query<{ known: number | string }>(KNOWN_PATIENT_SQL, [patientId, 'patient']);
  return Number(row?.known ?? 0) === 1;
}

export function createAccessService(deps: AccessDeps): AccessService & AccessAdmin {
  const { engine, audit, clock } = deps;
  const breakGlassTtlMs = deps.breakGlassTtlMs ?? DEFAULT_BREAK_GLASS_TTL_MS;

  const record = (
    actor: Actor,
    action: string,
    fields: { patientId?: string; reason?: string; details?: Record<string, string | number | boolean> },
    now: number,
  ): AuditRecord => ({
    id: newId(),
    source: 'server',
    userId: actor.userId,
    role: actor.role,
    workstation: actor.workstationId,
    action,
    instant: iso(now),
    outcome: 'success',
    ...(fields.patientId !== undefined ? { patientId: fields.patientId } : {}),
    ...(fields.reason !== undefined ? { reason: fields.reason } : {}),
    ...(fields.details !== undefined ? { details: fields.details } : {}),
  });

  async function hasAccessAt(q: Queryable, userId: string, patientId: string, now: number): Promise<boolean> {
    const rows = await q.query(
      `SELECT 1 AS x FROM effective_patient_access
        WHERE user_id = $1 AND patient_id = $2 AND (valid_until IS NULL OR valid_until > $3)`,
      [userId, patientId, iso(now)],
    );
    return rows.length > 0;
  }

  /** After access paths were removed in `tx`: record a revocation for each pair left with none. */
  async function recordLosses(
    tx: Queryable,
    pairs: readonly { userId: string; patientId: string }[],
    cause: string,
    now: number,
  ): Promise<number> {
    let recorded = 0;
    const seen = new Set<string>();
    for (const { userId, patientId } of pairs) {
      const key = `${userId}\u0000${patientId}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (await hasAccessAt(tx, userId, patientId, now)) continue;
      await tx.execute(
        'INSERT INTO access_revocations (user_id, patient_id, revoked_at, cause) VALUES ($1, $2, $3, $4)',
        [userId, patientId, iso(now), cause],
      );
      recorded += 1;
    }
    return recorded;
  }

  async function announce(tx: Queryable, userIds: Iterable<string>): Promise<void> {
    for (const userId of new Set(userIds)) await engine.notify(tx, ACCESS_CHANGE_CHANNEL, JSON.stringify({ userId }));
  }

  async function activeUser(q: Queryable, userId: string): Promise<{ role: string }> {
    const [user] = await q.query<{ role: string; disabled_at: string | null }>(
      'SELECT role, disabled_at FROM users WHERE id = $1',
      [userId],
    );
    if (!user || user.disabled_at !== null) throw new AppError('AUTH_USER_NOT_FOUND', { user: userId });
    return user;
  }

  async function requirePractitioner(q: Queryable, userId: string): Promise<void> {
    const user = await activeUser(q, userId);
    if (user.role !== 'practitioner') throw new AppError('ACCESS_GRANTEE_ROLE');
  }

  async function teamView(q: Queryable, teamId: string): Promise<CareTeamView> {
    const [team] = await q.query<{ id: string; name: string; created_at: string }>(
      'SELECT id, name, created_at FROM care_teams WHERE id = $1',
      [teamId],
    );
    if (!team) throw new AppError('ACCESS_TEAM_NOT_FOUND', { team: teamId });
    const members = await q.query<{ user_id: string }>(
      'SELECT user_id FROM care_team_members WHERE team_id = $1 ORDER BY user_id',
      [teamId],
    );
    const patients = await q.query<{ patient_id: string }>(
      'SELECT patient_id FROM care_team_patients WHERE team_id = $1 ORDER BY patient_id',
      [teamId],
    );
    return {
      id: team.id,
      name: team.name,
      createdAt: team.created_at,
      memberIds: members.map((m) => m.user_id),
      patientIds: patients.map((p) => p.patient_id),
    };
  }

  /** Revocation sequences must become visible in commit order: every writer takes the 'access' lock. */
  const inAccessTx = <T>(work: (tx: Queryable) => Promise<T>): Promise<T> => engine.transaction(work, { lock: 'access' });
  /** A change that may give a user a patient: it may re-sequence documents, so it holds 'replication' too. */
  const inGainTx = <T>(work: (tx: Queryable) => Promise<T>): Promise<T> =>
    engine.transaction(async (tx) => {
      await takeReplicationLock(tx);
      return work(tx);
    }, { lock: 'access' });

  /** Patients of `pairs` that their user cannot see yet (read before the change is written). */
  async function lacking(tx: Queryable, pairs: readonly { userId: string; patientId: string }[], now: number): Promise<string[]> {
    const out = new Set<string>();
    for (const { userId, patientId } of pairs) {
      if (out.has(patientId)) continue;
      if (!(await hasAccessAt(tx, userId, patientId, now))) out.add(patientId);
    }
    return [...out];
  }

  async function sweep(tx: Queryable, now: number): Promise<number> {
    const grants = await tx.query<GrantRow>(
      `SELECT * FROM patient_grants WHERE revoked_at IS NULL AND expires_at IS NOT NULL AND expires_at <= $1`,
      [iso(now)],
    );
    const glass = await tx.query<{ id: string; user_id: string; patient_id: string }>(
      'SELECT id, user_id, patient_id FROM break_glass_grants WHERE ended_at IS NULL AND expires_at <= $1',
      [iso(now)],
    );
    if (grants.length === 0 && glass.length === 0) return 0;
    for (const g of grants) {
      await tx.execute("UPDATE patient_grants SET revoked_at = $1, revoked_by = 'expiry' WHERE id = $2", [iso(now), g.id]);
    }
    for (const b of glass) {
      await tx.execute('UPDATE break_glass_grants SET ended_at = $1 WHERE id = $2', [iso(now), b.id]);
    }
    await recordLosses(tx, grants.map((g) => ({ userId: g.user_id, patientId: g.patient_id })), 'grant_expired', now);
    await recordLosses(tx, glass.map((b) => ({ userId: b.user_id, patientId: b.patient_id })), 'break_glass_expired', now);
    await announce(tx, [...grants.map((g) => g.user_id), ...glass.map((b) => b.user_id)]);
    await audit.append(tx, [
      ...grants.map((g) =>
        record(SERVER_ACTOR, 'revoke', { patientId: g.patient_id, reason: 'expired', details: { targetUserId: g.user_id, grantId: g.id } }, now),
      ),
      ...glass.map((b) =>
        record(SERVER_ACTOR, 'break_glass_end', { patientId: b.patient_id, reason: 'expired', details: { targetUserId: b.user_id, breakGlassId: b.id } }, now),
      ),
    ]);
    return grants.length + glass.length;
  }

  const service: AccessService & AccessAdmin = {
    readScope(principal) {
      return readScopeOf(principal.role);
    },

    async canWrite(tx, principal, _collection, doc) {
      // Every role records its own accesses on its workstation; refusing them would lose audit events.
      if (doc.dataClass === 'audit') return allow;
      switch (principal.role) {
        case 'dpo':
        case 'admin':
          return deny('ACCESS_ROLE_NO_DOCUMENTS');
        case 'secretary':
          return doc.dataClass === 'administrative' ? allow : deny('ACCESS_CLINICAL_DENIED');
        case 'practitioner': {
          if (doc.patientId === undefined) return deny('ACCESS_PATIENT_REQUIRED');
          const now = clock();
          if (await hasAccessAt(tx, principal.userId, doc.patientId, now)) return allow;
          // A patient the server has never seen is one this practitioner is creating: they
          // become its first grantee (inside the push transaction, so it commits with the write).
          if (await isKnownPatient(tx, doc.patientId)) return deny('ACCESS_NO_GRANT');
          await tx.execute(
            `INSERT INTO patient_grants (id, user_id, patient_id, granted_by, granted_at) VALUES ($1, $2, $3, $4, $5)`,
            [newId(), principal.userId, doc.patientId, principal.userId, iso(now)],
          );
          await audit.append(tx, [
            record(principal, 'grant', { patientId: doc.patientId, reason: 'patient created', details: { targetUserId: principal.userId } }, now),
          ]);
          return allow;
        }
      }
    },

    async canRead(tx, principal, patientId, dataClass) {
      const scope = readScopeOf(principal.role);
      if (!scope.dataClasses.includes(dataClass)) {
        return deny(scope.dataClasses.length === 0 ? 'ACCESS_ROLE_NO_DOCUMENTS' : 'ACCESS_CLINICAL_DENIED');
      }
      if (scope.patients === 'all') return allow;
      return (await hasAccessAt(tx, principal.userId, patientId, clock())) ? allow : deny('ACCESS_NO_GRANT');
    },

    async grant(actor, input) {
      const now = clock();
      const expiresAt = input.expiresAt ?? null;
      if (expiresAt !== null && Date.parse(expiresAt) <= now) throw new AppError('ACCESS_EXPIRY_PAST');
      return inGainTx(async (tx) => {
        await requirePractitioner(tx, input.userId);
        const gained = await lacking(tx, [input], now);
        const [existing] = await tx.query<GrantRow>(
          'SELECT * FROM patient_grants WHERE user_id = $1 AND patient_id = $2 AND revoked_at IS NULL',
          [input.userId, input.patientId],
        );
        let row: GrantRow;
        if (existing) {
          await tx.execute('UPDATE patient_grants SET expires_at = $1, granted_by = $2, granted_at = $3 WHERE id = $4', [
            expiresAt,
            actor.userId,
            iso(now),
            existing.id,
          ]);
          row = { ...existing, expires_at: expiresAt, granted_by: actor.userId, granted_at: iso(now) };
        } else {
          row = {
            id: newId(),
            user_id: input.userId,
            patient_id: input.patientId,
            granted_by: actor.userId,
            granted_at: iso(now),
            expires_at: expiresAt,
          };
          await tx.execute(
            'INSERT INTO patient_grants (id, user_id, patient_id, granted_by, granted_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)',
            [row.id, row.user_id, row.patient_id, row.granted_by, row.granted_at, row.expires_at],
          );
        }
        await resequencePatients(tx, engine, gained);
        await audit.append(tx, [
          record(actor, 'grant', {
            patientId: input.patientId,
            details: { targetUserId: input.userId, grantId: row.id, ...(expiresAt ? { expiresAt } : {}) },
          }, now),
        ]);
        await announce(tx, [input.userId]);
        return grantView(row);
      });
    },

    async revoke(actor, input) {
      const now = clock();
      await inAccessTx(async (tx) => {
        const changed = await tx.execute(
          'UPDATE patient_grants SET revoked_at = $1, revoked_by = $2 WHERE user_id = $3 AND patient_id = $4 AND revoked_at IS NULL',
          [iso(now), actor.userId, input.userId, input.patientId],
        );
        if (changed === 0) throw new AppError('ACCESS_GRANT_NOT_FOUND');
        await recordLosses(tx, [input], 'grant_revoked', now);
        await announce(tx, [input.userId]);
        await audit.append(tx, [
          record(actor, 'revoke', { patientId: input.patientId, details: { targetUserId: input.userId } }, now),
        ]);
      });
    },

    async listGrants(filter) {
      const now = iso(clock());
      const where = ['revoked_at IS NULL', '(expires_at IS NULL OR expires_at > $1)'];
      const params: string[] = [now];
      if (filter.userId !== undefined) {
        params.push(filter.userId);
        where.push(`user_id = $${params.length}`);
      }
      if (filter.patientId !== undefined) {
        params.push(filter.patientId);
        where.push(`patient_id = $${params.length}`);
      }
      const rows = await engine.query<GrantRow>(
        `SELECT * FROM patient_grants WHERE ${where.join(' AND ')} ORDER BY patient_id, user_id`,
        params,
      );
      return rows.map(grantView);
    },

    async createTeam(actor, name) {
      const now = clock();
      const trimmed = name.trim();
      if (trimmed.length === 0 || trimmed.length > 100) throw new AppError('AUTH_REQUEST_INVALID', { field: 'name' });
      const id = newId();
      try {
        await inAccessTx(async (tx) => {
          await tx.execute('INSERT INTO care_teams (id, name, created_by, created_at) VALUES ($1, $2, $3, $4)', [
            id,
            trimmed,
            actor.userId,
            iso(now),
          ]);
          await audit.append(tx, [record(actor, 'team_create', { details: { teamId: id, name: trimmed } }, now)]);
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw new AppError('ACCESS_TEAM_NAME_TAKEN', { name: trimmed });
        throw error;
      }
      return teamView(engine, id);
    },

    async addTeamMember(actor, teamId, userId) {
      const now = clock();
      return inGainTx(async (tx) => {
        await teamView(tx, teamId);
        await requirePractitioner(tx, userId);
        const [present] = await tx.query('SELECT 1 AS x FROM care_team_members WHERE team_id = $1 AND user_id = $2', [
          teamId,
          userId,
        ]);
        if (!present) {
          const shared = await tx.query<{ patient_id: string }>('SELECT patient_id FROM care_team_patients WHERE team_id = $1', [teamId]);
          const gained = await lacking(tx, shared.map((p) => ({ userId, patientId: p.patient_id })), now);
          await tx.execute('INSERT INTO care_team_members (team_id, user_id, added_by, added_at) VALUES ($1, $2, $3, $4)', [
            teamId,
            userId,
            actor.userId,
            iso(now),
          ]);
          await resequencePatients(tx, engine, gained);
          await audit.append(tx, [record(actor, 'grant', { details: { teamId, targetUserId: userId, team: true } }, now)]);
          await announce(tx, [userId]);
        }
        return teamView(tx, teamId);
      });
    },

    async removeTeamMember(actor, teamId, userId) {
      const now = clock();
      return inAccessTx(async (tx) => {
        await teamView(tx, teamId);
        const removed = await tx.execute('DELETE FROM care_team_members WHERE team_id = $1 AND user_id = $2', [teamId, userId]);
        if (removed === 0) throw new AppError('ACCESS_GRANT_NOT_FOUND');
        const patients = await tx.query<{ patient_id: string }>(
          'SELECT patient_id FROM care_team_patients WHERE team_id = $1',
          [teamId],
        );
        await recordLosses(tx, patients.map((p) => ({ userId, patientId: p.patient_id })), 'team_member_removed', now);
        await announce(tx, [userId]);
        await audit.append(tx, [record(actor, 'revoke', { details: { teamId, targetUserId: userId, team: true } }, now)]);
        return teamView(tx, teamId);
      });
    },

    async sharePatientWithTeam(actor, teamId, patientId) {
      const now = clock();
      return inGainTx(async (tx) => {
        await teamView(tx, teamId);
        const [present] = await tx.query('SELECT 1 AS x FROM care_team_patients WHERE team_id = $1 AND patient_id = $2', [
          teamId,
          patientId,
        ]);
        if (!present) {
          const members = await tx.query<{ user_id: string }>('SELECT user_id FROM care_team_members WHERE team_id = $1', [
            teamId,
          ]);
          const gained = await lacking(tx, members.map((m) => ({ userId: m.user_id, patientId })), now);
          await tx.execute(
            'INSERT INTO care_team_patients (team_id, patient_id, shared_by, shared_at) VALUES ($1, $2, $3, $4)',
            [teamId, patientId, actor.userId, iso(now)],
          );
          await resequencePatients(tx, engine, gained);
          await audit.append(tx, [record(actor, 'grant', { patientId, details: { teamId, team: true } }, now)]);
          await announce(tx, members.map((m) => m.user_id));
        }
        return teamView(tx, teamId);
      });
    },

    async unsharePatientFromTeam(actor, teamId, patientId) {
      const now = clock();
      return inAccessTx(async (tx) => {
        await teamView(tx, teamId);
        const removed = await tx.execute('DELETE FROM care_team_patients WHERE team_id = $1 AND patient_id = $2', [
          teamId,
          patientId,
        ]);
        if (removed === 0) throw new AppError('ACCESS_GRANT_NOT_FOUND');
        const members = await tx.query<{ user_id: string }>('SELECT user_id FROM care_team_members WHERE team_id = $1', [
          teamId,
        ]);
        await recordLosses(tx, members.map((m) => ({ userId: m.user_id, patientId })), 'team_share_removed', now);
        await announce(tx, members.map((m) => m.user_id));
        await audit.append(tx, [record(actor, 'revoke', { patientId, details: { teamId, team: true } }, now)]);
        return teamView(tx, teamId);
      });
    },

    async listTeams() {
      const teams = await engine.query<{ id: string }>('SELECT id FROM care_teams ORDER BY name');
      const views: CareTeamView[] = [];
      for (const t of teams) views.push(await teamView(engine, t.id));
      return views;
    },

    async breakGlass(principal, input) {
      if (principal.role !== 'practitioner') throw new AppError('ACCESS_BREAK_GLASS_ROLE');
      const reason = input.reason.trim();
      if ([...reason].length < MIN_BREAK_GLASS_REASON) {
        throw new AppError('ACCESS_BREAK_GLASS_REASON', { min: MIN_BREAK_GLASS_REASON });
      }
      const now = clock();
      const expiresAt = iso(now + breakGlassTtlMs);
      const id = newId();
      await inGainTx(async (tx) => {
        const gained = await lacking(tx, [{ userId: principal.userId, patientId: input.patientId }], now);
        await tx.execute(
          `INSERT INTO break_glass_grants (id, user_id, patient_id, workstation_id, reason, opened_at, expires_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [id, principal.userId, input.patientId, principal.workstationId, reason, iso(now), expiresAt],
        );
        await resequencePatients(tx, engine, gained);
        await audit.append(tx, [
          record(principal, 'break_glass', {
            patientId: input.patientId,
            reason,
            details: { breakGlass: true, breakGlassId: id, expiresAt },
          }, now),
        ]);
        await announce(tx, [principal.userId]);
      });
      return { patientId: input.patientId, expiresAt };
    },

    async listBreakGlass(filter) {
      const where: string[] = [];
      const params: (string | number)[] = [];
      if (filter.since !== undefined) {
        params.push(filter.since);
        where.push(`b.opened_at >= $${params.length}`);
      }
      if (filter.until !== undefined) {
        params.push(filter.until);
        where.push(`b.opened_at < $${params.length}`);
      }
      if (filter.userId !== undefined) {
        params.push(filter.userId);
        where.push(`b.user_id = $${params.length}`);
      }
      params.push(Math.min(Math.max(filter.limit ?? 200, 1), 1000));
      const rows = await engine.query<{
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
      }>(
        `SELECT b.id, b.user_id, u.username, u.display_name, b.patient_id, b.workstation_id, b.reason,
                b.opened_at, b.expires_at, b.ended_at
           FROM break_glass_grants b JOIN users u ON u.id = b.user_id
          ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
          ORDER BY b.opened_at DESC, b.id
          LIMIT $${params.length}`,
        params,
      );
      return rows.map((r) => ({
        id: r.id,
        userId: r.user_id,
        username: r.username,
        displayName: r.display_name,
        patientId: r.patient_id,
        workstationId: r.workstation_id,
        reason: r.reason,
        openedAt: r.opened_at,
        expiresAt: r.expires_at,
        endedAt: r.ended_at,
      }));
    },

    sweepExpired() {
      return inAccessTx((tx) => sweep(tx, clock()));
    },

    async revocationsSince(userId, afterSequence, limit) {
      await inAccessTx((tx) => sweep(tx, clock()));
      const rows = await engine.query<{ sequence: number | string; patient_id: string }>(
        'SELECT sequence, patient_id FROM access_revocations WHERE user_id = $1 AND sequence > $2 ORDER BY sequence LIMIT $3',
        [userId, afterSequence, limit],
      );
      const last = rows[rows.length - 1];
      const now = clock();
      // A patient given back since the revocation is not purged.
      const patientIds: string[] = [];
      for (const id of new Set(rows.map((r) => r.patient_id))) {
        if (!(await hasAccessAt(engine, userId, id, now))) patientIds.push(id);
      }
      return { patientIds, checkpoint: { sequence: last ? Number(last.sequence) : afterSequence } };
    },

    hasPatientAccess: (q, userId, patientId) => hasAccessAt(q, userId, patientId, clock()),
  };
  return service;
}
