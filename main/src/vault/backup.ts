/* eslint-disable security/detect-non-literal-fs-filename -- every path here is the vault directory or the backup file the caller chose, or a temp path derived from them. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Result } from '../../../shared/src/errors';
import { AppError, err, ok } from '../../../shared/src/errors';
import { openSqlCipher } from '../storage/sqlcipher/connection';
import {
  fileExists,
  fsyncDirectory,
  fsyncFile,
  publishExclusive,
  readFileIfExists,
  siblingTempPath,
} from './atomic-file';
import { KEY_FILE_MAX_BYTES, parseKeyFileBytes } from './key-file';
import { openPassphraseWrap, VAULT_FILES, vaultPaths, verifyDatabase } from './vault';
import type { UnlockedVault } from './vault';

/*
 * Backup container, one file:
 *
 *   "CLVAULTB"  u32-BE header length  header JSON  key file bytes  database bytes  HMAC-SHA256
 *
 * The database part is a VACUUM INTO snapshot, still encrypted by SQLCipher with the vault
 * key; the key file holds only wrapped keys. The trailing HMAC covers every byte before it,
 * with a key derived (HKDF) from the database key: only the vault's key can produce it, so
 * a backup that was cut, flipped or spliced from two vaults is refused as a whole.
 */
export const BACKUP_MAGIC = Buffer.from('CLVAULTB', 'ascii');
export const BACKUP_FORMAT = 'clinic-vault-backup';
export const BACKUP_VERSION = 1;
const PREFIX_BYTES = BACKUP_MAGIC.length + 4;
const MAC_BYTES = 32;
const MAX_HEADER_BYTES = 64 * 1024;
const CHUNK_BYTES = 1024 * 1024;
const SQLITE_PLAINTEXT_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

export type BackupHeader = {
  readonly format: typeof BACKUP_FORMAT;
  readonly version: typeof BACKUP_VERSION;
  readonly vaultId: string;
  readonly createdAt: string;
  readonly mac: 'hmac-sha256-hkdf';
  readonly keyFile: { readonly size: number; readonly sha256: string };
  readonly database: { readonly size: number; readonly sha256: string };
};

export type BackupErrorCode = 'VAULT_BACKUP_CORRUPT' | 'VAULT_BACKUP_UNSUPPORTED_VERSION';

const Entry = z.strictObject({
  size: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

const HeaderSchema = z.strictObject({
  format: z.literal(BACKUP_FORMAT),
  version: z.literal(BACKUP_VERSION),
  vaultId: z.uuid(),
  createdAt: z.iso.datetime({ offset: false }),
  mac: z.literal('hmac-sha256-hkdf'),
  keyFile: Entry.refine((e) => e.size > 0 && e.size <= KEY_FILE_MAX_BYTES),
  database: Entry.refine((e) => e.size >= 512),
});

/** Parses a backup header; the version is read first so a newer backup says so instead of "corrupt". */
export function parseBackupHeader(input: unknown): Result<BackupHeader, BackupErrorCode> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return err('VAULT_BACKUP_CORRUPT');
  const head = input as { format?: unknown; version?: unknown };
  if (head.format !== BACKUP_FORMAT) return err('VAULT_BACKUP_CORRUPT');
  if (typeof head.version !== 'number' || !Number.isSafeInteger(head.version) || head.version < 1) {
    return err('VAULT_BACKUP_CORRUPT');
  }
  if (head.version !== BACKUP_VERSION)
    return err('VAULT_BACKUP_UNSUPPORTED_VERSION', { version: head.version });
  const parsed = HeaderSchema.safeParse(input);
  return parsed.success ? ok(parsed.data) : err('VAULT_BACKUP_CORRUPT');
}

function macKey(databaseKey: Uint8Array, vaultId: string): Buffer {
  return Buffer.from(
    crypto.hkdfSync('sha256', databaseKey, Buffer.from(vaultId, 'utf8'), 'clinic-vault-backup-mac/1', 32),
  );
}

function sha256File(file: string): string {
  const hash = crypto.createHash('sha256');
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(CHUNK_BYTES);
    let n: number;
    while ((n = fs.readSync(fd, buf, 0, buf.length, null)) > 0) hash.update(buf.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest('hex');
}

function readExactly(fd: number, length: number, position: number): Buffer {
  const buf = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const n = fs.readSync(fd, buf, done, length - done, position + done);
    if (n === 0) throw new AppError('VAULT_BACKUP_CORRUPT');
    done += n;
  }
  return buf;
}

function wrapFailure(code: string, cause: unknown): AppError {
  return cause instanceof AppError ? cause : new AppError(code, undefined, { cause });
}

export type BackupInfo = {
  readonly file: string;
  readonly vaultId: string;
  readonly createdAt: string;
  readonly databaseBytes: number;
  readonly totalBytes: number;
};

/**
 * Writes an encrypted, integrity-protected backup of an unlocked vault to `destFile` (which
 * must not exist). The database snapshot comes from VACUUM INTO on an encrypted connection:
 * one read transaction, so it is consistent and includes what still sits in the WAL, and
 * SQLCipher writes it encrypted with the same key. The snapshot is checked before it is
 * packed: it must not start with SQLite's plaintext header and must open with the key.
 */
export async function backupVault(
  vault: UnlockedVault,
  destFile: string,
  options: { readonly now?: () => number } = {},
): Promise<BackupInfo> {
  const key = vault.key;
  const dest = path.resolve(destFile);
  if (fileExists(dest)) throw new AppError('VAULT_BACKUP_DESTINATION_EXISTS');
  const createdAt = new Date((options.now ?? Date.now)()).toISOString();
  let work: string | undefined;
  let partial: string | undefined;
  let mac: Buffer | undefined;
  try {
    work = fs.mkdtempSync(path.join(path.dirname(dest), '.vault-backup-'));
    const snapshot = path.join(work, 'snapshot.sqlite');
    const db = openSqlCipher(vault.databasePath, { key, mustExist: true });
    try {
      db.prepare('VACUUM INTO ?').run(snapshot);
    } finally {
      db.close();
    }
    const fdSnap = fs.openSync(snapshot, 'r');
    try {
      if (readExactly(fdSnap, SQLITE_PLAINTEXT_HEADER.length, 0).equals(SQLITE_PLAINTEXT_HEADER)) {
        throw new AppError('VAULT_BACKUP_FAILED');
      }
    } finally {
      fs.closeSync(fdSnap);
    }
    verifyDatabase(snapshot, key, vault.vaultId, { readonly: true, integrity: true });

    const paths = vaultPaths(vault.dir);
    const keyFileBytes = readFileIfExists(paths.keyFile);
    if (!keyFileBytes) throw new AppError('VAULT_KEYFILE_MISSING');
    const keyFile = parseKeyFileBytes(keyFileBytes);
    if (!keyFile.ok) throw new AppError(keyFile.error.code, keyFile.error.params);
    if (keyFile.value.vaultId !== vault.vaultId) throw new AppError('VAULT_KEYFILE_CORRUPT');

    const databaseBytes = fs.statSync(snapshot).size;
    const header: BackupHeader = {
      format: BACKUP_FORMAT,
      version: BACKUP_VERSION,
      vaultId: vault.vaultId,
      createdAt,
      mac: 'hmac-sha256-hkdf',
      keyFile: {
        size: keyFileBytes.length,
        sha256: crypto.createHash('sha256').update(keyFileBytes).digest('hex'),
      },
      database: { size: databaseBytes, sha256: sha256File(snapshot) },
    };
    const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(headerBytes.length);

    mac = macKey(key, vault.vaultId);
    const hmac = crypto.createHmac('sha256', mac);
    partial = siblingTempPath(dest, 'partial');
    const out = fs.openSync(partial, 'wx', 0o600);
    try {
      const write = (chunk: Uint8Array): void => {
        hmac.update(chunk);
        fs.writeSync(out, chunk);
      };
      write(BACKUP_MAGIC);
      write(length);
      write(headerBytes);
      write(keyFileBytes);
      const fd = fs.openSync(snapshot, 'r');
      try {
        const buf = Buffer.alloc(CHUNK_BYTES);
        let copied = 0;
        let n: number;
        while ((n = fs.readSync(fd, buf, 0, buf.length, null)) > 0) {
          write(buf.subarray(0, n));
          copied += n;
        }
        if (copied !== databaseBytes) throw new AppError('VAULT_BACKUP_FAILED');
      } finally {
        fs.closeSync(fd);
      }
      fs.writeSync(out, hmac.digest());
      fs.fsyncSync(out);
    } finally {
      fs.closeSync(out);
    }
    publishExclusive(partial, dest);
    partial = undefined;
    return {
      file: dest,
      vaultId: vault.vaultId,
      createdAt,
      databaseBytes,
      totalBytes: fs.statSync(dest).size,
    };
  } catch (cause) {
    if ((cause as { code?: string }).code === 'EEXIST')
      throw new AppError('VAULT_BACKUP_DESTINATION_EXISTS', undefined, { cause });
    throw wrapFailure('VAULT_BACKUP_FAILED', cause);
  } finally {
    mac?.fill(0);
    if (partial) fs.rmSync(partial, { force: true });
    if (work) fs.rmSync(work, { recursive: true, force: true });
  }
}

export type RestoreResult = {
  readonly dir: string;
  readonly vaultId: string;
  readonly backupCreatedAt: string;
  /**
   * Where the vault that was in `dir` before the restore now is (moved aside, not deleted:
   * the caller decides when to remove it). Undefined when `dir` held no vault.
   */
  readonly replacedDir: string | undefined;
};

function readHeader(fd: number, size: number): { header: BackupHeader; headerLength: number } {
  if (size < PREFIX_BYTES + MAC_BYTES) throw new AppError('VAULT_BACKUP_CORRUPT');
  const prefix = readExactly(fd, PREFIX_BYTES, 0);
  if (!prefix.subarray(0, BACKUP_MAGIC.length).equals(BACKUP_MAGIC))
    throw new AppError('VAULT_BACKUP_CORRUPT');
  const headerLength = prefix.readUInt32BE(BACKUP_MAGIC.length);
  if (
    headerLength === 0 ||
    headerLength > MAX_HEADER_BYTES ||
    PREFIX_BYTES + headerLength + MAC_BYTES > size
  ) {
    throw new AppError('VAULT_BACKUP_CORRUPT');
  }
  let json: unknown;
  try {
    json = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(readExactly(fd, headerLength, PREFIX_BYTES)),
    );
  } catch {
    throw new AppError('VAULT_BACKUP_CORRUPT');
  }
  const parsed = parseBackupHeader(json);
  if (!parsed.ok) throw new AppError(parsed.error.code, parsed.error.params);
  return { header: parsed.value, headerLength };
}

function isEmptyDir(dir: string): boolean {
  return fs.readdirSync(dir).length === 0;
}

/**
 * Restores a backup into `dir`. Everything is checked in a staging directory beside `dir`
 * first (container MAC, entry hashes, the key file, the passphrase, the database opening
 * with the key and passing integrity_check); only then is the staging directory swapped in
 * with renames. A previous vault in `dir` is moved aside to `RestoreResult.replacedDir`.
 * On any failure nothing in `dir` is touched and the staging directory is removed.
 * The vault in `dir` must be locked (its connections closed) before calling this.
 */
export async function restoreVault(
  backupFile: string,
  dir: string,
  passphrase: string,
): Promise<RestoreResult> {
  const target = path.resolve(dir);
  const parent = path.dirname(target);
  let fd: number;
  try {
    fd = fs.openSync(backupFile, 'r');
  } catch (cause) {
    throw new AppError('VAULT_BACKUP_NOT_FOUND', undefined, { cause });
  }
  let staging: string | undefined;
  let key: Uint8Array | undefined;
  let mac: Buffer | undefined;
  try {
    const size = fs.fstatSync(fd).size;
    const { header, headerLength } = readHeader(fd, size);
    const keyFileOffset = PREFIX_BYTES + headerLength;
    const databaseOffset = keyFileOffset + header.keyFile.size;
    const macOffset = databaseOffset + header.database.size;
    if (macOffset + MAC_BYTES !== size) throw new AppError('VAULT_BACKUP_CORRUPT');

    const keyFileBytes = readExactly(fd, header.keyFile.size, keyFileOffset);
    if (crypto.createHash('sha256').update(keyFileBytes).digest('hex') !== header.keyFile.sha256) {
      throw new AppError('VAULT_BACKUP_CORRUPT');
    }
    const keyFile = parseKeyFileBytes(keyFileBytes);
    if (!keyFile.ok) {
      if (keyFile.error.code === 'VAULT_KEYFILE_UNSUPPORTED_VERSION') {
        throw new AppError('VAULT_BACKUP_UNSUPPORTED_VERSION', keyFile.error.params);
      }
      throw new AppError('VAULT_BACKUP_CORRUPT');
    }
    if (keyFile.value.vaultId !== header.vaultId) throw new AppError('VAULT_BACKUP_CORRUPT');
    key = await openPassphraseWrap(keyFile.value, passphrase);
    if (!key) throw new AppError('VAULT_BACKUP_WRONG_PASSPHRASE');

    fs.mkdirSync(parent, { recursive: true });
    staging = fs.mkdtempSync(path.join(parent, `.${path.basename(target)}.restore-`));
    const stagedDatabase = path.join(staging, VAULT_FILES.database);
    const stagedKeyFile = path.join(staging, VAULT_FILES.keyFile);

    mac = macKey(key, header.vaultId);
    const hmac = crypto.createHmac('sha256', mac);
    const dbHash = crypto.createHash('sha256');
    const out = fs.openSync(stagedDatabase, 'wx', 0o600);
    try {
      const buf = Buffer.alloc(CHUNK_BYTES);
      let position = 0;
      while (position < macOffset) {
        const n = fs.readSync(fd, buf, 0, Math.min(buf.length, macOffset - position), position);
        if (n === 0) throw new AppError('VAULT_BACKUP_CORRUPT');
        const chunk = buf.subarray(0, n);
        hmac.update(chunk);
        const from = Math.max(position, databaseOffset) - position;
        if (from < n) {
          const part = chunk.subarray(from);
          dbHash.update(part);
          fs.writeSync(out, part);
        }
        position += n;
      }
      fs.fsyncSync(out);
    } finally {
      fs.closeSync(out);
    }
    const expectedMac = readExactly(fd, MAC_BYTES, macOffset);
    if (!crypto.timingSafeEqual(hmac.digest(), expectedMac)) throw new AppError('VAULT_BACKUP_CORRUPT');
    if (dbHash.digest('hex') !== header.database.sha256) throw new AppError('VAULT_BACKUP_CORRUPT');

    fs.writeFileSync(stagedKeyFile, keyFileBytes, { flag: 'wx', mode: 0o600 });
    fsyncFile(stagedKeyFile);
    try {
      verifyDatabase(stagedDatabase, key, header.vaultId, { integrity: true });
    } catch (cause) {
      if (cause instanceof AppError && cause.code === 'VAULT_DATABASE_CORRUPT') {
        throw new AppError('VAULT_BACKUP_CORRUPT', undefined, { cause });
      }
      throw cause;
    }
    fsyncDirectory(staging);

    let replacedDir: string | undefined;
    if (fileExists(target)) {
      if (isEmptyDir(target)) {
        fs.rmdirSync(target);
      } else {
        const stamp = new Date().toISOString().replace(/[:.]/g, '-');
        replacedDir = `${target}.replaced-${stamp}-${crypto.randomBytes(3).toString('hex')}`;
        fs.renameSync(target, replacedDir);
      }
    }
    try {
      fs.renameSync(staging, target);
    } catch (cause) {
      if (replacedDir) fs.renameSync(replacedDir, target);
      else fs.mkdirSync(target, { recursive: true });
      throw new AppError('VAULT_RESTORE_FAILED', undefined, { cause });
    }
    staging = undefined;
    fsyncDirectory(parent);
    return { dir: target, vaultId: header.vaultId, backupCreatedAt: header.createdAt, replacedDir };
  } catch (cause) {
    throw wrapFailure('VAULT_RESTORE_FAILED', cause);
  } finally {
    fs.closeSync(fd);
    key?.fill(0);
    mac?.fill(0);
    if (staging) fs.rmSync(staging, { recursive: true, force: true });
  }
}
