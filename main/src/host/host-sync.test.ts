import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { luhnCheckDigit } from '../../../shared/src/identifiers';
import type { TestSyncServer } from '../sync/test-server';
import { adminApi, serverUnavailable, startSyncServer } from '../sync/test-server';
import { MIN_KDF } from '../vault';
import type { Host } from './host';
import { createHost } from './host';
import type { Recorded } from './test-support';
import { call, failure, recordEvents, tempDataDir } from './test-support';

const PASSPHRASE = 'cheval agrafe pile correcte';
const RPPS = `1000000000${luhnCheckDigit('1000000000')}`;
const PASSWORD = 'practitioner-password-for-tests-42';

const unavailable = serverUnavailable();
if (unavailable !== undefined && process.env['CI'] === 'true') throw new Error(`host sync tests cannot run: ${unavailable}`);

describe.skipIf(unavailable !== undefined)(`host against a real sync server${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let server: TestSyncServer;
  let workstationId: string;
  let data: { dir: string; cleanup(): void };
  let host: Host;
  let events: Recorded;

  beforeAll(async () => {
    server = await startSyncServer();
    const admin = await adminApi(server);
    await admin.createUser({ username: 'dr.martin', role: 'practitioner', rpps: RPPS, password: PASSWORD });
    // adminApi's type lists the roles of the sync tests; the server's admin API takes a DPO as well.
    await admin.createUser({ username: 'dpo.clinique', role: 'dpo' as 'secretary', password: PASSWORD });
    workstationId = await admin.registerWorkstation('cabinet-1');
    data = tempDataDir();
    host = createHost({ dataDir: data.dir, mode: 'browser', kdf: MIN_KDF });
    events = recordEvents(host);
    await call(host, 'vault:create', { passphrase: PASSPHRASE });
  }, 120_000);

  afterAll(async () => {
    await host?.close();
    data?.cleanup();
    await server?.stop();
  });

  const status = () => call(host, 'sync:status', {});
  let mullerId: string;

  it('logs in (wrong password refused with the server code), replicates, and shows the status', async () => {
    // First run "offline for now" under a local profile with the practitioner's RPPS: what it
    // audited is attributed to their server account at the first login (else the server refuses it).
    await call(host, 'profile:setup-offline', { displayName: 'Dr Martin (local)', rpps: RPPS });
    const offline = await call(host, 'patients:save', {
      draft: { birthName: 'Lefèvre', firstNames: ['Anne'], birthDate: '1970-05-05', sex: 'F', identityStatus: 'PROV', contact: { addressLines: [], phones: [] } },
    });
    expect((await call(host, 'patients:search', { query: 'lefevre' })).rows.map((r) => r.id)).toEqual([offline.patient.id]);
    expect(await failure(host, 'session:login', { serverUrl: server.url, username: 'dr.martin', password: 'wrong-password-123', workstationId })).toMatchObject({
      code: 'AUTH_INVALID_CREDENTIALS',
    });
    expect(await failure(host, 'session:login', { username: 'dr.martin', password: PASSWORD })).toEqual({ code: 'APP_SERVER_NOT_CONFIGURED' });
    const state = await call(host, 'session:login', { serverUrl: server.url, username: 'dr.martin', password: PASSWORD, workstationId });
    expect(state).toMatchObject({ loggedIn: true, reason: 'login', profile: { username: 'dr.martin', role: 'practitioner', rpps: RPPS, source: 'server' } });
    expect(await call(host, 'settings:get', {})).toMatchObject({ serverUrl: server.url, workstationId });
    await expect.poll(async () => (await status()).connection, { timeout: 20_000 }).toBe('online');

    expect(await failure(host, 'audit:search', {})).toEqual({ code: 'AUDIT_FORBIDDEN' });
    const saved = await call(host, 'patients:save', {
      draft: { birthName: 'Müller', firstNames: ['Jürgen'], birthDate: '1950-01-31', sex: 'M', identityStatus: 'PROV', contact: { addressLines: [], phones: [] } },
    });
    expect(saved.patient.birthName).toBe('Müller');
    mullerId = saved.patient.id;
    await expect
      .poll(async () => {
        const s = await status();
        return s.pendingChanges === 0 && s.lastSyncAt !== null;
      }, { timeout: 20_000 })
      .toBe(true);
    // The audit events go in later push batches than the patient: give them time to be refused, if they were going to be.
    await new Promise((r) => setTimeout(r, 2500));
    const s = await status();
    expect(s.rejected).toEqual([]);
    expect(s.error).toBeNull();
    expect(events.some((e) => e.event === 'sync:status' && (e.payload as { connection: string }).connection === 'online')).toBe(true);
  }, 60_000);

  it('resumes the replication after lock and unlock with the stored refresh token (no password)', async () => {
    await call(host, 'vault:lock', {});
    expect((await status()).connection).toBe('disabled');
    const state = await call(host, 'vault:unlock', { passphrase: PASSPHRASE });
    expect(state.profile).toMatchObject({ username: 'dr.martin' });
    await expect.poll(async () => (await status()).connection, { timeout: 20_000 }).toBe('online');
    expect((await call(host, 'setup:state', {})).loggedIn).toBe(true);
    expect(events.filter((e) => e.event === 'session:changed').at(-1)?.payload).toMatchObject({ loggedIn: true, reason: 'login' });
    // A failed login (wrong password) leaves the session in place running.
    expect(await failure(host, 'session:login', { username: 'dr.martin', password: 'wrong-password-123' })).toMatchObject({ code: 'AUTH_INVALID_CREDENTIALS' });
    expect((await status()).connection).toBe('online');
    expect((await call(host, 'setup:state', {})).loggedIn).toBe(true);
    const retried = await call(host, 'sync:retry', { clearRejected: true });
    expect(retried.serverUrl).toBe(server.url);
  }, 60_000);

  it('logs out: replication stopped, profile kept for offline work', async () => {
    const state = await call(host, 'session:logout', {});
    expect(state).toMatchObject({ loggedIn: false, profile: { username: 'dr.martin' } });
    expect((await status()).connection).toBe('disabled');
    expect((await call(host, 'patients:search', { query: 'muller' })).total).toBe(1);
    await call(host, 'vault:lock', {});
    await call(host, 'vault:unlock', { passphrase: PASSPHRASE });
    expect((await status()).connection).toBe('disabled');
  }, 60_000);

  it('the DPO reads the central audit log through the host: what the practitioner did here is in it', async () => {
    await call(host, 'session:login', { username: 'dpo.clinique', password: PASSWORD });
    expect((await call(host, 'profile:get', {})).profile).toMatchObject({ role: 'dpo' });
    expect(await failure(host, 'patients:search', { query: '' })).toMatchObject({ code: 'ACCESS_ROLE_NO_DOCUMENTS' });
    const page = await call(host, 'audit:search', { patientId: mullerId, limit: 50 });
    expect(page.entries.some((e) => e.source === 'workstation' && e.action === 'create' && e.workstation === workstationId)).toBe(true);
    expect(page.entries.every((e) => e.patientId === mullerId)).toBe(true);
    expect(await failure(host, 'audit:search', { from: '2026-01-02T00:00:00.000Z', to: '2026-01-01T00:00:00.000Z' })).toMatchObject({ code: 'AUDIT_RANGE_INVALID' });
  }, 60_000);
});
