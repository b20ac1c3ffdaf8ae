import type { Statement } from 'better-sqlite3-multiple-ciphers';
import type { RxDocumentData, RxJsonSchema } from 'rxdb';
import { getPrimaryFieldOfPrimaryKey, getSchemaByObjectPath, toArray } from 'rxdb';
import type { SqlCipherDatabase } from './connection';
import type { TableNames } from './sql-names';
import type { IndexKeyEncoder } from './index-encoding';
import { INDEX_ENCODING_VERSION, indexKeyEncoder } from './index-encoding';
import { quoteIdentifier } from './sql-names';

/** Bookkeeping table: which index layout each documents table was built with. */
export const LAYOUT_TABLE = 'rxdb_sqlcipher_layout';

export type IndexColumn<RxDocType> = {
  readonly fields: readonly string[];
  readonly key: string;
  readonly column: string;
  readonly encodeKey: IndexKeyEncoder<RxDocType>;
};

export type TableLayout<RxDocType> = {
  readonly tables: TableNames;
  readonly indexColumns: readonly IndexColumn<RxDocType>[];
  /** The index that cleanup() walks: deleted documents by last write time. */
  readonly cleanupIndex: IndexColumn<RxDocType>;
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
  if (!indexes.some((fields) => indexKey(fields) === indexKey(cleanupFields))) {
    indexes.push(cleanupFields);
  }
  const indexColumns = indexes.map((fields, i) => ({
    fields,
    key: indexKey(fields),
    column: `ix${i}`,
    encodeKey: indexKeyEncoder(schema, fields),
  }));
  const cleanupIndex = indexColumns.find((c) => c.key === indexKey(cleanupFields));
  if (!cleanupIndex) throw new Error('cleanup index missing from layout');
  // The index strings depend on the field types and bounds, not only on the field names.
  const fingerprint = JSON.stringify([
    INDEX_ENCODING_VERSION,
    ...indexes.map((fields) =>
      fields.map((field) => {
        const part = getSchemaByObjectPath(schema, field) as Record<string, unknown> | undefined;
        return [field, part?.type, part?.maxLength, part?.minimum, part?.maximum, part?.multipleOf];
      }),
    ),
  ]);
  return { tables, indexColumns, cleanupIndex, fingerprint };
}

function createDocumentsTable<RxDocType>(db: SqlCipherDatabase, layout: TableLayout<RxDocType>): void {
  const t = quoteIdentifier(layout.tables.documents);
  const ixColumns = layout.indexColumns.map((c) => `, ${c.column} BLOB NOT NULL`).join('');
  db.exec(`CREATE TABLE ${t} (id TEXT NOT NULL UNIQUE, data TEXT NOT NULL${ixColumns})`);
  for (const c of layout.indexColumns) {
    db.exec(
      `CREATE INDEX ${quoteIdentifier(`${layout.tables.documents}/${c.column}`)} ON ${t} (${c.column})`,
    );
  }
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
    if (exists && known === layout.fingerprint) return;
    let rows: { id: string; data: string }[] = [];
    if (exists) {
      rows = db
        .prepare(`SELECT id, data FROM ${quoteIdentifier(layout.tables.documents)}`)
        .all() as typeof rows;
      db.exec(`DROP TABLE ${quoteIdentifier(layout.tables.documents)}`);
    }
    createDocumentsTable(db, layout);
    const insert = prepareInsert(db, layout);
    for (const row of rows) {
      insert.run(insertParams(layout, row.id, JSON.parse(row.data) as RxDocumentData<RxDocType>));
    }
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
 * instead of failing the whole bulk on the UNIQUE constraint.
 */
export function prepareInsert<RxDocType>(db: SqlCipherDatabase, layout: TableLayout<RxDocType>): Statement {
  const columns = ['id', 'data', ...layout.indexColumns.map((c) => c.column)];
  const updates = columns
    .slice(1)
    .map((c) => `${c} = excluded.${c}`)
    .join(', ');
  return db.prepare(
    `INSERT INTO ${quoteIdentifier(layout.tables.documents)} (${columns.join(', ')}) ` +
      `VALUES (${columns.map(() => '?').join(', ')}) ON CONFLICT (id) DO UPDATE SET ${updates}`,
  );
}

/** `storedKey` is the id column's value: storedId() of the primary key. */
export function insertParams<RxDocType>(
  layout: TableLayout<RxDocType>,
  storedKey: string,
  doc: RxDocumentData<RxDocType>,
): unknown[] {
  const params: unknown[] = [storedKey, JSON.stringify(doc)];
  for (const c of layout.indexColumns) params.push(c.encodeKey(doc));
  return params;
}
