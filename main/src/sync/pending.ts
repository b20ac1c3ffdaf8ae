import type {
  MangoQuerySortPart,
  RxCollection,
  RxDocumentData,
  RxStorageInstance,
  RxStorageInstanceReplicationState,
} from 'rxdb';
import {
  getAssumedMasterState,
  getComposedPrimaryKeyOfDocumentData,
  getHeightOfRevision,
  getPrimaryFieldOfPrimaryKey,
  normalizeMangoQuery,
  prepareQuery,
  RX_META_LWT_MINIMUM,
  writeDocToDocState,
} from 'rxdb';
import type { RxReplicationState } from 'rxdb/plugins/replication';

const PAGE = 500;

/** The push checkpoint RxDB stored for this replication, if any. */
async function upstreamCheckpoint(internal: RxStorageInstanceReplicationState<unknown>): Promise<unknown> {
  const meta = internal.input.metaInstance;
  const id = getComposedPrimaryKeyOfDocumentData(meta.schema, { isCheckpoint: '1', itemId: 'up' });
  const [doc] = await meta.findDocumentsById([id], false);
  return (doc as { checkpointData?: unknown } | undefined)?.checkpointData;
}

type ChangeCheckpoint = { readonly id: string; readonly lwt: number };

/** Whether `a` comes after `b` in the storage's changes order (last write time, then id). */
function after(a: ChangeCheckpoint, b: unknown): boolean {
  if (b === undefined || b === null) return true;
  const other = b as ChangeCheckpoint;
  return a.lwt > other.lwt || (a.lwt === other.lwt && a.id > other.id);
}

/**
 * RxDB's getChangedDocumentsSince in two queries whose selectors are plain index ranges
 * (same last write time and a greater id, then a greater last write time), same order and
 * result. Its single `$or` query makes the storage read every document of the
 * checkpoint's write time and filter them one by one, and a pulled batch of 1,000
 * documents shares one write time: each page of a count re-read up to 1,000 documents.
 */
async function changesAfter<T>(
  instance: RxStorageInstance<T, unknown, unknown>,
  limit: number,
  checkpoint: ChangeCheckpoint | undefined,
): Promise<{ documents: RxDocumentData<T>[]; checkpoint: ChangeCheckpoint | undefined }> {
  const schema = instance.schema;
  const primary = getPrimaryFieldOfPrimaryKey(schema.primaryKey) as string;
  const sort = [{ '_meta.lwt': 'asc' }, { [primary]: 'asc' }] as MangoQuerySortPart<RxDocumentData<T>>[];
  const run = async (selector: Record<string, unknown>, n: number): Promise<RxDocumentData<T>[]> =>
    (await instance.query(prepareQuery(schema, normalizeMangoQuery(schema, { selector: selector as never, sort, skip: 0, limit: n })))).documents;
  const documents =
    checkpoint === undefined ? [] : await run({ '_meta.lwt': { $eq: checkpoint.lwt }, [primary]: { $gt: checkpoint.id } }, limit);
  if (documents.length < limit) {
    const later = checkpoint === undefined ? { $gte: RX_META_LWT_MINIMUM } : { $gt: checkpoint.lwt };
    documents.push(...(await run({ '_meta.lwt': later }, limit - documents.length)));
  }
  const last = documents[documents.length - 1];
  return {
    documents,
    checkpoint: last ? { id: String((last as Record<string, unknown>)[primary]), lwt: last._meta.lwt } : checkpoint,
  };
}

/**
 * Per replication, where the run of documents that are not pending, counted from the
 * push checkpoint, ends. Such a document cannot become pending where it is: its own state
 * changes only with a write, which gives it a new last write time and moves it after this
 * point, and what RxDB assumes the server holds for it changes only when a pull writes the
 * document too, or when a push or an equal pull makes the two the same. So a count starts
 * there instead of reading every pulled document again (during an initial sync RxDB's push
 * checkpoint trails the pulls by many batches). The run covers documents written by pulls
 * whatever their mark: RxDB 17 drops the downstream's `_meta.o` mark when it inserts a
 * document (only updates keep it), so a pulled new document is known only by being equal
 * to its assumed server state.
 */
const pulledPrefix = new WeakMap<object, ChangeCheckpoint>();

/** hashFunction(identifier) per replication: the mark RxDB's downstream leaves in `_meta.o.hash`. */
const identifierHashes = new WeakMap<object, Promise<string>>();

type PullMark = { readonly o?: { readonly _rev?: number; readonly hash?: string } } & Record<string, unknown>;

/**
 * Whether a fork document is exactly as the pull of this replication wrote it. RxDB's
 * downstream marks what it writes with `_meta.o = { _rev: height, hash: hash(identifier) }`
 * (and, only when the server sends revisions, which ours does not, `_meta[identifier] =
 * height`); a local write afterwards raises the revision height, so the mark no longer
 * matches. The same test RxDB's downstream uses to tell pulled states from local ones.
 */
function writtenByPull(doc: RxDocumentData<unknown>, identifier: string, identifierHash: string): boolean {
  const meta = doc._meta as unknown as PullMark;
  const height = getHeightOfRevision(doc._rev);
  if (meta[identifier] === height) return true;
  return meta.o !== undefined && meta.o.hash === identifierHash && meta.o._rev === height;
}

/**
 * Documents of the collection written on this workstation and not yet acknowledged by
 * the server: those changed since the push checkpoint whose state differs from what
 * RxDB assumes the server holds (exactly the test RxDB's upstream uses to decide what to
 * push). Documents written by the pull itself carry the replication's revision mark and
 * are not counted.
 */
export async function countPendingChanges<T>(state: RxReplicationState<T, unknown>, options: { tombstonesOnly?: boolean } = {}): Promise<number> {
  const internal = state.internalReplicationState as RxStorageInstanceReplicationState<T> | undefined;
  if (internal === undefined || state.isStopped()) return 0;
  const collection = state.collection as RxCollection<T>;
  const identifier = internal.input.identifier;
  let hashed = identifierHashes.get(internal);
  if (hashed === undefined) {
    hashed = Promise.resolve(internal.input.hashFunction(identifier));
    identifierHashes.set(internal, hashed);
  }
  const identifierHash = await hashed;
  let checkpoint = await upstreamCheckpoint(internal as RxStorageInstanceReplicationState<unknown>);
  const known = pulledPrefix.get(state);
  if (known !== undefined && after(known, checkpoint)) checkpoint = known;
  let prefixOpen = true;
  let pending = 0;
  const primary = collection.schema.primaryPath as string;
  for (;;) {
    const page = await changesAfter(collection.storageInstance, PAGE, checkpoint as ChangeCheckpoint | undefined);
    const all = page.documents as RxDocumentData<T>[];
    const unmarked = all.filter((d) => !writtenByPull(d as RxDocumentData<unknown>, identifier, identifierHash));
    const ids = unmarked.map((d) => String((d as Record<string, unknown>)[primary]));
    const assumed = ids.length > 0 ? await getAssumedMasterState(internal, ids) : {};
    const isPending = new Set<RxDocumentData<T>>();
    for (const [i, d] of unmarked.entries()) {
      const a = assumed[ids[i] as string];
      if (a === undefined || !internal.input.conflictHandler.isEqual(a.docData, writeDocToDocState(d, internal.hasAttachments, false), 'pending-count')) {
        isPending.add(d);
      }
    }
    if (prefixOpen) {
      // The run of documents that are not pending stays so where it is (see pulledPrefix).
      let i = 0;
      while (i < all.length && !isPending.has(all[i] as RxDocumentData<T>)) i++;
      const last = all[i - 1];
      if (last !== undefined) pulledPrefix.set(state, { id: String((last as Record<string, unknown>)[primary]), lwt: last._meta.lwt });
      prefixOpen = i === all.length;
    }
    for (const d of isPending) if (options.tombstonesOnly !== true || d._deleted) pending++;
    if (page.documents.length < PAGE) return pending;
    checkpoint = page.checkpoint;
  }
}
