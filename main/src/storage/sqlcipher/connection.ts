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
 * decrypts the pages it copies from the -wal and encrypts them again into the database
 * (about 40 µs of CPU per 4 KiB page here: AES-256 and HMAC-SHA512 both ways), and a bulk
 * write (an initial sync: thousands of documents per transaction, each in seven B-trees,
 * plus RxDB's assumed server state) dirties the same index pages commit after commit.
 * A checkpoint copies only the last version of each page, so the fewer checkpoints in a
 * burst, the fewer copies:
 * - at 1,000 pages every commit of a sync checkpointed its whole -wal;
 * - at 16,000 a 50,000-patient initial sync (a 31,000-page vault) still checkpointed twice
 *   in its middle, 0.5 to 0.7 s of the storage worker's CPU each, while RxDB waited;
 * - at 64,000 (256 MiB of -wal at most) it checkpoints once, when the connection has been
 *   idle for IDLE_CHECKPOINT_MS: 12 to 20% more documents per second, and less checkpoint
 *   work in all (each page copied back once). Figures in `README.md` (Checkpoints).
 * Ordinary use never comes near: its writes are a few pages, checkpointed when idle.
 */
export const WAL_AUTOCHECKPOINT_PAGES = 64_000;

/**
 * The -wal file keeps its largest size after a checkpoint unless told otherwise: once a
 * checkpoint has copied everything back, SQLite truncates it to this size when it starts
 * it again, so a burst does not leave 256 MiB on the disk.
 */
export const WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;

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
    db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
  }
  db.pragma(`cache_size = -${Math.max(2048, Math.floor(options.cacheKiB ?? 64 * 1024))}`);
  db.pragma('temp_store = MEMORY');
  db.pragma('foreign_keys = ON');
  return db;
}
