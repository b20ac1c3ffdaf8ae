import type { CollectionName } from '../../../shared/src/schemas';
import { isCollectionName } from '../../../shared/src/schemas';
import type { StreamChange, StreamEventName } from '../../../shared/src/sync/protocol';
import type { Engine } from '../db/engine';
import type { AccessService, Clock, Principal } from '../types';
import type { ChangeNotice, ReplicationAudit } from './repository';
import { ACCESS_CHANNEL, latestSequence, readDocuments, REPLICATION_CHANNEL } from './repository';
import { auditRead } from './read-audit';

export type LiveSink = {
  readonly principal: Principal;
  send(event: StreamEventName, data: unknown): void;
  close(): void;
};

export type LiveHubDeps = {
  readonly engine: Engine;
  readonly access: AccessService;
  readonly audit: ReplicationAudit;
  readonly clock: Clock;
  readonly onError?: (error: unknown) => void;
  /** Milliseconds from a push's commit to this instance hearing of it. */
  readonly onNotice?: (lagMs: number) => void;
};

type Entry = { sink: LiveSink; queue: Promise<void> };

function parseNotice(payload: string): ChangeNotice | undefined {
  try {
    const value = JSON.parse(payload) as Partial<ChangeNotice>;
    if (
      isCollectionName(value.collection) &&
      Number.isSafeInteger(value.from) &&
      Number.isSafeInteger(value.to) &&
      (value.from ?? 0) <= (value.to ?? -1)
    ) {
      return value as ChangeNotice;
    }
  } catch {
    // A foreign payload on our channel is ignored.
  }
  return undefined;
}

/**
 * The live streams of this instance. Every instance listens on the engine's
 * 'replication' channel (LISTEN/NOTIFY on PostgreSQL), so a push committed through any
 * instance reaches the streams of all; each stream reads the committed range with its
 * own principal's scope, in notification order (one queue per stream).
 */
export class LiveHub {
  private readonly entries = new Set<Entry>();
  private readonly stops: (() => Promise<void>)[] = [];
  private stopped = false;
  private lastNotified = 0;

  constructor(private readonly deps: LiveHubDeps) {}

  get size(): number {
    return this.entries.size;
  }

  /** Highest sequence this instance heard of (for the replication lag metric). */
  get lastSequence(): number {
    return this.lastNotified;
  }

  async start(): Promise<void> {
    this.lastNotified = await latestSequence(this.deps.engine);
    this.stops.push(await this.deps.engine.listen(REPLICATION_CHANNEL, (payload) => this.onChange(payload)));
    this.stops.push(await this.deps.engine.listen(ACCESS_CHANNEL, (payload) => this.onAccess(payload)));
    const unsubscribe = this.deps.engine.onNotificationsLost?.(() => this.dropAll());
    if (unsubscribe) this.stops.push(async () => unsubscribe());
  }

  /** Registers a stream; the caller has already sent `resync`. Returns its removal. */
  add(sink: LiveSink): () => void {
    const entry: Entry = { sink, queue: Promise.resolve() };
    this.entries.add(entry);
    return () => {
      this.entries.delete(entry);
    };
  }

  private onChange(payload: string): void {
    const notice = parseNotice(payload);
    if (!notice || this.stopped) return;
    this.lastNotified = Math.max(this.lastNotified, notice.to);
    if (notice.at !== undefined) this.deps.onNotice?.(Date.now() - notice.at);
    for (const entry of this.entries) {
      entry.queue = entry.queue.then(() => this.deliver(entry, notice)).catch((error: unknown) => {
        // The stream can no longer be trusted to be complete: close it, the client
        // reconnects and gets `resync`.
        this.deps.onError?.(error);
        this.entries.delete(entry);
        entry.sink.close();
      });
    }
  }

  private async deliver(entry: Entry, notice: ChangeNotice): Promise<void> {
    if (!this.entries.has(entry)) return;
    const { engine, access, audit, clock } = this.deps;
    const principal = entry.sink.principal;
    const collection: CollectionName = notice.collection;
    const scope = access.readScope(principal);
    const nowIso = new Date(clock()).toISOString();
    const result = await engine.transaction(async (tx) => {
      const read = await readDocuments(
        tx,
        principal,
        scope,
        collection,
        { after: notice.from - 1, upTo: notice.to, limit: notice.to - notice.from + 1 },
        nowIso,
      );
      await auditRead(tx, audit, clock, principal, collection, read.documents.length, read.patientIds, 'stream');
      return read;
    });
    if (result.documents.length === 0 || !this.entries.has(entry)) return;
    const change: StreamChange = { collection, documents: result.documents, checkpoint: result.checkpoint };
    entry.sink.send('change', change);
  }

  private onAccess(payload: string): void {
    let parsed: { userId?: unknown; close?: unknown };
    try {
      parsed = JSON.parse(payload) as { userId?: unknown; close?: unknown };
    } catch {
      return;
    }
    const { userId } = parsed;
    const close = parsed.close === true;
    for (const entry of this.entries) {
      if (entry.sink.principal.userId !== userId) continue;
      entry.sink.send('access', {});
      // The user's sessions were revoked (account disabled): the stream ends now, not at the next heartbeat.
      if (close) {
        this.entries.delete(entry);
        entry.sink.close();
      }
    }
  }

  /**
   * Changes may have gone unheard: every stream is closed, and each client reconnects and
   * gets `resync`, which makes it pull what it missed.
   */
  dropAll(): void {
    for (const entry of this.entries) entry.sink.close();
    this.entries.clear();
  }

  /** Ends every stream (graceful shutdown) and stops listening. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const entry of this.entries) entry.sink.close();
    this.entries.clear();
    for (const stop of this.stops.splice(0)) await stop().catch(() => undefined);
  }
}
