import { createHash } from 'node:crypto';
import type { RxCollection, RxReplicationPullStreamItem } from 'rxdb';
import { prepareQuery } from 'rxdb';
import type { RxReplicationState } from 'rxdb/plugins/replication';
import { replicateRxCollection } from 'rxdb/plugins/replication';
import type { Observable, Subscription } from 'rxjs';
import {
  BehaviorSubject,
  concatMap,
  distinctUntilChanged,
  filter,
  firstValueFrom,
  map,
  merge,
  Subject,
  throttleTime,
} from 'rxjs';
import type { ErrorPayload } from '../../../shared/src/errors';
import { AppError, isAppError } from '../../../shared/src/errors';
import type { CollectionName } from '../../../shared/src/schemas';
import type { PatientNameParts } from '../../../shared/src/schemas';
import { COLLECTIONS, patientSearchKeys } from '../../../shared/src/schemas';
import type { SyncConflict } from '../../../shared/src/sync/conflicts';
import type { ReplicationCheckpoint, RejectedRow, WireDocument } from '../../../shared/src/sync/protocol';
import {
  MAX_PULL_BATCH,
  MAX_PUSH_BATCH,
  ReplicationCheckpointSchema,
  StreamChangeSchema,
} from '../../../shared/src/sync/protocol';
import type { ClinicDatabase } from '../db/clinic-database';
import type { PulledBatch, SyncApi } from './api';
import { createSyncApi } from './api';
import type { BackoffOptions } from './backoff';
import { createBackoff, DEFAULT_BACKOFF } from './backoff';
import { readEventStream } from './event-stream';
import { countPendingChanges } from './pending';
import { acceptPulledDocuments } from './pulled-documents';
import { purgeTombstones, removeLocalCopies } from './revocations';
import type { RightsGate } from './rights-gate';
import type { FetchLike, SyncSession } from './session';
import type { SyncCollections } from './sync-collections';
import { syncCollectionsOf } from './sync-collections';

export type SyncConnection = 'connecting' | 'online' | 'offline' | 'login-required' | 'stopped';

export type RejectedChange = {
  readonly collection: CollectionName;
  readonly documentId: string;
  readonly code: string;
  readonly at: string;
};

/** What the UI shows about replication; plain data, structured-cloneable (sent as the `sync:status` event). */
export type SyncStatus = {
  readonly connection: SyncConnection;
  /** Documents written on this workstation that the server has not acknowledged yet. */
  readonly pendingChanges: number;
  /** Last instant (ISO) a pull or push round trip succeeded. */
  readonly lastSyncAt: string | undefined;
  /** The current problem, cleared by the next success; its code is in the shared catalogue. */
  readonly error: ErrorPayload | undefined;
  /** Open records of the sync_conflict collection. */
  readonly unresolvedConflicts: number;
  /** Changes the server refused (not retried); kept until clearRejected(), which also clears a refused-change or invalid-document error. */
  readonly rejected: readonly RejectedChange[];
};

export type ReplicationClientOptions = {
  readonly db: ClinicDatabase;
  readonly serverUrl: string;
  readonly workstationId: string;
  readonly session: SyncSession;
  /**
   * The signed-in user, whose checkpoints these are. Defaults to the session's user; give
   * it when the client may start offline on a stored refresh token (the session does not
   * know its user before the first refresh).
   */
  readonly userId?: string;
  readonly fetch?: FetchLike;
  /** Milliseconds since the epoch. */
  readonly now?: () => number;
  readonly backoff?: BackoffOptions;
  readonly pullBatchSize?: number;
  readonly pushBatchSize?: number;
  /** Most frequent recount of pending changes while replication is active. */
  readonly statusDebounceMs?: number;
  /** Restricted records (GDPR Art. 18): refreshed with the revocations, enforced by the access choke point. */
  readonly rightsGate?: RightsGate;
};

export type ConflictChoice = 'local' | 'server';

export type ReplicationClient = {
  readonly status$: Observable<SyncStatus>;
  readonly status: SyncStatus;
  /** Open conflicts, oldest first, live. */
  readonly conflicts$: Observable<readonly SyncConflict[]>;
  /** Asks the server which patients this user lost and removes their local copies. */
  syncRevocations(): Promise<number>;
  /** Applies a person's choice for one recorded conflict ('server' keeps the document as merged). */
  resolveConflict(conflictId: string, choice: ConflictChoice): Promise<void>;
  clearRejected(): void;
  /** Resolves when every collection has pushed its local changes and pulled the server's. */
  awaitInSync(): Promise<void>;
  /** Pull now (e.g. after the user signs in again). */
  reSync(): void;
  readonly states: ReadonlyMap<CollectionName, RxReplicationState<unknown, unknown>>;
  stop(): Promise<void>;
};

/**
 * Checkpoints belong to a server and a user: on a vault shared by several users, one
 * user's pull checkpoints may have passed documents only another user may see, and the
 * revocation sequence is per user. So the replication identifier (RxDB keeps its
 * checkpoints and assumed server states under it) and the revocation checkpoint are keyed
 * by both; a user signing in on this vault for the first time pulls from the start.
 */
export function replicationIdentity(
  serverUrl: string,
  userId: string,
): { replicationIdentifier: string; revocationStateId: string } {
  const key = createHash('sha256').update(`${serverUrl}\u0000${userId}`, 'utf8').digest('hex');
  return {
    replicationIdentifier: `clinic-sync|${serverUrl}|${userId}`,
    // sync_state ids are at most 64 characters.
    revocationStateId: `revocations|${key.slice(0, 48)}`,
  };
}

const IDENTITIES_STATE_ID = 'replication-identities';

/**
 * Where the upstream of a user new to this vault starts. RxDB pushes every local document
 * it has no server state for under a new replication identifier: on a vault another user
 * already synchronised, that would be the whole vault pushed again in this user's name
 * (and refused for every patient they may not write). So such a user's pushes start at
 * the vault's current state: documents already there belong to the users who wrote them
 * and are pushed by their own sessions. A vault nobody synchronised yet starts from the
 * beginning, so work done offline before the first sync is pushed.
 */
async function upstreamStarts(
  db: ClinicDatabase,
  sync: SyncCollections,
  replicationIdentifier: string,
): Promise<Map<CollectionName, unknown>> {
  const key = createHash('sha256').update(replicationIdentifier, 'utf8').digest('hex').slice(0, 32);
  const stored = await sync.sync_state.findOne(IDENTITIES_STATE_ID).exec();
  const known = stored ? (JSON.parse(stored.value) as string[]) : [];
  const starts = new Map<CollectionName, unknown>();
  if (known.includes(key)) return starts;
  if (known.length > 0) {
    for (const entry of Object.values(COLLECTIONS)) {
      const collection = db.collections[entry.name] as unknown as RxCollection<unknown>;
      const primary = collection.schema.primaryPath as string;
      const query = prepareQuery(collection.storageInstance.schema, {
        selector: {},
        sort: [{ '_meta.lwt': 'desc' }, { [primary]: 'desc' }],
        skip: 0,
        limit: 1,
        index: ['_meta.lwt', primary],
      } as never);
      const [last] = (await collection.storageInstance.query(query)).documents as {
        _meta: { lwt: number };
      }[];
      if (last !== undefined)
        starts.set(entry.name, {
          id: String((last as Record<string, unknown>)[primary]),
          lwt: last._meta.lwt,
        });
    }
  }
  await sync.sync_state.upsert({ id: IDENTITIES_STATE_ID, value: JSON.stringify([...known, key]) });
  return starts;
}

async function userOf(options: ReplicationClientOptions): Promise<string> {
  if (options.userId !== undefined) return options.userId;
  if (options.session.user === undefined) await options.session.accessToken();
  const user = options.session.user;
  if (user === undefined) throw new AppError('SYNC_CLIENT_LOGIN_REQUIRED');
  return user.id;
}
/**
 * The stored attachments of documents, by id, looked up together: RxDB runs the pull
 * modifier of every document of a batch at once, and one storage read per document (a
 * worker round trip each, on the vault) made pulling a thousand documents with files
 * cost a thousand reads. Ids asked for in the same turn go in one findDocumentsById.
 */
function attachmentLookup(collection: RxCollection<unknown>): (id: string) => Promise<unknown> {
  let waiting:
    Map<string, { resolve: (value: unknown) => void; reject: (error: unknown) => void }[]> | undefined;
  const flush = (): void => {
    const batch = waiting;
    waiting = undefined;
    if (batch === undefined) return;
    const primary = collection.schema.primaryPath as string;
    collection.storageInstance.findDocumentsById([...batch.keys()], true).then(
      (docs) => {
        const found = new Map(
          docs.map((d) => [
            String((d as Record<string, unknown>)[primary]),
            (d as { _attachments?: unknown })._attachments,
          ]),
        );
        for (const [id, callers] of batch) for (const c of callers) c.resolve(found.get(id));
      },
      (error: unknown) => {
        for (const callers of batch.values()) for (const c of callers) c.reject(error);
      },
    );
  };
  return (id) =>
    new Promise((resolve, reject) => {
      if (waiting === undefined) {
        waiting = new Map();
        setImmediate(flush);
      }
      const callers = waiting.get(id) ?? [];
      callers.push({ resolve, reject });
      waiting.set(id, callers);
    });
}

/** Problems no retry will fix: they stay the current error until someone clears them. */
const STICKY_ERRORS = new Set(['SYNC_CLIENT_PUSH_REJECTED', 'SYNC_CLIENT_DOCUMENT_INVALID']);
const isSticky = (error: ErrorPayload | undefined): boolean =>
  error !== undefined && STICKY_ERRORS.has(error.code);
const MAX_REJECTED = 100;
/** Oldest the pending-change count may get while pulls keep the storage busy. */
const MAX_STALE_MS = 5_000;

function toPayload(e: unknown): ErrorPayload {
  if (isAppError(e)) return e.toPayload();
  return { code: 'UNKNOWN_ERROR' };
}

/**
 * Starts one RxDB replication per collection of the shared registry against the sync
 * server (`audit_event` push only), fed by one live Server-Sent Events connection.
 */
export async function createReplicationClient(options: ReplicationClientOptions): Promise<ReplicationClient> {
  const { db, session } = options;
  const now = options.now ?? Date.now;
  const iso = (): string => new Date(now()).toISOString();
  // openClinicDatabase creates the local collections and the conflict handlers with the others.
  const sync: SyncCollections = syncCollectionsOf(db);
  const identity = replicationIdentity(options.serverUrl, await userOf(options));
  const upstreamStart = await upstreamStarts(db, sync, identity.replicationIdentifier);
  const api: SyncApi = createSyncApi({
    serverUrl: options.serverUrl,
    session,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const backoffOptions = options.backoff ?? DEFAULT_BACKOFF;
  const requestBackoff = createBackoff(backoffOptions);
  const streamBackoff = createBackoff(backoffOptions);

  const status$ = new BehaviorSubject<SyncStatus>({
    connection: 'connecting',
    pendingChanges: 0,
    lastSyncAt: undefined,
    error: undefined,
    unresolvedConflicts: 0,
    rejected: [],
  });
  const patch = (p: Partial<SyncStatus>): void => status$.next({ ...status$.getValue(), ...p });
  let stopped = false;
  /** The live stream is connected (its events are being read). */
  let streamOpen = false;

  const states = new Map<CollectionName, RxReplicationState<unknown, unknown>>();
  const streams = new Map<
    CollectionName,
    Subject<RxReplicationPullStreamItem<unknown, ReplicationCheckpoint>>
  >();

  /**
   * Waits before a retry that end early when there is reason to think the server is back
   * (the live stream reconnected, another request succeeded, a new login) or someone asked
   * to sync now (reSync): a practitioner who sees "online" must not wait out a one-minute
   * backoff before the changes made offline leave the workstation. RxDB's own retry wait
   * (retryTime) cannot be cut short, so it is kept at 1 ms and the handlers wait here.
   */
  const retryWaiters = new Set<() => void>();
  const waitBeforeRetry = (ms: number): Promise<void> =>
    new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        retryWaiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      retryWaiters.add(done);
    });
  const retryNow = (): void => {
    for (const w of [...retryWaiters]) w();
  };

  const succeeded = (): void => {
    requestBackoff.succeed();
    retryNow();
    const cur = status$.getValue();
    patch({
      lastSyncAt: iso(),
      // A refused change or document stays the current error until someone has seen it (clearRejected).
      error: isSticky(cur.error) ? cur.error : undefined,
      // A failed request set 'offline' while the stream may have stayed open: with the stream
      // open, a success means online again (no reconnection will come to say so).
      connection:
        cur.connection === 'offline' || cur.connection === 'login-required' || cur.connection === 'connecting'
          ? streamOpen
            ? 'online'
            : 'connecting'
          : cur.connection,
    });
  };
  /** Records a failed request in the status; returns how long to wait before retrying it. */
  const failed = (e: unknown): number => {
    const delay = requestBackoff.fail();
    const error = toPayload(e);
    patch({
      error,
      ...(error.code === 'SYNC_CLIENT_LOGIN_REQUIRED'
        ? { connection: 'login-required' as const }
        : error.code === 'SYNC_CLIENT_OFFLINE'
          ? { connection: 'offline' as const }
          : {}),
    });
    return delay;
  };

  const accept = (collection: CollectionName, documents: readonly unknown[]): WireDocument[] => {
    const { accepted, refused } = acceptPulledDocuments(collection, documents);
    if (refused.length > 0) patch({ error: refused[refused.length - 1] });
    return accepted;
  };

  const rejectedRows = (collection: CollectionName, rows: readonly RejectedRow[]): void => {
    if (rows.length === 0) return;
    const at = iso();
    const added = rows.map((r) => ({ collection, documentId: r.id, code: r.code, at }));
    const rejected = [...status$.getValue().rejected, ...added].slice(-MAX_REJECTED);
    const last = added[added.length - 1] as RejectedChange;
    patch({
      rejected,
      error: {
        code: 'SYNC_CLIENT_PUSH_REJECTED',
        params: { collection, documentId: last.documentId, reason: last.code },
      },
    });
  };

  let signalStopped: () => void = () => undefined;
  const stoppedSignal = new Promise<void>((resolve) => (signalStopped = resolve));
  /** Resolves when the collection's upstream (push) is idle, or at stop. Never rejects. */
  const upstreamIdle = (collectionName: string): Promise<void> =>
    new Promise<void>((resolve) => {
      const up = (
        states.get(collectionName as CollectionName)?.internalReplicationState as
          { events?: { active?: { up?: BehaviorSubject<boolean> } } } | undefined
      )?.events?.active?.up;
      if (stopped || up === undefined || up.closed || up.isStopped || !up.getValue()) return resolve();
      const holder: { sub?: Subscription } = {};
      const done = (): void => {
        holder.sub?.unsubscribe();
        resolve();
      };
      holder.sub = up.subscribe({
        next: (active) => (active ? undefined : done()),
        complete: done,
        error: done,
      });
      void stoppedSignal.then(done);
    });

  const pullBatch = Math.min(options.pullBatchSize ?? MAX_PULL_BATCH, MAX_PULL_BATCH);
  for (const entry of Object.values(COLLECTIONS)) {
    const name = entry.name;
    const collection = db.collections[name] as unknown as RxCollection<unknown>;
    const stream = new Subject<RxReplicationPullStreamItem<unknown, ReplicationCheckpoint>>();
    streams.set(name, stream);
    /**
     * Files of documents (DICOM instances, scans) do not ride in the document stream: the
     * server drops `_attachments` and stores files in its attachment store, filled and read
     * by attachment-sync.ts. So they are not sent here (a push body of images would only
     * hit the size limit), and a document pulled back keeps this workstation's attachments,
     * which RxDB would otherwise replace with none.
     */
    const withAttachments = entry.rxSchema.attachments !== undefined;
    const localAttachments = withAttachments ? attachmentLookup(collection) : undefined;
    const attachmentModifiers = localAttachments
      ? {
          push: (doc: Record<string, unknown>) => {
            const { _attachments: _a, ...rest } = doc;
            return rest;
          },
          pull: async (doc: Record<string, unknown>) => ({
            ...doc,
            _attachments: (await localAttachments(String(doc['id']))) ?? {},
          }),
        }
      : undefined;
    /**
     * RxDB asks for the next batch only once it has stored the previous one, so during an
     * initial sync the server and this workstation would take turns. After a full batch
     * the next one is requested at once and the server reads (and audits) it while this
     * workstation stores the current one. It is used only when RxDB then asks for exactly
     * that checkpoint and size (a stream event or a RESYNC in between moves the checkpoint
     * and it is dropped); either way it holds what a pull at that checkpoint returns.
     */
    let readAhead: { after: number; batchSize: number; response: Promise<PulledBatch> } | undefined;
    const state = replicateRxCollection<unknown, ReplicationCheckpoint>({
      replicationIdentifier: identity.replicationIdentifier,
      collection,
      live: true,
      // The backoff is waitBeforeRetry's (handlers wait there before throwing); RxDB's own
      // wait cannot be interrupted, and 0 is refused.
      retryTime: 1,
      autoStart: false,
      waitForLeadership: false,
      push: {
        ...(upstreamStart.has(name) ? { initialCheckpoint: upstreamStart.get(name) } : {}),
        batchSize: Math.min(options.pushBatchSize ?? 100, MAX_PUSH_BATCH),
        ...(attachmentModifiers ? { modifier: attachmentModifiers.push as never } : {}),
        handler: async (rows) => {
          try {
            const res = await api.push(name, {
              rows: rows.map((r) => ({
                assumedMasterState: (r.assumedMasterState ?? null) as WireDocument | null,
                newDocumentState: r.newDocumentState as WireDocument,
              })),
            });
            succeeded();
            // A refused row is not retried (it would be refused again): it is reported.
            rejectedRows(name, res.rejected);
            return res.conflicts as never[];
          } catch (e) {
            if (!stopped) await waitBeforeRetry(failed(e));
            throw e;
          }
        },
      },
      ...(entry.pushOnly
        ? {}
        : {
            pull: {
              batchSize: pullBatch,
              ...(attachmentModifiers ? { modifier: attachmentModifiers.pull as never } : {}),
              // RxDB holds a stream event that arrives during a push until the push ends
              // (firstValueFrom on its "upstream active" subject); a cancel completes that
              // subject under the wait and rxjs reports an EmptyError nobody can catch (seen
              // when a user switch closes the client during a first sync). Events are held
              // here instead, in order, until the push is over or the client stops (then
              // dropped), so RxDB's own wait always finds the upstream idle.
              stream$: stream.pipe(
                concatMap((ev) => upstreamIdle(name).then(() => ev)),
                filter(() => !stopped),
              ),
              handler: async (checkpoint: ReplicationCheckpoint | undefined, batchSize: number) => {
                try {
                  const parsed =
                    checkpoint === undefined ? undefined : ReplicationCheckpointSchema.safeParse(checkpoint);
                  const from = parsed?.success ? parsed.data : null;
                  const read = readAhead;
                  readAhead = undefined;
                  const res =
                    read !== undefined &&
                    from !== null &&
                    read.after === from.sequence &&
                    read.batchSize === batchSize
                      ? await read.response
                      : await api.pull(name, { checkpoint: from, batchSize });
                  if (res.documents.length === batchSize && !stopped) {
                    const response = api.pull(name, { checkpoint: res.checkpoint, batchSize });
                    // Its failure is reported when RxDB asks for that batch (a retry then pulls afresh).
                    response.catch(() => undefined);
                    readAhead = { after: res.checkpoint.sequence, batchSize, response };
                  }
                  succeeded();
                  return { documents: accept(name, res.documents) as never[], checkpoint: res.checkpoint };
                } catch (e) {
                  if (!stopped) await waitBeforeRetry(failed(e));
                  throw e;
                }
              },
            },
          }),
    });
    states.set(name, state as unknown as RxReplicationState<unknown, unknown>);
  }

  // ---- revocations
  let purgeDeferred = false;
  let revoking: Promise<number> | undefined;
  const syncRevocations = (): Promise<number> =>
    (revoking ??= (async () => {
      try {
        const stored = await sync.sync_state.findOne(identity.revocationStateId).exec();
        const parsed = stored ? ReplicationCheckpointSchema.safeParse(JSON.parse(stored.value)) : undefined;
        const res = await api.revocations(parsed?.success ? parsed.data : null);
        const { removed, purgeDeferred: deferred } = await removeLocalCopies(
          db,
          states,
          sync,
          res.patientIds,
        );
        purgeDeferred ||= deferred;
        // Stored only once the local copies are gone: a crash before that asks again.
        await sync.sync_state.upsert({
          id: identity.revocationStateId,
          value: JSON.stringify(res.checkpoint),
        });
        // Restrictions change with an `access` notice too (and are read at each connection);
        // asked after the purge, so a failure here never holds a purge back.
        if (options.rightsGate) await options.rightsGate.apply(await api.rightsState());
        return removed;
      } finally {
        revoking = undefined;
      }
    })());

  // ---- live stream
  let streamAbort = new AbortController();
  const runStream = async (): Promise<void> => {
    while (!stopped) {
      streamAbort = new AbortController();
      try {
        const res = await api.openStream(streamAbort.signal);
        streamBackoff.succeed();
        streamOpen = true;
        // The server is back: requests waiting out their backoff go now.
        retryNow();
        const cur = status$.getValue();
        patch({ connection: 'online', error: isSticky(cur.error) ? cur.error : undefined });
        // A (re)connection may have missed changes: every collection pulls from its checkpoint.
        for (const s of streams.values()) s.next('RESYNC');
        void syncRevocations().catch(failed);
        await readEventStream(
          res.body as ReadableStream<Uint8Array>,
          (event) => {
            if (event.event === 'resync') {
              for (const s of streams.values()) s.next('RESYNC');
            } else if (event.event === 'change') {
              let data: unknown;
              try {
                data = JSON.parse(event.data);
              } catch {
                data = undefined;
              }
              const change = StreamChangeSchema.safeParse(data);
              if (!change.success) {
                // Unreadable event: pulling from the checkpoint gets the same documents safely.
                for (const s of streams.values()) s.next('RESYNC');
                return;
              }
              streams.get(change.data.collection)?.next({
                documents: accept(change.data.collection, change.data.documents) as never[],
                checkpoint: change.data.checkpoint,
              });
            } else if (event.event === 'access') {
              // Patients lost are purged here; patients gained need nothing: the server gives
              // their documents new sequences, so they arrive as changes and on the next pull.
              void syncRevocations().catch(failed);
            }
          },
          streamAbort.signal,
        );
        streamOpen = false;
        if (!stopped)
          patch({ connection: 'offline', error: new AppError('SYNC_CLIENT_OFFLINE').toPayload() });
      } catch (e) {
        streamOpen = false;
        if (stopped) return;
        failed(e);
      }
      if (stopped) return;
      await waitBeforeRetry(streamBackoff.fail());
    }
  };

  // ---- status: pending changes and conflicts
  const subs: Subscription[] = [];
  /**
   * While a pull is storing documents (an initial sync: tens of thousands), a count would
   * read each newly stored document and its assumed server state back from the storage,
   * competing with the writes; pulls do not change what is pending (a pulled document is
   * never pending). So the count waits until the pulls are idle (their end sets active$
   * false, which schedules it), or until it is MAX_STALE_MS old. By then RxDB's push
   * checkpoint has passed the pulled documents, and the count reads almost nothing.
   */
  let countedAt = Number.NEGATIVE_INFINITY;
  const pulling = (): boolean =>
    [...states.values()].some(
      (s) =>
        (
          s.internalReplicationState as
            { events?: { active?: { down?: { getValue(): boolean } } } } | undefined
        )?.events?.active?.down?.getValue() === true,
    );
  const refreshPending = async (force = false): Promise<void> => {
    if (!force && pulling() && performance.now() - countedAt < MAX_STALE_MS) return;
    let pending = 0;
    for (const s of states.values()) pending += await countPendingChanges(s);
    countedAt = performance.now();
    if (!stopped) patch({ pendingChanges: pending });
    if (pending === 0 && purgeDeferred) purgeDeferred = !(await purgeTombstones(db, states));
  };
  let pendingRun: Promise<void> = Promise.resolve();
  const schedulePending = (force = false): void => {
    pendingRun = pendingRun.then(() => refreshPending(force)).catch(() => undefined);
  };
  const activity = merge(
    ...[...states.values()].flatMap((s) => [s.sent$, s.received$, s.active$]),
    ...Object.values(COLLECTIONS).map((e) => (db.collections[e.name] as unknown as RxCollection<unknown>).$),
  );
  // Throttled, not debounced: a long push is continuous activity, and the count must move during it.
  subs.push(
    activity
      .pipe(throttleTime(options.statusDebounceMs ?? 200, undefined, { leading: true, trailing: true }))
      .subscribe(() => schedulePending()),
  );
  subs.push(
    sync.sync_conflict
      .count({ selector: { status: 'open' } })
      .$.pipe(distinctUntilChanged())
      .subscribe((n) => patch({ unresolvedConflicts: n })),
  );
  const sessionOff = session.onChange(() => {
    if (session.loginRequired)
      patch({ connection: 'login-required', error: { code: 'SYNC_CLIENT_LOGIN_REQUIRED' } });
    else {
      requestBackoff.succeed();
      retryNow();
      for (const s of states.values()) s.reSync();
    }
  });

  for (const s of states.values()) {
    // Errors are already in the status (failed()); RxDB also reports its own here.
    subs.push(s.error$.subscribe(() => undefined));
  }
  await Promise.all([...states.values()].map((s) => s.start()));
  const streamDone = runStream();
  schedulePending();

  const conflicts$: Observable<readonly SyncConflict[]> = sync.sync_conflict
    .find({ selector: { status: 'open' }, sort: [{ detectedAt: 'asc' }] })
    .$.pipe(map((docs) => docs.map((d) => d.toJSON() as SyncConflict)));

  return {
    status$: status$.asObservable(),
    get status() {
      return status$.getValue();
    },
    conflicts$,
    syncRevocations,
    async resolveConflict(conflictId, choice) {
      await resolveConflict(db, sync, conflictId, choice, iso());
    },
    clearRejected() {
      const cur = status$.getValue();
      patch({ rejected: [], error: isSticky(cur.error) ? undefined : cur.error });
    },
    async awaitInSync() {
      await Promise.all([...states.values()].map((s) => s.awaitInSync()));
      schedulePending(true);
      await pendingRun;
    },
    reSync() {
      // "Sync now": a request or a stream reconnection waiting out its backoff goes at once.
      requestBackoff.succeed();
      streamBackoff.succeed();
      retryNow();
      for (const s of states.values()) s.reSync();
    },
    states,
    async stop() {
      if (stopped) return;
      stopped = true;
      signalStopped();
      sessionOff();
      // Stream events can only be waiting inside RxDB if the stream was open (see below).
      const streamWasOpen = streamOpen;
      streamAbort.abort(new AppError('SYNC_CLIENT_CLOSED'));
      retryNow();
      for (const s of subs) s.unsubscribe();
      // A stream event RxDB received while a push runs waits for the push to end
      // (firstValueFrom on its "upstream active" subject); cancelling completes that subject
      // under it, and the wait rejects with rxjs's EmptyError where nobody catches it. With
      // the stream closed no new event comes: give pushes under way a moment to end first
      // (bounded, since a push retrying against an unreachable server never does).
      if (streamWasOpen)
        await Promise.all(
          [...states.values()].map((s) =>
            Promise.race([
              firstValueFrom(s.active$.pipe(filter((active) => !active))).catch(() => undefined),
              new Promise<void>((resolve) => setTimeout(resolve, 2_000).unref()),
            ]),
          ),
        );
      await Promise.all([...states.values()].map((s) => s.cancel()));
      await streamDone;
      await pendingRun;
      patch({ connection: 'stopped' });
      status$.complete();
    },
  };
}

/** Sets a dotted path of a plain document (objects created as needed); undefined removes the field. */
function setPath(doc: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur = doc;
  for (const part of parts.slice(0, -1)) {
    const next = cur[part];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) cur[part] = {};
    cur = cur[part] as Record<string, unknown>;
  }
  const last = parts[parts.length - 1] as string;
  if (value === undefined) Reflect.deleteProperty(cur, last);
  else cur[last] = value;
}

async function resolveConflict(
  db: ClinicDatabase,
  sync: SyncCollections,
  conflictId: string,
  choice: ConflictChoice,
  at: string,
): Promise<void> {
  const record = await sync.sync_conflict.findOne(conflictId).exec();
  if (record === null || record.status !== 'open') throw new AppError('SYNC_CLIENT_CONFLICT_NOT_FOUND');
  const collection = db.collections[record.collectionName] as unknown as RxCollection<
    Record<string, unknown>
  >;
  const doc = await collection.findOne(record.documentId).exec();
  if (record.path === '_deleted') {
    // The merge kept the document whichever side deleted it: choosing the deleting side deletes it now.
    if ((choice === 'local' ? record.localValue : record.serverValue) === 'true' && doc !== null)
      await doc.remove();
  } else if (choice === 'local') {
    const local = record.localValue === undefined ? undefined : (JSON.parse(record.localValue) as unknown);
    if (doc === null) throw new AppError('SYNC_CLIENT_CONFLICT_DOCUMENT_MISSING');
    await doc.incrementalModify((data) => {
      const next = structuredClone(data);
      if (record.path.startsWith('entries.') && Array.isArray(next['entries'])) {
        const entryId = record.path.slice('entries.'.length);
        const entries = next['entries'] as { id: string; signedAt?: string }[];
        const i = entries.findIndex((e) => e.id === entryId);
        // A signed entry is never rewritten: the local text would become an addendum, a person's act.
        if (i >= 0 && entries[i]?.signedAt !== undefined) return next;
        if (local === undefined) entries.splice(i, 1);
        else if (i >= 0) entries[i] = local as { id: string };
        else entries.push(local as { id: string });
      } else {
        setPath(next, record.path, local);
      }
      next['updatedAt'] = at;
      if (record.collectionName === 'patient')
        Object.assign(next, patientSearchKeys(next as unknown as PatientNameParts));
      return next;
    });
  }
  await record.incrementalPatch({ status: 'resolved', resolvedAt: at, resolution: choice });
}
