import { afterEach, beforeEach, expect, it } from 'vitest';
import { CLI_ACTOR } from '../auth/auth-service';
import { forEachEngine } from '../testing/engines';
import { makePatient } from '../testing/documents';
import type { RxWorkstation } from '../testing/rx-client';
import { openRxWorkstation } from '../testing/rx-client';
import type { TestServer, TestUser } from '../testing/server';
import { post, signIn, startTestServer } from '../testing/server';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 4000): Promise<void> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (await check()) return;
    await sleep(20);
  }
  throw new Error(`timed out waiting for ${what}`);
}

const has = async (ws: RxWorkstation, id: string) => (await ws.collection.findOne(id).exec()) !== null;

forEachEngine('a patient gained after the checkpoint passed its documents', (getEngine) => {
  let server: TestServer;
  let author: TestUser;
  let reader: TestUser;
  const workstations: RxWorkstation[] = [];
  const open = async (user: TestUser) => {
    const ws = await openRxWorkstation({ url: server.url, token: user.accessToken, collection: 'patient' });
    workstations.push(ws);
    await ws.replication.awaitInitialReplication();
    return ws;
  };

  /**
   * The author writes `hidden` (the reader may not see it) and then `seen` (granted to the
   * reader): the reader's checkpoint ends up past `hidden`'s sequence.
   */
  const setUp = async (): Promise<{ ra: RxWorkstation; rb: RxWorkstation }> => {
    const ra = await open(author);
    const rb = await open(reader);
    await ra.collection.insert(makePatient('hidden', 'Cachee'));
    await ra.replication.awaitInSync();
    await ra.collection.insert(makePatient('seen', 'Visible'));
    await ra.replication.awaitInSync();
    await server.services.access.grant(CLI_ACTOR, { userId: reader.userId, patientId: 'seen' });
    await waitFor(() => has(rb, 'seen'), 'the granted patient on the reader');
    await rb.replication.awaitInSync();
    expect(await has(rb, 'hidden')).toBe(false);
    return { ra, rb };
  };

  beforeEach(async () => {
    server = await startTestServer(getEngine());
    author = await signIn(server.services, 'practitioner');
    reader = await signIn(server.services, 'practitioner');
  });
  afterEach(async () => {
    for (const ws of workstations.splice(0)) await ws.close();
    await server.close();
  });

  it('a direct grant brings the documents live, and a pull from the old checkpoint finds them too', async () => {
    const { rb } = await setUp();
    const [before] = await getEngine().query<{ sequence: number }>("SELECT sequence FROM documents WHERE id = 'hidden'");
    await server.services.access.grant(CLI_ACTOR, { userId: reader.userId, patientId: 'hidden' });
    await waitFor(() => has(rb, 'hidden'), 'the newly granted patient, live');
    const [after] = await getEngine().query<{ sequence: number }>("SELECT sequence FROM documents WHERE id = 'hidden'");
    expect(Number(after?.sequence)).toBeGreaterThan(Number(before?.sequence));
    // Pulls are idempotent: the reader's next pull from its checkpoint returns nothing new for it to fail on.
    rb.replication.reSync();
    await rb.replication.awaitInSync();
    expect((await rb.collection.findOne('hidden').exec())?.get('birthName')).toBe('Cachee');
  });

  it('a grant given while the workstation is offline arrives on its next pull; a grant it already had re-sequences nothing', async () => {
    const { rb } = await setUp();
    await rb.setOnline(false);
    await server.services.access.grant(CLI_ACTOR, { userId: reader.userId, patientId: 'hidden' });
    const [mid] = await getEngine().query<{ m: number }>('SELECT MAX(sequence) AS m FROM documents');
    // Extending a grant the user already holds is no gain: no document moves.
    await server.services.access.grant(CLI_ACTOR, { userId: reader.userId, patientId: 'hidden', expiresAt: '2099-01-01T00:00:00.000Z' });
    const [end] = await getEngine().query<{ m: number }>('SELECT MAX(sequence) AS m FROM documents');
    expect(Number(end?.m)).toBe(Number(mid?.m));
    await sleep(100);
    expect(await has(rb, 'hidden')).toBe(false);
    await rb.setOnline(true);
    await waitFor(() => has(rb, 'hidden'), 'the patient after reconnecting');
  });

  it('a care team share and a team membership both bring the patient', async () => {
    const { rb } = await setUp();
    const team = await server.services.access.createTeam(CLI_ACTOR, 'Cardiologie');
    await server.services.access.addTeamMember(CLI_ACTOR, team.id, reader.userId);
    await server.services.access.sharePatientWithTeam(CLI_ACTOR, team.id, 'hidden');
    await waitFor(() => has(rb, 'hidden'), 'the shared patient');

    // Joining a team that already shares a patient is a gain as well.
    const ra2 = workstations[0] as RxWorkstation;
    await ra2.collection.insert(makePatient('team2', 'Equipe'));
    await ra2.replication.awaitInSync();
    const other = await server.services.access.createTeam(CLI_ACTOR, 'Pneumologie');
    await server.services.access.sharePatientWithTeam(CLI_ACTOR, other.id, 'team2');
    await sleep(100);
    expect(await has(rb, 'team2')).toBe(false);
    await server.services.access.addTeamMember(CLI_ACTOR, other.id, reader.userId);
    await waitFor(() => has(rb, 'team2'), 'the patient of the team joined');
  });

  it('break-the-glass brings the patient, and the documents come back after a revocation and a new grant', async () => {
    const { rb } = await setUp();
    const res = await post(`${server.url}/v1/access/break-glass`, reader.accessToken, {
      patientId: 'hidden',
      reason: 'Urgence vitale, patient inconscient',
    });
    expect(res.status).toBe(200);
    await waitFor(() => has(rb, 'hidden'), 'the patient opened with break-the-glass');

    // Revoked (the workstation would purge it) and given back: its documents move past every checkpoint.
    await server.services.access.revoke(CLI_ACTOR, { userId: reader.userId, patientId: 'seen' });
    const revoked = await server.services.access.revocationsSince(reader.userId, 0, 100);
    expect(revoked.patientIds).toEqual(['seen']);
    await rb.setOnline(false);
    await server.services.access.grant(CLI_ACTOR, { userId: reader.userId, patientId: 'seen' });
    const [row] = await getEngine().query<{ sequence: number }>("SELECT sequence FROM documents WHERE id = 'seen'");
    const [hidden] = await getEngine().query<{ sequence: number }>("SELECT sequence FROM documents WHERE id = 'hidden'");
    expect(Number(row?.sequence)).toBeGreaterThan(Number(hidden?.sequence));
  });
});
