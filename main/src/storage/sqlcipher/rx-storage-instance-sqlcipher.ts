import type { Statement } from 'better-sqlite3-multiple-ciphers';
import type {
  BulkWriteRow,
  CategorizeBulkWriteRowsOutput,
  EventBulk,
  PreparedQuery,
  RxDocumentData,
  RxJsonSchema,
  RxStorageBulkWriteResponse,
  RxStorageChangeEvent,
  RxStorageCountResult,
  RxStorageDefaultCheckpoint,
  RxStorageInstance,
  RxStorageQueryResult,
} from 'rxdb';
import {
  categorizeBulkWriteRows,
  getChangedDocumentsSinceQuery,
  getPrimaryFieldOfPrimaryKey,
  getQueryMatcher,
  getSortComparator,
  INDEX_MAX,
  now,
  prepareQuery,
  RX_META_LWT_MINIMUM,
} from 'rxdb';
import type { Observable } from 'rxjs';
import { Subject } from 'rxjs';
import { AppError } from '../../../../shared/src/errors';
import type { SharedConnection, TableListener } from './connection-pool';
import { buildDeferredIndex, buildDeferredIndexes, releaseConnection } from './connection-pool';
import { encodeIndexBoundFields, encodeStringField } from './index-encoding';
import { quoteIdentifier, storedId } from './sql-names';
import { toStorageError } from './sqlite-errors';
import type { IndexColumn, TableLayout } from './table-layout';
import type { DocumentInserter } from './table-layout';
import {
  columnBound,
  createIndexSql,
  deferrableIndexColumns,
  documentInserter,
  dropTables,
  indexKey,
  indexName,
} from './table-layout';

/** Plain data only: the instance may be driven from a worker thread and its internals inspected across it. */
export type SQLCipherInternals = {
  readonly filename: string;
  readonly documentsTable: string;
  readonly attachmentsTable: string;
};

export type SQLCipherInstanceOptions = Readonly<Record<string, unknown>>;

/** How a range is read: every row in index order, one page (LIMIT/OFFSET), or a count. */
export type RangeMode = 'rows' | 'page' | 'count';

/** Statements of count(): the range counted up to a cap, and the count outside the range. */
type CountMode = 'count-capped' | 'count-outside';

/**
 * count() of a range: SQLite counts a whole table from its B-tree pages without visiting each
 * entry, while a range count steps through every index entry (3.5 ms for 100,000). So a range
 * of fewer than COUNT_DIRECT documents is counted directly; a larger one as the table's size
 * minus the documents outside the range, when fewer than COUNT_OUTSIDE lie on either side
 * (counting all live documents: only the deleted ones are outside); otherwise directly. The
 * probes are capped: at worst they cost COUNT_DIRECT + 2 × COUNT_OUTSIDE index steps more
 * than a direct count of a range that is at least COUNT_DIRECT long.
 */
const COUNT_DIRECT = 128;
const COUNT_OUTSIDE = 2048;

/**
 * A bulk load: an insert of at least this many documents into a table that holds fewer
 * documents than the insert brings (an initial sync's first pulled batch into an empty
 * collection, a large import). The table's secondary indexes are dropped in the same
 * transaction, and the documents that keep arriving go into the table and its UNIQUE id
 * only; each index is built again in one sorted pass when a query needs it, when the
 * connection has been idle for IDLE_CHECKPOINT_MS, or at the next open. Kept up document by
 * document instead, the seven indexes of a patient take each pulled document to random
 * pages of seven B-trees, which every commit of the sync encrypts again: a 50,000-patient
 * initial sync spent about a third of its storage worker's time on them, twice what
 * building them afterwards costs (see README.md, Bulk loads). Queries stay exact meanwhile:
 * the index a query needs is built before it runs.
 */
export const BULK_LOAD_MIN_ROWS = 1_000;

type Range = {
  readonly column: IndexColumn<unknown>;
  /** One value, or two for a split column: see columnBound(). */
  readonly lower: readonly string[];
  readonly upper: readonly string[];
  readonly inclusiveStart: boolean;
  readonly inclusiveEnd: boolean;
};

type StoredAttachment = { digest: string; type: string; data: Buffer };

export class RxStorageInstanceSQLCipher<RxDocType>
  implements
    RxStorageInstance<RxDocType, SQLCipherInternals, SQLCipherInstanceOptions, RxStorageDefaultCheckpoint>,
    TableListener
{
  readonly primaryPath: string;
  readonly internals: SQLCipherInternals;
  private closed = false;
  private readonly changes$ = new Subject<
    EventBulk<RxStorageChangeEvent<RxDocumentData<RxDocType>>, RxStorageDefaultCheckpoint>
  >();
  private readonly indexByKey: Map<string, IndexColumn<RxDocType>>;
  private readonly rangeStatements = new Map<string, Statement>();
  private readonly updateStatements = new Map<string, Statement>();
  /** The split [_meta.lwt, id] column that getChangedDocumentsSince() walks, when the layout has one. */
  private readonly changesColumn: IndexColumn<RxDocType> | undefined;
  private changesQuery: Statement | undefined;
  private pendingWrites = 0;
  private writeChain: Promise<void> = Promise.resolve();
  private readonly stmt: {
    readonly selectByIds: Statement;
    readonly insert: DocumentInserter<RxDocType>;
    readonly deleteById: Statement;
    readonly countUpTo: Statement;
    readonly putAttachment: Statement;
    readonly deleteAttachment: Statement;
    readonly deleteAttachmentsOfDoc: Statement;
    readonly getAttachment: Statement;
  };

  constructor(
    readonly databaseName: string,
    readonly collectionName: string,
    readonly schema: Readonly<RxJsonSchema<RxDocumentData<RxDocType>>>,
    readonly options: Readonly<SQLCipherInstanceOptions>,
    private readonly connection: SharedConnection,
    private readonly layout: TableLayout<RxDocType>,
  ) {
    this.primaryPath = getPrimaryFieldOfPrimaryKey(schema.primaryKey) as string;
    this.internals = {
      filename: connection.filename,
      documentsTable: layout.tables.documents,
      attachmentsTable: layout.tables.attachments,
    };
    // A deleted-only column holds no key for live documents: no query plan may read it.
    this.indexByKey = new Map(layout.indexColumns.filter((c) => !c.onlyDeleted).map((c) => [c.key, c]));
    const changesColumn = this.indexByKey.get(indexKey(['_meta.lwt', this.primaryPath]));
    this.changesColumn = changesColumn?.split ? changesColumn : undefined;
    const db = connection.db;
    const docs = quoteIdentifier(layout.tables.documents);
    const atts = quoteIdentifier(layout.tables.attachments);
    this.stmt = {
      selectByIds: db
        .prepare(`SELECT data FROM ${docs} WHERE id IN (SELECT value FROM json_each(?))`)
        .pluck(),
      insert: documentInserter(db, layout),
      deleteById: db.prepare(`DELETE FROM ${docs} WHERE id = ?`),
      countUpTo: db.prepare(`SELECT count(*) FROM (SELECT 1 FROM ${docs} LIMIT ?)`).pluck(),
      putAttachment: db.prepare(
        `INSERT INTO ${atts} (doc_id, att_id, digest, type, data) VALUES (?, ?, ?, ?, ?) ` +
          'ON CONFLICT (doc_id, att_id) DO UPDATE SET digest = excluded.digest, type = excluded.type, data = excluded.data',
      ),
      deleteAttachment: db.prepare(`DELETE FROM ${atts} WHERE doc_id = ? AND att_id = ?`),
      deleteAttachmentsOfDoc: db.prepare(`DELETE FROM ${atts} WHERE doc_id = ?`),
      getAttachment: db.prepare(`SELECT digest, type, data FROM ${atts} WHERE doc_id = ? AND att_id = ?`),
    };
    let listeners = connection.listeners.get(layout.tables.documents);
    if (!listeners) {
      listeners = new Set();
      connection.listeners.set(layout.tables.documents, listeners);
    }
    listeners.add(this);
  }

  onTableWrite(event: unknown): void {
    this.changes$.next(
      event as EventBulk<RxStorageChangeEvent<RxDocumentData<RxDocType>>, RxStorageDefaultCheckpoint>,
    );
  }

  bulkWrite(
    documentWrites: BulkWriteRow<RxDocType>[],
    context: string,
  ): Promise<RxStorageBulkWriteResponse<RxDocType>> {
    try {
      this.ensureUsable();
      const blobs = this.schema.attachments ? attachmentBlobsOf(documentWrites) : [];
      if (blobs.length === 0 && this.pendingWrites === 0) {
        return Promise.resolve(this.commitWrite(documentWrites, context, undefined));
      }
      // better-sqlite3 transactions are synchronous, so Blob contents are read before one starts;
      // the chain keeps writes committing in call order while their Blobs are being read.
      this.pendingWrites += 1;
      const bytes = readBlobs(blobs);
      const run = this.writeChain
        .then(async () => {
          const blobBytes = await bytes;
          this.ensureUsable();
          return this.commitWrite(documentWrites, context, blobBytes);
        })
        .finally(() => {
          this.pendingWrites -= 1;
        });
      this.writeChain = run.then(
        () => undefined,
        () => undefined,
      );
      return run;
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  private commitWrite(
    documentWrites: BulkWriteRow<RxDocType>[],
    context: string,
    blobBytes: Map<Blob, Buffer> | undefined,
  ): RxStorageBulkWriteResponse<RxDocType> {
    let categorized: CategorizeBulkWriteRowsOutput<RxDocType>;
    const dropped = new Map<string, string>();
    try {
      categorized = this.connection.db.transaction(() =>
        this.writeInTransaction(documentWrites, context, blobBytes, dropped),
      )();
    } catch (cause) {
      throw toStorageError(cause, 'STORAGE_WRITE_FAILED');
    }
    // Only once committed: a rolled-back transaction took its DROP INDEX back with it.
    if (dropped.size > 0) this.connection.deferredIndexes.set(this.layout.tables.documents, dropped);
    this.connection.committed();
    const eventBulk = categorized.eventBulk;
    if (eventBulk.events.length > 0 && categorized.newestRow) {
      const last = categorized.newestRow.document;
      eventBulk.checkpoint = {
        id: last[this.primaryPath as keyof typeof last] as string,
        lwt: last._meta.lwt,
      };
      for (const listener of this.connection.listeners.get(this.layout.tables.documents) ?? []) {
        listener.onTableWrite(eventBulk);
      }
    }
    return { error: categorized.errors };
  }

  private writeInTransaction(
    documentWrites: BulkWriteRow<RxDocType>[],
    context: string,
    blobBytes: Map<Blob, Buffer> | undefined,
    dropped: Map<string, string>,
  ): CategorizeBulkWriteRowsOutput<RxDocType> {
    const storedIds = documentWrites.map((row) => storedId(this.idOf(row.document)));
    const docsInDb = this.loadByStoredIds(storedIds);
    const categorized = categorizeBulkWriteRows(
      this,
      this.primaryPath as never,
      docsInDb,
      documentWrites,
      context,
    );
    const inserts = categorized.bulkInsertDocs.map((row) => row.document);
    if (inserts.length >= BULK_LOAD_MIN_ROWS) this.startBulkLoad(inserts.length, dropped);
    // categorizeBulkWriteRows keeps the rows' order: when every row is an insert (an import,
    // a first replication), the ids are already in storage form.
    this.stmt.insert(
      inserts.length === documentWrites.length ? storedIds : inserts.map((doc) => storedId(this.idOf(doc))),
      inserts,
    );
    for (const row of categorized.bulkUpdateDocs) {
      this.updateRow(row.document, docsInDb.get(this.idOf(row.document)));
    }
    for (const att of [...categorized.attachmentsAdd, ...categorized.attachmentsUpdate]) {
      const bytes = blobBytes?.get(att.attachmentData.data);
      if (!bytes) throw new Error(`attachment data was not read before the write: ${att.attachmentId}`);
      this.stmt.putAttachment.run(
        storedId(att.documentId),
        storedId(att.attachmentId),
        att.digest,
        att.attachmentData.type,
        bytes,
      );
    }
    for (const att of categorized.attachmentsRemove) {
      this.stmt.deleteAttachment.run(storedId(att.documentId), storedId(att.attachmentId));
    }
    return categorized;
  }

  async findDocumentsById(ids: string[], withDeleted: boolean): Promise<RxDocumentData<RxDocType>[]> {
    this.ensureUsable();
    let byId: Map<string, RxDocumentData<RxDocType>>;
    try {
      byId = this.loadByIds(ids);
    } catch (cause) {
      throw toStorageError(cause, 'STORAGE_READ_FAILED');
    }
    // Same order as the ids asked for, as RxDB's own storages return.
    const result: RxDocumentData<RxDocType>[] = [];
    for (const id of ids) {
      const doc = byId.get(id);
      if (doc && (withDeleted || !doc._deleted)) result.push(doc);
    }
    return result;
  }

  async query(preparedQuery: PreparedQuery<RxDocType>): Promise<RxStorageQueryResult<RxDocType>> {
    this.ensureUsable();
    try {
      return { documents: this.runQuery(preparedQuery) };
    } catch (cause) {
      throw toStorageError(cause, 'STORAGE_READ_FAILED');
    }
  }

  private runQuery(preparedQuery: PreparedQuery<RxDocType>): RxDocumentData<RxDocType>[] {
    const { query, queryPlan } = preparedQuery;
    const skip = query.skip ? query.skip : 0;
    // typeof, not truthiness: `limit: 0` is a real limit.
    const limit = typeof query.limit === 'number' ? query.limit : Infinity;
    const skipPlusLimit = skip + limit;
    const range = this.rangeOf(preparedQuery);
    const mustResort = !queryPlan.sortSatisfiedByIndex;

    if (queryPlan.selectorSatisfiedByIndex && !mustResort) {
      const sqlLimit = Number.isFinite(limit) ? limit : -1;
      const data = this.rangeStatement(range, 'page').all(
        ...range.lower,
        ...range.upper,
        sqlLimit,
        skip,
      ) as string[];
      return data.map((d) => JSON.parse(d) as RxDocumentData<RxDocType>);
    }

    const matcher = queryPlan.selectorSatisfiedByIndex ? undefined : getQueryMatcher(this.schema, query);
    let rows: RxDocumentData<RxDocType>[] = [];
    if (skipPlusLimit > 0 || mustResort) {
      for (const data of this.rangeStatement(range, 'rows').iterate(
        ...range.lower,
        ...range.upper,
      ) as IterableIterator<string>) {
        const doc = JSON.parse(data) as RxDocumentData<RxDocType>;
        if (matcher && !matcher(doc)) continue;
        rows.push(doc);
        // Leaving the loop early resets the statement, so SQLite reads no further rows.
        if (!mustResort && rows.length >= skipPlusLimit) break;
      }
    }
    if (mustResort) rows = rows.sort(getSortComparator(this.schema, query));
    if (skip !== 0 || rows.length > skipPlusLimit) rows = rows.slice(skip, skipPlusLimit);
    return rows;
  }

  async count(preparedQuery: PreparedQuery<RxDocType>): Promise<RxStorageCountResult> {
    this.ensureUsable();
    try {
      const range = this.rangeOf(preparedQuery);
      if (preparedQuery.queryPlan.selectorSatisfiedByIndex) {
        return { count: this.countRange(range), mode: 'fast' };
      }
      const matcher = getQueryMatcher(this.schema, preparedQuery.query);
      let count = 0;
      for (const data of this.rangeStatement(range, 'rows').iterate(
        ...range.lower,
        ...range.upper,
      ) as IterableIterator<string>) {
        if (matcher(JSON.parse(data) as RxDocumentData<RxDocType>)) count += 1;
      }
      // Like RxDB's memory storage: the scan is bounded by the index range and runs in-process.
      return { count, mode: 'fast' };
    } catch (cause) {
      throw toStorageError(cause, 'STORAGE_READ_FAILED');
    }
  }

  /** The SQL plan SQLite chooses for this query: lets tests prove that a real index is searched. */
  explainQuery(preparedQuery: PreparedQuery<RxDocType>, mode: RangeMode = 'rows'): string[] {
    this.ensureUsable();
    const range = this.rangeOf(preparedQuery);
    this.ensureIndex(range.column as IndexColumn<RxDocType>);
    const sql = this.rangeSql(range, mode);
    const params =
      mode === 'page' ? [...range.lower, ...range.upper, -1, 0] : [...range.lower, ...range.upper];
    const plan = this.connection.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as {
      detail: string;
    }[];
    return plan.map((row) => row.detail);
  }

  /**
   * One SQL range on the [_meta.lwt, id] index: the rows strictly after the checkpoint's
   * (lwt, id) pair, in index order, as many as asked. RxDB's generic `$or` query instead starts
   * at the checkpoint's lwt and filters in JavaScript, so every page of a replicated batch
   * (whose documents share one lwt) re-read the batch up to the checkpoint.
   * The key rounds lwt to its schema precision (0.01, which is what RxDB's now() produces): the
   * exact test below keeps the generic query's answer should a stored lwt be finer than that.
   */
  async getChangedDocumentsSince(
    limit: number,
    checkpoint?: RxStorageDefaultCheckpoint,
  ): Promise<{ documents: RxDocumentData<RxDocType>[]; checkpoint: RxStorageDefaultCheckpoint }> {
    this.ensureUsable();
    const column = this.changesColumn;
    if (!column) {
      const prepared = prepareQuery(this.schema, getChangedDocumentsSinceQuery(this, limit, checkpoint));
      const { documents } = await this.query(prepared);
      return { documents, checkpoint: this.checkpointAfter(documents, checkpoint) };
    }
    const sinceLwt = checkpoint ? checkpoint.lwt : RX_META_LWT_MINIMUM;
    const sinceId = checkpoint ? checkpoint.id : '';
    const documents: RxDocumentData<RxDocType>[] = [];
    try {
      if (limit > 0) {
        for (const data of this.changesStatement(column).iterate(
          ...this.changesBound(column, sinceLwt, sinceId),
        ) as IterableIterator<string>) {
          const doc = JSON.parse(data) as RxDocumentData<RxDocType>;
          const lwt = doc._meta.lwt;
          if (lwt < sinceLwt || (lwt === sinceLwt && !(this.idOf(doc) > sinceId))) continue;
          documents.push(doc);
          // Leaving the loop resets the statement: SQLite reads no further rows.
          if (documents.length >= limit) break;
        }
      }
    } catch (cause) {
      throw toStorageError(cause, 'STORAGE_READ_FAILED');
    }
    return { documents, checkpoint: this.checkpointAfter(documents, checkpoint) };
  }

  /** The SQL plan of getChangedDocumentsSince(): lets tests prove that it searches the index. */
  explainChangedDocumentsSince(checkpoint?: RxStorageDefaultCheckpoint): string[] {
    this.ensureUsable();
    const column = this.changesColumn;
    if (!column) return [];
    this.ensureIndex(column);
    const plan = this.connection.db
      .prepare(`EXPLAIN QUERY PLAN ${this.changesSql(column)}`)
      .all(...this.changesBound(column, checkpoint?.lwt ?? RX_META_LWT_MINIMUM, checkpoint?.id ?? '')) as {
      detail: string;
    }[];
    return plan.map((row) => row.detail);
  }

  private checkpointAfter(
    documents: readonly RxDocumentData<RxDocType>[],
    checkpoint: RxStorageDefaultCheckpoint | undefined,
  ): RxStorageDefaultCheckpoint {
    const last = documents[documents.length - 1];
    return last ? { id: this.idOf(last), lwt: last._meta.lwt } : (checkpoint ?? { id: '', lwt: 0 });
  }

  /**
   * The bound is the checkpoint id's key without its terminator, just below the id's own key:
   * an id that extends the checkpoint's with spaces or control characters (`"a\x00"` after
   * `"a"`) is greater in JavaScript, as the generic query compares ids, but its key sorts
   * before the checkpoint's, as RxDB's padded strings do. Only the checkpoint's own row and
   * such ids lie between this bound and the checkpoint's key; the exact test decides for them.
   */
  private changesBound(column: IndexColumn<RxDocType>, lwt: number, id: string): [string, string] {
    const [lwtKey] = encodeIndexBoundFields(this.schema, column.fields.slice(0, 1), [lwt], 'lower');
    return [lwtKey ?? '', encodeStringField(id).slice(0, -1)];
  }

  private changesSql(column: IndexColumn<RxDocType>): string {
    const c = column.column;
    return `SELECT data FROM ${quoteIdentifier(this.layout.tables.documents)} WHERE (${c}, idk) > (?, ?) ORDER BY ${c}, idk`;
  }

  private changesStatement(column: IndexColumn<RxDocType>): Statement {
    this.ensureIndex(column);
    if (!this.changesQuery) this.changesQuery = this.connection.db.prepare(this.changesSql(column)).pluck();
    return this.changesQuery;
  }

  async getAttachmentData(documentId: string, attachmentId: string, digest: string): Promise<Blob> {
    this.ensureUsable();
    let row: StoredAttachment | undefined;
    try {
      row = this.stmt.getAttachment.get(storedId(documentId), storedId(attachmentId)) as
        StoredAttachment | undefined;
    } catch (cause) {
      throw toStorageError(cause, 'STORAGE_READ_FAILED');
    }
    if (!row || !digest || row.digest !== digest) {
      throw new AppError('STORAGE_ATTACHMENT_MISSING', { attachmentId });
    }
    return new Blob([row.data], { type: row.type });
  }

  changeStream(): Observable<
    EventBulk<RxStorageChangeEvent<RxDocumentData<RxDocType>>, RxStorageDefaultCheckpoint>
  > {
    this.ensureUsable();
    return this.changes$.asObservable();
  }

  async cleanup(minimumDeletedTime: number): Promise<boolean> {
    this.ensureUsable();
    const maxDeletionTime = now() - minimumDeletedTime;
    const index = this.layout.cleanupIndex;
    const range: Range = {
      column: index as IndexColumn<unknown>,
      lower: columnBound(index, encodeIndexBoundFields(this.schema, index.fields, [true, 0, ''], 'lower')),
      upper: columnBound(
        index,
        encodeIndexBoundFields(this.schema, index.fields, [true, maxDeletionTime, INDEX_MAX], 'upper'),
      ),
      inclusiveStart: false,
      inclusiveEnd: true,
    };
    try {
      this.connection.db.transaction(() => {
        const candidates = this.rangeStatement(range, 'rows').all(...range.lower, ...range.upper) as string[];
        for (const data of candidates) {
          const doc = JSON.parse(data) as RxDocumentData<RxDocType>;
          // The index string rounds the time to the schema's precision: compare the real value.
          if (!doc._deleted || doc._meta.lwt > maxDeletionTime) continue;
          const id = this.idOf(doc);
          this.stmt.deleteById.run(storedId(id));
          this.stmt.deleteAttachmentsOfDoc.run(storedId(id));
        }
      })();
    } catch (cause) {
      throw toStorageError(cause, 'STORAGE_WRITE_FAILED');
    }
    this.connection.committed();
    return true;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // Writes already accepted (waiting for their attachment bytes) still commit.
    await this.writeChain;
    if (this.closed) return;
    this.closed = true;
    this.connection.listeners.get(this.layout.tables.documents)?.delete(this);
    this.changes$.complete();
    releaseConnection(this.connection);
  }

  async remove(): Promise<void> {
    this.ensureUsable();
    try {
      dropTables(this.connection.db, this.layout.tables);
    } catch (cause) {
      throw toStorageError(cause, 'STORAGE_WRITE_FAILED');
    }
    this.connection.removedTables.add(this.layout.tables.documents);
    this.connection.deferredIndexes.delete(this.layout.tables.documents);
    await this.close();
  }

  /**
   * Rewrites only the index columns whose key changed: SQLite rewrites the entry of every index
   * whose column is SET, changed or not, and each rewritten entry dirties pages that must be
   * encrypted and written. A typical edit changes the two last-write-time indexes only.
   */
  private updateRow(doc: RxDocumentData<RxDocType>, before: RxDocumentData<RxDocType> | undefined): void {
    const params: unknown[] = [JSON.stringify(doc)];
    let shape = '';
    for (const column of this.layout.indexColumns) {
      const key = column.encodeKey(doc);
      const old = before ? column.encodeKey(before) : undefined;
      const changed = old === undefined || key !== old;
      shape += changed ? '1' : '0';
      if (changed) params.push(key);
    }
    params.push(storedId(this.idOf(doc)));
    let statement = this.updateStatements.get(shape);
    if (!statement) {
      const sets = ['data = ?'];
      this.layout.indexColumns.forEach((column, i) => {
        if (shape[i] === '1') sets.push(`${column.column} = ?`);
      });
      statement = this.connection.db.prepare(
        `UPDATE ${quoteIdentifier(this.layout.tables.documents)} SET ${sets.join(', ')} WHERE id = ?`,
      );
      this.updateStatements.set(shape, statement);
    }
    statement.run(params);
  }

  private loadByIds(ids: readonly string[]): Map<string, RxDocumentData<RxDocType>> {
    return this.loadByStoredIds(ids.map(storedId));
  }

  private loadByStoredIds(storedIds: readonly string[]): Map<string, RxDocumentData<RxDocType>> {
    const docs = new Map<string, RxDocumentData<RxDocType>>();
    for (const data of this.stmt.selectByIds.all(JSON.stringify(storedIds)) as string[]) {
      const doc = JSON.parse(data) as RxDocumentData<RxDocType>;
      docs.set(this.idOf(doc), doc);
    }
    return docs;
  }

  /**
   * Inside a write's transaction: when this insert is a bulk load (BULK_LOAD_MIN_ROWS),
   * drops the table's secondary indexes; `dropped` receives what builds them again.
   */
  private startBulkLoad(inserting: number, dropped: Map<string, string>): void {
    const table = this.layout.tables.documents;
    if (this.connection.deferredIndexes.has(table)) return;
    const present = this.stmt.countUpTo.get(inserting) as number;
    if (present >= inserting) return;
    for (const column of deferrableIndexColumns(this.layout)) {
      const name = indexName(this.layout, column);
      this.connection.db.exec(`DROP INDEX IF EXISTS ${quoteIdentifier(name)}`);
      dropped.set(name, createIndexSql(this.layout, column));
    }
  }

  /**
   * Builds now every index a bulk load left out of this collection's table (what the idle
   * moment after the load would do): for measurements that count that work with the load.
   */
  buildDeferredIndexes(): void {
    this.ensureUsable();
    try {
      buildDeferredIndexes(this.connection, this.layout.tables.documents);
    } catch (cause) {
      throw toStorageError(cause, 'STORAGE_WRITE_FAILED');
    }
  }

  /** Builds this column's index if a bulk load left it out: before any statement that reads by it. */
  private ensureIndex(column: IndexColumn<RxDocType>): void {
    if (buildDeferredIndex(this.connection, this.layout.tables.documents, indexName(this.layout, column))) {
      // The new index's pages are in the -wal: checkpointed once the connection is idle, like a write's.
      this.connection.committed();
    }
  }

  private idOf(doc: RxDocumentData<RxDocType>): string {
    return (doc as Record<string, unknown>)[this.primaryPath] as string;
  }

  private ensureUsable(): void {
    if (this.closed || this.connection.removedTables.has(this.layout.tables.documents)) {
      throw new AppError('STORAGE_CLOSED');
    }
  }

  private rangeOf(preparedQuery: PreparedQuery<RxDocType>): Range {
    const plan = preparedQuery.queryPlan;
    const column = this.indexByKey.get(indexKey(plan.index));
    if (!column) throw new AppError('STORAGE_INDEX_UNKNOWN', { index: indexKey(plan.index) });
    return {
      column: column as IndexColumn<unknown>,
      lower: columnBound(column, encodeIndexBoundFields(this.schema, plan.index, plan.startKeys, 'lower')),
      upper: columnBound(column, encodeIndexBoundFields(this.schema, plan.index, plan.endKeys, 'upper')),
      inclusiveStart: plan.inclusiveStart,
      inclusiveEnd: plan.inclusiveEnd,
    };
  }

  private countRange(range: Range): number {
    const capped = this.rangeStatement(range, 'count-capped').get(
      ...range.lower,
      ...range.upper,
      COUNT_DIRECT,
    ) as number;
    if (capped < COUNT_DIRECT) return capped;
    // One statement, so the three counts see the same snapshot.
    const [total, below, above] = this.rangeStatement(range, 'count-outside').get(
      ...range.lower,
      COUNT_OUTSIDE,
      ...range.upper,
      COUNT_OUTSIDE,
    ) as [number, number, number];
    if (below < COUNT_OUTSIDE && above < COUNT_OUTSIDE) return total - below - above;
    return this.rangeStatement(range, 'count').get(...range.lower, ...range.upper) as number;
  }

  private rangeSql(range: Range, mode: RangeMode | CountMode): string {
    const column = range.column;
    // A split column compares the pair (key without the primary key, idk): SQLite searches the
    // (ixN, idk) index with row-value bounds.
    const c = column.split ? `(${column.column}, idk)` : column.column;
    const p = column.split ? '(?, ?)' : '?';
    const deletedOnly = column.onlyDeleted ? ` AND ${column.column} IS NOT NULL` : '';
    const where = `${c} ${range.inclusiveStart ? '>=' : '>'} ${p} AND ${c} ${range.inclusiveEnd ? '<=' : '<'} ${p}${deletedOnly}`;
    const order = column.split ? `${column.column}, idk` : column.column;
    const table = quoteIdentifier(this.layout.tables.documents);
    if (mode === 'count') return `SELECT count(*) FROM ${table} WHERE ${where}`;
    if (mode === 'count-capped')
      return `SELECT count(*) FROM (SELECT 1 FROM ${table} WHERE ${where} LIMIT ?)`;
    if (mode === 'count-outside') {
      // Index columns are NOT NULL (deleted-only columns never reach a query), so every row
      // is below, inside or above the range.
      const below = `${c} ${range.inclusiveStart ? '<' : '<='} ${p}`;
      const above = `${c} ${range.inclusiveEnd ? '>' : '>='} ${p}`;
      return (
        `SELECT (SELECT count(*) FROM ${table}), ` +
        `(SELECT count(*) FROM (SELECT 1 FROM ${table} WHERE ${below} LIMIT ?)), ` +
        `(SELECT count(*) FROM (SELECT 1 FROM ${table} WHERE ${above} LIMIT ?))`
      );
    }
    const base = `SELECT data FROM ${table} WHERE ${where} ORDER BY ${order}`;
    return mode === 'page' ? `${base} LIMIT ? OFFSET ?` : base;
  }

  private rangeStatement(range: Range, mode: RangeMode | CountMode): Statement {
    this.ensureIndex(range.column as IndexColumn<RxDocType>);
    const key = `${range.column.column}|${String(range.inclusiveStart)}|${String(range.inclusiveEnd)}|${mode}`;
    let statement = this.rangeStatements.get(key);
    if (!statement) {
      statement = this.connection.db.prepare(this.rangeSql(range, mode));
      if (mode === 'count-outside') statement.raw();
      else statement.pluck();
      this.rangeStatements.set(key, statement);
    }
    return statement;
  }
}

function attachmentBlobsOf<RxDocType>(rows: BulkWriteRow<RxDocType>[]): Blob[] {
  const blobs: Blob[] = [];
  for (const row of rows) {
    const attachments = (row.document as { _attachments?: Record<string, { data?: unknown }> })._attachments;
    if (!attachments) continue;
    for (const attachment of Object.values(attachments)) {
      if (attachment.data instanceof Blob) blobs.push(attachment.data);
    }
  }
  return blobs;
}

async function readBlobs(blobs: Blob[]): Promise<Map<Blob, Buffer>> {
  const buffers = await Promise.all(blobs.map(async (blob) => Buffer.from(await blob.arrayBuffer())));
  return new Map(blobs.map((blob, i) => [blob, buffers[i] as Buffer]));
}
