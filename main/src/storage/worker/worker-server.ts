import type { RxStorage, RxStorageInstance, RxStorageInstanceCreationParams } from 'rxdb';
import { getChangedDocumentsSince } from 'rxdb';
import type { Subscription } from 'rxjs';
import type { ChangeBulkWire, EngineSettings, OwnerToWorker, WorkerToOwner } from './protocol';
import { toWireError } from './protocol';

/** The side of a MessagePort the worker needs; `parentPort` fits. */
export type WorkerPort = {
  on(event: 'message', listener: (message: unknown) => void): unknown;
  postMessage(message: WorkerToOwner): void;
};

// RxDB's storage types are generic over document, internals and options; across the
// thread boundary everything is data, so the worker handles them untyped.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyInstance = RxStorageInstance<any, any, any, any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyStorage = RxStorage<any, any>;

export type OpenEngine = (settings: EngineSettings) => Promise<AnyStorage>;

type Entry = {
  readonly instance: AnyInstance;
  readonly subscription: Subscription;
  /** Documents of the bulkWrites running now, by identity: [call id, row index]. */
  readonly writing: Map<object, readonly [number, number]>;
};

/**
 * RxDB storages put the written document object itself in the change event of an insert
 * or update (categorizeBulkWriteRows does, unless the collection has attachments). Those
 * documents came from the owner, which still holds them: the event names them instead of
 * cloning them back, so the owner's listeners get the very objects it wrote, as they would
 * in-process, and the owner's thread deserialises (and later collects) half as much.
 */
function changesMessage(
  instanceId: number,
  bulk: ChangeBulkWire,
  writing: ReadonlyMap<object, readonly [number, number]>,
): WorkerToOwner {
  if (writing.size === 0) return { type: 'changes', instanceId, bulk };
  const refs: [number, number, number][] = [];
  const events = bulk.events.map((event, index) => {
    const ref = typeof event.documentData === 'object' && event.documentData !== null ? writing.get(event.documentData) : undefined;
    if (!ref) return event;
    refs.push([index, ref[0], ref[1]]);
    return { ...event, documentData: undefined };
  });
  if (refs.length === 0) return { type: 'changes', instanceId, bulk };
  return { type: 'changes', instanceId, bulk: { ...bulk, events }, refs };
}

/**
 * Serves one RxStorage over a port: the owner sends `init` once, then creates storage
 * instances and calls their methods by id. Calls run concurrently, as they would
 * in-process; change events are forwarded in the order the instance emits them, and a
 * bulkWrite's change event is posted before its result, as in-process.
 */
export function serveStorage(port: WorkerPort, openEngine: OpenEngine): void {
  let storage: AnyStorage | undefined;
  const instances = new Map<number, Entry>();
  let nextInstanceId = 1;
  let shuttingDown = false;

  const post = (message: WorkerToOwner): void => port.postMessage(message);

  async function init(settings: EngineSettings): Promise<void> {
    try {
      storage = await openEngine(settings);
      post({ type: 'ready' });
    } catch (error) {
      post({ type: 'init-failed', error: toWireError(error, 'open') });
    }
  }

  async function create(id: number, params: unknown): Promise<void> {
    try {
      if (!storage || shuttingDown) throw new Error('storage not open');
      const instance: AnyInstance = await storage.createStorageInstance(
        params as RxStorageInstanceCreationParams<unknown, unknown>,
      );
      const instanceId = nextInstanceId++;
      const writing = new Map<object, readonly [number, number]>();
      const subscription = instance.changeStream().subscribe((bulk: ChangeBulkWire) => {
        post(changesMessage(instanceId, bulk, writing));
      });
      instances.set(instanceId, { instance, subscription, writing });
      post({ type: 'result', id, value: instanceId });
    } catch (error) {
      post({ type: 'failed', id, error: toWireError(error, 'createStorageInstance') });
    }
  }

  async function call(message: Extract<OwnerToWorker, { type: 'call' }>): Promise<void> {
    const { id, instanceId, method, args } = message;
    try {
      const entry = instances.get(instanceId);
      if (!entry) throw new Error(`no storage instance ${instanceId}`);
      const { instance } = entry;
      let value: unknown;
      switch (method) {
        case 'bulkWrite': {
          const rows = args[0] as { document: object }[];
          rows.forEach((row, index) => entry.writing.set(row.document, [id, index]));
          try {
            value = await instance.bulkWrite(rows as never, args[1] as string);
          } finally {
            for (const row of rows) entry.writing.delete(row.document);
          }
          break;
        }
        case 'findDocumentsById':
          value = await instance.findDocumentsById(args[0] as string[], args[1] as boolean);
          break;
        case 'query':
          value = await instance.query(args[0] as never);
          break;
        case 'count':
          value = await instance.count(args[0] as never);
          break;
        case 'getAttachmentData':
          value = await instance.getAttachmentData(args[0] as string, args[1] as string, args[2] as string);
          break;
        case 'getChangedDocumentsSince':
          value = instance.getChangedDocumentsSince
            ? await instance.getChangedDocumentsSince(args[0] as number, args[1])
            : await getChangedDocumentsSince(instance, args[0] as number, args[1]);
          break;
        case 'cleanup':
          value = await instance.cleanup(args[0] as number);
          break;
        case 'close':
        case 'remove':
          instances.delete(instanceId);
          entry.subscription.unsubscribe();
          await (method === 'close' ? instance.close() : instance.remove());
          value = null;
          break;
      }
      post({ type: 'result', id, value });
    } catch (error) {
      post({ type: 'failed', id, error: toWireError(error, method) });
    }
  }

  async function shutdown(): Promise<void> {
    shuttingDown = true;
    const open = [...instances.values()];
    instances.clear();
    // Instances RxDB did not close itself (owner forgot db.close()) are closed here so
    // SQLite checkpoints and releases the file before the thread ends.
    await Promise.allSettled(
      open.map(async ({ instance, subscription }) => {
        subscription.unsubscribe();
        await instance.close();
      }),
    );
    post({ type: 'shutdown-done' });
  }

  port.on('message', (raw) => {
    const message = raw as OwnerToWorker;
    switch (message.type) {
      case 'init':
        void init(message.settings);
        break;
      case 'create':
        void create(message.id, message.params);
        break;
      case 'call':
        void call(message);
        break;
      case 'shutdown':
        void shutdown();
        break;
    }
  });
}
