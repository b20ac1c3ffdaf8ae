/**
 * For the tests of this folder only: one workstation (database + replication client) in
 * its own process, driven over IPC. RxDB's open-source build allows 16 collections per
 * process and a clinic database has 10, so two workstations cannot share a process; a
 * process per workstation is also what a real clinic has.
 */
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import type { RxCollection } from 'rxdb';
import type { ClinicDatabase } from '../db/clinic-database';
import { openClinicDatabase } from '../db/clinic-database';
import type { WorkstationStore } from '../db/workstation-store';
import { openWorkstationStore } from '../db/workstation-store';
import { createVault, unlockVault } from '../vault';
import { FAST } from '../vault/test-support';
import type { ReplicationClient } from './replication-client';
import { createReplicationClient } from './replication-client';
import type { SyncSession } from './session';
import { createSyncSession, memoryRefreshTokenStore } from './session';
import { addSyncCollections } from './sync-collections';

export type AgentOpen = {
  readonly serverUrl: string;
  readonly workstationId: string;
  readonly username: string;
  readonly password: string;
  /** A real encrypted vault (SQLCipher through the storage worker) instead of memory storage. */
  readonly vault?: { readonly dir: string; readonly passphrase: string };
  readonly pushBatchSize?: number;
  /** Retry delays of the replication client (default: 100 ms growing to 1 s). */
  readonly backoff?: { readonly baseMs: number; readonly maxMs: number };
};

export type AgentCommand =
  | { op: 'open'; args: AgentOpen }
  | { op: 'insert'; collection: string; docs: unknown[] }
  | { op: 'patch'; collection: string; id: string; patch: Record<string, unknown> }
  /**
   * Like patch, but when the document is not (or no longer) here answers how it went: the
   * context of the write that deleted it in this process (`removedBy`), null if none did.
   */
  | { op: 'patchIfPresent'; collection: string; id: string; patch: Record<string, unknown> }
  | { op: 'removedBy'; collection: string; id: string }
  | { op: 'get'; collection: string; id: string }
  | { op: 'remove'; collection: string; id: string }
  | { op: 'putAttachment'; collection: string; id: string; attachmentId: string; text: string }
  | { op: 'getAttachment'; collection: string; id: string; attachmentId: string }
  | { op: 'ids'; collection: string }
  | { op: 'status' }
  | { op: 'conflicts' }
  | { op: 'resolve'; id: string; choice: 'local' | 'server' }
  | { op: 'awaitInSync' }
  /** "Sync now": the client's reSync(). */
  | { op: 'reSync' }
  | { op: 'revocations' }
  | { op: 'stopClient' }
  | { op: 'startClient' }
  | { op: 'advanceClock'; ms: number }
  | { op: 'refreshToken' }
  | { op: 'login' }
  | { op: 'reopen' }
  | { op: 'received' }
  | { op: 'killAfterPushes'; pid: number; pushes: number }
  | { op: 'close' };

let offset = 0;
const now = (): number => Date.now() + offset;
let db: ClinicDatabase | undefined;
let store: WorkstationStore | undefined;
let client: ReplicationClient | undefined;
let session: SyncSession | undefined;
let opened: AgentOpen | undefined;
/**
 * The server dies right after answering some push requests while others are in flight:
 * decided here, at the HTTP layer, because a test polling over IPC would come too late.
 */
let killPlan: { pid: number; answered: number; after: number } | undefined;
const killingFetch: typeof fetch = async (input, init) => {
  const res = await fetch(input, init);
  if (killPlan && String(input).endsWith('/push') && ++killPlan.answered === killPlan.after) {
    process.kill(killPlan.pid, 'SIGKILL');
    killPlan = undefined;
  }
  return res;
};
/**
 * `collection/id` → context of the storage write that last deleted it here (RxDB's
 * `replication-downstream-…` for a pulled deletion, `sync-revocation` for a purge, the
 * collection's own for a local remove). Kept across reopen; a later live write clears it.
 */
const removals = new Map<string, string>();
function watchRemovals(database: ClinicDatabase): void {
  for (const [name, c] of Object.entries(database.collections as Record<string, RxCollection>)) {
    c.eventBulks$.subscribe((bulk) => {
      for (const e of bulk.events) {
        const key = `${name}/${e.documentId}`;
        if (e.operation === 'DELETE') removals.set(key, bulk.context);
        else removals.delete(key);
      }
    });
  }
}
/** Documents the pull delivered (handler or stream) since the client last started. */
let received = 0;
const tokens = memoryRefreshTokenStore();

async function openDatabase(args: AgentOpen): Promise<ClinicDatabase> {
  if (args.vault === undefined) return openClinicDatabase(getRxStorageMemory(), { name: 'workstation' });
  const vault = await unlockVault(args.vault.dir, args.vault.passphrase, FAST).catch(() =>
    createVault(args.vault?.dir as string, args.vault?.passphrase as string, FAST),
  );
  store = await openWorkstationStore(vault);
  return store.db;
}

async function startClient(): Promise<void> {
  if (!db || !session || !opened) throw new Error('not open');
  client = await createReplicationClient({
    db,
    serverUrl: opened.serverUrl,
    workstationId: opened.workstationId,
    session,
    now,
    backoff: opened.backoff ?? { baseMs: 100, maxMs: 1_000 },
    statusDebounceMs: 20,
    fetch: killingFetch,
    ...(opened.pushBatchSize ? { pushBatchSize: opened.pushBatchSize } : {}),
  });
  received = 0;
  for (const state of client.states.values()) state.received$.subscribe(() => received++);
}

function collection(name: string): RxCollection<Record<string, unknown>> {
  const c = (db?.collections as Record<string, RxCollection<Record<string, unknown>>> | undefined)?.[name];
  if (!c) throw new Error(`no collection ${name}`);
  return c;
}

async function handle(cmd: AgentCommand): Promise<unknown> {
  switch (cmd.op) {
    case 'open': {
      opened = cmd.args;
      db = await openDatabase(cmd.args);
      await addSyncCollections(db);
      watchRemovals(db);
      session = createSyncSession({ serverUrl: cmd.args.serverUrl, workstationId: cmd.args.workstationId, store: tokens, now });
      await session.login(cmd.args.username, cmd.args.password);
      await startClient();
      return null;
    }
    case 'insert':
      await collection(cmd.collection).bulkInsert(cmd.docs as Record<string, unknown>[]);
      return null;
    case 'patch': {
      const doc = await collection(cmd.collection).findOne(cmd.id).exec();
      if (!doc) throw new Error(`no document ${cmd.id}`);
      await doc.incrementalPatch(cmd.patch);
      return null;
    }
    case 'patchIfPresent': {
      const doc = await collection(cmd.collection).findOne(cmd.id).exec();
      if (!doc) return { patched: false, removedBy: removals.get(`${cmd.collection}/${cmd.id}`) ?? null };
      await doc.incrementalPatch(cmd.patch);
      return { patched: true };
    }
    case 'removedBy':
      return removals.get(`${cmd.collection}/${cmd.id}`) ?? null;
    case 'remove':
      await (await collection(cmd.collection).findOne(cmd.id).exec())?.remove();
      return null;
    case 'putAttachment': {
      const doc = await collection(cmd.collection).findOne(cmd.id).exec();
      if (!doc) throw new Error(`no document ${cmd.id}`);
      await doc.putAttachment({ id: cmd.attachmentId, data: new Blob([cmd.text], { type: 'text/plain' }), type: 'text/plain' });
      return null;
    }
    case 'getAttachment': {
      const doc = await collection(cmd.collection).findOne(cmd.id).exec();
      const attachment = doc?.getAttachment(cmd.attachmentId);
      return attachment ? await (await attachment.getData()).text() : null;
    }
    case 'get':
      return (await collection(cmd.collection).findOne(cmd.id).exec())?.toJSON() ?? null;
    case 'ids':
      return (await collection(cmd.collection).find().exec()).map((d) => d.primary);
    case 'status':
      return client?.status ?? null;
    case 'conflicts':
      return (await collection('sync_conflict').find().exec()).map((d) => d.toJSON());
    case 'resolve':
      await client?.resolveConflict(cmd.id, cmd.choice);
      return null;
    case 'awaitInSync':
      await client?.awaitInSync();
      return null;
    case 'reSync':
      client?.reSync();
      return null;
    case 'revocations':
      return client?.syncRevocations();
    case 'stopClient':
      await client?.stop();
      return null;
    case 'startClient':
      await startClient();
      return null;
    case 'advanceClock':
      offset += cmd.ms;
      return null;
    case 'login':
      if (!session || !opened) throw new Error('not open');
      await session.login(opened.username, opened.password);
      return null;
    case 'refreshToken':
      return tokens.current ?? null;
    case 'reopen': {
      // Close the app's database (and vault store) and open it again: checkpoints must survive.
      await client?.stop();
      if (store) await store.close();
      else await db?.close();
      if (!opened) throw new Error('not open');
      db = await openDatabase(opened);
      await addSyncCollections(db);
      watchRemovals(db);
      await startClient();
      return null;
    }
    case 'received':
      return received;
    case 'killAfterPushes':
      killPlan = { pid: cmd.pid, answered: 0, after: cmd.pushes };
      return null;
    case 'close':
      await client?.stop();
      if (store) await store.close();
      else await db?.close();
      return null;
  }
}

process.on('message', (raw: unknown) => {
  const { id, cmd } = raw as { id: number; cmd: AgentCommand };
  handle(cmd).then(
    (result) => process.send?.({ id, ok: true, result }),
    (e: unknown) =>
      process.send?.({ id, ok: false, error: e instanceof Error ? `${e.name}: ${e.message} ${JSON.stringify((e as { params?: unknown }).params ?? '')}` : String(e) }),
  );
});
process.send?.({ ready: true });
