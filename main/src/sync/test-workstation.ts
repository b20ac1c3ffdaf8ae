import type { ChildProcess } from 'node:child_process';
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Patient } from '../../../shared/src/schemas';
import { PatientSchema, patientSearchKeys } from '../../../shared/src/schemas';
import type { SyncConflict } from '../../../shared/src/sync/conflicts';
import type { ReplicationClient, SyncStatus } from './replication-client';
import type { AgentCommand, AgentOpen } from './test-agent';
import { connectAgent } from './agent-ipc';

/** For the tests of this folder only: a workstation in its own process (see test-agent.ts). */
export type PatchIfPresent = { readonly patched: true } | { readonly patched: false; readonly removedBy: string | null };

export type TestWorkstation = {
  readonly workstationId: string;
  insert(collection: string, ...docs: unknown[]): Promise<void>;
  patch(collection: string, id: string, patch: Record<string, unknown>): Promise<void>;
  /**
   * When the document is not here (sync may remove it between a check and a write), says
   * which write deleted it in the workstation process (a storage context), null if none did.
   */
  patchIfPresent(collection: string, id: string, patch: Record<string, unknown>): Promise<PatchIfPresent>;
  /** Context of the storage write that last deleted the document in the workstation process, null if none. */
  removedBy(collection: string, id: string): Promise<string | null>;
  get<T = Record<string, unknown>>(collection: string, id: string): Promise<T | null>;
  remove(collection: string, id: string): Promise<void>;
  putAttachment(collection: string, id: string, attachmentId: string, text: string): Promise<void>;
  getAttachment(collection: string, id: string, attachmentId: string): Promise<string | null>;
  ids(collection: string): Promise<string[]>;
  status(): Promise<SyncStatus>;
  conflicts(): Promise<SyncConflict[]>;
  resolve(id: string, choice: 'local' | 'server'): Promise<void>;
  awaitInSync(): Promise<void>;
  reSync(): Promise<void>;
  revocations(): Promise<number>;
  stopClient(): Promise<void>;
  startClient(): Promise<void>;
  advanceClock(ms: number): Promise<void>;
  refreshToken(): Promise<string | null>;
  /** Signs in again with the password (the UI's login form). */
  login(): Promise<void>;
  /** Closes the database (and vault store) and opens it again, as an app restart does. */
  reopen(): Promise<void>;
  /** Documents pulled since the client last started. */
  received(): Promise<number>;
  /** SIGKILLs process `pid` (the server) once it has answered `pushes` push requests of this workstation. */
  killAfterPushes(pid: number, pushes: number): Promise<void>;
  close(): Promise<void>;
};

const AGENT = fileURLToPath(new URL('./test-agent.ts', import.meta.url));

export async function openTestWorkstation(args: AgentOpen): Promise<TestWorkstation> {
  const child: ChildProcess = fork(AGENT, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const call = await connectAgent<AgentCommand>(child);
  await call({ op: 'open', args });
  let closed = false;
  return {
    workstationId: args.workstationId,
    insert: (collection, ...docs) => call({ op: 'insert', collection, docs }),
    patch: (collection, id, patch) => call({ op: 'patch', collection, id, patch }),
    patchIfPresent: (collection, id, patch) => call({ op: 'patchIfPresent', collection, id, patch }),
    removedBy: (collection, id) => call({ op: 'removedBy', collection, id }),
    get: (collection, id) => call({ op: 'get', collection, id }),
    remove: (collection, id) => call({ op: 'remove', collection, id }),
    putAttachment: (collection, id, attachmentId, text) => call({ op: 'putAttachment', collection, id, attachmentId, text }),
    getAttachment: (collection, id, attachmentId) => call({ op: 'getAttachment', collection, id, attachmentId }),
    ids: (collection) => call({ op: 'ids', collection }),
    status: () => call({ op: 'status' }),
    conflicts: () => call({ op: 'conflicts' }),
    resolve: (id, choice) => call({ op: 'resolve', id, choice }),
    awaitInSync: () => call({ op: 'awaitInSync' }),
    reSync: () => call({ op: 'reSync' }),
    revocations: () => call({ op: 'revocations' }),
    stopClient: () => call({ op: 'stopClient' }),
    startClient: () => call({ op: 'startClient' }),
    advanceClock: (ms) => call({ op: 'advanceClock', ms }),
    refreshToken: () => call({ op: 'refreshToken' }),
    login: () => call({ op: 'login' }),
    reopen: () => call({ op: 'reopen' }),
    received: () => call({ op: 'received' }),
    killAfterPushes: (pid, pushes) => call({ op: 'killAfterPushes', pid, pushes }),
    async close() {
      if (closed) return;
      closed = true;
      await call({ op: 'close' }).catch(() => undefined);
      child.kill();
    },
  };
}

/** Polls `read` until `predicate` holds; returns the last value read. */
export async function eventually<T>(read: () => Promise<T>, predicate: (v: T) => boolean, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (predicate(v)) return v;
    if (Date.now() > deadline) throw new Error(`condition not met in ${ms} ms; last value: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function statusWhere(ws: TestWorkstation, predicate: (s: SyncStatus) => boolean, ms = 10_000): Promise<SyncStatus> {
  return eventually(() => ws.status(), predicate, ms);
}

export function newPatient(marker: string, overrides: Partial<Patient> = {}): Patient {
  const now = new Date().toISOString();
  const base = {
    id: randomUUID(),
    birthName: `DUPONT-${marker}`,
    firstNames: ['Hélène'],
    birthDate: '1984-12-03',
    sex: 'F' as const,
    identityStatus: 'PROV' as const,
    contact: { addressLines: ['12 rue des Lilas'], postalCode: '76000', city: 'Rouen', country: 'FR', phones: [] },
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
  return PatientSchema.parse({ ...base, ...patientSearchKeys(base) });
}

export type { ReplicationClient };
