import { expect, it } from 'vitest';
import { AppError } from '../../../shared/src/errors';
import { forEachEngine } from '../testing/engines';
import type { AuthService } from './auth-service';
import { CLI_ACTOR, createAuthService } from './auth-service';
import { tokenHash } from './crypto';
import { createRecordingAuditLog, manualClock } from './test-support';

const PASSWORD = 'correct horse battery';
const RPPS = '10003456780';

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  throw new Error('expected an AppError');
}

forEachEngine('auth service', (getEngine) => {
  async function setup() {
    const engine = getEngine();
    const audit = await createRecordingAuditLog(engine);
    const clock = manualClock();
    const auth: AuthService = createAuthService({ engine, audit, clock });
    const workstation = await auth.registerWorkstation('Accueil 1', CLI_ACTOR);
    const user = await auth.createUser(
      { username: 'dr.martin', displayName: 'Dr Claire Martin', role: 'practitioner', rpps: RPPS, password: PASSWORD },
      CLI_ACTOR,
    );
    const login = (password = PASSWORD, ip = '10.0.0.5', username = 'dr.martin') =>
      auth.login({ username, password, workstationId: workstation.id }, { ip });
    return { engine, audit, clock, auth, workstation, user, login };
  }

  it('logs in with Argon2id, stores only hashes of opaque tokens, and authenticates the access token', async () => {
    const { engine, auth, user, workstation, login, audit } = await setup();
    const [stored] = await engine.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE id = $1', [user.id]);
    expect(stored?.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);

    const session = await login();
    expect(session.user).toEqual({ id: user.id, username: 'dr.martin', displayName: 'Dr Claire Martin', role: 'practitioner', rpps: RPPS });
    const tokens = await engine.query<{ token_hash: string }>('SELECT token_hash FROM auth_tokens');
    const hashes = tokens.map((t) => t.token_hash);
    expect(hashes).toContain(tokenHash(session.accessToken));
    expect(hashes).not.toContain(session.accessToken);
    expect(hashes).not.toContain(session.refreshToken);

    const principal = await auth.authenticateToken(session.accessToken);
    expect(principal).toMatchObject({ userId: user.id, role: 'practitioner', rpps: RPPS, workstationId: workstation.id });
    expect(await codeOf(auth.authenticateToken(session.refreshToken))).toBe('AUTH_TOKEN_INVALID');
    expect((await audit.records()).map((r) => r.action)).toEqual(['workstation_register', 'user_create', 'login']);
  });

  it('refuses a wrong password, an unknown user and an unknown workstation with the same credential code, audited', async () => {
    const { auth, login, audit } = await setup();
    expect(await codeOf(login('wrong password!'))).toBe('AUTH_INVALID_CREDENTIALS');
    expect(await codeOf(login(PASSWORD, '10.0.0.5', 'nobody'))).toBe('AUTH_INVALID_CREDENTIALS');
    expect(
      await codeOf(auth.login({ username: 'dr.martin', password: PASSWORD, workstationId: 'not-registered' }, { ip: '1.2.3.4' })),
    ).toBe('AUTH_WORKSTATION_UNKNOWN');
    const failed = (await audit.records()).filter((r) => r.action === 'login_failed');
    expect(failed.map((r) => r.reason)).toEqual(['bad_password', 'unknown_user', 'workstation_unknown']);
    expect(failed.every((r) => r.outcome === 'denied')).toBe(true);
  });

  it('spends an Argon2 verification on unknown and disabled users too (no timing oracle on usernames)', async () => {
    const { login, auth } = await setup();
    await auth.createUser({ username: 'gone', displayName: 'G', role: 'secretary', password: PASSWORD }, CLI_ACTOR);
    await auth.disableUser((await auth.findUserByUsername('gone'))?.id ?? '', CLI_ACTOR);
    const time = async (username: string) => {
      const started = performance.now();
      await codeOf(login('wrong password here', `10.1.0.${username.length}`, username));
      return performance.now() - started;
    };
    await time('nobody-warmup');
    const median = async (username: string) => {
      const samples = [await time(username), await time(username), await time(username)].sort((a, b) => a - b);
      return samples[1] ?? 0;
    };
    const known = await median('dr.martin');
    // Three failures per username stay under the lockout limit of 5.
    const unknown = await median('nobody');
    const disabled = await median('gone');
    expect(unknown).toBeGreaterThan(known * 0.4);
    expect(disabled).toBeGreaterThan(known * 0.4);
  });

  it('expires the access token after 15 minutes; refresh rotates and the old refresh token no longer works', async () => {
    const { auth, clock, login, workstation } = await setup();
    const first = await login();
    clock.advance(15 * 60_000);
    expect(await codeOf(auth.authenticateToken(first.accessToken))).toBe('AUTH_TOKEN_EXPIRED');

    const second = await auth.refresh({ refreshToken: first.refreshToken, workstationId: workstation.id });
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect((await auth.authenticateToken(second.accessToken)).sessionId).toBeTruthy();

    clock.advance(60_000);
    const third = await auth.refresh({ refreshToken: second.refreshToken, workstationId: workstation.id });
    expect((await auth.authenticateToken(third.accessToken)).userId).toBe(first.user.id);
  });

  it('revokes the whole family when a rotated refresh token is presented again (theft detection)', async () => {
    const { auth, login, workstation, audit } = await setup();
    const first = await login();
    const second = await auth.refresh({ refreshToken: first.refreshToken, workstationId: workstation.id });
    expect(await codeOf(auth.refresh({ refreshToken: first.refreshToken, workstationId: workstation.id }))).toBe(
      'AUTH_REFRESH_REUSED',
    );
    // The legitimate holder's newer tokens die with the family.
    expect(await codeOf(auth.authenticateToken(second.accessToken))).toBe('AUTH_TOKEN_INVALID');
    expect(await codeOf(auth.refresh({ refreshToken: second.refreshToken, workstationId: workstation.id }))).toBe(
      'AUTH_TOKEN_INVALID',
    );
    expect((await audit.records()).some((r) => r.action === 'token_reuse' && r.outcome === 'denied')).toBe(true);
    // Another login is unaffected.
    const other = await login();
    expect((await auth.authenticateToken(other.accessToken)).userId).toBe(first.user.id);
  });

  it('lets only one of two concurrent refreshes with the same token win', async () => {
    const { auth, login, workstation } = await setup();
    const first = await login();
    const results = await Promise.allSettled([
      auth.refresh({ refreshToken: first.refreshToken, workstationId: workstation.id }),
      auth.refresh({ refreshToken: first.refreshToken, workstationId: workstation.id }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  it('binds the refresh token to its workstation and expires it after 30 days', async () => {
    const { auth, login, workstation, clock } = await setup();
    const other = await auth.registerWorkstation('Cabinet 2', CLI_ACTOR);
    const stolen = await login();
    expect(await codeOf(auth.refresh({ refreshToken: stolen.refreshToken, workstationId: other.id }))).toBe(
      'AUTH_WORKSTATION_MISMATCH',
    );
    expect(await codeOf(auth.authenticateToken(stolen.accessToken))).toBe('AUTH_TOKEN_INVALID');

    const session = await login();
    clock.advance(30 * 24 * 3_600_000);
    expect(await codeOf(auth.refresh({ refreshToken: session.refreshToken, workstationId: workstation.id }))).toBe(
      'AUTH_TOKEN_EXPIRED',
    );
  });

  it('logout ends the session; disabling the user or the workstation ends access at once', async () => {
    const { auth, login, user, workstation } = await setup();
    const a = await login();
    await auth.logout(a.refreshToken);
    expect(await codeOf(auth.authenticateToken(a.accessToken))).toBe('AUTH_TOKEN_INVALID');
    await auth.logout(a.refreshToken);

    const b = await login();
    await auth.disableWorkstation(workstation.id, CLI_ACTOR);
    expect(await codeOf(auth.authenticateToken(b.accessToken))).toBe('AUTH_TOKEN_INVALID');
    expect(await codeOf(login())).toBe('AUTH_WORKSTATION_UNKNOWN');

    const ws2 = await auth.registerWorkstation('Cabinet 3', CLI_ACTOR);
    const c = await auth.login({ username: 'dr.martin', password: PASSWORD, workstationId: ws2.id }, { ip: '10.0.0.5' });
    const revoked = await auth.revokeUserSessions(user.id, CLI_ACTOR);
    expect(revoked).toBe(1);
    expect(await codeOf(auth.authenticateToken(c.accessToken))).toBe('AUTH_TOKEN_INVALID');

    const d = await auth.login({ username: 'dr.martin', password: PASSWORD, workstationId: ws2.id }, { ip: '10.0.0.5' });
    await auth.disableUser(user.id, CLI_ACTOR);
    expect(await codeOf(auth.authenticateToken(d.accessToken))).toBe('AUTH_TOKEN_INVALID');
    expect(
      await codeOf(auth.login({ username: 'dr.martin', password: PASSWORD, workstationId: ws2.id }, { ip: '10.0.0.5' })),
    ).toBe('AUTH_INVALID_CREDENTIALS');
  });

  it('locks a username after 5 failures in 15 minutes for 15 minutes, audited, even with the right password', async () => {
    const { login, clock, audit, user } = await setup();
    for (let i = 0; i < 4; i++) {
      expect(await codeOf(login(`wrong-${i}-password`))).toBe('AUTH_INVALID_CREDENTIALS');
      clock.advance(60_000);
    }
    expect(await codeOf(login('wrong-5-password'))).toBe('AUTH_LOCKED');
    expect(await codeOf(login())).toBe('AUTH_LOCKED');
    const records = await audit.records();
    const lockouts = records.filter((r) => r.action === 'lockout');
    expect(lockouts).toHaveLength(1);
    expect(lockouts[0]).toMatchObject({ userId: user.id, outcome: 'denied', details: { username: 'dr.martin', failures: 5 } });
    expect(records.filter((r) => r.action === 'login_failed')).toHaveLength(6);

    clock.advance(15 * 60_000);
    const session = await login();
    expect(session.user.id).toBe(user.id);
  });

  it('does not lock for failures spread beyond the window, and a success resets the count', async () => {
    const { login, clock } = await setup();
    for (let i = 0; i < 4; i++) await codeOf(login('wrong password 1'));
    clock.advance(16 * 60_000);
    for (let i = 0; i < 4; i++) await codeOf(login('wrong password 2'));
    await login();
    for (let i = 0; i < 4; i++) expect(await codeOf(login('wrong password 3'))).toBe('AUTH_INVALID_CREDENTIALS');
  });

  it('limits failures per address across usernames', async () => {
    const engine = getEngine();
    const audit = await createRecordingAuditLog(engine);
    const clock = manualClock();
    const auth = createAuthService({ engine, audit, clock, config: { ipLimit: { maxFailures: 3, windowMs: 60_000 } } });
    const ws = await auth.registerWorkstation('Poste', CLI_ACTOR);
    const attempt = (username: string, ip: string) =>
      codeOf(auth.login({ username, password: 'guess guess guess', workstationId: ws.id }, { ip }));
    for (const name of ['a1', 'a2', 'a3']) expect(await attempt(name, '192.0.2.1')).toBe('AUTH_INVALID_CREDENTIALS');
    expect(await attempt('a4', '192.0.2.1')).toBe('AUTH_RATE_LIMITED');
    expect(await attempt('a4', '192.0.2.2')).toBe('AUTH_INVALID_CREDENTIALS');
    clock.advance(61_000);
    expect(await attempt('a5', '192.0.2.1')).toBe('AUTH_INVALID_CREDENTIALS');
  });

  it('validates new users: RPPS required and parsed for practitioners, refused for others, unique usernames', async () => {
    const { auth } = await setup();
    const base = { displayName: 'X Y', password: PASSWORD } as const;
    expect(await codeOf(auth.createUser({ ...base, username: 'dr.b', role: 'practitioner' }, CLI_ACTOR))).toBe('RPPS_REQUIRED');
    expect(await codeOf(auth.createUser({ ...base, username: 'dr.b', role: 'practitioner', rpps: '123' }, CLI_ACTOR))).toBe(
      'RPPS_FORMAT',
    );
    const spaced = await auth.createUser({ ...base, username: 'dr.b', role: 'practitioner', rpps: '100 0345 6780' }, CLI_ACTOR);
    expect(spaced.rpps).toBe(RPPS);
    expect(await codeOf(auth.createUser({ ...base, username: 'sec', role: 'secretary', rpps: RPPS }, CLI_ACTOR))).toBe(
      'AUTH_RPPS_NOT_ALLOWED',
    );
    expect(await codeOf(auth.createUser({ ...base, username: 'sec', role: 'secretary', password: 'short' }, CLI_ACTOR))).toBe(
      'AUTH_PASSWORD_WEAK',
    );
    expect(await codeOf(auth.createUser({ ...base, username: 'Bad Name', role: 'secretary' }, CLI_ACTOR))).toBe(
      'AUTH_REQUEST_INVALID',
    );
    expect(await codeOf(auth.createUser({ ...base, username: 'dr.b', role: 'secretary' }, CLI_ACTOR))).toBe('AUTH_USERNAME_TAKEN');
    expect((await auth.listUsers()).map((u) => u.username)).toEqual(['dr.b', 'dr.martin']);
  });
});

forEachEngine('auth service pruning', (getEngine) => {
  it('deletes tokens a day past their expiry and their empty sessions, keeping live ones', async () => {
    const engine = getEngine();
    const audit = await createRecordingAuditLog(engine);
    const clock = manualClock();
    const auth = createAuthService({ engine, audit, clock });
    const ws = await auth.registerWorkstation('Poste', CLI_ACTOR);
    await auth.createUser({ username: 'sec', displayName: 'S', role: 'secretary', password: PASSWORD }, CLI_ACTOR);
    const old = await auth.login({ username: 'sec', password: PASSWORD, workstationId: ws.id }, { ip: '::1' });
    clock.advance(20 * 24 * 3_600_000);
    const recent = await auth.login({ username: 'sec', password: PASSWORD, workstationId: ws.id }, { ip: '::1' });
    // The old session's access token is long expired; its refresh token is still valid.
    expect(await auth.pruneExpired()).toBe(1);
    expect((await auth.refresh({ refreshToken: old.refreshToken, workstationId: ws.id })).user.username).toBe('sec');
    clock.advance(32 * 24 * 3_600_000);
    // Old refresh (used), its successor pair, and the recent pair.
    expect(await auth.pruneExpired()).toBe(5);
    expect(await engine.query('SELECT id FROM auth_sessions')).toEqual([]);
    expect(await codeOf(auth.refresh({ refreshToken: recent.refreshToken, workstationId: ws.id }))).toBe('AUTH_TOKEN_INVALID');
  });
});
