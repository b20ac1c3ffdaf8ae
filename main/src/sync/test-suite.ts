import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Patient } from '../../../shared/src/schemas';
import type { TestSyncServer } from './test-server';
import { adminApi, startSyncServer } from './test-server';
import type { TestWorkstation } from './test-workstation';
import { eventually, openTestWorkstation, statusWhere } from './test-workstation';

/** For the tests of this folder only: a server process per test file and workstations closed after each test. */

export const PASSWORD = 'mot-de-passe-de-test-2026';
export const RPPS = '10000000001';

export type SyncSuite = {
  readonly server: TestSyncServer;
  readonly admin: Awaited<ReturnType<typeof adminApi>>;
  nextName(prefix: string): string;
  workstation(username?: string, vault?: boolean, pushBatchSize?: number): Promise<TestWorkstation>;
  patientOn(ws: TestWorkstation, id: string, predicate: (p: Patient | null) => boolean): Promise<Patient | null>;
};

export function useSyncServer(): SyncSuite {
  let server: TestSyncServer | undefined;
  let admin: SyncSuite['admin'] | undefined;
  const open: TestWorkstation[] = [];
  const dirs: string[] = [];
  let n = 0;

  beforeAll(async () => {
    server = await startSyncServer();
    admin = await adminApi(server);
    await admin.createUser({ username: 'secretaire', role: 'secretary', password: PASSWORD });
  }, 30_000);
  afterEach(async () => {
    await Promise.all(open.splice(0).map((ws) => ws.close()));
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });
  afterAll(async () => {
    await server?.stop();
  });

  const suite: SyncSuite = {
    get server() {
      if (!server) throw new Error('server not started');
      return server;
    },
    get admin() {
      if (!admin) throw new Error('server not started');
      return admin;
    },
    nextName: (prefix) => `${prefix}${++n}`,
    async workstation(username = 'secretaire', vault = false, pushBatchSize?: number) {
      const workstationId = await suite.admin.registerWorkstation(suite.nextName('poste-'));
      let vaultArgs: { dir: string; passphrase: string } | undefined;
      if (vault) {
        const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'sync-client-vault-'));
        dirs.push(parent);
        vaultArgs = { dir: path.join(parent, 'vault'), passphrase: 'cheval agrafe pile correcte' };
      }
      const ws = await openTestWorkstation({
        serverUrl: suite.server.url,
        workstationId,
        username,
        password: PASSWORD,
        ...(vaultArgs ? { vault: vaultArgs } : {}),
        ...(pushBatchSize ? { pushBatchSize } : {}),
      });
      open.push(ws);
      await statusWhere(ws, (s) => s.connection === 'online');
      return ws;
    },
    patientOn: (ws, id, predicate) => eventually(() => ws.get<Patient>('patient', id), predicate),
  };
  return suite;
}
