/* eslint-disable security/detect-non-literal-fs-filename -- folders under the test's temp data folder */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeImage } from '../../../shared/src/dicom/test-support/writer';
import { computeNirKey, luhnCheckDigit } from '../../../shared/src/identifiers';
import { INS_OID } from '../../../shared/src/identifiers/ins';
import type { Host } from '../host';
import { createHost } from '../host';
import { call, signedInHost } from '../host/test-support';
import type { TestSyncServer } from '../sync/test-server';
import { adminApi, serverUnavailable, startSyncServer } from '../sync/test-server';
import { MIN_KDF } from '../vault';
import type { BrowserModeServer } from './server';
import { startBrowserMode } from './server';

// GET /imaging/<studyId>/<sopInstanceUid> of browser mode, on real sockets, in front of a
// real host on a temp vault with a study imported through the real DICOM worker.

const PASSPHRASE = 'cheval agrafe pile correcte';
const RPPS = `1000000000${luhnCheckDigit('1000000000')}`;
const INS = ((f: string) => `${f}${String(computeNirKey(f)).padStart(2, '0')}`)('1550575115042');
const uid = (n: number | string): string => `1.2.826.0.1.3680043.10.11.${n}`;
const MOREL = {
  birthName: 'Morel',
  firstNames: ['Yves'],
  birthDate: '1955-05-05',
  sex: 'M' as const,
  nir: INS,
  identityStatus: 'PROV' as const,
  contact: { addressLines: [], phones: [] },
};

type Raw = { status: number; headers: http.IncomingHttpHeaders; body: Buffer };

/** A request exactly as given (raw path, any Host header): what fetch would normalise or refuse to send. */
function raw(port: number, options: { path: string; method?: string; headers?: Record<string, string> }): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: options.path, method: options.method ?? 'GET', headers: options.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

const codeOf = (r: Raw): unknown => (JSON.parse(r.body.toString('utf8')) as { code?: unknown }).code;

function tempDir(): { dir: string; cleanup(): void } {
  const dir = fs.mkdtempSync(path.join(process.env['TMPDIR'] ?? '/tmp', 'imaging-route-'));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

describe('browser-mode image byte route', () => {
  let data: { dir: string; cleanup(): void };
  let host: Host;
  let server: BrowserModeServer;
  let studyId: string;
  const files: Record<string, Uint8Array> = {};
  const logged: string[] = [];
  const auth = (): Record<string, string> => ({ authorization: `Bearer ${server.secret}`, host: `127.0.0.1:${server.port}` });

  beforeAll(async () => {
    data = tempDir();
    host = createHost({ dataDir: data.dir, mode: 'browser', kdf: MIN_KDF });
    await call(host, 'vault:create', { passphrase: PASSPHRASE });
    await call(host, 'profile:setup-offline', { displayName: 'Dr Martin', rpps: RPPS });
    const patientId = (await call(host, 'patients:save', { draft: MOREL })).patient.id;
    const folder = path.join(data.dir, 'cd');
    fs.mkdirSync(folder);
    for (const i of [1, 2]) {
      files[uid(`1.1.${i}`)] = writeImage({
        patientName: 'Morel^Yves',
        patientId: INS,
        issuerOfPatientId: INS_OID.NIR,
        birthDate: '19550505',
        studyInstanceUid: uid(1),
        seriesInstanceUid: uid('1.1'),
        sopInstanceUid: uid(`1.1.${i}`),
        instanceNumber: i,
        rows: 64,
        columns: 64,
      });
      fs.writeFileSync(path.join(folder, `IM${i}`), files[uid(`1.1.${i}`)] as Uint8Array);
    }
    const { importId } = await call(host, 'imaging:import-start', { paths: [folder], patientId });
    for (let t = Date.now(); (await call(host, 'imaging:import-status', { importId })).state !== 'done'; ) {
      if (Date.now() - t > 30_000) throw new Error('import not done');
      await new Promise((r) => setTimeout(r, 50));
    }
    studyId = (await call(host, 'imaging:studies', { patientId })).studies[0]?.id ?? '';
    server = await startBrowserMode({ host, rendererDir: data.dir, log: (l) => logged.push(l) });
  }, 90_000);

  afterAll(async () => {
    await server?.close();
    await host?.close();
    data?.cleanup();
  });

  it('answers the stored file with the agreed headers, through fetch with the secret in a header', async () => {
    const sop = uid('1.1.2');
    const res = await fetch(`${server.origin}/imaging/${studyId}/${sop}`, { headers: { authorization: `Bearer ${server.secret}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/dicom');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(files[sop] as Uint8Array))).toBe(true);
  });

  it('refuses a missing or wrong secret (401, logged without the value), another Host (421), a cross-site fetch (403)', async () => {
    const p = `/imaging/${studyId}/${uid('1.1.1')}`;
    const wrong = server.secret.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    expect((await raw(server.port, { path: p, headers: { host: `127.0.0.1:${server.port}` } })).status).toBe(401);
    const refused = await raw(server.port, { path: p, headers: { host: `127.0.0.1:${server.port}`, authorization: `Bearer ${wrong}` } });
    expect(refused.status).toBe(401);
    expect(codeOf(refused)).toBe('RENDERER_SECRET_MISSING');
    expect((await raw(server.port, { path: p, headers: { host: `127.0.0.1:${server.port}`, authorization: server.secret } })).status).toBe(401);
    expect(logged.filter((l) => l.includes('imaging request refused (secret)'))).toHaveLength(3);
    expect(logged.join('\n')).not.toContain(server.secret);
    expect(logged.join('\n')).not.toContain(wrong);
    expect((await raw(server.port, { path: p, headers: { ...auth(), host: `localhost:${server.port}` } })).status).toBe(421);
    expect((await raw(server.port, { path: p, headers: { ...auth(), 'sec-fetch-site': 'cross-site' } })).status).toBe(403);
    expect((await raw(server.port, { path: p, headers: { ...auth(), origin: 'http://evil.example' } })).status).toBe(403);
    expect((await raw(server.port, { path: p, headers: { ...auth(), 'sec-fetch-site': 'same-origin', origin: server.origin } })).status).toBe(200);
  });

  it('refuses malformed paths (404) before reading anything, and methods other than GET (405)', async () => {
    const sop = uid('1.1.1');
    const bad = [
      '/imaging',
      '/imaging/',
      `/imaging/${studyId}`,
      `/imaging/${studyId}/`,
      `/imaging/${studyId}/${sop}/`,
      `/imaging/${studyId}/${sop}/x`,
      `/imaging/${studyId}/${sop}?frame=1`,
      `/imaging/${studyId}/..`,
      `/imaging/../${sop}`,
      `/imaging/%2e%2e/${sop}`,
      `/imaging/${studyId}/1.2.%33`,
      `/imaging/${studyId}/01.2`,
      `/imaging/${studyId}/1..2`,
      `/imaging/-x/${sop}`,
      `/imaging/${'a'.repeat(65)}/${sop}`,
      `/imaging/${studyId}/1.${'2'.repeat(64)}`,
      `/imaging/${studyId}%2f${sop}`,
      `/imaging//${sop}`,
    ];
    for (const p of bad) {
      const r = await raw(server.port, { path: p, headers: auth() });
      expect([p, r.status, codeOf(r)]).toEqual([p, 404, 'IMAGING_STUDY_NOT_FOUND']);
    }
    // Well-formed but unknown: the store says so, also 404.
    const unknown = await raw(server.port, { path: `/imaging/${studyId}/${uid('1.1.77')}`, headers: auth() });
    expect([unknown.status, codeOf(unknown)]).toEqual([404, 'IMAGING_STUDY_NOT_FOUND']);
    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS', 'HEAD']) {
      const r = await raw(server.port, { path: `/imaging/${studyId}/${sop}`, method, headers: auth() });
      expect([method, r.status, r.headers['allow']]).toEqual([method, 405, 'GET']);
    }
  });

  it('answers 423 VAULT_LOCKED once the vault is locked, and the file again after the unlock', async () => {
    const p = `/imaging/${studyId}/${uid('1.1.1')}`;
    await call(host, 'vault:lock', {});
    const locked = await raw(server.port, { path: p, headers: auth() });
    expect([locked.status, codeOf(locked)]).toEqual([423, 'VAULT_LOCKED']);
    await call(host, 'vault:unlock', { passphrase: PASSPHRASE });
    const again = await raw(server.port, { path: p, headers: auth() });
    expect(again.status).toBe(200);
    expect(again.body.equals(Buffer.from(files[uid('1.1.1')] as Uint8Array))).toBe(true);
  }, 60_000);
});

const unavailable = serverUnavailable();
if (unavailable !== undefined && process.env['CI'] === 'true') throw new Error(`imaging route tests with a server cannot run: ${unavailable}`);

describe.skipIf(unavailable !== undefined)(`browser-mode image byte route for a secretary${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  const PASSWORD = 'secretary-password-for-tests-42';
  let sync: TestSyncServer;
  let data: { dir: string; cleanup(): void };
  let host: Host;
  let server: BrowserModeServer;

  beforeAll(async () => {
    sync = await startSyncServer();
    const admin = await adminApi(sync);
    await admin.createUser({ username: 'sec.accueil', role: 'secretary', password: PASSWORD });
    await admin.createUser({ username: 'dpo.clinique', role: 'dpo' as 'secretary', password: PASSWORD });
    const workstationId = await admin.registerWorkstation('accueil-1');
    ({ host, data } = await signedInHost({
      serverUrl: sync.url,
      username: 'sec.accueil',
      password: PASSWORD,
      workstationId,
      passphrase: PASSPHRASE,
      options: { mode: 'browser' },
    }));
    server = await startBrowserMode({ host, rendererDir: data.dir });
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    await host?.close();
    data?.cleanup();
    await sync?.stop();
  });

  it('refuses a secretary (403 ACCESS_CLINICAL_DENIED); the refusal reaches the central audit log', async () => {
    const studyId = 'etude-inconnue-1';
    const r = await raw(server.port, { path: `/imaging/${studyId}/${uid('9.1.1')}`, headers: { authorization: `Bearer ${server.secret}`, host: `127.0.0.1:${server.port}` } });
    expect([r.status, codeOf(r)]).toEqual([403, 'ACCESS_CLINICAL_DENIED']);
    await expect
      .poll(async () => {
        const s = await call(host, 'sync:status', {});
        return s.connection === 'online' && s.pendingChanges === 0 && s.lastSyncAt !== null;
      }, { timeout: 30_000 })
      .toBe(true);
    await call(host, 'session:login', { username: 'dpo.clinique', password: PASSWORD });
    await expect
      .poll(async () => (await call(host, 'audit:search', { action: 'read', limit: 50 })).entries.map((e) => [e.outcome, e.object?.collection, e.object?.id]), { timeout: 30_000 })
      .toContainEqual(['denied', 'imaging_study', studyId]);
  }, 120_000);
});
