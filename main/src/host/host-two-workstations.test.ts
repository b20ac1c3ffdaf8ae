import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { luhnCheckDigit } from '../../../shared/src/identifiers';
import type { TestSyncServer } from '../sync/test-server';
import { adminApi, serverUnavailable, startSyncServer } from '../sync/test-server';
import { MIN_KDF } from '../vault';
import type { Host } from './host';
import { createHost } from './host';
import type { HostProcess } from './test-host-process';
import { startHostProcess } from './test-host-process';
import { call, tempDataDir } from './test-support';

const PASSPHRASE = 'cheval agrafe pile correcte';
const PASSWORD = 'a-long-password-for-tests-42';
const rpps = (p: string): string => `${p}${luhnCheckDigit(p)}`;

const unavailable = serverUnavailable();
if (unavailable !== undefined && process.env['CI'] === 'true') throw new Error(`host sync tests cannot run: ${unavailable}`);

/**
 * Two workstations (A in this process, B in a child process: one RxDB workstation per
 * process), two users, one sync server: what issue 4's end-to-end scenarios need from the
 * host, without the UI.
 */
describe.skipIf(unavailable !== undefined)('two workstations through the host API', () => {
  let server: TestSyncServer;
  let drB: string;
  let wsA: string;
  let wsB: string;
  const dirs: { cleanup(): void }[] = [];
  let a: Host;
  let b: HostProcess;

  beforeAll(async () => {
    server = await startSyncServer();
    const admin = await adminApi(server);
    await admin.createUser({ username: 'dr.a', role: 'practitioner', rpps: rpps('1000000001'), password: PASSWORD });
    drB = await admin.createUser({ username: 'dr.b', role: 'practitioner', rpps: rpps('1000000002'), password: PASSWORD });
    await admin.createUser({ username: 'sec.b', role: 'secretary', password: PASSWORD });
    wsA = await admin.registerWorkstation('cabinet-a');
    wsB = await admin.registerWorkstation('cabinet-b');
    const dirA = tempDataDir();
    const dirB = tempDataDir();
    dirs.push(dirA, dirB);
    a = createHost({ dataDir: dirA.dir, mode: 'browser', kdf: MIN_KDF, syncBackoff: { baseMs: 200, maxMs: 2_000 }, log: (message, error) => console.error('[host A]', message, error) });
    b = await startHostProcess(dirB.dir);
    await call(a, 'vault:create', { passphrase: PASSPHRASE });
    await b.call('vault:create', { passphrase: PASSPHRASE });
    await call(a, 'session:login', { serverUrl: server.url, workstationId: wsA, username: 'dr.a', password: PASSWORD });
    await b.call('session:login', { serverUrl: server.url, workstationId: wsB, username: 'dr.b', password: PASSWORD });
  }, 120_000);

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await server?.stop();
    for (const d of dirs) d.cleanup();
  });

  let patientId: string;

  it('a patient created on A appears on B once B is granted it', async () => {
    const saved = await call(a, 'patients:save', {
      draft: {
        birthName: 'Dupont',
        firstNames: ['Hélène'],
        birthDate: '1984-12-03',
        sex: 'F',
        nir: '284127645108993',
        identityStatus: 'PROV',
        contact: { addressLines: [], phones: [{ kind: 'mobile', number: '06 00 00 00 00' }] },
      },
    });
    patientId = saved.patient.id;
    await expect.poll(async () => (await call(a, 'sync:status', {})).pendingChanges, { timeout: 20_000 }).toBe(0);
    await (await adminApi(server)).grant(drB, patientId);
    await expect.poll(async () => (await b.call('patients:search', { query: 'helene' })).rows.map((r) => r.id), { timeout: 20_000 }).toEqual([patientId]);
    await expect.poll(() => b.events.some((e) => e.event === 'patients:changed')).toBe(true);
  }, 60_000);

  it('offline edits of the same phone on A and B become one conflict with both values; the combined resolution reaches both', async () => {
    await expect.poll(async () => (await b.call('sync:status', {})).connection, { timeout: 20_000 }).toBe('online');
    await server.kill();
    const edit = async (dispatch: (c: 'patients:get' | 'patients:save', r: unknown) => Promise<unknown>, number: string) => {
      const { patient } = (await dispatch('patients:get', { id: patientId })) as { patient: Record<string, unknown> & { contact: object; updatedAt: string } };
      const { searchKey: _s, usedSearchKey: _u, createdAt: _c, updatedAt, ...draft } = patient;
      await dispatch('patients:save', { draft: { ...draft, contact: { ...patient.contact, phones: [{ kind: 'mobile', number }] } }, expectedUpdatedAt: updatedAt });
    };
    await edit((c, r) => call(a, c, r as never), '06 11 11 11 11');
    await edit((c, r) => b.call(c, r as never), '06 22 22 22 22');
    // A consultation written offline on A.
    const enc = await call(a, 'encounters:save', { draft: { patientId, reason: 'Consultation hors ligne', note: 'Écrite sans réseau.' } });
    await server.restart();

    const listA = async () => (await call(a, 'conflicts:list', {})).conflicts;
    const listB = async () => (await b.call('conflicts:list', {})).conflicts;
    await expect
      .poll(async () => (await listA()).length + (await listB()).length, { timeout: 30_000 })
      .toBeGreaterThan(0);
    const onA = (await listA()).length > 0;
    const [conflict] = onA ? await listA() : await listB();
    expect(conflict).toMatchObject({ collection: 'patient', documentId: patientId, path: 'contact.phones' });
    const values = [conflict?.localValue, conflict?.serverValue].map((v) => JSON.stringify(v)).sort();
    expect(values).toEqual([
      JSON.stringify([{ kind: 'mobile', number: '06 11 11 11 11' }]),
      JSON.stringify([{ kind: 'mobile', number: '06 22 22 22 22' }]),
    ]);
    const combined = [
      { kind: 'mobile', number: '06 11 11 11 11' },
      { kind: 'home', number: '06 22 22 22 22' },
    ];
    const resolve = { id: conflict?.id ?? '', choice: 'combined' as const, value: combined };
    if (onA) await call(a, 'conflicts:resolve', resolve);
    else await b.call('conflicts:resolve', resolve);
    for (const get of [() => call(a, 'patients:get', { id: patientId }), () => b.call('patients:get', { id: patientId })]) {
      await expect.poll(async () => (await get()).patient.contact.phones, { timeout: 20_000 }).toEqual(combined);
    }
    expect(await (onA ? listA() : listB())).toEqual([]);

    // The offline consultation reached B (a practitioner granted this patient).
    // A push that failed while the server was down is retried after the client's backoff, even
    // once the live stream is back (60 s at most by default; 2 s in this test).
    await expect
      .poll(async () => (await b.call('timeline:get', { patientId })).items.some((i) => i.kind === 'encounter' && i.encounter.id === enc.encounter.id), { timeout: 30_000, interval: 500 })
      .toBe(true);
  }, 90_000);

  it('a secretary on B sees the patient but no consultation', async () => {
    await b.call('session:logout', {});
    await b.call('session:login', { username: 'sec.b', password: PASSWORD });
    expect((await b.call('patients:search', { query: 'dupont' })).total).toBe(1);
    const env = await b.dispatch('timeline:get', { patientId });
    expect(env).toEqual({ ok: false, error: { code: 'ACCESS_CLINICAL_DENIED', params: { role: 'secretary' } } });
    expect(await b.dispatch('encounters:list', { patientId })).toMatchObject({ ok: false, error: { code: 'ACCESS_CLINICAL_DENIED' } });
  }, 60_000);
});
