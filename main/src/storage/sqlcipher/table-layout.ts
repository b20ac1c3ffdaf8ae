import type { Statement } from 'better-sqlite3-multiple-ciphers';
import type { RxDocumentData, RxJsonSchema } from 'rxdb';
import { getPrimaryFieldOfPrimaryKey, getSchemaByObjectPath, toArray } from 'rxdb';
import type { SqlCipherDatabase } from './connection';
import type { TableNames } from './sql-names';
import { encodeStringField, INDEX_ENCODING_VERSION, indexKeyEncoder } from './index-encoding';
import { quoteIdentifier } from './sql-names';

/** Bookkeeping table: which index layout each documents table was built with. */
export const LAYOUT_TABLE = 'rxdb_sqlcipher_layout';

export type IndexColumn<RxDocType> = {
  readonly fields: readonly string[];
  readonly key: string;
  readonly column: string;
  /**
   * The index ends with the primary key (RxDB appends it to every index it can): the column
   * holds the key of the other fields only, and the SQLite index is on (ixN, idk), `idk` being
   * the primary key's encoded field, stored once per row instead of once per index column.
   * Comparing the pair compares the concatenated key, as every encoded field is prefix-free.
   */
  readonly split: boolean;
  /** The column's value: the whole key, or without its primary key part when `split`; null where the column holds no key (see `onlyDeleted`). */
  readonly encodeKey: (doc: RxDocumentData<RxDocType>) => string | null;
  /**
   * The cleanup index when the schema does not declare it: only deleted documents have a key
   * (NULL otherwise) and the SQLite index is partial (`WHERE ixN IS NOT NULL`), so writing a
   * live document touches one B-tree less. No RxDB query plan can name it, and cleanup() only
   * asks for deleted documents, with an explicit `ixN IS NOT NULL` term that lets SQLite use
   * the partial index.
   */
  readonly onlyDeleted: boolean;
};

/** The values a range bound is compared with: [key] or, for a split column, [key without the primary key, idk]. */
export function columnBound<RxDocType>(column: IndexColumn<RxDocType>, fieldParts: readonly string[]): string[] {
  if (!column.split) return [fieldParts.join('')];
  return [fieldParts.slice(0, -1).join(''), fieldParts[fieldParts.length - 1] ?? ''];
}

export type TableLayout<RxDocType> = {
  readonly tables: TableNames;
  readonly indexColumns: readonly IndexColumn<RxDocType>[];
  /** The index that cleanup() walks: deleted documents by last write time. */
  readonly cleanupIndex: IndexColumn<RxDocType>;
  /** The `idk` column's value. */
  readonly encodeIdKey: (doc: RxDocumentData<RxDocType>) => string;
  readonly fingerprint: string;
};

export function indexKey(fields: readonly string[]): string {
  return fields.join(',');
}

export function buildLayout<RxDocType>(
  schema: RxJsonSchema<RxDocumentData<RxDocType>>,
  tables: TableNames,
): TableLayout<RxDocType> {
  const primaryPath = getPrimaryFieldOfPrimaryKey(schema.primaryKey) as string;
  const indexes: string[][] = (schema.indexes ?? []).map((index) => [...toArray(index)]);
  const cleanupFields = ['_deleted', '_meta.lwt', primaryPath];
  const declaredIndexes = indexes.length;
  if (!indexes.some((fields) => indexKey(fields) === indexKey(cleanupFields))) {
    indexes.push(cleanupFields);
  }
  const indexColumns = indexes.map((fields, i): IndexColumn<RxDocType> => {
    const split = fields.length > 1 && fields[fields.length - 1] === primaryPath;
    const encode = indexKeyEncoder(schema, split ? fields.slice(0, -1) : fields);
    const onlyDeleted = i >= declaredIndexes;
    return {
      fields,
      key: indexKey(fields),
      column: `ix${i}`,
      split,
      encodeKey: onlyDeleted ? (doc) => (doc._deleted ? encode(doc) : null) : encode,
      onlyDeleted,
    };
  });
  // RxDB primary keys are strings: the same part every key of the document ends with.
  const encodeIdKey = (doc: RxDocumentData<RxDocType>): string =>
    encodeStringField(((doc as Record<string, unknown>)[primaryPath] || '') as string);
  const cleanupIndex = indexColumns.find((c) => c.key === indexKey(cleanupFields));
  if (!cleanupIndex) throw new Error('cleanup index missing from layout');
  // The index strings depend on the field types and bounds, not only on the field names.
  const fingerprint = JSON.stringify([
    INDEX_ENCODING_VERSION,
    indexColumns.map((c) => [c.onlyDeleted ? 'deleted-only' : 'all', c.split ? 'split' : 'whole']),
    ...indexes.map((fields) =>
      fields.map((field) => {
        const part = getSchemaByObjectPath(schema, field) as Record<string, unknown> | undefined;
        return [field, part?.type, part?.maxLength, part?.minimum, part?.maximum, part?.multipleOf];
      }),
    ),
  ]);
  return { tables, indexColumns, cleanupIndex, encodeIdKey, fingerprint };
}

/** The SQLite name of an index column's index. */
export function indexName<RxDocType>(layout: TableLayout<RxDocType>, column: IndexColumn<RxDocType>): string {
  return `${layout.tables.documents}/${column.column}`;
}

/** The statement that builds an index column's SQLite index (IF NOT EXISTS: also to build one again). */
export function createIndexSql<RxDocType>(layout: TableLayout<RxDocType>, column: IndexColumn<RxDocType>): string {
  return (
    `CREATE INDEX IF NOT EXISTS ${quoteIdentifier(indexName(layout, column))} ON ${quoteIdentifier(layout.tables.documents)} ` +
    `(${column.column}${column.split ? ', idk' : ''})` +
    (column.onlyDeleted ? ` WHERE ${column.column} IS NOT NULL` : '')
  );
}

/**
 * The indexes a bulk load may leave out until they are needed (see BULK_LOAD_MIN_ROWS in
 * rx-storage-instance-sqlcipher.ts): every index of the layout but the partial cleanup one,
 * which holds nothing for live documents. The UNIQUE index on `id` always stays.
 */
export function deferrableIndexColumns<RxDocType>(layout: TableLayout<RxDocType>): readonly IndexColumn<RxDocType>[] {
  return layout.indexColumns.filter((c) => !c.onlyDeleted);
}

function createDocumentsTable<RxDocType>(db: SqlCipherDatabase, layout: TableLayout<RxDocType>): void {
  const t = quoteIdentifier(layout.tables.documents);
  const ixColumns = layout.indexColumns
    .map((c) => `, ${c.column} TEXT${c.onlyDeleted ? '' : ' NOT NULL'}`)
    .join('');
  db.exec(`CREATE TABLE ${t} (id TEXT NOT NULL UNIQUE, data TEXT NOT NULL, idk TEXT NOT NULL${ixColumns})`);
  for (const c of layout.indexColumns) db.exec(createIndexSql(layout, c));
}

/**
 * Creates the tables of one collection version, or rebuilds the index columns when the
 * schema's indexes changed under the same version (a developer edit RxDB's dev-mode may not
 * catch): stale index strings would silently return wrong query results.
 */
export function ensureTables<RxDocType>(db: SqlCipherDatabase, layout: TableLayout<RxDocType>): void {
  db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS ${LAYOUT_TABLE} (name TEXT PRIMARY KEY, fingerprint TEXT NOT NULL)`);
    db.exec(
      `CREATE TABLE IF NOT EXISTS ${quoteIdentifier(layout.tables.attachments)} (` +
        'doc_id TEXT NOT NULL, att_id TEXT NOT NULL, digest TEXT NOT NULL, type TEXT NOT NULL, data BLOB NOT NULL, ' +
        'UNIQUE (doc_id, att_id))',
    );
    const known = db
      .prepare(`SELECT fingerprint FROM ${LAYOUT_TABLE} WHERE name = ?`)
      .pluck()
      .get(layout.tables.documents) as string | undefined;
    const exists =
      db
        .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")
        .get(layout.tables.documents) !== undefined;
    if (exists && known === layout.fingerprint) {
      // A bulk load interrupted before its indexes were built again (the app quit or
      // crashed) left them out of the file: they are built now, before any query needs one.
      for (const c of layout.indexColumns) db.exec(createIndexSql(layout, c));
      return;
    }
    let rows: { id: string; data: string }[] = [];
    if (exists) {
      rows = db
        .prepare(`SELECT id, data FROM ${quoteIdentifier(layout.tables.documents)}`)
        .all() as typeof rows;
      db.exec(`DROP TABLE ${quoteIdentifier(layout.tables.documents)}`);
    }
    createDocumentsTable(db, layout);
    documentInserter(db, layout)(
      rows.map((row) => row.id),
      rows.map((row) => JSON.parse(row.data) as RxDocumentData<RxDocType>),
    );
    db.prepare(`INSERT OR REPLACE INTO ${LAYOUT_TABLE} (name, fingerprint) VALUES (?, ?)`).run(
      layout.tables.documents,
      layout.fingerprint,
    );
  })();
}

export function dropTables(db: SqlCipherDatabase, tables: TableNames): void {
  db.transaction(() => {
    db.exec(`DROP TABLE IF EXISTS ${quoteIdentifier(tables.documents)}`);
    db.exec(`DROP TABLE IF EXISTS ${quoteIdentifier(tables.attachments)}`);
    db.prepare(`DELETE FROM ${LAYOUT_TABLE} WHERE name = ?`).run(tables.documents);
  })();
}

/**
 * The same new id twice in one bulkWrite is not a conflict for RxDB's categorisation (neither
 * row is in the database yet): the last row wins, as with the bulkPut of RxDB's Dexie storage,
 * instead of failing the whole bulk on the UNIQUE constraint. SQLite applies the upsert row by
 * row, also between the rows of one multi-row INSERT.
 */
function prepareInsert<RxDocType>(
  db: SqlCipherDatabase,
  layout: TableLayout<RxDocType>,
  rows: number,
): Statement {
  const columns = ['id', 'data', 'idk', ...layout.indexColumns.map((c) => c.column)];
  const updates = columns
    .slice(1)
    .map((c) => `${c} = excluded.${c}`)
    .join(', ');
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  return db.prepare(
    `INSERT INTO ${quoteIdentifier(layout.tables.documents)} (${columns.join(', ')}) ` +
      `VALUES ${Array.from({ length: rows }, () => tuple).join(', ')} ON CONFLICT (id) DO UPDATE SET ${updates}`,
  );
}

/**
 * Rows per multi-row INSERT: a bulk insert steps one statement per chunk instead of one per
 * document, and binds one reused parameter array. 64 × (3 + index columns) parameters stay far
 * below SQLite's limit of 32766.
 */
const INSERT_CHUNK = 64;

/** Inserts (or, for a repeated id, overwrites) documents; `storedKeys[i]` is storedId() of `docs[i]`'s primary key. */
export type DocumentInserter<RxDocType> = (
  storedKeys: readonly string[],
  docs: readonly RxDocumentData<RxDocType>[],
) => void;

export function documentInserter<RxDocType>(
  db: SqlCipherDatabase,
  layout: TableLayout<RxDocType>,
): DocumentInserter<RxDocType> {
  const single = prepareInsert(db, layout, 1);
  // Prepared with the instance, not on its first bulk write: compiling it costs a bulk of a
  // thousand documents a few percent.
  const chunk = prepareInsert(db, layout, INSERT_CHUNK);
  const params: unknown[] = [];
  const columns = layout.indexColumns;
  const push = (storedKey: string | undefined, doc: RxDocumentData<RxDocType> | undefined): void => {
    if (storedKey === undefined || doc === undefined) throw new Error('insert rows and keys differ in length');
    params.push(storedKey, JSON.stringify(doc), layout.encodeIdKey(doc));
    for (const c of columns) params.push(c.encodeKey(doc));
  };
  return (storedKeys, docs) => {
    if (storedKeys.length !== docs.length) throw new Error('insert rows and keys differ in length');
    let i = 0;
    if (docs.length >= INSERT_CHUNK) {
      for (; i + INSERT_CHUNK <= docs.length; i += INSERT_CHUNK) {
        params.length = 0;
        for (let j = i; j < i + INSERT_CHUNK; j++) push(storedKeys[j], docs[j]);
        chunk.run(params);
      }
    }
    for (; i < docs.length; i++) {
      params.length = 0;
      push(storedKeys[i], docs[i]);
      single.run(params);
    }
  };
}
