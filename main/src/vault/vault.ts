/* eslint-disable security/detect-non-literal-fs-filename -- every path here is inside the vault directory or backup file the caller chose; none comes from untrusted input. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ErrorPayload } from '../../../shared/src/errors';
import { AppError } from '../../../shared/src/errors';
import type { SqlCipherDatabase } from '../storage/sqlcipher/connection';
import { openSqlCipher } from '../storage/sqlcipher/connection';
import type { SQLCipherStorageSettings } from '../storage/sqlcipher/index';
import {
  fileExists,
  fsyncFile,
  publishExclusive,
  readFileIfExists,
  siblingTempPath,
  writeFileAtomic,
} from './atomic-file';
import type { KeyFile, KeystoreWrap, PassphraseWrap } from './key-file';
import { KEY_FILE_FORMAT, KEY_FILE_VERSION, parseKeyFileBytes, serializeKeyFile, wrapAad } from './key-file';
import type { Argon2idParams } from './key-wrap';
import {
  constantTimeEqual,
  DATABASE_KEY_BYTES,
  DEFAULT_KDF,
  deriveKek,
  kdfWeakerThan,
  KEK_BYTES,
  newKdfParams,
  open,
  seal,
} from './key-wrap';
import type { OsKeystore } from './os-keystore';
import { INSECURE_BACKENDS } from './os-keystore';
import { assertPassphraseAcceptable } from '../../../shared/src/security/passphrase-policy';
import { readAttempts, recordFailure, resetAttempts, retryAfterSeconds } from './unlock-attempts';

/** File names inside a vault directory. The database's -wal and -shm sit beside it. */
export const VAULT_FILES = {
  keyFile: 'vault-keys.json',
  database: 'clinic.sqlite',
  attempts: 'unlock-attempts.json',
} as const;

/**
 * A table the vault writes into the database at creation: unlock checks that the database
 * really belongs to the key file's vault, so an empty, truncated or swapped file is an
 * error and never an empty store that quietly takes the real one's place.
 */
export const VAULT_META_TABLE = 'clinic_vault_meta';

export type VaultPaths = {
  readonly dir: string;
  readonly keyFile: string;
  readonly database: string;
  readonly attempts: string;
};

export function vaultPaths(dir: string): VaultPaths {
  const abs = path.resolve(dir);
  return {
    dir: abs,
    keyFile: path.join(abs, VAULT_FILES.keyFile),
    database: path.join(abs, VAULT_FILES.database),
    attempts: path.join(abs, VAULT_FILES.attempts),
  };
}

export type VaultOptions = {
  /** Argon2id cost for new wraps; a stored wrap weaker than this is redone at the next passphrase unlock. */
  readonly kdf?: Argon2idParams;
  /** Clock in ms, for timestamps and the delay after failed attempts. */
  readonly now?: () => number;
};

export type CreateVaultOptions = VaultOptions & {
  /** Also wrap the key with the OS keystore; refused (nothing created) when it is unavailable or insecure. */
  readonly keystore?: OsKeystore;
};

const iso = (ms: number): string => new Date(ms).toISOString();

function rethrowAs(code: string, cause: unknown): never {
  if (cause instanceof AppError) throw cause;
  throw new AppError(code, undefined, { cause });
}

function copyKey(source: Uint8Array): Uint8Array {
  const key = new Uint8Array(DATABASE_KEY_BYTES);
  key.set(source);
  return key;
}

export function loadKeyFile(paths: VaultPaths): KeyFile {
  const raw = readFileIfExists(paths.keyFile);
  if (raw === undefined) {
    if (!fileExists(paths.database) && !fileExists(`${paths.database}-wal`))
      throw new AppError('VAULT_NOT_FOUND');
    throw new AppError('VAULT_KEYFILE_MISSING');
  }
  const parsed = parseKeyFileBytes(raw);
  if (!parsed.ok) throw new AppError(parsed.error.code, parsed.error.params);
  return parsed.value;
}

function assertDatabasePresent(paths: VaultPaths): void {
  if (!fileExists(paths.database)) throw new AppError('VAULT_DATABASE_MISSING');
}

/** SQLite's smallest page; a shorter file cannot hold the header SQLCipher wrote at creation. */
const MIN_DATABASE_BYTES = 512;

/**
 * Proves the key opens this vault's database and that it is the one created with the key
 * file. A too-short file is refused before SQLite sees it, because SQLite would happily turn
 * a zero-byte file into a fresh, empty database.
 */
export function verifyDatabase(
  databasePath: string,
  key: Uint8Array,
  vaultId: string,
  options: { readonly readonly?: boolean; readonly integrity?: boolean } = {},
): void {
  const size = fs.statSync(databasePath).size;
  if (size < MIN_DATABASE_BYTES) throw new AppError('VAULT_DATABASE_CORRUPT');
  let db: SqlCipherDatabase;
  try {
    db = openSqlCipher(databasePath, { key, mustExist: true, readonly: options.readonly ?? false });
  } catch (cause) {
    if (cause instanceof AppError && cause.code === 'STORAGE_WRONG_KEY_OR_CORRUPT') {
      throw new AppError('VAULT_DATABASE_CORRUPT', undefined, { cause });
    }
    const sqliteCode = (cause as { cause?: { code?: unknown } }).cause?.code;
    if (typeof sqliteCode === 'string' && sqliteCode.startsWith('SQLITE_CORRUPT')) {
      throw new AppError('VAULT_DATABASE_CORRUPT', undefined, { cause });
    }
    throw cause;
  }
  try {
    let row: unknown;
    try {
      row = db.prepare(`SELECT value FROM ${VAULT_META_TABLE} WHERE name = 'vault_id'`).get();
    } catch (cause) {
      throw new AppError('VAULT_DATABASE_CORRUPT', undefined, { cause });
    }
    if ((row as { value?: unknown } | undefined)?.value !== vaultId)
      throw new AppError('VAULT_DATABASE_CORRUPT');
    if (options.integrity) {
      let result: unknown;
      try {
        result = db.pragma('integrity_check', { simple: true });
      } catch (cause) {
        throw new AppError('VAULT_DATABASE_CORRUPT', undefined, { cause });
      }
      if (result !== 'ok') throw new AppError('VAULT_DATABASE_CORRUPT');
    }
  } finally {
    db.close();
  }
}

async function makePassphraseWrap(
  key: Uint8Array,
  passphrase: string,
  vaultId: string,
  kdfBase: Argon2idParams,
  now: number,
): Promise<PassphraseWrap> {
  const kdf = newKdfParams(kdfBase);
  const kek = await deriveKek(passphrase, kdf);
  try {
    return {
      kind: 'passphrase',
      createdAt: iso(now),
      kdf,
      aead: seal(kek, key, wrapAad(vaultId, 'passphrase')),
    };
  } finally {
    kek.fill(0);
  }
}

/** Opens the passphrase wrap; `undefined` for a wrong passphrase. */
export async function openPassphraseWrap(file: KeyFile, passphrase: string): Promise<Uint8Array | undefined> {
  const wrap = file.wraps.find((w): w is PassphraseWrap => w.kind === 'passphrase');
  if (!wrap) throw new AppError('VAULT_KEYFILE_CORRUPT');
  const kek = await deriveKek(passphrase, wrap.kdf);
  try {
    return open(kek, wrap.aead, wrapAad(file.vaultId, 'passphrase'));
  } finally {
    kek.fill(0);
  }
}

async function assertKeystoreUsable(keystore: OsKeystore): Promise<void> {
  const backend = keystore.backendName();
  if (INSECURE_BACKENDS.has(backend)) throw new AppError('VAULT_KEYSTORE_INSECURE', { backend });
  if (!(await keystore.isAvailable())) throw new AppError('VAULT_KEYSTORE_UNAVAILABLE');
}

async function openKeystoreWrap(
  file: KeyFile,
  wrap: KeystoreWrap,
  keystore: OsKeystore,
): Promise<{ key: Uint8Array; shouldReEncrypt: boolean }> {
  let kek: Uint8Array;
  let shouldReEncrypt: boolean;
  try {
    ({ plaintext: kek, shouldReEncrypt } = await keystore.decrypt(wrap.protectedKek));
  } catch (cause) {
    rethrowAs('VAULT_KEYSTORE_UNWRAP_FAILED', cause);
  }
  try {
    const key =
      kek.length === KEK_BYTES ? open(kek, wrap.aead, wrapAad(file.vaultId, 'os-keystore')) : undefined;
    if (!key) throw new AppError('VAULT_KEYSTORE_UNWRAP_FAILED');
    return { key, shouldReEncrypt };
  } finally {
    kek.fill(0);
  }
}

/**
 * Wraps the key for the keystore and proves the keystore gives the KEK back before the wrap
 * is trusted: a keystore that encrypts but cannot decrypt would otherwise only show up at the
 * next unlock.
 */
async function makeKeystoreWrap(
  key: Uint8Array,
  keystore: OsKeystore,
  vaultId: string,
  now: number,
): Promise<KeystoreWrap> {
  await assertKeystoreUsable(keystore);
  const kek = crypto.randomBytes(KEK_BYTES);
  try {
    let protectedKek: Uint8Array;
    try {
      protectedKek = await keystore.encrypt(kek);
    } catch (cause) {
      rethrowAs('VAULT_KEYSTORE_UNAVAILABLE', cause);
    }
    const wrap: KeystoreWrap = {
      kind: 'os-keystore',
      createdAt: iso(now),
      backend: keystore.backendName(),
      protectedKek,
      aead: seal(kek, key, wrapAad(vaultId, 'os-keystore')),
    };
    const check = await openKeystoreWrap(
      { format: KEY_FILE_FORMAT, version: KEY_FILE_VERSION, vaultId, createdAt: iso(now), wraps: [wrap] },
      wrap,
      keystore,
    );
    const same = constantTimeEqual(check.key, key);
    check.key.fill(0);
    if (!same) throw new AppError('VAULT_KEYSTORE_UNAVAILABLE');
    return wrap;
  } finally {
    kek.fill(0);
  }
}

function writeKeyFile(paths: VaultPaths, file: KeyFile): void {
  try {
    writeFileAtomic(paths.keyFile, serializeKeyFile(file));
  } catch (cause) {
    rethrowAs('VAULT_KEYFILE_WRITE_FAILED', cause);
  }
}

/**
 * Redoes a wrap right after an unlock (KDF cost raised, keystore asked for a fresh blob).
 * The unlock already succeeded, so a failure here is reported as a warning, not thrown.
 */
async function rewrapAfterUnlock(paths: VaultPaths, next: () => Promise<KeyFile>): Promise<ErrorPayload[]> {
  try {
    writeKeyFile(paths, await next());
    return [];
  } catch (cause) {
    return [cause instanceof AppError ? cause.toPayload() : { code: 'VAULT_KEYFILE_WRITE_FAILED' }];
  }
}

/** A vault whose key is in memory. Holds the only copy the vault made; `lock()` zeroes it. */
export class UnlockedVault {
  readonly dir: string;
  readonly databasePath: string;
  readonly vaultId: string;
  /** Non-fatal problems met while unlocking (e.g. a KDF upgrade that could not be saved). */
  readonly warnings: readonly ErrorPayload[];
  #key: Uint8Array | undefined;
  readonly #paths: VaultPaths;
  readonly #options: VaultOptions;
  readonly #connections = new Set<SqlCipherDatabase>();
  readonly #onLock: (() => void | Promise<void>)[] = [];
  #queue: Promise<unknown> = Promise.resolve();

  /** @internal Built by createVault / unlockVault / unlockVaultWithKeystore, which verify the key first. */
  constructor(
    paths: VaultPaths,
    vaultId: string,
    key: Uint8Array,
    options: VaultOptions,
    warnings: readonly ErrorPayload[] = [],
  ) {
    this.warnings = warnings;
    this.dir = paths.dir;
    this.databasePath = paths.database;
    this.vaultId = vaultId;
    this.#paths = paths;
    this.#options = options;
    this.#key = key;
  }

  get isLocked(): boolean {
    return this.#key === undefined;
  }

  /** The raw 256-bit SQLCipher key. Do not keep copies: lock() can only zero this one. */
  get key(): Uint8Array {
    if (!this.#key) throw new AppError('VAULT_LOCKED');
    return this.#key;
  }

  /**
   * Settings for getRxStorageSQLCipher, with `mustExist` set: the database was verified at
   * unlock, and if it vanished since, opening must fail rather than start an empty store.
   */
  rxStorageSettings(): SQLCipherStorageSettings {
    return { filename: this.databasePath, key: this.key, mustExist: true };
  }

  /** Opens a connection on the vault's database; lock() closes it. */
  openDatabase(options: { readonly readonly?: boolean } = {}): SqlCipherDatabase {
    const db = openSqlCipher(this.databasePath, {
      key: this.key,
      mustExist: true,
      readonly: options.readonly ?? false,
    });
    this.#connections.add(db);
    return db;
  }

  /**
   * Reads every page of the database (SQLCipher checks each page's HMAC) and runs SQLite's
   * integrity_check. Unlock only reads the first pages, so damage deeper in the file shows
   * up here, or at the first read of the damaged page. Cost grows with the file size.
   */
  checkIntegrity(): void {
    verifyDatabase(this.databasePath, this.key, this.vaultId, { integrity: true });
  }

  /** Registers something to close before the key is wiped (e.g. the RxDatabase); returns an unregister function. */
  onLock(close: () => void | Promise<void>): () => void {
    this.#onLock.push(close);
    return () => {
      const i = this.#onLock.indexOf(close);
      if (i >= 0) this.#onLock.splice(i, 1);
    };
  }

  /**
   * Closes what was opened through the vault, then zeroes the key. Idempotent. The key is
   * wiped even if a close callback throws; the first such error is rethrown afterwards.
   */
  async lock(): Promise<void> {
    if (!this.#key) return;
    let firstError: unknown;
    for (const close of this.#onLock.splice(0).reverse()) {
      try {
        await close();
      } catch (cause) {
        firstError ??= cause;
      }
    }
    for (const db of this.#connections) {
      try {
        if (db.open) db.close();
      } catch (cause) {
        firstError ??= cause;
      }
    }
    this.#connections.clear();
    this.#key.fill(0);
    this.#key = undefined;
    if (firstError !== undefined) throw firstError;
  }

  #exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task, task);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  #assertUnlocked(): void {
    if (!this.#key) throw new AppError('VAULT_LOCKED');
  }

  #now(): number {
    return (this.#options.now ?? Date.now)();
  }

  /** Reads the key file and checks it is still this vault's and still opens to this key. */
  #currentKeyFile(): KeyFile {
    const file = loadKeyFile(this.#paths);
    if (file.vaultId !== this.vaultId) throw new AppError('VAULT_KEYFILE_CORRUPT');
    return file;
  }

  /**
   * Re-wraps the database key under a new passphrase. Only the key file changes: the
   * database is not re-encrypted, so this is instant whatever the size of the records.
   */
  changePassphrase(oldPassphrase: string, newPassphrase: string): Promise<void> {
    return this.#exclusive(async () => {
      const key = this.key;
      assertPassphraseAcceptable(newPassphrase);
      if (oldPassphrase.normalize('NFC') === newPassphrase.normalize('NFC'))
        throw new AppError('VAULT_PASSPHRASE_UNCHANGED');
      const file = this.#currentKeyFile();
      const before = readAttempts(this.#paths.attempts, this.#now());
      const wait = retryAfterSeconds(before, this.#now());
      if (wait > 0)
        throw new AppError('VAULT_UNLOCK_THROTTLED', { failures: before.failures, retryAfterSeconds: wait });
      const opened = await openPassphraseWrap(file, oldPassphrase);
      const matches = opened !== undefined && constantTimeEqual(opened, key);
      opened?.fill(0);
      if (!matches) {
        const state = recordFailure(this.#paths.attempts, this.#now());
        throw new AppError('VAULT_WRONG_PASSPHRASE', {
          failures: state.failures,
          retryAfterSeconds: retryAfterSeconds(state, this.#now()),
        });
      }
      resetAttempts(this.#paths.attempts);
      const wrap = await makePassphraseWrap(
        key,
        newPassphrase,
        this.vaultId,
        this.#options.kdf ?? DEFAULT_KDF,
        this.#now(),
      );
      writeKeyFile(this.#paths, {
        ...file,
        wraps: [wrap, ...file.wraps.filter((w) => w.kind !== 'passphrase')],
      });
    });
  }

  /** Adds (or replaces) the OS-keystore wrap, so the next start can unlock without the passphrase. */
  enableKeystore(keystore: OsKeystore): Promise<void> {
    return this.#exclusive(async () => {
      const file = this.#currentKeyFile();
      const wrap = await makeKeystoreWrap(this.key, keystore, this.vaultId, this.#now());
      writeKeyFile(this.#paths, {
        ...file,
        wraps: [...file.wraps.filter((w) => w.kind !== 'os-keystore'), wrap],
      });
    });
  }

  /** Removes the OS-keystore wrap: from now on only the passphrase unlocks the vault. */
  disableKeystore(): Promise<void> {
    return this.#exclusive(async () => {
      this.#assertUnlocked();
      const file = this.#currentKeyFile();
      if (!file.wraps.some((w) => w.kind === 'os-keystore')) return;
      writeKeyFile(this.#paths, { ...file, wraps: file.wraps.filter((w) => w.kind !== 'os-keystore') });
    });
  }

  /** Backend name of the keystore wrap, or undefined when only the passphrase unlocks. */
  keystoreBackend(): string | undefined {
    const wrap = this.#currentKeyFile().wraps.find((w): w is KeystoreWrap => w.kind === 'os-keystore');
    return wrap?.backend;
  }
}

/**
 * Creates a vault in `dir` (created if needed): a random 256-bit database key, an empty
 * SQLCipher database, and the key file holding that key wrapped by the passphrase (and the
 * OS keystore when given). Refuses any directory that already holds a vault file.
 */
export async function createVault(
  dir: string,
  passphrase: string,
  options: CreateVaultOptions = {},
): Promise<UnlockedVault> {
  assertPassphraseAcceptable(passphrase);
  const now = (options.now ?? Date.now)();
  const kdfBase = options.kdf ?? DEFAULT_KDF;
  newKdfParams(kdfBase);
  if (options.keystore) await assertKeystoreUsable(options.keystore);
  const paths = vaultPaths(dir);
  const existing = [paths.keyFile, paths.database, `${paths.database}-wal`, `${paths.database}-shm`];
  if (existing.some(fileExists)) throw new AppError('VAULT_ALREADY_EXISTS');
  try {
    fs.mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  } catch (cause) {
    rethrowAs('VAULT_CREATE_FAILED', cause);
  }

  const random = crypto.randomBytes(DATABASE_KEY_BYTES);
  const key = copyKey(random);
  random.fill(0);
  const vaultId = crypto.randomUUID();
  const dbTmp = siblingTempPath(paths.database, 'creating');
  const keyTmp = siblingTempPath(paths.keyFile, 'creating');
  let databasePublished = false;
  try {
    const wraps: (PassphraseWrap | KeystoreWrap)[] = [
      await makePassphraseWrap(key, passphrase, vaultId, kdfBase, now),
    ];
    if (options.keystore) wraps.push(await makeKeystoreWrap(key, options.keystore, vaultId, now));
    const keyFile: KeyFile = {
      format: KEY_FILE_FORMAT,
      version: KEY_FILE_VERSION,
      vaultId,
      createdAt: iso(now),
      wraps,
    };

    const db = openSqlCipher(dbTmp, { key });
    try {
      db.exec(`CREATE TABLE ${VAULT_META_TABLE} (name TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT`);
      const insert = db.prepare(`INSERT INTO ${VAULT_META_TABLE} (name, value) VALUES (?, ?)`);
      insert.run('vault_id', vaultId);
      insert.run('created_at', iso(now));
    } finally {
      db.close();
    }
    // Closing the only connection checkpoints and removes the -wal; publishing the main file
    // alone would otherwise lose what the WAL still held.
    if (fileExists(`${dbTmp}-wal`)) throw new Error('WAL left after close');
    fsyncFile(dbTmp);

    fs.writeFileSync(keyTmp, serializeKeyFile(keyFile), { mode: 0o600, flag: 'wx' });
    fsyncFile(keyTmp);
    publishExclusive(dbTmp, paths.database);
    databasePublished = true;
    // The key file is the commit point: a crash before this line leaves no openable vault.
    publishExclusive(keyTmp, paths.keyFile);
    // A counter left by an earlier vault in this folder must not throttle the new one.
    resetAttempts(paths.attempts);
  } catch (cause) {
    for (const f of [dbTmp, `${dbTmp}-wal`, `${dbTmp}-shm`, keyTmp]) fs.rmSync(f, { force: true });
    if (databasePublished) fs.rmSync(paths.database, { force: true });
    key.fill(0);
    if ((cause as { code?: string }).code === 'EEXIST')
      throw new AppError('VAULT_ALREADY_EXISTS', undefined, { cause });
    rethrowAs('VAULT_CREATE_FAILED', cause);
  }
  return new UnlockedVault(paths, vaultId, key, options);
}

export type VaultStatus = {
  readonly vaultId: string;
  readonly createdAt: string;
  /** Backend of the OS-keystore wrap; undefined when only the passphrase unlocks. */
  readonly keystoreBackend: string | undefined;
  readonly kdf: Argon2idParams;
  /** Consecutive failed passphrase attempts and the wait before the next one, for the unlock screen. */
  readonly failures: number;
  readonly retryAfterSeconds: number;
};

/**
 * What the unlock screen needs before any attempt, read without the key and without writing
 * anything. Throws the same coded errors as unlock for a missing or damaged vault.
 */
export function inspectVault(dir: string, options: Pick<VaultOptions, 'now'> = {}): VaultStatus {
  const now = (options.now ?? Date.now)();
  const paths = vaultPaths(dir);
  const file = loadKeyFile(paths);
  assertDatabasePresent(paths);
  const passphrase = file.wraps.find((w): w is PassphraseWrap => w.kind === 'passphrase');
  if (!passphrase) throw new AppError('VAULT_KEYFILE_CORRUPT');
  const attempts = readAttempts(paths.attempts, now);
  const { algorithm, version, memoryKiB, iterations, parallelism } = passphrase.kdf;
  return {
    vaultId: file.vaultId,
    createdAt: file.createdAt,
    keystoreBackend: file.wraps.find((w): w is KeystoreWrap => w.kind === 'os-keystore')?.backend,
    kdf: { algorithm, version, memoryKiB, iterations, parallelism },
    failures: attempts.failures,
    retryAfterSeconds: retryAfterSeconds(attempts, now),
  };
}

/** A key that does not open this vault's database is wiped before the error leaves. */
function verifyDatabaseOrWipeKey(paths: VaultPaths, key: Uint8Array, vaultId: string): void {
  try {
    verifyDatabase(paths.database, key, vaultId);
  } catch (cause) {
    key.fill(0);
    throw cause;
  }
}

/**
 * Unlocks with the passphrase. A wrong passphrase throws VAULT_WRONG_PASSPHRASE with the
 * failure count and the wait before the next try; it changes nothing but the attempt counter
 * file. After FREE_ATTEMPTS failures, tries inside the wait throw VAULT_UNLOCK_THROTTLED
 * without deriving anything.
 */
export async function unlockVault(
  dir: string,
  passphrase: string,
  options: VaultOptions = {},
): Promise<UnlockedVault> {
  const clock = options.now ?? Date.now;
  const paths = vaultPaths(dir);
  const file = loadKeyFile(paths);
  assertDatabasePresent(paths);

  const before = readAttempts(paths.attempts, clock());
  const wait = retryAfterSeconds(before, clock());
  if (wait > 0)
    throw new AppError('VAULT_UNLOCK_THROTTLED', { failures: before.failures, retryAfterSeconds: wait });

  const key = await openPassphraseWrap(file, passphrase);
  if (!key) {
    const state = recordFailure(paths.attempts, clock());
    throw new AppError('VAULT_WRONG_PASSPHRASE', {
      failures: state.failures,
      retryAfterSeconds: retryAfterSeconds(state, clock()),
    });
  }
  verifyDatabaseOrWipeKey(paths, key, file.vaultId);
  resetAttempts(paths.attempts);

  const wanted = options.kdf ?? DEFAULT_KDF;
  const stored = file.wraps.find((w): w is PassphraseWrap => w.kind === 'passphrase');
  const warnings =
    stored && kdfWeakerThan(stored.kdf, wanted)
      ? await rewrapAfterUnlock(paths, async () => {
          const wrap = await makePassphraseWrap(key, passphrase, file.vaultId, wanted, clock());
          return { ...file, wraps: [wrap, ...file.wraps.filter((w) => w.kind !== 'passphrase')] };
        })
      : [];
  return new UnlockedVault(paths, file.vaultId, key, options, warnings);
}

/** Unlocks with the OS keystore wrap, if the vault has one and this session's keystore can open it. */
export async function unlockVaultWithKeystore(
  dir: string,
  keystore: OsKeystore,
  options: VaultOptions = {},
): Promise<UnlockedVault> {
  const clock = options.now ?? Date.now;
  const paths = vaultPaths(dir);
  const file = loadKeyFile(paths);
  assertDatabasePresent(paths);
  const wrap = file.wraps.find((w): w is KeystoreWrap => w.kind === 'os-keystore');
  if (!wrap) throw new AppError('VAULT_KEYSTORE_NOT_ENABLED');
  await assertKeystoreUsable(keystore);

  const { key, shouldReEncrypt } = await openKeystoreWrap(file, wrap, keystore);
  verifyDatabaseOrWipeKey(paths, key, file.vaultId);
  resetAttempts(paths.attempts);

  const warnings = shouldReEncrypt
    ? await rewrapAfterUnlock(paths, async () => {
        const fresh = await makeKeystoreWrap(key, keystore, file.vaultId, clock());
        return { ...file, wraps: [...file.wraps.filter((w) => w.kind !== 'os-keystore'), fresh] };
      })
    : [];
  return new UnlockedVault(paths, file.vaultId, key, options, warnings);
}
