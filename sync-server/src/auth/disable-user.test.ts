import { afterEach, beforeEach, expect, it } from 'vitest';
import { CLI_ACTOR } from './auth-service';
import { forEachEngine } from '../testing/engines';
import type { TestServer, TestUser } from '../testing/server';
import { openEventStream, post, signIn, startTestServer } from '../testing/server';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(check: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (check()) return;
    await sleep(20);
  }
  throw new Error(`timed out waiting for ${what}`);
}

forEachEngine('disabling a user', (getEngine) => {
  let server: TestServer;
  let doctor: TestUser;
  let colleague: TestUser;

  beforeEach(async () => {
    // A long heartbeat: a stream that ends promptly was closed by the disabling, not by a session check.
    server = await startTestServer(getEngine(), { config: { streamHeartbeatMs: 60_000 } });
    doctor = await signIn(server.services, 'practitioner');
    colleague = await signIn(server.services, 'practitioner');
    const { access } = server.services;
    await access.grant(CLI_ACTOR, { userId: doctor.userId, patientId: 'p1' });
    await access.grant(CLI_ACTOR, { userId: doctor.userId, patientId: 'p2' });
    await access.grant(CLI_ACTOR, { userId: colleague.userId, patientId: 'p2' });
    const team = await access.createTeam(CLI_ACTOR, 'Gériatrie');
    await access.addTeamMember(CLI_ACTOR, team.id, doctor.userId);
    await access.sharePatientWithTeam(CLI_ACTOR, team.id, 'p3');
  });
  afterEach(async () => {
    await server.close();
  });

  it("revokes the sessions, records a revocation for every patient the user could see, and ends the user's live streams now", async () => {
    const doctorStream = await openEventStream(server.url, doctor.accessToken);
    const colleagueStream = await openEventStream(server.url, colleague.accessToken);
    await waitFor(() => server.services.hub.size === 2, 'both streams registered');
    const disabledAt = Date.now();
    await server.services.auth.disableUser(doctor.userId, CLI_ACTOR);
    await waitFor(() => server.services.hub.size === 1, "the disabled user's stream closed");
    expect(Date.now() - disabledAt).toBeLessThan(3000);

    const rows = await getEngine().query<{ user_id: string; patient_id: string; cause: string }>(
      'SELECT user_id, patient_id, cause FROM access_revocations ORDER BY patient_id',
    );
    expect(rows).toEqual(['p1', 'p2', 'p3'].map((p) => ({ user_id: doctor.userId, patient_id: p, cause: 'user_disabled' })));
    // The revocations are not filtered away as "still granted": a disabled user sees no patient.
    expect((await server.services.access.revocationsSince(doctor.userId, 0, 100)).patientIds).toEqual(['p1', 'p2', 'p3']);
    expect(await server.services.access.hasPatientAccess(getEngine(), doctor.userId, 'p1')).toBe(false);
    // The colleague keeps the shared patient and the stream.
    expect(await server.services.access.hasPatientAccess(getEngine(), colleague.userId, 'p2')).toBe(true);
    expect((await server.services.access.revocationsSince(colleague.userId, 0, 100)).patientIds).toEqual([]);

    const pulled = await post(`${server.url}/v1/replication/patient/pull`, doctor.accessToken, { checkpoint: null, batchSize: 10 });
    expect(pulled.status).toBe(401);
    const refreshed = await post(`${server.url}/v1/auth/refresh`, undefined, { refreshToken: doctor.refreshToken, workstationId: doctor.workstationId });
    expect(refreshed.status).toBe(401);
    const [audit] = (await server.services.audit.search({ action: 'user_disable', limit: 5 })).entries;
    expect(audit?.details).toMatchObject({ targetUserId: doctor.userId, patientsRevoked: 3 });

    // Disabling again records nothing more.
    await server.services.auth.disableUser(doctor.userId, CLI_ACTOR);
    expect(await getEngine().query('SELECT 1 AS x FROM access_revocations')).toHaveLength(3);
    doctorStream.close();
    colleagueStream.close();
  });
});
