/* eslint-disable security/detect-non-literal-fs-filename -- folders under the test's temp data folder */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiEventPayload } from '../../../shared/src/api';
import { EVENTS } from '../../../shared/src/api';
import type { Part10Options, TestImage } from '../../../shared/src/dicom/test-support/writer';
import { writeImage } from '../../../shared/src/dicom/test-support/writer';
import { computeNirKey, luhnCheckDigit } from '../../../shared/src/identifiers';
import { INS_OID } from '../../../shared/src/identifiers/ins';
import type { TestSyncServer } from '../sync/test-server';
import { adminApi, serverUnavailable, startSyncServer } from '../sync/test-server';
import { MIN_KDF } from '../vault';
import type { Host } from './host';
import { createHost } from './host';
import type { Recorded } from './test-support';
import { call, failure, recordEvents, signedInHost, tempDataDir } from './test-support';

// The DICOM import through the host, as a transport sees it: channels and events of the
// contract on a real vault, the real DICOM worker thread, files made by the test writer.

const PASSPHRASE = 'cheval agrafe pile correcte';
const RPPS = `1000000000${luhnCheckDigit('1000000000')}`;
const nir = (first13: string): string => `${first13}${String(computeNirKey(first13)).padStart(2, '0')}`;
const INS = nir('1550575115042');
const uid = (n: number | string): string => `1.2.826.0.1.3680043.10.8.${n}`;

const image = (s: number, i: number, over: TestImage = {}, options: Part10Options = {}): Uint8Array =>
  writeImage(
    {
      patientName: 'Morel^Yves',
      patientId: INS,
      issuerOfPatientId: INS_OID.NIR,
      birthDate: '19550505',
      studyInstanceUid: uid(s),
      seriesInstanceUid: uid(`${s}.1`),
      sopInstanceUid: uid(`${s}.1.${i}`),
      instanceNumber: i,
      imagePosition: [-100, -100, i * 2.5],
      ...over,
    },
    options,
  );

const writeFolder = (root: string, name: string, files: Record<string, Uint8Array | string>): string => {
  const folder = path.join(root, 'media', name);
  fs.mkdirSync(folder, { recursive: true });
  for (const [file, bytes] of Object.entries(files)) fs.writeFileSync(path.join(folder, file), bytes);
  return folder;
};

const MOREL = {
  birthName: 'Morel',
  firstNames: ['Yves'],
  birthDate: '1955-05-05',
  sex: 'M' as const,
  nir: INS,
  identityStatus: 'PROV' as const,
  contact: { addressLines: [], phones: [] },
};

type Progress = ApiEventPayload<'imaging:import-progress'>;
const progressOf = (events: Recorded, importId: string): Progress[] =>
  events
    .filter((e) => e.event === 'imaging:import-progress')
    .map((e) => e.payload as Progress)
    .filter((p) => p.importId === importId);

describe('imaging through the host on a temp vault', () => {
  let data: { dir: string; cleanup(): void };
  let host: Host;
  let events: Recorded;
  let patientId: string;
  const logged: string[] = [];

  beforeAll(async () => {
    data = tempDataDir();
    host = createHost({ dataDir: data.dir, mode: 'browser', kdf: MIN_KDF, log: (m) => logged.push(m) });
    events = recordEvents(host);
    await call(host, 'vault:create', { passphrase: PASSPHRASE });
    await call(host, 'profile:setup-offline', { displayName: 'Dr Martin', rpps: RPPS });
    patientId = (await call(host, 'patients:save', { draft: MOREL })).patient.id;
  }, 60_000);

  afterAll(async () => {
    await host?.close();
    data?.cleanup();
  });

  it('imports a folder: progress events, done, the study listed for the patient; a broken file is reported, the rest goes in', async () => {
    const folder = writeFolder(data.dir, 'cd-1', {
      IM1: image(1, 1),
      IM2: image(1, 2),
      IM3: image(1, 3),
      BROKEN: image(1, 99, {}, { truncateBy: 40 }),
      'notes.txt': 'not DICOM',
    });
    const { importId } = await call(host, 'imaging:import-start', { paths: [folder], patientId });
    await expect
      .poll(async () => (await call(host, 'imaging:import-status', { importId })).state, { timeout: 30_000 })
      .toBe('done');
    const status = await call(host, 'imaging:import-status', { importId });
    expect(status.studies).toMatchObject([
      { studyInstanceUid: uid(1), status: 'imported', match: 'ins', added: 3, patientId },
    ]);
    const byFile = Object.fromEntries(
      status.files.map((f) => [path.basename(f.path), [f.status, f.reason?.code]]),
    );
    expect(byFile).toMatchObject({
      IM1: ['imported', undefined],
      IM2: ['imported', undefined],
      IM3: ['imported', undefined],
      'notes.txt': ['skipped', 'DICOM_NOT_DICOM'],
      BROKEN: ['failed', 'DICOM_TRUNCATED'],
    });

    // Every event passes the contract's schema (what the transports forward and the renderer checks).
    await expect.poll(() => progressOf(events, importId).at(-1)?.state, { timeout: 5_000 }).toBe('done');
    const progress = progressOf(events, importId);
    for (const p of progress) expect(EVENTS['imaging:import-progress'].parse(p)).toEqual(p);
    expect(progress.at(-1)).toMatchObject({ state: 'done', imported: 3 });

    const { studies } = await call(host, 'imaging:studies', { patientId });
    expect(studies).toHaveLength(1);
    expect(studies[0]).toMatchObject({
      patientId,
      studyInstanceUid: uid(1),
      patientMatch: 'ins',
      filePatient: { name: 'Morel^Yves' },
    });
    expect(studies[0]?.series.flatMap((s) => s.instances)).toHaveLength(3);

    // A re-import is a no-op.
    const again = await call(host, 'imaging:import-start', { paths: [path.join(folder, 'IM1')], patientId });
    await expect
      .poll(async () => (await call(host, 'imaging:import-status', { importId: again.importId })).state, {
        timeout: 30_000,
      })
      .toBe('done');
    expect((await call(host, 'imaging:import-status', { importId: again.importId })).files).toMatchObject([
      { status: 'already-present' },
    ]);
    expect(await failure(host, 'imaging:import-status', { importId: 'no-such-import' })).toEqual({
      code: 'IMAGING_IMPORT_NOT_FOUND',
    });
  }, 60_000);

  it('a lock during an import cancels it cleanly: the lock returns, stored studies are complete, nothing half-stored', async () => {
    const STUDIES = 40;
    const PER_STUDY = 6;
    const files: Record<string, Uint8Array> = {};
    for (let s = 0; s < STUDIES; s++)
      for (let i = 1; i <= PER_STUDY; i++)
        files[`S${100 + s}_${i}`] = image(100 + s, i, { rows: 128, columns: 128 });
    const folder = writeFolder(data.dir, 'usb-big', files);
    const { importId } = await call(host, 'imaging:import-start', { paths: [folder], patientId });
    // Lock once the first study is stored, while the others are still to come.
    await expect
      .poll(() => progressOf(events, importId).some((p) => p.phase === 'store' && p.imported > 0), {
        timeout: 30_000,
        interval: 5,
      })
      .toBe(true);
    const state = await call(host, 'vault:lock', {});
    expect(state.vault).toBe('locked');
    expect(await failure(host, 'imaging:import-status', { importId })).toEqual({ code: 'VAULT_LOCKED' });
    const last = progressOf(events, importId).at(-1);
    expect(last?.state).toBe('cancelled');

    await call(host, 'vault:unlock', { passphrase: PASSPHRASE });
    // The import belonged to the closed store.
    expect(await failure(host, 'imaging:import-status', { importId })).toEqual({
      code: 'IMAGING_IMPORT_NOT_FOUND',
    });
    const { studies } = await call(host, 'imaging:studies', { patientId });
    const big = studies.filter((s) => s.studyInstanceUid !== uid(1));
    expect(big.length).toBeGreaterThan(0);
    expect(big.length).toBeLessThan(STUDIES);
    for (const s of big) expect(s.series.flatMap((x) => x.instances)).toHaveLength(PER_STUDY);
    expect(logged.filter((m) => /imaging|internal error/.test(m))).toEqual([]);

    // After the unlock a new import works (a fresh worker), and adds what the lock had left out.
    const { importId: resumed } = await call(host, 'imaging:import-start', { paths: [folder], patientId });
    await expect
      .poll(async () => (await call(host, 'imaging:import-status', { importId: resumed })).state, {
        timeout: 60_000,
      })
      .toBe('done');
    const after = await call(host, 'imaging:studies', { patientId });
    expect(after.studies.filter((s) => s.studyInstanceUid !== uid(1))).toHaveLength(STUDIES);
  }, 120_000);
});

const unavailable = serverUnavailable();
if (unavailable !== undefined && process.env['CI'] === 'true')
  throw new Error(`host imaging tests with a server cannot run: ${unavailable}`);

describe.skipIf(unavailable !== undefined)(
  `imaging roles through the host${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    const PASSWORD = 'secretary-password-for-tests-42';
    let server: TestSyncServer;
    let data: { dir: string; cleanup(): void };
    let host: Host;

    beforeAll(async () => {
      server = await startSyncServer();
      const admin = await adminApi(server);
      await admin.createUser({ username: 'sec.accueil', role: 'secretary', password: PASSWORD });
      await admin.createUser({ username: 'dpo.clinique', role: 'dpo' as 'secretary', password: PASSWORD });
      const workstationId = await admin.registerWorkstation('accueil-1');
      ({ host, data } = await signedInHost({
        serverUrl: server.url,
        username: 'sec.accueil',
        password: PASSWORD,
        workstationId,
        passphrase: PASSPHRASE,
        options: { mode: 'browser' },
      }));
    }, 120_000);

    afterAll(async () => {
      await host?.close();
      data?.cleanup();
      await server?.stop();
    });

    it('refuses a secretary (ACCESS_CLINICAL_DENIED), and the refusal is in the audit log', async () => {
      const { patient } = await call(host, 'patients:save', { draft: MOREL });
      const folder = writeFolder(data.dir, 'cd-sec', { IM1: image(7, 1) });
      expect(await failure(host, 'imaging:import-start', { paths: [folder], patientId: patient.id })).toEqual(
        {
          code: 'ACCESS_CLINICAL_DENIED',
          params: { role: 'secretary' },
        },
      );
      expect(await failure(host, 'imaging:studies', { patientId: patient.id })).toMatchObject({
        code: 'ACCESS_CLINICAL_DENIED',
      });
      // The audit events reach the server's chain; the DPO reads the refusal there.
      await expect
        .poll(
          async () => {
            const s = await call(host, 'sync:status', {});
            return s.connection === 'online' && s.pendingChanges === 0 && s.lastSyncAt !== null;
          },
          { timeout: 20_000 },
        )
        .toBe(true);
      await new Promise((r) => setTimeout(r, 2500));
      expect((await call(host, 'sync:status', {})).rejected).toEqual([]);
      await call(host, 'session:login', { username: 'dpo.clinique', password: PASSWORD });
      await expect
        .poll(
          async () =>
            (await call(host, 'audit:search', { action: 'import', limit: 50 })).entries.map((e) => [
              e.outcome,
              e.patientId,
            ]),
          { timeout: 20_000 },
        )
        .toContainEqual(['denied', patient.id]);
    }, 90_000);
  },
);
