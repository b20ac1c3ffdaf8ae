/**
 * One benchmark workstation in its own process (RxDB's open-source build allows 16
 * collections per process and a clinic database has 10), driven over IPC by
 * sync-workstation.ts. Timings are taken here, beside the database, so IPC is not in them.
 */
import fs from 'node:fs';
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

/**
 * CPU time (ms) of each thread of this process, from Linux's /proc (empty elsewhere): the
 * main thread, the storage worker and V8's helper threads (garbage collection) separately,
 * since one thread alone can bound the sync's rate whatever the total.
 */
function threadCpuMs(): Map<string, number> {
  const threads = new Map<string, number>();
  let tids: string[];
  try {
    tids = fs.readdirSync('/proc/self/task');
  } catch {
    return threads;
  }
  for (const tid of tids) {
    try {
      // schedstat: nanoseconds on a CPU, then waiting, then time slices.
      // eslint-disable-next-line security/detect-non-literal-fs-filename -- a /proc path built from the thread ids /proc lists
      const ns = Number(fs.readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      if (Number.isFinite(ns)) threads.set(tid, ns / 1e6);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return threads;
}

/** Per thread CPU of the sync: the main thread (this process's id), the storage worker (the busiest other thread), the rest together. */
function threadCpuDelta(before: Map<string, number>, after: Map<string, number>): { main: number; worker: number; other: number } {
  const main = String(process.pid);
  let worker = 0;
  let other = 0;
  let mainMs = 0;
  for (const [tid, ms] of after) {
    const used = ms - (before.get(tid) ?? 0);
    if (tid === main) mainMs = used;
    else if (used > worker) {
      other += worker;
      worker = used;
    } else other += used;
  }
  return { main: mainMs, worker, other };
}

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
      const threadsBefore = threadCpuMs();
      client = await createReplicationClient({ db, serverUrl: opened.serverUrl, workstationId: opened.workstationId, session });
      client.states.get('patient')?.received$.subscribe(() => {
        if (++received >= cmd.n) reached();
      });
      await done;
      await client.awaitInSync();
      const ms = instant() - started;
      // CPU of this process, storage worker thread included: steadier than wall time on a busy machine.
      const cpu = process.cpuUsage(cpuBefore);
      const threads = threadCpuDelta(threadsBefore, threadCpuMs());
      const stored = await patients().count().exec();
      return { ms, stored, cpuMs: (cpu.user + cpu.system) / 1000, threads };
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
