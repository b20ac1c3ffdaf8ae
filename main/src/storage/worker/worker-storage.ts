import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Worker } from 'node:worker_threads';
import type {
  BulkWriteRow,
  EventBulk,
  PreparedQuery,
  RxDocumentData,
  RxJsonSchema,
  RxStorage,
  RxStorageBulkWriteResponse,
  RxStorageChangeEvent,
  RxStorageCountResult,
  RxStorageInstance,
  RxStorageInstanceCreationParams,
  RxStorageQueryResult,
} from 'rxdb';
import { RXDB_VERSION } from 'rxdb';
import type { Observable } from 'rxjs';
import { Subject } from 'rxjs';
import { AppError } from '../../../../shared/src/errors';
import type { ChangeBulkWire, EngineSettings, InstanceMethod, OwnerToWorker, WorkerToOwner } from './protocol';
import { WORKER_ERROR_CODES, fromWireError } from './protocol';
import { workerBundleStaleReason } from './worker-bundle';
import type { WorkerEntry } from '../../platform/worker-entry';
import { spawnWorkerFrom } from '../../platform/worker-entry';

/** Where the worker's code is, and whether Node needs tsx to load it. */
export type { WorkerEntry } from '../../platform/worker-entry';

let sourceRunBundle: string | undefined;
let sourceRunBundleLog: ((line: string) => void) | undefined;

/**
 * In development this module is TypeScript run by tsx or vitest, and the worker entry is
 * the .ts file beside it, which plain Node cannot load. In the packaged app this code is
 * inside dist/main/index.js (esbuild bundle) and the worker is dist/main/storage-worker.js
 * beside it, built by scripts/build-main.mjs. Both stay inside app.asar: Electron has
 * read asar archives in worker threads since 18 (electron/electron#33216), and the
 * worker's `import 'better-sqlite3-multiple-ciphers'` must resolve in the same
 * node_modules as the main process does (its `bindings` dependency is not unpacked).
 * From source, a fresh bundle named by setStorageWorkerBundle (or `options.bundle`) is
 * used instead of the .ts entry (see worker-bundle.ts).
 */
export function resolveWorkerEntry(
  moduleUrl: string = import.meta.url,
  options: { readonly bundle?: string | undefined; readonly log?: (line: string) => void } = {
    bundle: sourceRunBundle,
    log: sourceRunBundleLog,
  },
): WorkerEntry {
  if (fileURLToPath(moduleUrl).endsWith('.ts')) {
    if (options.bundle !== undefined) {
      // Checked at every start: sources edited while the app runs make the bundle stale.
      const stale = workerBundleStaleReason(options.bundle);
      if (stale === undefined) return { url: pathToFileURL(options.bundle), loader: 'node' };
      options.log?.(`storage worker bundle not used (${stale}): starting the worker from source`);
    }
    return { url: new URL('./storage-worker.ts', moduleUrl), loader: 'tsx' };
  }
  return { url: new URL('./storage-worker.js', moduleUrl), loader: 'node' };
}

/**
 * Running from source (browser mode through the launcher): start storage workers from this
 * bundle (dist/main/storage-worker.js, built by the launcher) while it is fresh, from the
 * TypeScript sources otherwise. `undefined` goes back to the sources. No effect in the
 * packaged app, which always uses the bundle beside its own.
 */
export function setStorageWorkerBundle(bundle: string | undefined, log?: (line: string) => void): void {
  sourceRunBundle = bundle;
  sourceRunBundleLog = log;
}

function spawnWorker(entry: WorkerEntry): Worker {
  return spawnWorkerFrom(entry, 'storage-worker');
}

export type WorkerStorageSettings =
  | {
      readonly engine?: 'sqlcipher';
      readonly filename: string;
      /** Raw 256-bit key; it reaches the worker by postMessage only. */
      readonly key: Uint8Array;
      readonly mustExist?: boolean;
      readonly cacheKiB?: number;
    }
  | { readonly engine: 'memory' };

export type CreateWorkerRxStorageOptions = WorkerStorageSettings & {
  /** Override of the worker code (tests of the bundle, fault injection). */
  readonly entry?: WorkerEntry;
  /**
   * How long the worker may take to load and open the store before the start is given up
   * (default DEFAULT_START_TIMEOUT_MS). Only a worker that hangs waits this long: one that
   * fails to load, throws, exits or cannot open the store fails the start at once.
   */
  readonly startTimeoutMs?: number;
};

export type WorkerInstanceInternals = { readonly instanceId: number };
/** Passed through to the engine inside the worker. */
export type WorkerInstanceOptions = Readonly<Record<string, unknown>>;

export type WorkerRxStorage = {
  readonly storage: RxStorage<WorkerInstanceInternals, WorkerInstanceOptions>;
  /**
   * Lets the calls already sent finish (writes are committed, not cut), closes the
   * storage instances RxDB left open, then ends the worker. New calls fail with
   * STORAGE_CLOSED. Rejects with STORAGE_WORKER_CRASHED if the worker died meanwhile.
   */
  close(): Promise<void>;
  /** Called once if the worker dies: every pending and later call fails with the same error. */
  onCrash(listener: (error: AppError) => void): () => void;
};

type Pending = {
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  /** A bulkWrite's rows, kept until its answer: its change events refer to their documents. */
  readonly rows?: readonly { readonly document: unknown }[];
};

type State = 'running' | 'closing' | 'closed' | 'crashed';

class WorkerHost {
  private state: State = 'running';
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly changeSubjects = new Map<number, Subject<unknown>>();
  private readonly crashListeners = new Set<(error: AppError) => void>();
  private crashError: AppError | undefined;
  private lastWorkerError: unknown;
  private shutdownDone: (() => void) | undefined;
  private closePromise: Promise<void> | undefined;

  constructor(private readonly worker: Worker) {
    worker.on('message', (message: WorkerToOwner) => this.onMessage(message));
    worker.on('error', (error) => {
      this.lastWorkerError = error;
    });
    worker.on('exit', (exitCode) => this.onExit(exitCode));
  }

  private onMessage(message: WorkerToOwner): void {
    switch (message.type) {
      case 'result':
      case 'failed': {
        const p = this.pending.get(message.id);
        if (!p) return;
        this.pending.delete(message.id);
        if (message.type === 'result') p.resolve(message.value);
        else p.reject(fromWireError(message.error));
        break;
      }
      case 'changes':
        if (message.refs && !this.restoreDocuments(message.bulk, message.refs)) return;
        this.changeSubjects.get(message.instanceId)?.next(message.bulk);
        break;
      case 'shutdown-done':
        this.shutdownDone?.();
        break;
      case 'ready':
      case 'init-failed':
        break;
    }
  }

  private onExit(exitCode: number): void {
    if (this.state === 'closed') return;
    this.state = 'crashed';
    const cause = this.lastWorkerError ?? new Error(`storage worker exited with code ${exitCode}`);
    const error = new AppError(WORKER_ERROR_CODES.crashed, { exitCode }, { cause });
    this.crashError = error;
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.reject(error);
    this.shutdownDone?.();
    for (const listener of this.crashListeners) listener(error);
    this.crashListeners.clear();
  }

  /**
   * Puts back the documents the worker named instead of sending. The worker only names
   * documents of a bulkWrite still running, and posts the event before the bulkWrite's
   * answer, so the rows are still here; if not, the stream would be wrong: stop the worker.
   */
  private restoreDocuments(bulk: ChangeBulkWire, refs: readonly (readonly [number, number, number])[]): boolean {
    for (const [eventIndex, callId, rowIndex] of refs) {
      const row = this.pending.get(callId)?.rows?.[rowIndex];
      const event = bulk.events[eventIndex];
      if (!row || !event) {
        this.lastWorkerError = new Error('change event refers to an unknown write');
        void this.worker.terminate();
        return false;
      }
      event.documentData = row.document;
    }
    return true;
  }

  onCrash(listener: (error: AppError) => void): () => void {
    if (this.crashError) {
      listener(this.crashError);
      return () => undefined;
    }
    this.crashListeners.add(listener);
    return () => this.crashListeners.delete(listener);
  }

  get alive(): boolean {
    return this.state === 'running' || this.state === 'closing';
  }

  /** Accepts new calls: not closing, closed or crashed. */
  get running(): boolean {
    return this.state === 'running';
  }

  request(message: { type: 'create'; params: unknown } | Omit<Extract<OwnerToWorker, { type: 'call' }>, 'id'>): Promise<unknown> {
    if (this.state === 'crashed') return Promise.reject(this.crashError);
    if (this.state !== 'running') return Promise.reject(new AppError(WORKER_ERROR_CODES.closed));
    const id = this.nextId++;
    const rows =
      message.type === 'call' && message.method === 'bulkWrite'
        ? (message.args[0] as readonly { readonly document: unknown }[])
        : undefined;
    const promise = new Promise<unknown>((resolve, reject) => {
      this.pending.set(id, rows ? { resolve, reject, rows } : { resolve, reject });
    });
    try {
      this.worker.postMessage({ ...message, id } as OwnerToWorker);
    } catch (cause) {
      this.pending.delete(id);
      return Promise.reject(new AppError(WORKER_ERROR_CODES.operationFailed, { operation: message.type }, { cause }));
    }
    this.inFlight.add(promise);
    const forget = (): void => {
      this.inFlight.delete(promise);
    };
    promise.then(forget, forget);
    return promise;
  }

  changes(instanceId: number): Subject<unknown> {
    let subject = this.changeSubjects.get(instanceId);
    if (!subject) {
      subject = new Subject<unknown>();
      this.changeSubjects.set(instanceId, subject);
    }
    return subject;
  }

  forget(instanceId: number): void {
    this.changeSubjects.get(instanceId)?.complete();
    this.changeSubjects.delete(instanceId);
  }

  close(): Promise<void> {
    this.closePromise ??= this.doClose();
    return this.closePromise;
  }

  private async doClose(): Promise<void> {
    if (this.state === 'crashed') return;
    this.state = 'closing';
    while (this.inFlight.size > 0) {
      await Promise.allSettled([...this.inFlight]);
    }
    if (this.alive) {
      await new Promise<void>((resolve) => {
        this.shutdownDone = resolve;
        this.worker.postMessage({ type: 'shutdown' } satisfies OwnerToWorker);
      });
    }
    const crashed = !this.alive;
    this.state = 'closed';
    for (const id of [...this.changeSubjects.keys()]) this.forget(id);
    await this.worker.terminate();
    if (crashed && this.crashError) throw this.crashError;
  }
}

class WorkerStorageInstance<RxDocType>
  implements RxStorageInstance<RxDocType, WorkerInstanceInternals, WorkerInstanceOptions, unknown>
{
  readonly databaseName: string;
  readonly collectionName: string;
  readonly schema: Readonly<RxJsonSchema<RxDocumentData<RxDocType>>>;
  readonly options: WorkerInstanceOptions;
  readonly internals: WorkerInstanceInternals;
  private readonly changes$: Subject<unknown>;
  private closed: Promise<void> | undefined;

  constructor(
    private readonly host: WorkerHost,
    instanceId: number,
    params: RxStorageInstanceCreationParams<RxDocType, WorkerInstanceOptions>,
  ) {
    this.databaseName = params.databaseName;
    this.collectionName = params.collectionName;
    this.schema = params.schema;
    this.options = params.options;
    this.internals = { instanceId };
    this.changes$ = host.changes(instanceId);
  }

  private call<T>(method: InstanceMethod, args: readonly unknown[]): Promise<T> {
    return this.host.request({ type: 'call', instanceId: this.internals.instanceId, method, args }) as Promise<T>;
  }

  bulkWrite(rows: BulkWriteRow<RxDocType>[], context: string): Promise<RxStorageBulkWriteResponse<RxDocType>> {
    return this.call('bulkWrite', [rows, context]);
  }

  findDocumentsById(ids: string[], withDeleted: boolean): Promise<RxDocumentData<RxDocType>[]> {
    return this.call('findDocumentsById', [ids, withDeleted]);
  }

  query(preparedQuery: PreparedQuery<RxDocType>): Promise<RxStorageQueryResult<RxDocType>> {
    return this.call('query', [preparedQuery]);
  }

  count(preparedQuery: PreparedQuery<RxDocType>): Promise<RxStorageCountResult> {
    return this.call('count', [preparedQuery]);
  }

  getAttachmentData(documentId: string, attachmentId: string, digest: string): Promise<Blob> {
    return this.call('getAttachmentData', [documentId, attachmentId, digest]);
  }

  getChangedDocumentsSince(
    limit: number,
    checkpoint?: unknown,
  ): Promise<{ documents: RxDocumentData<RxDocType>[]; checkpoint: unknown }> {
    return this.call('getChangedDocumentsSince', [limit, checkpoint]);
  }

  changeStream(): Observable<EventBulk<RxStorageChangeEvent<RxDocType>, unknown>> {
    return this.changes$.asObservable() as Observable<EventBulk<RxStorageChangeEvent<RxDocType>, unknown>>;
  }

  cleanup(minimumDeletedTime: number): Promise<boolean> {
    return this.call('cleanup', [minimumDeletedTime]);
  }

  close(): Promise<void> {
    this.closed ??= this.end('close');
    return this.closed;
  }

  remove(): Promise<void> {
    if (this.closed) return Promise.reject(new AppError(WORKER_ERROR_CODES.closed));
    this.closed = this.end('remove');
    return this.closed;
  }

  private async end(method: 'close' | 'remove'): Promise<void> {
    try {
      // Once the host is closing, its shutdown closes every instance left open in the
      // worker, so close() has nothing left to do; remove() must not pretend it removed.
      if (this.host.running || method === 'remove') await this.call(method, []);
    } finally {
      this.host.forget(this.internals.instanceId);
    }
  }
}

function engineSettings(options: CreateWorkerRxStorageOptions): EngineSettings {
  if (options.engine === 'memory') return { engine: 'memory' };
  return {
    engine: 'sqlcipher',
    filename: options.filename,
    // A copy, so the transfer below detaches only our buffer, never the caller's key.
    key: new Uint8Array(options.key),
    ...(options.mustExist === undefined ? {} : { mustExist: options.mustExist }),
    ...(options.cacheKiB === undefined ? {} : { cacheKiB: options.cacheKiB }),
  };
}

/**
 * Generous on purpose: the worker loads its code (and, in development, tsx compiles it) and
 * opens the vault while the machine may be busy (a full test run on two cores, an antivirus
 * scan at login); a desktop app had rather wait than refuse to open. Real failures do not
 * wait for it (see startTimeoutMs).
 */
const DEFAULT_START_TIMEOUT_MS = 120_000;

/**
 * Starts a worker thread that owns the store, and returns an RxStorage that forwards every
 * storage-instance call to it. Rejects with the store's own AppError (wrong key, missing
 * file, …) or STORAGE_WORKER_START_FAILED.
 */
export async function createWorkerRxStorage(options: CreateWorkerRxStorageOptions): Promise<WorkerRxStorage> {
  const entry = options.entry ?? resolveWorkerEntry();
  const settings = engineSettings(options);
  let worker: Worker;
  try {
    worker = spawnWorker(entry);
  } catch (cause) {
    throw new AppError(WORKER_ERROR_CODES.startFailed, undefined, { cause });
  }

  await new Promise<void>((resolve, reject) => {
    let lastError: unknown;
    const timeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
    const timer = setTimeout(() => {
      fail(
        new AppError(WORKER_ERROR_CODES.startFailed, undefined, {
          cause: new Error(`storage worker not ready after ${timeoutMs} ms`),
        }),
      );
    }, timeoutMs);
    const onMessage = (message: WorkerToOwner): void => {
      if (message.type === 'ready') {
        cleanup();
        resolve();
      } else if (message.type === 'init-failed') {
        fail(fromWireError(message.error));
      }
    };
    const onError = (error: unknown): void => {
      lastError = error;
    };
    const onExit = (exitCode: number): void => {
      fail(
        new AppError(WORKER_ERROR_CODES.startFailed, undefined, {
          cause: lastError ?? new Error(`storage worker exited with code ${exitCode}`),
        }),
      );
    };
    function cleanup(): void {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    }
    function fail(error: AppError): void {
      cleanup();
      void worker.terminate();
      reject(error);
    }
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    const transfer = settings.engine === 'sqlcipher' ? [settings.key.buffer as ArrayBuffer] : [];
    worker.postMessage({ type: 'init', settings } satisfies OwnerToWorker, transfer);
  });

  const host = new WorkerHost(worker);
  const storage: RxStorage<WorkerInstanceInternals, WorkerInstanceOptions> = {
    name: 'worker',
    rxdbVersion: RXDB_VERSION,
    async createStorageInstance<RxDocType>(
      params: RxStorageInstanceCreationParams<RxDocType, WorkerInstanceOptions>,
    ): Promise<RxStorageInstance<RxDocType, WorkerInstanceInternals, WorkerInstanceOptions>> {
      const instanceId = (await host.request({ type: 'create', params })) as number;
      return new WorkerStorageInstance<RxDocType>(host, instanceId, params);
    },
  };
  return {
    storage,
    close: () => host.close(),
    onCrash: (listener) => host.onCrash(listener),
  };
}
