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
if (unavailable !== undefined && process.env['CI'] === 'true') throw new Error(`host rights tests cannot run: ${unavailable}`);

/**
 * Patients' rights end to end through the host API: a real sync server (child process), the
 * practitioner's workstation A in this process, a secretary's workstation B and the DPO's
 * workstation C in child processes (one RxDB workstation per process).
 */
describe.skipIf(unavailable !== undefined)('patients’ rights across workstations', () => {
  let server: TestSyncServer;
  const dirs: { cleanup(): void }[] = [];
  let a: Host;
  let b: HostProcess;
  let c: HostProcess;
  let alive: string;
  let archived: string;

  beforeAll(async () => {
    server = await startSyncServer();
    const admin = await adminApi(server);
    await admin.createUser({ username: 'dr.a', role: 'practitioner', rpps: rpps('1000000001'), password: PASSWORD });
    await admin.createUser({ username: 'sec.b', role: 'secretary', password: PASSWORD });
    await admin.createUser({ username: 'dpo.c', role: 'dpo', password: PASSWORD });
    const wsA = await admin.registerWorkstation('cabinet-a');
    const wsB = await admin.registerWorkstation('accueil-b');
    const wsC = await admin.registerWorkstation('dpo-c');
    const [dirA, dirB, dirC] = [tempDataDir(), tempDataDir(), tempDataDir()];
    dirs.push(dirA, dirB, dirC);
    a = createHost({ dataDir: dirA.dir, mode: 'browser', kdf: MIN_KDF, syncBackoff: { baseMs: 200, maxMs: 2_000 } });
    [b, c] = await Promise.all([startHostProcess(dirB.dir), startHostProcess(dirC.dir)]);
    await call(a, 'vault:create', { passphrase: PASSPHRASE });
    await b.call('vault:create', { passphrase: PASSPHRASE });
    await c.call('vault:create', { passphrase: PASSPHRASE });
    await call(a, 'session:login', { serverUrl: server.url, workstationId: wsA, username: 'dr.a', password: PASSWORD });
    await b.call('session:login', { serverUrl: server.url, workstationId: wsB, username: 'sec.b', password: PASSWORD });
    await c.call('session:login', { serverUrl: server.url, workstationId: wsC, username: 'dpo.c', password: PASSWORD });
  }, 180_000);

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await c?.close();
    await server?.stop();
    for (const d of dirs) d.cleanup();
  });

  it('a practitioner on A writes two records; the secretary on B sees both', async () => {
    const contact = { addressLines: [], phones: [] };
    alive = (await call(a, 'patients:save', { draft: { birthName: 'Dupont', firstNames: ['Hélène'], birthDate: '1984-12-03', sex: 'F', identityStatus: 'PROV', contact } })).patient.id;
    // An archived record: the patient died in 2010, so its retention (10 years after death) has run out.
    archived = (
      await call(a, 'patients:save', {
        draft: { birthName: 'Ancien', firstNames: ['Marcel'], birthDate: '1930-02-01', deceasedDate: '2010-05-04', sex: 'M', identityStatus: 'PROV', contact },
      })
    ).patient.id;
    await call(a, 'encounters:save', { draft: { patientId: archived, reason: 'Archive', note: 'Ancien dossier.' } });
    await expect.poll(async () => (await call(a, 'sync:status', {})).pendingChanges, { timeout: 20_000 }).toBe(0);
    await expect.poll(async () => (await b.call('patients:search', { query: '' })).total, { timeout: 20_000 }).toBe(2);
  }, 60_000);

  it('the DPO records an erasure request; refused with the legal basis while the retention runs', async () => {
    const refused = await c.call('rights:erasure-request', { patientId: alive, requesterKind: 'patient', requesterName: 'Hélène Dupont' });
    expect(refused).toMatchObject({ status: 'refused', legalBasis: ['17(3)(b)', '17(3)(c)'], retention: { status: 'running', basis: 'record-created' } });
    expect((await c.call('rights:erasure-requests', {})).requests.map((r) => r.id)).toEqual([refused.id]);
    expect(await a.dispatch('rights:erasure-request', { patientId: alive, requesterKind: 'patient', requesterName: 'X' })).toEqual({
      ok: false,
      error: { code: 'RIGHTS_FORBIDDEN', params: { allowed: 'dpo' } },
    });
    expect((await call(a, 'patients:get', { id: alive })).patient.birthName).toBe('Dupont');
  }, 60_000);

  it('a restriction set on A freezes the record on every workstation until lifted', async () => {
    await call(a, 'rights:restrict', { patientId: alive, reason: 'exactitude contestée par la patiente' });
    await expect.poll(async () => (await b.call('rights:restricted', {})).restricted.map((r) => r.patientId), { timeout: 20_000 }).toEqual([alive]);
    const { patient } = await b.call('patients:get', { id: alive });
    const { searchKey: _s, usedSearchKey: _u, createdAt: _c, updatedAt, ...draft } = patient as typeof patient & Record<string, unknown>;
    const edit = { draft: { ...draft, contact: { addressLines: ['3 rue Neuve'], phones: [] } }, expectedUpdatedAt: updatedAt } as never;
    expect(await b.dispatch('patients:save', edit)).toEqual({ ok: false, error: { code: 'RIGHTS_PATIENT_RESTRICTED' } });
    await expect.poll(async () => (await call(a, 'rights:restricted', {})).restricted.length, { timeout: 20_000 }).toBe(1);
    const status = await call(a, 'rights:status', { patientId: alive });
    expect(status.restriction).toMatchObject({ reason: 'exactitude contestée par la patiente', liftedAt: null });
    await call(a, 'rights:lift-restriction', { patientId: alive, reason: 'adresse vérifiée' });
    await expect.poll(async () => (await b.call('rights:restricted', {})).restricted, { timeout: 20_000 }).toEqual([]);
    expect(await b.dispatch('patients:save', edit)).toMatchObject({ ok: true });
  }, 60_000);

  it('rectification on B keeps the history and reaches A', async () => {
    const { rectifications } = await b.call('rights:rectify', { patientId: alive, changes: { birthName: 'Dupond' }, reason: 'erreur de saisie' });
    expect(rectifications).toEqual([expect.objectContaining({ field: 'birthName', previousValue: 'Dupont', newValue: 'Dupond', reason: 'erreur de saisie' })]);
    await expect.poll(async () => (await call(a, 'patients:get', { id: alive })).patient.birthName, { timeout: 20_000 }).toBe('Dupond');
    expect((await call(a, 'rights:rectifications', { patientId: alive })).rectifications).toHaveLength(1);
  }, 60_000);

  it('once the retention has expired, erasure purges the record from the server and from every workstation', async () => {
    // B is offline (signed out) when the record is erased: it keeps its copy until its next sync.
    await b.call('session:logout', {});
    const done = await c.call('rights:erasure-request', { patientId: archived, requesterKind: 'heir', requesterName: 'Paul Ancien' });
    expect(done).toMatchObject({ status: 'completed', requesterName: null, retention: { status: 'expired', basis: 'death', keptUntil: '2020-05-04' } });
    await expect.poll(async () => (await call(a, 'patients:search', { query: 'ancien' })).total, { timeout: 20_000 }).toBe(0);
    expect((await b.call('patients:search', { query: 'ancien' })).total).toBe(1);
    await b.call('session:login', { username: 'sec.b', password: PASSWORD });
    await expect.poll(async () => (await b.call('patients:search', { query: 'ancien' })).total, { timeout: 20_000 }).toBe(0);
    expect(await a.dispatch('patients:get', { id: archived })).toMatchObject({ ok: false });
    expect(await b.dispatch('patients:get', { id: archived })).toMatchObject({ ok: false });
    // The consultation (clinical, only on A) is gone too.
    expect((await call(a, 'timeline:get', { patientId: archived })).items).toEqual([]);
    expect((await c.call('rights:status', { patientId: archived })).erased).toBe(true);
    // The other record is untouched everywhere.
    expect((await b.call('patients:search', { query: 'dupond' })).total).toBe(1);
    const register = await c.call('rights:register', { language: 'fr' });
    expect(register.markdown).toContain('Registre des activités de traitement');
    expect(register.fileName).toMatch(/^registre-traitements-\d{4}-\d{2}-\d{2}\.md$/);
  }, 60_000);
});
