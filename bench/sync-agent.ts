/**
 * One benchmark workstation in its own process (RxDB's open-source build allows 16
 * collections per process and a clinic database has 10), driven over IPC by
 * sync-workstation.ts. Timings are taken here, beside the database, so IPC is not in them.
 */
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import type { RxCollection } from 'rxdb';
import type { ClinicDatabase } from '../main/src/db/clinic-database';
import { openClinicDatabase } from '../main/src/db/clinic-database';
import type { WorkstationStore } from '../main/src/db/workstation-store';
import { openWorkstationStore } from '../main/src/db/workstation-store';
import type { ReplicationClient } from '../main/src/sync/replication-client';
import { createReplicationClient } from '../main/src/sync/replication-client';
import { createSyncSession, memoryRefreshTokenStore } from '../main/src/sync/session';
import { addSyncCollections } from '../main/src/sync/sync-collections';
import { createVault, MIN_KDF } from '../main/src/vault';

export type SyncAgentOpen = {
  readonly serverUrl: string;
  readonly workstationId: string;
  readonly username: string;
  readonly password: string;
  /** An encrypted vault (SQLCipher storage worker) in this folder; memory storage when absent. */
  readonly vaultDir?: string;
};

export type SyncAgentCommand =
  | { op: 'open'; args: SyncAgentOpen }
  /** Starts replication on the empty database; answers once `n` patients are pulled and stored. */
  | { op: 'initialSync'; n: number }
  | { op: 'start' }
  | { op: 'awaitInSync' }
  /** Changes one patient; answers the instant (ms, shared clock) just before the write. */
  | { op: 'edit'; id: string; marker: string }
  /** From now on, reports `{ seen: marker, at }` when a patient with that marker arrives. */
  | { op: 'watch' }
  | { op: 'count' }
  | { op: 'close' };

/** Wall-clock milliseconds with sub-millisecond resolution, comparable across processes. */
export const instant = (): number => performance.timeOrigin + performance.now();

let db: ClinicDatabase | undefined;
let store: WorkstationStore | undefined;
let client: ReplicationClient | undefined;
let opened: SyncAgentOpen | undefined;
const tokens = memoryRefreshTokenStore();

function patients(): RxCollection<Record<string, unknown>> {
  const c = (db?.collections as Record<string, RxCollection<Record<string, unknown>>> | undefined)?.['patient'];
  if (!c) throw new Error('not open');
  return c;
}

async function startClient(): Promise<ReplicationClient> {
  if (!db || !opened) throw new Error('not open');
  const session = createSyncSession({ serverUrl: opened.serverUrl, workstationId: opened.workstationId, store: tokens });
  await session.login(opened.username, opened.password);
  client = await createReplicationClient({ db, serverUrl: opened.serverUrl, workstationId: opened.workstationId, session });
  return client;
}

async function handle(cmd: SyncAgentCommand): Promise<unknown> {
  switch (cmd.op) {
    case 'open': {
      opened = cmd.args;
      if (cmd.args.vaultDir === undefined) {
        db = await openClinicDatabase(getRxStorageMemory(), { name: 'workstation' });
      } else {
        const vault = await createVault(cmd.args.vaultDir, 'bench passphrase for the sync benchmark', { kdf: MIN_KDF });
        store = await openWorkstationStore(vault);
        db = store.db;
      }
      await addSyncCollections(db);
      return null;
    }
    case 'initialSync': {
      let received = 0;
      let reached: () => void = () => undefined;
      const done = new Promise<void>((r) => (reached = r));
      // The session's login (Argon2id on the server) is not part of a sync: it happens once.
      if (!db || !opened) throw new Error('not open');
      const session = createSyncSession({ serverUrl: opened.serverUrl, workstationId: opened.workstationId, store: tokens });
      await session.login(opened.username, opened.password);
      const started = instant();
      const cpuBefore = process.cpuUsage();
      client = await createReplicationClient({ db, serverUrl: opened.serverUrl, workstationId: opened.workstationId, session });
      client.states.get('patient')?.received$.subscribe(() => {
        if (++received >= cmd.n) reached();
      });
      await done;
      await client.awaitInSync();
      const ms = instant() - started;
      // CPU of this process, storage worker thread included: steadier than wall time on a busy machine.
      const cpu = process.cpuUsage(cpuBefore);
      const stored = await patients().count().exec();
      return { ms, stored, cpuMs: (cpu.user + cpu.system) / 1000 };
    }
    case 'start':
      await startClient();
      return null;
    case 'awaitInSync':
      await client?.awaitInSync();
      return null;
    case 'edit': {
      const doc = await patients().findOne(cmd.id).exec();
      if (!doc) throw new Error(`no patient ${cmd.id}`);
      const at = instant();
      const contact = doc.get('contact') as Record<string, unknown>;
      await doc.incrementalPatch({ contact: { ...contact, city: cmd.marker }, updatedAt: new Date().toISOString() });
      return at;
    }
    case 'watch':
      patients().$.subscribe((event) => {
        const marker = (event.documentData as { contact?: { city?: unknown } }).contact?.city;
        if (typeof marker === 'string' && marker.startsWith('EDIT-')) process.send?.({ seen: marker, at: instant() });
      });
      return null;
    case 'count':
      return patients().count().exec();
    case 'close':
      await client?.stop();
      if (store) await store.close();
      else await db?.close();
      return null;
  }
}

process.on('message', (raw: unknown) => {
  const { id, cmd } = raw as { id: number; cmd: SyncAgentCommand };
  handle(cmd).then(
    (result) => process.send?.({ id, ok: true, result }),
    (e: unknown) => process.send?.({ id, ok: false, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) }),
  );
});
// A normal exit (not a signal) once the driver lets go, so `--cpu-prof` can write its profile.
process.on('disconnect', () => process.exit(0));
process.send?.({ ready: true });
