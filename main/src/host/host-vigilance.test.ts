/* eslint-disable security/detect-non-literal-fs-filename -- temp folders made by the test */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INS_OID, luhnCheckDigit } from '../../../shared/src/identifiers';
import type { TestSyncServer } from '../sync/test-server';
import { adminApi, serverUnavailable, startSyncServer } from '../sync/test-server';
import type { Host } from './host';
import { call, failure, signedInHost } from './test-support';
import { PINNED_AUDIT_KEY_FILE } from './vigilance-handlers';

const PASSPHRASE = 'cheval agrafe pile correcte';
const RPPS = `1000000000${luhnCheckDigit('1000000000')}`;
const RPPS_B = `2000000000${luhnCheckDigit('2000000000')}`;
const PASSWORD = 'practitioner-password-for-tests-42';

const unavailable = serverUnavailable();
if (unavailable !== undefined && process.env['CI'] === 'true') throw new Error(`host vigilance tests cannot run: ${unavailable}`);

const durand = (overrides: Record<string, unknown> = {}) => ({
  birthName: 'Durand',
  firstNames: ['Marie'],
  birthDate: '1980-01-01',
  sex: 'F' as const,
  identityStatus: 'PROV' as const,
  contact: { addressLines: [], phones: [] },
  ...overrides,
});

describe.skipIf(unavailable !== undefined)(`audit for people and identity vigilance through the host${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let server: TestSyncServer;
  let workstationId: string;
  let data: { dir: string; cleanup(): void };
  let host: Host;
  let saveAnswer: string | undefined;
  let keepId: string;
  let dupId: string;

  /** Another user's own session on the same workstation, straight on the server's API. */
  const serverLogin = async (username: string): Promise<string> => {
    const res = await fetch(new URL('/v1/auth/login', server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: PASSWORD, workstationId }),
    });
    return ((await res.json()) as { accessToken: string }).accessToken;
  };
  const serverPost = (token: string, p: string, body: unknown) =>
    fetch(new URL(p, server.url), { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
  /** The server holds these documents (pulled with the user's own session). */
  const onServer = async (username: string, collection: string, ids: string[]) => {
    const token = await serverLogin(username);
    await expect
      .poll(async () => {
        const res = await serverPost(token, `/v1/replication/${collection}/pull`, { checkpoint: null, batchSize: 1000 });
        const found = ((await res.json()) as { documents: { id: string }[] }).documents.map((d) => d.id);
        return ids.every((id) => found.includes(id));
      }, { timeout: 20_000 })
      .toBe(true);
  };
  /** Everything written before this call was pushed (a sync ended after it, nothing pending). */
  const synced = async () => {
    const since = new Date().toISOString();
    await call(host, 'sync:retry', {});
    await expect
      .poll(async () => {
        const s = await call(host, 'sync:status', {});
        return s.connection === 'online' && s.pendingChanges === 0 && s.lastSyncAt !== null && s.lastSyncAt > since;
      }, { timeout: 20_000 })
      .toBe(true);
  };

  beforeAll(async () => {
    server = await startSyncServer();
    const admin = await adminApi(server);
    await admin.createUser({ username: 'dr.martin', role: 'practitioner', rpps: RPPS, password: PASSWORD });
    await admin.createUser({ username: 'dr.urgence', role: 'practitioner', rpps: RPPS_B, password: PASSWORD });
    await admin.createUser({ username: 'dpo.clinique', role: 'dpo' as 'secretary', password: PASSWORD });
    await admin.createUser({ username: 'accueil', role: 'secretary', password: PASSWORD });
    workstationId = await admin.registerWorkstation('cabinet-1');
    ({ host, data } = await signedInHost({
      serverUrl: server.url,
      username: 'dr.martin',
      password: PASSWORD,
      workstationId,
      passphrase: PASSPHRASE,
      options: { insTestMode: false, saveFile: async () => saveAnswer },
    }));
  }, 120_000);

  afterAll(async () => {
    await host?.close();
    data?.cleanup();
    await server?.stop();
  });

  it('refuses a test or demo INS OID outside test mode, beside the field', async () => {
    const ins = { matricule: '280017511300186', oid: INS_OID.TEST };
    const draft = { ...durand({ identityStatus: 'RECUP', nir: '280017511300186' }), ins };
    expect(await failure(host, 'patients:save', { draft })).toMatchObject({
      code: 'API_REQUEST_INVALID',
      issues: [{ path: ['ins', 'oid'], code: 'INS_TEST_OID_REFUSED' }],
    });
    const checked = await call(host, 'patients:check', { draft: { ...draft, ins: { ...ins, oid: INS_OID.DEMO } } });
    expect(checked.issues).toContainEqual({ path: ['ins', 'oid'], code: 'INS_TEST_OID_REFUSED' });
  });

  it('flags likely duplicates, merges them on the server (documents move, every workstation gets it) and unmerges', async () => {
    keepId = (await call(host, 'patients:save', { draft: durand() })).patient.id;
    const second = await call(host, 'patients:save', { draft: durand({ usedFirstName: 'Marie' }) });
    dupId = second.patient.id;
    expect(second.duplicates.map((d) => d.patient.id)).toEqual([keepId]);
    const encounterId = (await call(host, 'encounters:save', { draft: { patientId: dupId, reason: 'Toux' } })).encounter.id;
    const groups = (await call(host, 'identity:duplicates', {})).groups;
    expect(groups).toHaveLength(1);
    expect(groups[0]?.match).toBe('traits');
    expect(groups[0]?.patients.map((p) => p.id).sort()).toEqual([keepId, dupId].sort());
    await onServer('dr.martin', 'patient', [keepId, dupId]);
    await onServer('dr.martin', 'encounter', [encounterId]);

    const merge = await call(host, 'identity:merge', { survivorId: keepId, mergedId: dupId, reason: 'Doublon créé à l’accueil' });
    expect(merge.moved).toEqual({ encounter: 1 });
    // The workstation learns it by replication, like any other one would.
    await expect.poll(async () => (await call(host, 'patients:search', { query: 'durand' })).rows.map((r) => r.id), { timeout: 20_000 }).toEqual([keepId]);
    await expect.poll(async () => (await call(host, 'encounters:list', { patientId: keepId })).encounters.length, { timeout: 20_000 }).toBe(1);
    expect((await call(host, 'identity:duplicates', {})).groups).toEqual([]);
    expect((await call(host, 'identity:merges', { patientId: keepId })).merges.map((m) => m.id)).toEqual([merge.id]);

    const undone = await call(host, 'identity:unmerge', { mergeId: merge.id });
    expect(undone.undoneAt).not.toBeNull();
    await expect
      .poll(async () => (await call(host, 'patients:search', { query: 'durand' })).rows.map((r) => r.id).sort(), { timeout: 20_000 })
      .toEqual([keepId, dupId].sort());
    await expect.poll(async () => (await call(host, 'encounters:list', { patientId: dupId })).encounters.length, { timeout: 20_000 }).toBe(1);
    expect((await call(host, 'encounters:list', { patientId: keepId })).encounters).toEqual([]);
    expect(await failure(host, 'identity:unmerge', { mergeId: merge.id })).toMatchObject({ code: 'IDENTITY_MERGE_ALREADY_UNDONE' });
  }, 90_000);

  it('shows a practitioner with access who consulted the record; refuses one without', async () => {
    await call(host, 'patients:get', { id: keepId });
    await synced();
    await expect
      .poll(async () => (await call(host, 'audit:patient-accesses', { patientId: keepId })).users.some((u) => u.username === 'dr.martin'), { timeout: 20_000 })
      .toBe(true);
    const report = await call(host, 'audit:patient-accesses', { patientId: keepId });
    expect(report.accesses.some((a) => a.action === 'merge')).toBe(true);
    expect(await failure(host, 'audit:verify', {})).toEqual({ code: 'AUDIT_FORBIDDEN' });
    // Another practitioner opens the record in an emergency (break-the-glass), for the DPO to review.
    const urgent = await serverLogin('dr.urgence');
    expect((await serverPost(urgent, '/v1/access/break-glass', { patientId: keepId, reason: 'Patient inconscient, appel du SAMU' })).status).toBe(200);
  }, 60_000);

  it('the DPO verifies the chain, checks the signed checkpoint here, reviews break-the-glass and exports CSV to a chosen file', async () => {
    // Switching users stops this replication: let it settle first (a stop during a push is main/src/sync's known race).
    await synced();
    await call(host, 'session:login', { username: 'dpo.clinique', password: PASSWORD });
    const verified = await call(host, 'audit:verify', {});
    expect(verified.valid).toBe(true);
    expect(verified.head.sequence).toBeGreaterThan(0);

    // The server signs a checkpoint at start and every 5 minutes; the DPO asks for one now.
    const dpoToken = await serverLogin('dpo.clinique');
    expect((await serverPost(dpoToken, '/v1/audit/checkpoints', {})).status).toBe(200);
    const first = await call(host, 'audit:checkpoint', {});
    expect(first).toMatchObject({ signatureValid: true, pinnedNow: true, headInChain: true, problem: null });
    expect(first.checkpoint?.sequence).toBeGreaterThan(0);
    expect((await call(host, 'audit:checkpoint', {})).pinnedNow).toBe(false);
    // A key other than the pinned one is refused, whatever the server says.
    const pinFile = path.join(data.dir, PINNED_AUDIT_KEY_FILE);
    const pinned = JSON.parse(fs.readFileSync(pinFile, 'utf8')) as { keyId: string };
    fs.writeFileSync(pinFile, JSON.stringify({ ...pinned, keyId: '0'.repeat(32) }));
    expect(await call(host, 'audit:checkpoint', {})).toMatchObject({ signatureValid: false, problem: { code: 'AUDIT_CHECKPOINT_KEY_CHANGED' } });
    fs.writeFileSync(pinFile, JSON.stringify(pinned));

    const pending = (await call(host, 'audit:break-glass', {})).entries;
    expect(pending.map((e) => [e.username, e.patientId, e.reason])).toEqual([['dr.urgence', keepId, 'Patient inconscient, appel du SAMU']]);
    const reviewed = await call(host, 'audit:break-glass-review', { id: pending[0]?.id ?? '', comment: 'Justifié' });
    expect(reviewed.review).toMatchObject({ comment: 'Justifié' });
    expect((await call(host, 'audit:break-glass', {})).entries).toEqual([]);
    expect((await call(host, 'audit:break-glass', { status: 'reviewed' })).entries).toHaveLength(1);

    const range = { from: '2000-01-01T00:00:00.000Z', to: '2100-01-01T00:00:00.000Z' };
    saveAnswer = undefined;
    expect(await failure(host, 'audit:export', range)).toEqual({ code: 'AUDIT_EXPORT_CANCELLED' });
    saveAnswer = path.join(data.dir, 'export.csv');
    const saved = await call(host, 'audit:export', range);
    expect(saved).toMatchObject({ kind: 'saved', path: saveAnswer });
    const csv = fs.readFileSync(saveAnswer, 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv).toContain(keepId);
    expect(saved.kind === 'saved' && saved.bytes).toBe(Buffer.byteLength(csv, 'utf8'));
  }, 60_000);

  it('refuses the secretary the who-accessed report and the DPO view; a secretary may list duplicates', async () => {
    await synced();
    await call(host, 'session:login', { username: 'accueil', password: PASSWORD });
    expect(await failure(host, 'audit:patient-accesses', { patientId: keepId })).toEqual({ code: 'AUDIT_PATIENT_REPORT_FORBIDDEN' });
    expect(await failure(host, 'audit:break-glass', {})).toEqual({ code: 'AUDIT_FORBIDDEN' });
    await expect.poll(async () => (await call(host, 'identity:duplicates', {})).groups.length, { timeout: 20_000 }).toBe(1);
    // Closed only once the secretary's first sync is done: a close during an initial sync leaves
    // unhandled rxjs EmptyError rejections (replication client, main/src/sync; reported, not fixed here).
    await synced();
  }, 60_000);
});
