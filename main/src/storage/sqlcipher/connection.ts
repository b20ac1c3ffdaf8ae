import Database from 'better-sqlite3-multiple-ciphers';
import { AppError } from '../../../../shared/src/errors';

export type SqlCipherDatabase = Database.Database;

export const KEY_BYTES = 32;

export type OpenSqlCipherOptions = {
  /** Raw 256-bit key. Never a passphrase: key derivation happens in the vault. */
  readonly key: Uint8Array;
  /** Refuse to create the file: used when opening an existing vault, so a missing file is an error, never a new empty store. */
  readonly mustExist?: boolean;
  readonly readonly?: boolean;
  /** Page cache in KiB (SQLite's negative cache_size). */
  readonly cacheKiB?: number;
};

/**
 * The PRAGMAs that make the file a standard SQLCipher 4 database (documented in the README):
 * any SQLCipher 4 opens it with `PRAGMA key = "x'<64 hex>'"` and default settings.
 */
export const SQLCIPHER_PRAGMAS = ["cipher = 'sqlcipher'", 'legacy = 4'] as const;

/**
 * WAL pages after which a commit checkpoints (SQLite's default is 1,000). Every checkpoint
 * decrypts the pages it copies from the -wal and encrypts them again into the database, and
 * a bulk write (an initial sync: thousands of documents per transaction, each in seven
 * B-trees) dirties the same index pages commit after commit: with 1,000 pages each commit
 * of a sync checkpointed its whole WAL. With 16,000 the storage worker's commit time of a
 * 20,000-document sync fell from 730-780 ms to 300-335 ms of its thread's CPU (about 22 µs
 * per document). 16,000 pages (64 MiB) lets a sync's transactions rewrite the same
 * pages in the -wal and copy them back once; the connection pool checkpoints once the
 * connection has been idle (see IDLE_CHECKPOINT_MS), so ordinary use does not keep a large
 * -wal, nor pay the longer checkpoint in the middle of a burst of writes.
 */
export const WAL_AUTOCHECKPOINT_PAGES = 16_000;

function rawKeyPragma(key: Uint8Array): string {
  if (key.byteLength !== KEY_BYTES) {
    throw new AppError('STORAGE_INVALID_KEY');
  }
  return `key = "x'${Buffer.from(key).toString('hex')}'"`;
}

/**
 * Opens (or creates) an encrypted database file and proves the key is right by reading the
 * schema: SQLCipher only fails on first read, and a wrong key must be an error here, before
 * anything is written.
 */
export function openSqlCipher(filename: string, options: OpenSqlCipherOptions): SqlCipherDatabase {
  let db: SqlCipherDatabase;
  try {
    db = new Database(filename, {
      fileMustExist: options.mustExist ?? false,
      readonly: options.readonly ?? false,
    });
  } catch (cause) {
    throw new AppError('STORAGE_OPEN_FAILED', undefined, { cause });
  }
  try {
    for (const p of SQLCIPHER_PRAGMAS) db.pragma(p);
    db.pragma(rawKeyPragma(options.key));
    db.prepare('SELECT count(*) AS n FROM sqlite_master').get();
  } catch (cause) {
    db.close();
    if (cause instanceof AppError) throw cause;
    const code = (cause as { code?: string }).code;
    if (code === 'SQLITE_NOTADB') throw new AppError('STORAGE_WRONG_KEY_OR_CORRUPT', undefined, { cause });
    throw new AppError('STORAGE_OPEN_FAILED', undefined, { cause });
  }
  if (!(options.readonly ?? false)) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
    // The -wal file keeps its largest size after a checkpoint unless told otherwise.
    db.pragma(`journal_size_limit = ${WAL_AUTOCHECKPOINT_PAGES * 4096}`);
  }
  db.pragma(`cache_size = -${Math.max(2048, Math.floor(options.cacheKiB ?? 64 * 1024))}`);
  db.pragma('temp_store = MEMORY');
  db.pragma('foreign_keys = ON');
  return db;
}
