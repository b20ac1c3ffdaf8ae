import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Patient } from '../../../shared/src/schemas';
import type { ClinicDatabase } from '../db/clinic-database';
import { openClinicDatabase } from '../db/clinic-database';
import type { ReplicationClient } from './replication-client';
import { createReplicationClient, replicationIdentity } from './replication-client';
import { createSyncSession, memoryRefreshTokenStore } from './session';
import type { TestSyncServer } from './test-server';
import { adminApi, serverUnavailable, startSyncServer } from './test-server';
import { eventually, newPatient } from './test-workstation';

const unavailable = serverUnavailable();
if (unavailable !== undefined && process.env['CI'] === 'true') throw new Error(unavailable);
if (unavailable !== undefined) console.warn(`replication identity tests skipped: ${unavailable}`);

const PASSWORD = 'mot-de-passe-de-test-2026';

/**
 * In this process (one clinic database: RxDB's open-source build caps collections per
 * process), two practitioners take turns on one workstation and one vault.
 */
describe.skipIf(unavailable !== undefined)('replication checkpoints per server and user on a shared vault', () => {
  let server: TestSyncServer;
  let admin: Awaited<ReturnType<typeof adminApi>>;
  let db: ClinicDatabase;
  beforeAll(async () => {
    server = await startSyncServer();
    admin = await adminApi(server);
    db = await openClinicDatabase(getRxStorageMemory(), { name: `shared${Date.now()}` });
  }, 30_000);
  afterAll(async () => {
    await db?.close();
    await server?.stop();
  });

  const pushAs = async (username: string, workstationId: string, patient: Patient) => {
    const login = await fetch(new URL('/v1/auth/login', server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: PASSWORD, workstationId }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const res = await fetch(new URL('/v1/replication/patient/push', server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
      body: JSON.stringify({ rows: [{ assumedMasterState: null, newDocumentState: { ...patient, _deleted: false } }] }),
    });
    expect(await res.json()).toEqual({ conflicts: [], rejected: [] });
  };

  const serverIds = async (username: string, workstationId: string): Promise<string[]> => {
    const login = await fetch(new URL('/v1/auth/login', server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: PASSWORD, workstationId }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const res = await fetch(new URL('/v1/replication/patient/pull', server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
      body: JSON.stringify({ checkpoint: null, batchSize: 100 }),
    });
    return ((await res.json()) as { documents: { id: string }[] }).documents.map((d) => d.id);
  };

  it("a second user on the same vault does not inherit the first one's checkpoints and gets the documents only they may see", async () => {
    await admin.createUser({ username: 'dr-a', role: 'practitioner', rpps: '10000000001', password: PASSWORD });
    await admin.createUser({ username: 'dr-b', role: 'practitioner', rpps: '10000000002', password: PASSWORD });
    const shared = await admin.registerWorkstation('poste-partage');
    const elsewhere = await admin.registerWorkstation('poste-b');
    // B's patient is written first (elsewhere), A's after it: A's checkpoint passes B's patient.
    const ofB = newPatient('DE-B');
    const ofA = newPatient('DE-A');
    await pushAs('dr-b', elsewhere, ofB);
    await pushAs('dr-a', shared, ofA);

    const start = async (username: string): Promise<ReplicationClient> => {
      const session = createSyncSession({ serverUrl: server.url, workstationId: shared, store: memoryRefreshTokenStore() });
      await session.login(username, PASSWORD);
      return createReplicationClient({ db, serverUrl: server.url, workstationId: shared, session, backoff: { baseMs: 100, maxMs: 1000 } });
    };
    const a = await start('dr-a');
    await eventually(() => db.collections.patient.findOne(ofA.id).exec(), (d) => d !== null);
    await a.awaitInSync();
    expect(await db.collections.patient.findOne(ofB.id).exec()).toBeNull();
    await a.stop();

    const b = await start('dr-b');
    const got = await eventually(() => db.collections.patient.findOne(ofB.id).exec(), (d) => d !== null);
    expect(got?.birthName).toBe(ofB.birthName);
    await b.awaitInSync();
    // A's patient, still in the vault, is not pushed again under B's name (B may not write it).
    expect(b.status.rejected).toEqual([]);
    // B's own new work is pushed.
    const newOfB = newPatient('NOUVEAU-DE-B');
    await db.collections.patient.insert(newOfB);
    await b.awaitInSync();
    expect(b.status.pendingChanges).toBe(0);
    expect(await serverIds('dr-b', elsewhere)).toEqual(expect.arrayContaining([ofB.id, newOfB.id]));
    await b.stop();
  }, 60_000);

  it('keys checkpoints by server and user', () => {
    const one = replicationIdentity('http://127.0.0.1:8787', 'user-a');
    expect(one.replicationIdentifier).toBe('clinic-sync|http://127.0.0.1:8787|user-a');
    expect(replicationIdentity('http://127.0.0.1:8787', 'user-b').revocationStateId).not.toBe(one.revocationStateId);
    expect(replicationIdentity('http://autre:8787', 'user-a').revocationStateId).not.toBe(one.revocationStateId);
    expect(one.revocationStateId.length).toBeLessThanOrEqual(64);
  });
});
