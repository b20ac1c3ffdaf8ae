import { AppError } from '../../../shared/src/errors';
import { parseRpps } from '../../../shared/src/identifiers';
import type {
  LoginRequest,
  RefreshRequest,
  SessionResponse,
  SessionUser,
  UserRole,
} from '../../../shared/src/sync/protocol';
import { UserRoleSchema, UsernameSchema } from '../../../shared/src/sync/protocol';
import type { Engine, Queryable } from '../db/engine';
import { ACCESS_CHANNEL } from '../replication/repository';
import type { AuditLog, AuditRecord, Clock, Principal } from '../types';
import {
  dummyPasswordHash,
  hashPassword,
  MIN_PASSWORD_LENGTH,
  newId,
  newToken,
  tokenHash,
  verifyPassword,
} from './crypto';

export type AuthConfig = {
  readonly accessTokenTtlMs: number;
  readonly refreshTokenTtlMs: number;
  /** Failures of one username within `windowMs` that lock it for `lockMs`. */
  readonly lockout: { readonly maxFailures: number; readonly windowMs: number; readonly lockMs: number };
  /** Failures from one address within `windowMs` after which it is refused for the rest of the window. */
  readonly ipLimit: { readonly maxFailures: number; readonly windowMs: number };
};

export const DEFAULT_AUTH_CONFIG: AuthConfig = {
  accessTokenTtlMs: 15 * 60_000,
  refreshTokenTtlMs: 30 * 24 * 3_600_000,
  lockout: { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 },
  ipLimit: { maxFailures: 30, windowMs: 15 * 60_000 },
};

/** Who performs an administrative change: a signed-in admin, or the server CLI. */
export type Actor =
  | Pick<Principal, 'userId' | 'role' | 'workstationId'>
  | { readonly userId: string; readonly role: 'system'; readonly workstationId: string };
export const CLI_ACTOR: Actor = { userId: 'server-cli', role: 'system', workstationId: 'server-cli' };
/** The server itself (expiry sweeps). */
export const SERVER_ACTOR: Actor = { userId: 'server', role: 'system', workstationId: 'server' };

export type UserView = SessionUser & { readonly createdAt: string; readonly disabledAt: string | null };
export type WorkstationView = {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
  readonly disabledAt: string | null;
};

export type NewUser = {
  readonly username: string;
  readonly displayName: string;
  readonly role: UserRole;
  readonly rpps?: string | undefined;
  readonly password: string;
};

export type AuthService = {
  login(input: LoginRequest, context: { readonly ip: string }): Promise<SessionResponse>;
  /** Rotates the refresh token; presenting a rotated one again revokes its whole session. */
  refresh(input: RefreshRequest): Promise<SessionResponse>;
  /** Ends the session of this refresh token; unknown tokens are ignored (no oracle). */
  logout(refreshToken: string): Promise<void>;
  /** The principal of a valid access token, or AppError AUTH_TOKEN_INVALID / AUTH_TOKEN_EXPIRED. */
  authenticateToken(accessToken: string): Promise<Principal>;
  revokeUserSessions(userId: string, actor: Actor): Promise<number>;
  /**
   * Deletes tokens expired for more than a day, and sessions left without tokens. A rotated
   * refresh token is kept until it expires so that its reuse is still detected.
   */
  pruneExpired(): Promise<number>;
  getUser(userId: string): Promise<UserView | undefined>;
  findUserByUsername(username: string): Promise<UserView | undefined>;
  createUser(input: NewUser, actor: Actor): Promise<UserView>;
  /** Disables the user and ends every session at once. */
  disableUser(userId: string, actor: Actor): Promise<UserView>;
  listUsers(): Promise<UserView[]>;
  registerWorkstation(name: string, actor: Actor): Promise<WorkstationView>;
  /** Disables the workstation; its sessions stop working at once. */
  disableWorkstation(workstationId: string, actor: Actor): Promise<WorkstationView>;
  listWorkstations(): Promise<WorkstationView[]>;
};

export type AuthDeps = {
  readonly engine: Engine;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly config?: Partial<AuthConfig>;
};

type UserRow = {
  id: string;
  username: string;
  display_name: string;
  role: string;
  rpps: string | null;
  password_hash: string;
  created_at: string;
  disabled_at: string | null;
};

type WorkstationRow = { id: string; name: string; created_at: string; disabled_at: string | null };

const iso = (ms: number): string => new Date(ms).toISOString();

function userView(row: UserRow): UserView {
  const role = UserRoleSchema.parse(row.role);
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role,
    ...(row.rpps ? { rpps: row.rpps } : {}),
    createdAt: row.created_at,
    disabledAt: row.disabled_at,
  };
}

function sessionUser(view: UserView): SessionUser {
  return {
    id: view.id,
    username: view.username,
    displayName: view.displayName,
    role: view.role,
    ...(view.rpps ? { rpps: view.rpps } : {}),
  };
}

function workstationView(row: WorkstationRow): WorkstationView {
  return { id: row.id, name: row.name, createdAt: row.created_at, disabledAt: row.disabled_at };
}

export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown };
  return e.code === '23505' || e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

export function createAuthService(deps: AuthDeps): AuthService {
  const { engine, audit, clock } = deps;
  const config: AuthConfig = { ...DEFAULT_AUTH_CONFIG, ...deps.config };

  const serverRecord = (
    base: Omit<AuditRecord, 'id' | 'source' | 'instant'>,
    now: number,
  ): AuditRecord => ({ id: newId(), source: 'server', instant: iso(now), ...base });

  const actorRecord = (
    actor: Actor,
    action: string,
    details: Record<string, string | number | boolean>,
    now: number,
  ): AuditRecord =>
    serverRecord(
      { userId: actor.userId, role: actor.role, workstation: actor.workstationId, action, outcome: 'success', details },
      now,
    );

  async function issueTokens(tx: Queryable, sessionId: string, now: number) {
    const accessToken = newToken('at');
    const refreshToken = newToken('rt');
    const accessTokenExpiresAt = iso(now + config.accessTokenTtlMs);
    const refreshTokenExpiresAt = iso(now + config.refreshTokenTtlMs);
    const insert =
      'INSERT INTO auth_tokens (token_hash, session_id, kind, issued_at, expires_at) VALUES ($1, $2, $3, $4, $5)';
    await tx.execute(insert, [tokenHash(accessToken), sessionId, 'access', iso(now), accessTokenExpiresAt]);
    await tx.execute(insert, [tokenHash(refreshToken), sessionId, 'refresh', iso(now), refreshTokenExpiresAt]);
    await tx.execute('UPDATE auth_sessions SET expires_at = $1 WHERE id = $2', [refreshTokenExpiresAt, sessionId]);
    return { accessToken, accessTokenExpiresAt, refreshToken, refreshTokenExpiresAt };
  }

  async function revokeSession(tx: Queryable, sessionId: string, reason: string, now: number): Promise<void> {
    await tx.execute(
      'UPDATE auth_sessions SET revoked_at = $1, revoked_reason = $2 WHERE id = $3 AND revoked_at IS NULL',
      [iso(now), reason, sessionId],
    );
  }

  async function userById(q: Queryable, id: string): Promise<UserView | undefined> {
    const rows = await q.query<UserRow>('SELECT * FROM users WHERE id = $1', [id]);
    return rows[0] ? userView(rows[0]) : undefined;
  }

  async function recordFailure(
    username: string,
    ip: string,
    workstationId: string,
    reason: string,
    user: UserRow | undefined,
    now: number,
  ): Promise<{ locked: boolean }> {
    return engine.transaction(
      async (tx) => {
        await tx.execute('INSERT INTO auth_login_attempts (username, ip, attempted_at) VALUES ($1, $2, $3)', [
          username,
          ip,
          iso(now),
        ]);
        // Keep the table small: nothing older than a day counts for any limit.
        await tx.execute('DELETE FROM auth_login_attempts WHERE attempted_at < $1', [iso(now - 86_400_000)]);
        const [count] = await tx.query<{ n: number | string }>(
          'SELECT COUNT(*) AS n FROM auth_login_attempts WHERE username = $1 AND attempted_at > $2 AND cleared_at IS NULL',
          [username, iso(now - config.lockout.windowMs)],
        );
        const failures = Number(count?.n ?? 0);
        const who = {
          userId: user?.id ?? `unknown:${username}`,
          role: user?.role ?? 'system',
          workstation: workstationId,
        };
        const records: AuditRecord[] = [
          serverRecord(
            { ...who, action: 'login_failed', outcome: 'denied', reason, details: { username, ip, failures } },
            now,
          ),
        ];
        const locked = failures >= config.lockout.maxFailures;
        if (locked) {
          const until = iso(now + config.lockout.lockMs);
          await tx.execute('DELETE FROM auth_lockouts WHERE username = $1', [username]);
          await tx.execute('INSERT INTO auth_lockouts (username, locked_until) VALUES ($1, $2)', [username, until]);
          await tx.execute(
            'UPDATE auth_login_attempts SET cleared_at = $1 WHERE username = $2 AND cleared_at IS NULL',
            [iso(now), username],
          );
          records.push(
            serverRecord(
              { ...who, action: 'lockout', outcome: 'denied', details: { username, ip, failures, lockedUntil: until } },
              now,
            ),
          );
        }
        await audit.append(tx, records);
        return { locked };
      },
      { lock: 'auth_login' },
    );
  }

  async function auditDenied(username: string, ip: string, workstationId: string, reason: string, now: number) {
    await engine.transaction((tx) =>
      audit.append(tx, [
        serverRecord(
          {
            userId: `unknown:${username}`,
            role: 'system',
            workstation: workstationId,
            action: 'login_failed',
            outcome: 'denied',
            reason,
            details: { username, ip },
          },
          now,
        ),
      ]),
    );
  }

  const lockedError = (untilIso: string, now: number) =>
    new AppError('AUTH_LOCKED', { minutes: Math.max(1, Math.ceil((Date.parse(untilIso) - now) / 60_000)) });

  return {
    async login(input, context) {
      const now = clock();
      const { username, password, workstationId } = input;
      const ip = context.ip.slice(0, 64);

      const [lock] = await engine.query<{ locked_until: string }>(
        'SELECT locked_until FROM auth_lockouts WHERE username = $1 AND locked_until > $2',
        [username, iso(now)],
      );
      if (lock) {
        await auditDenied(username, ip, workstationId, 'locked', now);
        throw lockedError(lock.locked_until, now);
      }
      const [ipCount] = await engine.query<{ n: number | string }>(
        'SELECT COUNT(*) AS n FROM auth_login_attempts WHERE ip = $1 AND attempted_at > $2',
        [ip, iso(now - config.ipLimit.windowMs)],
      );
      if (Number(ipCount?.n ?? 0) >= config.ipLimit.maxFailures) {
        await auditDenied(username, ip, workstationId, 'ip_rate_limited', now);
        throw new AppError('AUTH_RATE_LIMITED');
      }

      const [user] = await engine.query<UserRow>('SELECT * FROM users WHERE username = $1', [username]);
      // Verify even when the user is unknown or disabled, so timing does not tell which.
      const passwordOk = await verifyPassword(user?.password_hash ?? (await dummyPasswordHash()), password);
      if (!user || !passwordOk || user.disabled_at !== null) {
        const reason = !user ? 'unknown_user' : !passwordOk ? 'bad_password' : 'user_disabled';
        const { locked } = await recordFailure(username, ip, workstationId, reason, user, now);
        if (locked) throw lockedError(iso(now + config.lockout.lockMs), now);
        throw new AppError('AUTH_INVALID_CREDENTIALS');
      }

      const [workstation] = await engine.query<WorkstationRow>('SELECT * FROM workstations WHERE id = $1', [
        workstationId,
      ]);
      if (!workstation || workstation.disabled_at !== null) {
        await auditDenied(username, ip, workstationId, 'workstation_unknown', now);
        throw new AppError('AUTH_WORKSTATION_UNKNOWN');
      }

      const view = userView(user);
      const tokens = await engine.transaction(async (tx) => {
        const sessionId = newId();
        await tx.execute(
          'INSERT INTO auth_sessions (id, user_id, workstation_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)',
          [sessionId, user.id, workstationId, iso(now), iso(now + config.refreshTokenTtlMs)],
        );
        await tx.execute(
          'UPDATE auth_login_attempts SET cleared_at = $1 WHERE username = $2 AND cleared_at IS NULL',
          [iso(now), username],
        );
        const issued = await issueTokens(tx, sessionId, now);
        await audit.append(tx, [
          serverRecord(
            {
              userId: user.id,
              role: user.role,
              workstation: workstationId,
              action: 'login',
              outcome: 'success',
              details: { ip, sessionId },
            },
            now,
          ),
        ]);
        return issued;
      });
      return { ...tokens, user: sessionUser(view) };
    },

    async refresh(input) {
      const now = clock();
      const hashValue = tokenHash(input.refreshToken);
      type Outcome =
        | { kind: 'ok'; response: SessionResponse }
        | { kind: 'error'; code: 'AUTH_TOKEN_INVALID' | 'AUTH_TOKEN_EXPIRED' | 'AUTH_REFRESH_REUSED' | 'AUTH_WORKSTATION_MISMATCH' };
      // Theft detection must commit even though the caller gets an error: decide inside,
      // throw outside the transaction.
      const outcome = await engine.transaction(async (tx): Promise<Outcome> => {
        const [row] = await tx.query<{
          kind: string;
          expires_at: string;
          used_at: string | null;
          session_id: string;
          revoked_at: string | null;
          workstation_id: string;
          user_id: string;
          user_disabled: string | null;
          workstation_disabled: string | null;
        }>(
          `SELECT t.kind, t.expires_at, t.used_at, s.id AS session_id, s.revoked_at, s.workstation_id, s.user_id,
                  u.disabled_at AS user_disabled, w.disabled_at AS workstation_disabled
             FROM auth_tokens t
             JOIN auth_sessions s ON s.id = t.session_id
             JOIN users u ON u.id = s.user_id
             JOIN workstations w ON w.id = s.workstation_id
            WHERE t.token_hash = $1`,
          [hashValue],
        );
        if (!row || row.kind !== 'refresh' || row.revoked_at !== null) return { kind: 'error', code: 'AUTH_TOKEN_INVALID' };
        const user = await userById(tx, row.user_id);
        const record = (action: string, reason: string): AuditRecord =>
          serverRecord(
            {
              userId: row.user_id,
              role: user?.role ?? 'system',
              workstation: input.workstationId,
              action,
              outcome: 'denied',
              reason,
              details: { sessionId: row.session_id },
            },
            now,
          );
        if (row.workstation_id !== input.workstationId) {
          await revokeSession(tx, row.session_id, 'workstation_mismatch', now);
          await audit.append(tx, [record('session_revoked', 'refresh token presented by another workstation')]);
          return { kind: 'error', code: 'AUTH_WORKSTATION_MISMATCH' };
        }
        if (row.user_disabled !== null || row.workstation_disabled !== null || !user) {
          return { kind: 'error', code: 'AUTH_TOKEN_INVALID' };
        }
        if (Date.parse(row.expires_at) <= now) return { kind: 'error', code: 'AUTH_TOKEN_EXPIRED' };
        const claimed = await tx.execute(
          'UPDATE auth_tokens SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL',
          [iso(now), hashValue],
        );
        if (claimed !== 1) {
          await revokeSession(tx, row.session_id, 'refresh_reuse', now);
          await audit.append(tx, [record('token_reuse', 'rotated refresh token presented again')]);
          return { kind: 'error', code: 'AUTH_REFRESH_REUSED' };
        }
        const tokens = await issueTokens(tx, row.session_id, now);
        return { kind: 'ok', response: { ...tokens, user: sessionUser(user) } };
      });
      if (outcome.kind === 'error') throw new AppError(outcome.code);
      return outcome.response;
    },

    async logout(refreshToken) {
      const now = clock();
      await engine.transaction(async (tx) => {
        const [row] = await tx.query<{ session_id: string; user_id: string; workstation_id: string; role: string }>(
          `SELECT s.id AS session_id, s.user_id, s.workstation_id, u.role
             FROM auth_tokens t JOIN auth_sessions s ON s.id = t.session_id JOIN users u ON u.id = s.user_id
            WHERE t.token_hash = $1 AND t.kind = 'refresh' AND s.revoked_at IS NULL`,
          [tokenHash(refreshToken)],
        );
        if (!row) return;
        await revokeSession(tx, row.session_id, 'logout', now);
        await audit.append(tx, [
          serverRecord(
            {
              userId: row.user_id,
              role: row.role,
              workstation: row.workstation_id,
              action: 'logout',
              outcome: 'success',
              details: { sessionId: row.session_id },
            },
            now,
          ),
        ]);
      });
    },

    async authenticateToken(accessToken) {
      const now = clock();
      const [row] = await engine.query<{
        kind: string;
        expires_at: string;
        session_id: string;
        revoked_at: string | null;
        workstation_id: string;
        workstation_disabled: string | null;
        user_id: string;
        username: string;
        role: string;
        rpps: string | null;
        user_disabled: string | null;
      }>(
        `SELECT t.kind, t.expires_at, s.id AS session_id, s.revoked_at, s.workstation_id,
                w.disabled_at AS workstation_disabled, u.id AS user_id, u.username, u.role, u.rpps,
                u.disabled_at AS user_disabled
           FROM auth_tokens t
           JOIN auth_sessions s ON s.id = t.session_id
           JOIN users u ON u.id = s.user_id
           JOIN workstations w ON w.id = s.workstation_id
          WHERE t.token_hash = $1`,
        [tokenHash(accessToken)],
      );
      if (
        !row ||
        row.kind !== 'access' ||
        row.revoked_at !== null ||
        row.user_disabled !== null ||
        row.workstation_disabled !== null
      ) {
        throw new AppError('AUTH_TOKEN_INVALID');
      }
      if (Date.parse(row.expires_at) <= now) throw new AppError('AUTH_TOKEN_EXPIRED');
      return {
        userId: row.user_id,
        username: row.username,
        role: UserRoleSchema.parse(row.role),
        ...(row.rpps ? { rpps: row.rpps } : {}),
        workstationId: row.workstation_id,
        sessionId: row.session_id,
      };
    },

    async revokeUserSessions(userId, actor) {
      const now = clock();
      return engine.transaction(async (tx) => {
        const revoked = await tx.execute(
          `UPDATE auth_sessions SET revoked_at = $1, revoked_reason = 'revoked_by_admin'
            WHERE user_id = $2 AND revoked_at IS NULL`,
          [iso(now), userId],
        );
        await audit.append(tx, [actorRecord(actor, 'sessions_revoked', { targetUserId: userId, sessions: revoked }, now)]);
        return revoked;
      });
    },

    async pruneExpired() {
      const cutoff = iso(clock() - 86_400_000);
      return engine.transaction(async (tx) => {
        const tokens = await tx.execute('DELETE FROM auth_tokens WHERE expires_at < $1', [cutoff]);
        await tx.execute(
          `DELETE FROM auth_sessions WHERE expires_at < $1
             AND NOT EXISTS (SELECT 1 FROM auth_tokens t WHERE t.session_id = auth_sessions.id)`,
          [cutoff],
        );
        return tokens;
      });
    },

    getUser: (userId) => userById(engine, userId),

    async findUserByUsername(username) {
      const rows = await engine.query<UserRow>('SELECT * FROM users WHERE username = $1', [username]);
      return rows[0] ? userView(rows[0]) : undefined;
    },

    async createUser(input, actor) {
      const now = clock();
      const username = UsernameSchema.safeParse(input.username);
      if (!username.success) throw new AppError('AUTH_REQUEST_INVALID', { field: 'username' });
      const displayName = input.displayName.trim();
      if (displayName.length === 0 || displayName.length > 200) {
        throw new AppError('AUTH_REQUEST_INVALID', { field: 'displayName' });
      }
      if (!UserRoleSchema.safeParse(input.role).success) throw new AppError('AUTH_REQUEST_INVALID', { field: 'role' });
      let rpps: string | null = null;
      if (input.role === 'practitioner') {
        const parsed = parseRpps(input.rpps);
        if (!parsed.ok) throw new AppError(parsed.error.code, parsed.error.params);
        rpps = parsed.value.rpps;
      } else if (input.rpps !== undefined && input.rpps !== '') {
        throw new AppError('AUTH_RPPS_NOT_ALLOWED');
      }
      if ([...input.password].length < MIN_PASSWORD_LENGTH) {
        throw new AppError('AUTH_PASSWORD_WEAK', { min: MIN_PASSWORD_LENGTH });
      }
      const passwordHash = await hashPassword(input.password);
      const id = newId();
      try {
        await engine.transaction(async (tx) => {
          await tx.execute(
            `INSERT INTO users (id, username, display_name, role, rpps, password_hash, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)`,
            [id, username.data, displayName, input.role, rpps, passwordHash, iso(now)],
          );
          await audit.append(tx, [
            actorRecord(actor, 'user_create', { targetUserId: id, username: username.data, role: input.role }, now),
          ]);
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw new AppError('AUTH_USERNAME_TAKEN', { username: username.data });
        throw error;
      }
      const created = await userById(engine, id);
      if (!created) throw new AppError('AUTH_USER_NOT_FOUND', { user: id });
      return created;
    },

    async disableUser(userId, actor) {
      const now = clock();
      // The 'access' lock: revocation sequences become visible in commit order (see the access module).
      await engine.transaction(async (tx) => {
        // Read before disabling: the view leaves disabled users out (migration 0004).
        const visible = await tx.query<{ patient_id: string }>(
          `SELECT DISTINCT patient_id FROM effective_patient_access
            WHERE user_id = $1 AND (valid_until IS NULL OR valid_until > $2) ORDER BY patient_id`,
          [userId, iso(now)],
        );
        const changed = await tx.execute('UPDATE users SET disabled_at = $1 WHERE id = $2 AND disabled_at IS NULL', [
          iso(now),
          userId,
        ]);
        if (changed === 0 && !(await userById(tx, userId))) throw new AppError('AUTH_USER_NOT_FOUND', { user: userId });
        const sessions = await tx.execute(
          `UPDATE auth_sessions SET revoked_at = $1, revoked_reason = 'user_disabled'
            WHERE user_id = $2 AND revoked_at IS NULL`,
          [iso(now), userId],
        );
        // Every patient the user could see is lost: if this user's workstation ever syncs
        // again under their name, it purges its local copies.
        for (const { patient_id: patientId } of visible) {
          await tx.execute(
            "INSERT INTO access_revocations (user_id, patient_id, revoked_at, cause) VALUES ($1, $2, $3, 'user_disabled')",
            [userId, patientId, iso(now)],
          );
        }
        if (changed > 0) await engine.notify(tx, ACCESS_CHANNEL, JSON.stringify({ userId, close: true }));
        await audit.append(tx, [
          actorRecord(actor, 'user_disable', { targetUserId: userId, sessions, patientsRevoked: visible.length }, now),
        ]);
      }, { lock: 'access' });
      const user = await userById(engine, userId);
      if (!user) throw new AppError('AUTH_USER_NOT_FOUND', { user: userId });
      return user;
    },

    async listUsers() {
      const rows = await engine.query<UserRow>('SELECT * FROM users ORDER BY username');
      return rows.map(userView);
    },

    async registerWorkstation(name, actor) {
      const now = clock();
      const trimmed = name.trim();
      if (trimmed.length === 0 || trimmed.length > 100) throw new AppError('AUTH_REQUEST_INVALID', { field: 'name' });
      const id = newId();
      try {
        await engine.transaction(async (tx) => {
          await tx.execute('INSERT INTO workstations (id, name, created_at) VALUES ($1, $2, $3)', [id, trimmed, iso(now)]);
          await audit.append(tx, [actorRecord(actor, 'workstation_register', { workstationId: id, name: trimmed }, now)]);
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw new AppError('AUTH_WORKSTATION_NAME_TAKEN', { name: trimmed });
        throw error;
      }
      return { id, name: trimmed, createdAt: iso(now), disabledAt: null };
    },

    async disableWorkstation(workstationId, actor) {
      const now = clock();
      await engine.transaction(async (tx) => {
        await tx.execute('UPDATE workstations SET disabled_at = $1 WHERE id = $2 AND disabled_at IS NULL', [
          iso(now),
          workstationId,
        ]);
        const [row] = await tx.query<WorkstationRow>('SELECT * FROM workstations WHERE id = $1', [workstationId]);
        if (!row) throw new AppError('AUTH_WORKSTATION_NOT_FOUND', { workstation: workstationId });
        const sessions = await tx.execute(
          `UPDATE auth_sessions SET revoked_at = $1, revoked_reason = 'workstation_disabled'
            WHERE workstation_id = $2 AND revoked_at IS NULL`,
          [iso(now), workstationId],
        );
        await audit.append(tx, [actorRecord(actor, 'workstation_disable', { workstationId, sessions }, now)]);
      });
      const [row] = await engine.query<WorkstationRow>('SELECT * FROM workstations WHERE id = $1', [workstationId]);
      if (!row) throw new AppError('AUTH_WORKSTATION_NOT_FOUND', { workstation: workstationId });
      return workstationView(row);
    },

    async listWorkstations() {
      const rows = await engine.query<WorkstationRow>('SELECT * FROM workstations ORDER BY name');
      return rows.map(workstationView);
    },
  };
}
