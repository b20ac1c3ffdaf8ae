import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/src/errors';
import type { UserRole } from '../../../shared/src/sync/protocol';
import { CLI_ACTOR, createAuthService } from '../auth/auth-service';
import { createRecordingAuditLog, manualClock } from '../auth/test-support';
import type { Engine } from '../db/engine';
import { forEachEngine } from '../testing/engines';
import type { Principal } from '../types';
import { ACCESS_CHANGE_CHANNEL, createAccessService, readScopeOf } from './access-service';

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  throw new Error('expected an AppError');
}

describe('readScopeOf', () => {
  it('gives each role its data classes', () => {
    expect(readScopeOf('practitioner')).toEqual({ dataClasses: ['clinical', 'administrative'], patients: 'granted' });
    expect(readScopeOf('secretary')).toEqual({ dataClasses: ['administrative'], patients: 'all' });
    expect(readScopeOf('dpo').dataClasses).toEqual([]);
    expect(readScopeOf('admin').dataClasses).toEqual([]);
  });
});

async function insertDocument(engine: Engine, collection: string, id: string, patientId: string): Promise<void> {
  const [max] = await engine.query<{ n: number | null }>('SELECT MAX(sequence) AS n FROM documents');
  await engine.execute(
    `INSERT INTO documents (collection, id, sequence, patient_id, data_class, deleted, data, updated_at, updated_by)
     VALUES ($1, $2, $3, $4, 'administrative', $5, '{}', '2026-01-01T00:00:00.000Z', 'seed')`,
    [collection, id, Number(max?.n ?? 0) + 1, patientId, false],
  );
}

forEachEngine('access service', (getEngine) => {
  async function setup() {
    const engine = getEngine();
    const audit = await createRecordingAuditLog(engine);
    const clock = manualClock();
    const auth = createAuthService({ engine, audit, clock });
    const access = createAccessService({ engine, audit, clock });
    const ws = await auth.registerWorkstation('Cabinet', CLI_ACTOR);
    const principals: Record<string, Principal> = {};
    const make = async (username: string, role: UserRole, rpps?: string) => {
      const user = await auth.createUser(
        { username, displayName: username, role, rpps, password: 'a long enough password' },
        CLI_ACTOR,
      );
      const principal: Principal = { userId: user.id, username, role, workstationId: ws.id, sessionId: 's' };
      principals[username] = principal;
      return principal;
    };
    const doc = await make('doc', 'practitioner', '10003456780');
    const doc2 = await make('doc2', 'practitioner', '10101010101');
    const sec = await make('sec', 'secretary');
    const dpo = await make('dpo', 'dpo');
    const admin = await make('admin', 'admin');
    const revocations = async (userId: string) =>
      engine.query<{ patient_id: string; cause: string }>(
        'SELECT patient_id, cause FROM access_revocations WHERE user_id = $1 ORDER BY sequence',
        [userId],
      );
    return { engine, audit, clock, auth, access, doc, doc2, sec, dpo, admin, revocations };
  }

  it('decides writes by role: practitioner on granted patients, secretary administrative only, dpo and admin nothing', async () => {
    const { engine, access, doc, sec, dpo, admin } = await setup();
    await insertDocument(engine, 'patient', 'p1', 'p1');
    await access.grant(CLI_ACTOR, { userId: doc.userId, patientId: 'p1' });
    await insertDocument(engine, 'patient', 'p2', 'p2');
    const write = (principal: Principal, patientId: string | undefined, dataClass: 'clinical' | 'administrative' | 'audit') =>
      access.canWrite(engine, principal, dataClass === 'clinical' ? 'encounter' : 'patient', { id: 'x', patientId, dataClass });

    expect(await write(doc, 'p1', 'clinical')).toEqual({ allowed: true });
    expect(await write(doc, 'p1', 'administrative')).toEqual({ allowed: true });
    expect(await write(doc, 'p2', 'clinical')).toEqual({ allowed: false, code: 'ACCESS_NO_GRANT' });
    expect(await write(sec, 'p2', 'administrative')).toEqual({ allowed: true });
    expect(await write(sec, 'p1', 'clinical')).toEqual({ allowed: false, code: 'ACCESS_CLINICAL_DENIED' });
    for (const p of [dpo, admin]) {
      expect(await write(p, 'p1', 'administrative')).toEqual({ allowed: false, code: 'ACCESS_ROLE_NO_DOCUMENTS' });
      expect(await write(p, 'p1', 'clinical')).toEqual({ allowed: false, code: 'ACCESS_ROLE_NO_DOCUMENTS' });
      expect(await write(p, 'p1', 'audit')).toEqual({ allowed: true });
    }

    expect(await access.canRead(engine, doc, 'p1', 'clinical')).toEqual({ allowed: true });
    expect(await access.canRead(engine, doc, 'p2', 'administrative')).toEqual({ allowed: false, code: 'ACCESS_NO_GRANT' });
    expect(await access.canRead(engine, sec, 'p2', 'administrative')).toEqual({ allowed: true });
    expect(await access.canRead(engine, sec, 'p1', 'clinical')).toEqual({ allowed: false, code: 'ACCESS_CLINICAL_DENIED' });
    expect(await access.canRead(engine, admin, 'p1', 'administrative')).toEqual({
      allowed: false,
      code: 'ACCESS_ROLE_NO_DOCUMENTS',
    });
  });

  it('makes a practitioner the first grantee of a patient the server has never seen, not of a known one', async () => {
    const { engine, access, doc, doc2, audit } = await setup();
    const decision = await access.canWrite(engine, doc, 'patient', { id: 'new-p', patientId: 'new-p', dataClass: 'administrative' });
    expect(decision).toEqual({ allowed: true });
    await insertDocument(engine, 'patient', 'new-p', 'new-p');
    expect(await access.hasPatientAccess(engine, doc.userId, 'new-p')).toBe(true);
    expect(
      await access.canWrite(engine, doc2, 'encounter', { id: 'e', patientId: 'new-p', dataClass: 'clinical' }),
    ).toEqual({ allowed: false, code: 'ACCESS_NO_GRANT' });
    expect((await audit.records()).filter((r) => r.action === 'grant' && r.patientId === 'new-p')).toHaveLength(1);
  });

  it('revoking a grant records one revocation; none while another path (team) still gives the patient', async () => {
    const { engine, access, doc, doc2, revocations } = await setup();
    await access.grant(CLI_ACTOR, { userId: doc.userId, patientId: 'p1' });
    await access.grant(CLI_ACTOR, { userId: doc.userId, patientId: 'p2' });
    const team = await access.createTeam(CLI_ACTOR, 'Cardiologie');
    await access.addTeamMember(CLI_ACTOR, team.id, doc.userId);
    await access.addTeamMember(CLI_ACTOR, team.id, doc2.userId);
    await access.sharePatientWithTeam(CLI_ACTOR, team.id, 'p2');
    expect(await access.hasPatientAccess(engine, doc2.userId, 'p2')).toBe(true);

    await access.revoke(CLI_ACTOR, { userId: doc.userId, patientId: 'p1' });
    await access.revoke(CLI_ACTOR, { userId: doc.userId, patientId: 'p2' });
    expect(await revocations(doc.userId)).toEqual([{ patient_id: 'p1', cause: 'grant_revoked' }]);
    expect(await access.hasPatientAccess(engine, doc.userId, 'p2')).toBe(true);
    expect(await codeOf(access.revoke(CLI_ACTOR, { userId: doc.userId, patientId: 'p1' }))).toBe('ACCESS_GRANT_NOT_FOUND');

    await access.removeTeamMember(CLI_ACTOR, team.id, doc.userId);
    expect(await revocations(doc.userId)).toEqual([
      { patient_id: 'p1', cause: 'grant_revoked' },
      { patient_id: 'p2', cause: 'team_member_removed' },
    ]);
    await access.unsharePatientFromTeam(CLI_ACTOR, team.id, 'p2');
    expect(await revocations(doc2.userId)).toEqual([{ patient_id: 'p2', cause: 'team_share_removed' }]);

    const page = await access.revocationsSince(doc.userId, 0, 100);
    expect(page.patientIds).toEqual(['p1', 'p2']);
    const after = await access.revocationsSince(doc.userId, page.checkpoint.sequence, 100);
    expect(after).toEqual({ patientIds: [], checkpoint: page.checkpoint });
  });

  it('grants only to active practitioners, refuses past expiries, and lists per patient and per user', async () => {
    const { access, doc, doc2, sec, auth } = await setup();
    expect(await codeOf(access.grant(CLI_ACTOR, { userId: sec.userId, patientId: 'p1' }))).toBe('ACCESS_GRANTEE_ROLE');
    expect(await codeOf(access.grant(CLI_ACTOR, { userId: 'ghost', patientId: 'p1' }))).toBe('AUTH_USER_NOT_FOUND');
    expect(
      await codeOf(access.grant(CLI_ACTOR, { userId: doc.userId, patientId: 'p1', expiresAt: '2020-01-01T00:00:00.000Z' })),
    ).toBe('ACCESS_EXPIRY_PAST');
    await access.grant(CLI_ACTOR, { userId: doc.userId, patientId: 'p1' });
    await access.grant(CLI_ACTOR, { userId: doc2.userId, patientId: 'p1' });
    await access.grant(CLI_ACTOR, { userId: doc.userId, patientId: 'p3' });
    expect((await access.listGrants({ patientId: 'p1' })).map((g) => g.userId).sort()).toEqual([doc.userId, doc2.userId].sort());
    expect((await access.listGrants({ userId: doc.userId })).map((g) => g.patientId)).toEqual(['p1', 'p3']);
    await auth.disableUser(doc2.userId, CLI_ACTOR);
    expect(await codeOf(access.grant(CLI_ACTOR, { userId: doc2.userId, patientId: 'p9' }))).toBe('AUTH_USER_NOT_FOUND');
  });

  it('ends an expiring grant at its instant and feeds access_revocations', async () => {
    const { engine, access, clock, doc, revocations } = await setup();
    const end = new Date(clock() + 3_600_000).toISOString();
    await access.grant(CLI_ACTOR, { userId: doc.userId, patientId: 'p1', expiresAt: end });
    expect(await access.hasPatientAccess(engine, doc.userId, 'p1')).toBe(true);
    clock.advance(3_600_000);
    expect(await access.hasPatientAccess(engine, doc.userId, 'p1')).toBe(false);
    expect(await access.sweepExpired()).toBe(1);
    expect(await access.sweepExpired()).toBe(0);
    expect(await revocations(doc.userId)).toEqual([{ patient_id: 'p1', cause: 'grant_expired' }]);
  });

  it('break-the-glass: practitioner only, reason of 10 characters, 4 hours, flagged in the audit, listed, then revoked', async () => {
    const { engine, access, clock, doc, sec, audit, revocations } = await setup();
    expect(await codeOf(access.breakGlass(sec, { patientId: 'p7', reason: 'urgence vitale au cabinet' }))).toBe(
      'ACCESS_BREAK_GLASS_ROLE',
    );
    expect(await codeOf(access.breakGlass(doc, { patientId: 'p7', reason: '  urgent   ' }))).toBe('ACCESS_BREAK_GLASS_REASON');
    const opened = await access.breakGlass(doc, { patientId: 'p7', reason: 'Patient inconscient aux urgences' });
    expect(opened.expiresAt).toBe(new Date(clock() + 4 * 3_600_000).toISOString());
    expect(await access.canRead(engine, doc, 'p7', 'clinical')).toEqual({ allowed: true });

    const flagged = (await audit.records()).filter((r) => r.action === 'break_glass');
    expect(flagged).toHaveLength(1);
    expect(flagged[0]).toMatchObject({ patientId: 'p7', reason: 'Patient inconscient aux urgences', details: { breakGlass: true } });
    const listed = await access.listBreakGlass({});
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ userId: doc.userId, username: 'doc', patientId: 'p7', endedAt: null });

    clock.advance(4 * 3_600_000);
    expect(await access.canRead(engine, doc, 'p7', 'clinical')).toEqual({ allowed: false, code: 'ACCESS_NO_GRANT' });
    const page = await access.revocationsSince(doc.userId, 0, 10);
    expect(page.patientIds).toEqual(['p7']);
    expect(await revocations(doc.userId)).toEqual([{ patient_id: 'p7', cause: 'break_glass_expired' }]);
    expect((await access.listBreakGlass({}))[0]?.endedAt).toBe(new Date(clock()).toISOString());
  });

  it('announces each change of a user\'s patients on the access channel, after commit', async () => {
    const { engine, access, doc, doc2, clock } = await setup();
    const heard: string[] = [];
    const stop = await engine.listen(ACCESS_CHANGE_CHANNEL, (payload) => heard.push((JSON.parse(payload) as { userId: string }).userId));
    try {
      await access.grant(CLI_ACTOR, { userId: doc.userId, patientId: 'p1', expiresAt: new Date(clock() + 1000).toISOString() });
      const team = await access.createTeam(CLI_ACTOR, 'T');
      await access.addTeamMember(CLI_ACTOR, team.id, doc2.userId);
      await access.sharePatientWithTeam(CLI_ACTOR, team.id, 'p2');
      await codeOf(access.revoke(CLI_ACTOR, { userId: doc2.userId, patientId: 'none' }));
      clock.advance(1000);
      await access.sweepExpired();
      const expected = [doc.userId, doc2.userId, doc2.userId, doc.userId];
      for (let i = 0; i < 100 && heard.length < expected.length; i++) await new Promise((r) => setTimeout(r, 10));
      expect(heard).toEqual(expected);
    } finally {
      await stop();
    }
  });

  it('the view effective_patient_access unions grants, team shares and break-the-glass with their ends', async () => {
    const { engine, access, doc, clock } = await setup();
    const end = new Date(clock() + 60_000).toISOString();
    await access.grant(CLI_ACTOR, { userId: doc.userId, patientId: 'g', expiresAt: end });
    const team = await access.createTeam(CLI_ACTOR, 'Équipe A');
    await access.addTeamMember(CLI_ACTOR, team.id, doc.userId);
    await access.sharePatientWithTeam(CLI_ACTOR, team.id, 't');
    const bg = await access.breakGlass(doc, { patientId: 'b', reason: 'Consultation non programmée' });
    const rows = await engine.query<{ patient_id: string; valid_until: string | null }>(
      'SELECT patient_id, valid_until FROM effective_patient_access WHERE user_id = $1 ORDER BY patient_id',
      [doc.userId],
    );
    expect(rows).toEqual([
      { patient_id: 'b', valid_until: bg.expiresAt },
      { patient_id: 'g', valid_until: end },
      { patient_id: 't', valid_until: null },
    ]);
    expect(await codeOf(access.createTeam(CLI_ACTOR, 'Équipe A'))).toBe('ACCESS_TEAM_NAME_TAKEN');
  });
});
