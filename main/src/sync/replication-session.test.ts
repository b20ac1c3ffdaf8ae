import { describe, expect, it } from 'vitest';
import type { Encounter, Patient } from '../../../shared/src/schemas';
import { serverUnavailable } from './test-server';
import { PASSWORD, RPPS, useSyncServer } from './test-suite';
import { createSyncSession, memoryRefreshTokenStore } from './session';
import { eventually, newPatient, statusWhere } from './test-workstation';

const unavailable = serverUnavailable();
if (unavailable !== undefined && process.env['CI'] === 'true') throw new Error(unavailable);
if (unavailable !== undefined) console.warn(`replication client tests skipped: ${unavailable}`);

describe.skipIf(unavailable !== undefined)('replication client against the real sync server: tokens, revocations, encrypted vault', () => {
  const t = useSyncServer();
  const secretaryWorkstation = () => t.workstation();
  const patientOn = t.patientOn;

  it('refreshes the access token transparently and asks for a login when the session is revoked', async () => {
    const username = t.nextName('sec');
    const userId = await t.admin.createUser({ username, role: 'secretary', password: PASSWORD });
    const ws = await t.workstation(username);
    const firstRefresh = await ws.refreshToken();

    // 20 minutes later the access token is past its lifetime: the next request refreshes first.
    await ws.advanceClock(20 * 60_000);
    const p = newPatient('JETON');
    await ws.insert('patient', p);
    await ws.awaitInSync();
    const rotated = await ws.refreshToken();
    expect(rotated).not.toBeNull();
    expect(rotated).not.toBe(firstRefresh);
    expect((await ws.status()).error).toBeUndefined();

    await t.admin.revokeSessions(userId);
    await ws.advanceClock(20 * 60_000);
    await ws.insert('patient', newPatient('APRES'));
    const status = await statusWhere(ws, (s) => s.connection === 'login-required');
    expect(status.error?.code).toBe('SYNC_CLIENT_LOGIN_REQUIRED');
    expect((await statusWhere(ws, (s) => s.pendingChanges >= 1)).pendingChanges).toBe(1);

    // Signing in again resumes: the change made meanwhile is sent.
    await ws.login();
    const resumed = await statusWhere(ws, (s) => s.pendingChanges === 0 && s.connection !== 'login-required');
    expect(resumed.error).toBeUndefined();
  }, 60_000);

  it('concurrent requests with an expired access token share one refresh (a second one would look like token theft)', async () => {
    const username = t.nextName('sec');
    await t.admin.createUser({ username, role: 'secretary', password: PASSWORD });
    const workstationId = await t.admin.registerWorkstation(t.nextName('poste-'));
    let offset = 0;
    const store = memoryRefreshTokenStore();
    const session = createSyncSession({ serverUrl: t.server.url, workstationId, store, now: () => Date.now() + offset });
    await session.login(username, PASSWORD);
    const first = store.current;
    offset = 20 * 60_000;
    const tokens = await Promise.all(Array.from({ length: 8 }, () => session.accessToken()));
    expect(new Set(tokens).size).toBe(1);
    expect(store.current).not.toBe(first);
    // The rotated token is the live one: the session keeps working.
    offset = 40 * 60_000;
    await session.accessToken();
    expect(session.loginRequired).toBe(false);
  }, 30_000);

  it('a revoked grant removes the local copies on the practitioner workstation without deleting anything on the server', async () => {
    const username = t.nextName('medecin');
    const userId = await t.admin.createUser({ username, role: 'practitioner', rpps: RPPS, password: PASSWORD });
    const c = await t.workstation(username);
    const p = newPatient('REVOQUE');
    const at = new Date().toISOString();
    const encounter: Encounter = {
      id: `enc${Date.now()}`,
      patientId: p.id,
      authorRpps: RPPS,
      start: at,
      reason: 'Consultation',
      status: 'finished',
      entries: [{ id: 'note1', kind: 'note', text: 'Examen normal.', authorRpps: RPPS, createdAt: at, signedAt: at, contentHash: 'c'.repeat(64) }],
      createdAt: at,
      updatedAt: at,
    };
    const live = newPatient('REVOQUE-EN-DIRECT');
    await c.insert('patient', p, live);
    await c.insert('encounter', encounter);
    await c.awaitInSync();
    expect((await c.status()).pendingChanges).toBe(0);

    // Connected: the stream's access event triggers the removal.
    await t.admin.revoke(userId, live.id);
    await eventually(() => c.get('patient', live.id), (d) => d === null);

    // A local deletion of another patient waits to be pushed when the revocation arrives:
    // purging tombstones must not lose it.
    const q = newPatient('SUPPRIME');
    await c.insert('patient', q);
    await c.awaitInSync();
    await c.stopClient();
    await c.remove('patient', q.id);
    await t.admin.revoke(userId, p.id);
    await c.startClient();
    // On start, the client asks which patients it lost.
    await eventually(() => c.get('patient', p.id), (d) => d === null);
    await eventually(() => c.get('encounter', encounter.id), (d) => d === null);
    await c.awaitInSync();
    expect((await c.status()).pendingChanges).toBe(0);

    // The server still has the patient, not deleted: a fresh secretary workstation pulls it whole.
    const a = await secretaryWorkstation();
    const onServer = await patientOn(a, p.id, (d) => d !== null);
    expect(onServer?.birthName).toBe(p.birthName);
    expect((await patientOn(a, live.id, (d) => d !== null))?.birthName).toBe(live.birthName);
    expect(await a.ids('patient')).not.toContain(q.id);
    // Nothing is pushed later either: after a restart of its sync, the practitioner's workstation stays clean
    // and the server copy unchanged.
    await c.stopClient();
    await c.startClient();
    await c.awaitInSync();
    expect(await c.get('patient', p.id)).toBeNull();
    await a.awaitInSync();
    expect((await a.get<Patient>('patient', p.id))?.birthName).toBe(p.birthName);
  }, 60_000);

  it('a patient purged after a revocation comes back with its documents when granted again, live and after a restart', async () => {
    const username = t.nextName('medecin');
    const userId = await t.admin.createUser({ username, role: 'practitioner', rpps: RPPS, password: PASSWORD });
    const c = await t.workstation(username);
    const p = newPatient('REACCORDE');
    const at = new Date().toISOString();
    const encounter: Encounter = {
      id: `encr${Date.now()}`,
      patientId: p.id,
      authorRpps: RPPS,
      start: at,
      reason: 'Suivi',
      status: 'finished',
      entries: [],
      createdAt: at,
      updatedAt: at,
    };
    await c.insert('patient', p);
    await c.insert('encounter', encounter);
    // Written after the patient: the workstation's checkpoints pass the patient's documents.
    await c.insert('patient', newPatient('APRES'));
    await c.awaitInSync();

    await t.admin.revoke(userId, p.id);
    await eventually(() => c.get('encounter', encounter.id), (d) => d === null);
    await eventually(() => c.get('patient', p.id), (d) => d === null);
    await t.admin.grant(userId, p.id);
    expect((await patientOn(c, p.id, (d) => d !== null))?.birthName).toBe(p.birthName);
    await eventually(() => c.get('encounter', encounter.id), (d) => d !== null);

    // Revoked and granted again while its sync is stopped: purged on start, then pulled back.
    await c.stopClient();
    await t.admin.revoke(userId, p.id);
    await c.startClient();
    await eventually(() => c.get('patient', p.id), (d) => d === null);
    await c.stopClient();
    await t.admin.grant(userId, p.id);
    await c.startClient();
    expect((await patientOn(c, p.id, (d) => d !== null))?.birthName).toBe(p.birthName);
    await eventually(() => c.get('encounter', encounter.id), (d) => d !== null);
    await c.awaitInSync();
    expect((await c.status()).pendingChanges).toBe(0);
  }, 60_000);

  it('a workstation on the encrypted vault resumes from its checkpoints after the database is closed and reopened', async () => {
    const [v, a] = await Promise.all([t.workstation('secretaire', true), secretaryWorkstation()]);
    const batch = Array.from({ length: 30 }, (_, i) => newPatient(`COFFRE${i}`));
    const p = batch[0] as Patient;
    await a.insert('patient', ...batch);
    await a.awaitInSync();
    await eventually(() => v.ids('patient'), (ids) => batch.every((b) => ids.includes(b.id)));

    await v.stopClient();
    const offline = newPatient('HORS-LIGNE');
    await v.insert('patient', offline);
    await a.patch('patient', p.id, { contact: { ...p.contact, city: 'Évreux' }, updatedAt: new Date().toISOString() });
    await a.awaitInSync();
    await v.reopen();
    await patientOn(v, p.id, (d) => d?.contact.city === 'Évreux');
    await v.awaitInSync();
    await statusWhere(v, (s) => s.pendingChanges === 0);
    // From its stored checkpoint: the one change, not the 30 patients again.
    expect(await v.received()).toBeLessThanOrEqual(2);
    await patientOn(a, offline.id, (d) => d?.birthName === offline.birthName);
  }, 60_000);

  it('a change the server refuses is reported in the status and not retried', async () => {
    const ws = await secretaryWorkstation();
    const at = new Date().toISOString();
    // A secretary never writes clinical documents: the server refuses the row.
    const encounter: Encounter = {
      id: `refus${Date.now()}`,
      patientId: 'patient-inconnu',
      authorRpps: RPPS,
      start: at,
      reason: '',
      status: 'planned',
      entries: [],
      createdAt: at,
      updatedAt: at,
    };
    await ws.insert('encounter', encounter);
    const status = await statusWhere(ws, (s) => s.rejected.length === 1);
    expect(status.rejected[0]).toMatchObject({ collection: 'encounter', documentId: encounter.id });
    expect(status.rejected[0]?.code).toMatch(/^ACCESS_/);
    expect(status.error).toMatchObject({ code: 'SYNC_CLIENT_PUSH_REJECTED', params: { collection: 'encounter', documentId: encounter.id } });
    // Not pending any more, and not pushed again: the list stays at one.
    await statusWhere(ws, (s) => s.pendingChanges === 0);
    await ws.insert('patient', newPatient('APRES-REFUS'));
    await ws.awaitInSync();
    expect((await ws.status()).rejected).toHaveLength(1);
  }, 60_000);
});
