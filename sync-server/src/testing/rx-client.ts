import { createParser } from 'eventsource-parser';
import type { RxCollection, RxDatabase, RxReplicationPullStreamItem } from 'rxdb';
import { createRxDatabase } from 'rxdb';
import type { RxReplicationState } from 'rxdb/plugins/replication';
import { replicateRxCollection } from 'rxdb/plugins/replication';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { Subject } from 'rxjs';
import type { CollectionName } from '../../../shared/src/schemas';
import { rxSchemas } from '../../../shared/src/schemas';
import type { PullResponse, PushResponse, ReplicationCheckpoint, StreamChange } from '../../../shared/src/sync/protocol';
import { PullResponseSchema, PushResponseSchema, StreamChangeSchema } from '../../../shared/src/sync/protocol';

/**
 * A minimal RxDB workstation for the server's tests: an RxDatabase on RxDB's memory
 * storage replicating one collection through the real HTTP API with RxDB's own
 * replicateRxCollection (the product's client lives in main/src/sync). It can go
 * offline (handlers fail, stream closed) and drop its live stream on demand.
 */
export type RxWorkstation = {
  readonly db: RxDatabase;
  readonly collection: RxCollection;
  readonly replication: RxReplicationState<unknown, ReplicationCheckpoint>;
  /** Events received on the live stream, by name, in order. */
  readonly streamEvents: string[];
  setOnline(online: boolean): Promise<void>;
  /** Closes the live stream from the client side without going offline. */
  dropStream(): void;
  connectStream(): Promise<void>;
  close(): Promise<void>;
};

let databases = 0;

export async function openRxWorkstation(options: {
  readonly url: string;
  readonly token: string;
  readonly collection: CollectionName;
}): Promise<RxWorkstation> {
  const { url, token, collection: name } = options;
  databases += 1;
  const db = await createRxDatabase({ name: `ws${databases}x${Date.now()}`, storage: getRxStorageMemory(), multiInstance: false });
  await db.addCollections({ [name]: { schema: rxSchemas[name] } });
  const collection = db.collections[name] as RxCollection;
  let online = true;
  const stream$ = new Subject<RxReplicationPullStreamItem<unknown, ReplicationCheckpoint>>();
  const streamEvents: string[] = [];
  let abort: AbortController | undefined;
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

  const call = async (path: string, body: unknown): Promise<unknown> => {
    if (!online) throw new Error('offline');
    const response = await fetch(`${url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return response.json();
  };

  const connectStream = async (): Promise<void> => {
    abort?.abort();
    const controller = new AbortController();
    abort = controller;
    const response = await fetch(`${url}/v1/replication/stream`, {
      headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
      signal: controller.signal,
    });
    if (!response.ok || !response.body) throw new Error(`stream HTTP ${response.status}`);
    const parser = createParser({
      onEvent: (event) => {
        streamEvents.push(event.event ?? 'message');
        if (event.event === 'resync') stream$.next('RESYNC');
        if (event.event === 'change') {
          const change: StreamChange = StreamChangeSchema.parse(JSON.parse(event.data));
          if (change.collection === name) stream$.next({ documents: change.documents as never[], checkpoint: change.checkpoint });
        }
      },
    });
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    void (async () => {
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          parser.feed(decoder.decode(value, { stream: true }));
        }
      } catch {
        // Aborted or dropped: reconnecting sends `resync` again.
      }
    })();
  };

  const replication = replicateRxCollection<unknown, ReplicationCheckpoint>({
    replicationIdentifier: `sync-${name}`,
    collection,
    live: true,
    retryTime: 50,
    waitForLeadership: false,
    pull: {
      batchSize: 50,
      handler: async (checkpoint, batchSize) => {
        const result = PullResponseSchema.parse(
          await call(`/v1/replication/${name}/pull`, { checkpoint: checkpoint ?? null, batchSize }),
        ) as PullResponse;
        return { documents: result.documents as never[], checkpoint: result.checkpoint };
      },
      stream$: stream$.asObservable(),
    },
    push: {
      batchSize: 50,
      handler: async (rows) => {
        // RxDB leaves assumedMasterState out for a new document; the protocol wants null.
        const body = { rows: rows.map((r) => ({ assumedMasterState: r.assumedMasterState ?? null, newDocumentState: r.newDocumentState })) };
        const result = PushResponseSchema.parse(await call(`/v1/replication/${name}/push`, body)) as PushResponse;
        if (result.rejected.length > 0) throw new Error(`rejected: ${JSON.stringify(result.rejected)}`);
        return result.conflicts as never[];
      },
    },
  });
  await connectStream();

  return {
    db,
    collection,
    replication,
    streamEvents,
    async setOnline(value: boolean) {
      online = value;
      if (!value) abort?.abort();
      else await connectStream();
    },
    dropStream() {
      abort?.abort();
    },
    connectStream,
    async close() {
      abort?.abort();
      await replication.cancel();
      await db.close();
    },
  };
}
