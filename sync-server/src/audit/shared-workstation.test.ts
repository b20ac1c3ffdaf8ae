import { afterEach, beforeEach, expect, it } from 'vitest';
import type { AuditEvent } from '../../../shared/src/schemas';
import type { PushResponse } from '../../../shared/src/sync/protocol';
import { CLI_ACTOR } from '../auth/auth-service';
import { makeEncounter } from '../testing/documents';
import { forEachEngine } from '../testing/engines';
import type { TestServer, TestUser } from '../testing/server';
import { post, signIn, startTestServer } from '../testing/server';

const PASSWORD = 'correct horse battery staple';

forEachEngine('audit events and refusals pushed through the HTTP route', (getEngine) => {
  let server: TestServer;
  let doctor: TestUser;

  const push = async (token: string, collection: string, rows: unknown[]) => {
    const res = await post(`${server.url}/v1/replication/${collection}/push`, token, { rows });
    expect(res.status).toBe(200);
    return res.body as PushResponse;
  };
  const auditRow = (e: AuditEvent) => ({ assumedMasterState: null, newDocumentState: { ...e, _deleted: false } });
  const event = (id: string, userId: string, workstation: string): AuditEvent => ({
    id,
    userId,
    role: 'practitioner',
    workstation,
    action: 'read',
    patientId: 'p1',
    instant: '2026-03-02T09:00:00.000Z',
    outcome: 'success',
    updatedAt: '2026-03-02T09:00:00.000Z',
  });
  const count = async (id: string) =>
    Number((await getEngine().query<{ n: number | string }>('SELECT COUNT(*) AS n FROM audit_log WHERE id = $1', [id]))[0]?.n);

  beforeEach(async () => {
    server = await startTestServer(getEngine());
    doctor = await signIn(server.services, 'practitioner');
  });
  afterEach(async () => {
    await server.close();
  });

  it("a doctor's offline events pushed while a secretary is signed in on the same workstation are kept, with the deliverer", async () => {
    const secretary = await signIn(server.services, 'secretary');
    // The secretary signs in on the doctor's workstation (the doctor's session ended long ago).
    const shared = await server.services.auth.login(
      { username: secretary.username, password: PASSWORD, workstationId: doctor.workstationId },
      { ip: '127.0.0.1' },
    );
    const stranger = await signIn(server.services, 'practitioner');
    const res = await push(shared.accessToken, 'audit_event', [
      auditRow(event('offline-1', doctor.userId, doctor.workstationId)),
      auditRow({ ...event('offline-2', doctor.userId, doctor.workstationId), role: 'secretary' }),
      auditRow(event('foreign-1', stranger.userId, doctor.workstationId)),
    ]);
    expect(res.rejected).toEqual([{ id: 'foreign-1', code: 'AUDIT_EVENT_NOT_YOURS' }]);
    const found = await server.services.audit.search({ userId: doctor.userId, action: 'read', limit: 10 });
    expect(found.entries.map((e) => e.id).sort()).toEqual(['offline-1', 'offline-2']);
    expect(found.entries.find((e) => e.id === 'offline-1')).toMatchObject({ deliveredBy: secretary.userId, role: 'practitioner' });
    expect(found.entries.find((e) => e.id === 'offline-1')?.serverRole).toBeUndefined();
    expect(found.entries.find((e) => e.id === 'offline-2')).toMatchObject({ role: 'secretary', serverRole: 'practitioner' });

    // Retried (the answer was lost): the refusal is not recorded twice, and the DPO's search shows the delivery fields.
    await push(shared.accessToken, 'audit_event', [auditRow(event('foreign-1', stranger.userId, doctor.workstationId))]);
    expect(await count(`refused:${doctor.workstationId}:foreign-1`)).toBe(1);
    expect(await count('foreign-1')).toBe(0);
    const dpo = await signIn(server.services, 'dpo');
    const entries = await fetch(`${server.url}/v1/audit/entries?userId=${doctor.userId}`, {
      headers: { authorization: `Bearer ${dpo.accessToken}` },
    });
    expect(entries.status).toBe(200);
    expect(JSON.stringify(await entries.json())).toContain(`"deliveredBy":"${secretary.userId}"`);
    expect((await server.services.audit.verifyChain()).ok).toBe(true);
  });

  it('a document row refused twice (a retried push) is recorded once; another state of it is recorded again', async () => {
    await server.services.access.grant(CLI_ACTOR, { userId: doctor.userId, patientId: 'p1' });
    const secretary = await signIn(server.services, 'secretary');
    const encounter = { ...makeEncounter('e1', 'p1', doctor.rpps ?? ''), _deleted: false };
    const row = { assumedMasterState: null, newDocumentState: encounter };
    for (let i = 0; i < 2; i += 1) {
      expect((await push(secretary.accessToken, 'encounter', [row])).rejected).toEqual([{ id: 'e1', code: 'ACCESS_CLINICAL_DENIED' }]);
    }
    const refusals = async () =>
      (await server.services.audit.search({ userId: secretary.userId, limit: 50 })).entries.filter(
        (e) => e.outcome === 'denied' && e.object?.id === 'e1',
      );
    expect(await refusals()).toHaveLength(1);
    await push(secretary.accessToken, 'encounter', [{ assumedMasterState: null, newDocumentState: { ...encounter, reason: 'Autre motif' } }]);
    expect(await refusals()).toHaveLength(2);
    // A malformed audit event is refused once too.
    const bad = { assumedMasterState: null, newDocumentState: { id: 'bad-1', _deleted: false } };
    await push(secretary.accessToken, 'audit_event', [bad]);
    await push(secretary.accessToken, 'audit_event', [bad]);
    expect(await count(`refused:${secretary.workstationId}:bad-1`)).toBe(1);
  });
});
