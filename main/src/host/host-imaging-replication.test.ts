/* eslint-disable security/detect-non-literal-fs-filename -- folders under the test's temp data folder */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeImage } from '../../../shared/src/dicom/test-support/writer';
import { computeNirKey, luhnCheckDigit } from '../../../shared/src/identifiers';
import { INS_OID } from '../../../shared/src/identifiers/ins';
import type { TestSyncServer } from '../sync/test-server';
import { adminApi, serverUnavailable, startSyncServer } from '../sync/test-server';
import { MIN_KDF } from '../vault';
import type { Host } from './host';
import { createHost } from './host';
import type { HostProcess } from './test-host-process';
import { startHostProcess } from './test-host-process';
import { call, tempDataDir } from './test-support';

// Images between two workstations through a real sync server: A imports a study; its files go
// up in the background (the server is killed during the upload and comes back: the upload
// resumes, nothing lost); B, granted the patient, sees the study and reads each instance
// (downloaded on demand, digest checked, kept in B's vault); the grant revoked, B's copies
// go, files included. A in this process, B in a child process (one RxDB workstation per process).

const PASSPHRASE = 'cheval agrafe pile correcte';
const PASSWORD = 'a-long-password-for-tests-42';
const rpps = (p: string): string => `${p}${luhnCheckDigit(p)}`;
const INS = ((f: string) => `${f}${String(computeNirKey(f)).padStart(2, '0')}`)('1550575115042');
const uid = (n: number | string): string => `1.2.826.0.1.3680043.10.13.${n}`;

const unavailable = serverUnavailable();
if (unavailable !== undefined && process.env['CI'] === 'true') throw new Error(`imaging replication tests cannot run: ${unavailable}`);

describe.skipIf(unavailable !== undefined)('imaging files between two workstations', () => {
  let server: TestSyncServer;
  let drB: string;
  let a: Host;
  let b: HostProcess;
  const dirs: { dir: string; cleanup(): void }[] = [];
  const files: Record<string, Uint8Array> = {};
  let putCount = 0;
  let killed: Promise<void> | undefined;

  beforeAll(async () => {
    server = await startSyncServer();
    const admin = await adminApi(server);
    await admin.createUser({ username: 'dr.a', role: 'practitioner', rpps: rpps('1000000001'), password: PASSWORD });
    drB = await admin.createUser({ username: 'dr.b', role: 'practitioner', rpps: rpps('1000000002'), password: PASSWORD });
    const wsA = await admin.registerWorkstation('cabinet-a');
    const wsB = await admin.registerWorkstation('cabinet-b');
    const dirA = tempDataDir();
    const dirB = tempDataDir();
    dirs.push(dirA, dirB);
    // The server vanishes (SIGKILL) when A sends its second file: the upload must survive it.
    const cutting: typeof fetch = async (input, init) => {
      const url = String(input);
      if (init?.method === 'PUT' && url.includes('/v1/attachments/')) {
        putCount += 1;
        if (putCount === 2) killed = server.kill();
        if (killed) await killed;
      }
      return fetch(input, init);
    };
    a = createHost({ dataDir: dirA.dir, mode: 'browser', kdf: MIN_KDF, fetch: cutting, syncBackoff: { baseMs: 200, maxMs: 2_000 }, attachmentUploadIntervalMs: 1_000, log: (m, e) => console.error('[host A]', m, e) });
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

  it('A imports; the files reach the server despite a crash mid-upload; B reads them; a revoked grant takes them off B', async () => {
    const { patient } = await call(a, 'patients:save', {
      draft: { birthName: 'Morel', firstNames: ['Yves'], birthDate: '1955-05-05', sex: 'M', nir: INS, identityStatus: 'PROV', contact: { addressLines: [], phones: [] } },
    });
    const folder = path.join(dirs[0]?.dir ?? '', 'cd');
    fs.mkdirSync(folder);
    for (const i of [1, 2, 3]) {
      const sop = uid(`1.1.${i}`);
      files[sop] = writeImage({ patientName: 'Morel^Yves', patientId: INS, issuerOfPatientId: INS_OID.NIR, birthDate: '19550505', studyInstanceUid: uid(1), seriesInstanceUid: uid('1.1'), sopInstanceUid: sop, instanceNumber: i, rows: 128, columns: 128 });
      fs.writeFileSync(path.join(folder, `IM${i}`), files[sop] as Uint8Array);
    }
    const { importId } = await call(a, 'imaging:import-start', { paths: [folder], patientId: patient.id });
    await expect.poll(async () => (await call(a, 'imaging:import-status', { importId })).state, { timeout: 30_000 }).toBe('done');
    const studyId = (await call(a, 'imaging:studies', { patientId: patient.id })).studies[0]?.id ?? '';

    // The crash: wait for it, keep the server down a moment, bring it back.
    await expect.poll(() => killed !== undefined, { timeout: 60_000 }).toBe(true);
    await killed;
    await new Promise((r) => setTimeout(r, 1_500));
    await server.restart();

    await (await adminApi(server)).grant(drB, patient.id);
    await expect.poll(async () => (await b.call('imaging:studies', { patientId: patient.id }).catch(() => ({ studies: [] }))).studies.map((s) => s.id), { timeout: 60_000, interval: 500 }).toEqual([studyId]);
    for (const sop of Object.keys(files)) {
      // Until A's upload resumed and finished, B hears SYNC_ATTACHMENT_NOT_UPLOADED.
      await expect
        .poll(async () => {
          const r = await b.readImagingInstance(studyId, sop);
          return r.ok ? r.bytes.equals(Buffer.from(files[sop] as Uint8Array)) : r.error.code;
        }, { timeout: 60_000, interval: 500 })
        .toBe(true);
    }
    expect(putCount).toBeGreaterThan(3);

    // Kept in B's vault: readable with the server gone.
    await server.kill();
    const offline = await b.readImagingInstance(studyId, uid('1.1.2'));
    expect(offline.ok && offline.bytes.equals(Buffer.from(files[uid('1.1.2')] as Uint8Array))).toBe(true);
    await server.restart();

    await (await adminApi(server)).revoke(drB, patient.id);
    await expect.poll(async () => (await b.readImagingInstance(studyId, uid('1.1.1'))).ok, { timeout: 60_000, interval: 500 }).toBe(false);
    expect(await b.readImagingInstance(studyId, uid('1.1.1'))).toEqual({ ok: false, error: { code: 'IMAGING_STUDY_NOT_FOUND' } });
    expect((await b.call('imaging:studies', { patientId: patient.id })).studies).toEqual([]);
  }, 240_000);
});
