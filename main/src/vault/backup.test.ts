/* eslint-disable security/detect-non-literal-fs-filename -- every path here comes from mkdtempSync */
import Database from 'better-sqlite3-multiple-ciphers';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/src/errors';
import { openSqlCipher } from '../storage/sqlcipher/connection';
import { BACKUP_MAGIC, backupVault, parseBackupHeader, restoreVault } from './backup';
import { FAST, OTHER_PASSPHRASE, PASSPHRASE, snapshotTree, tempDir } from './test-support';
import type { UnlockedVault } from './vault';
import { createVault, unlockVault, VAULT_FILES } from './vault';

let tmp: ReturnType<typeof tempDir>;
let dir: string;
let vault: UnlockedVault;

beforeEach(async () => {
  tmp = tempDir('vault-backup-test-');
  dir = path.join(tmp.dir, 'vault');
  vault = await createVault(dir, PASSPHRASE, FAST);
});

afterEach(async () => {
  await vault.lock();
  tmp.cleanup();
});

async function expectCode(promise: Promise<unknown>, code: string): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  return error as AppError;
}

function rows(db: ReturnType<typeof openSqlCipher>): string[] {
  return db.prepare('SELECT body FROM notes ORDER BY rowid').pluck().all() as string[];
}

describe('backupVault / restoreVault', () => {
  it('round-trips a vault whose latest writes are still only in the WAL', async () => {
    const writer = vault.openDatabase();
    writer.pragma('wal_autocheckpoint = 0');
    writer.exec('CREATE TABLE notes (body TEXT)');
    const insert = writer.prepare('INSERT INTO notes VALUES (?)');
    for (let i = 0; i < 200; i++) insert.run(`consultation ${i}`);
    const walBytes = fs.statSync(`${vault.databasePath}-wal`).size;
    expect(walBytes).toBeGreaterThan(4096);

    const backupFile = path.join(tmp.dir, 'sauvegarde.clvbak');
    const info = await backupVault(vault, backupFile);
    expect(info.totalBytes).toBe(fs.statSync(backupFile).size);
    // Backing up must not have checkpointed or otherwise rewritten the live files.
    expect(fs.statSync(`${vault.databasePath}-wal`).size).toBe(walBytes);

    const restored = path.join(tmp.dir, 'restored');
    const result = await restoreVault(backupFile, restored, PASSPHRASE);
    expect(result).toMatchObject({ dir: restored, vaultId: vault.vaultId, replacedDir: undefined });
    expect(fs.readdirSync(restored).sort()).toEqual([VAULT_FILES.database, VAULT_FILES.keyFile].sort());

    const reopened = await unlockVault(restored, PASSPHRASE, FAST);
    expect(Buffer.from(reopened.key).equals(Buffer.from(vault.key))).toBe(true);
    expect(rows(reopened.openDatabase())).toEqual(rows(writer));
    await reopened.lock();
  });

  it('packs a database snapshot encrypted with the same key, never plaintext SQLite', async () => {
    vault
      .openDatabase()
      .exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('MARQUEUR-SAUVEGARDE')");
    const backupFile = path.join(tmp.dir, 'b.clvbak');
    await backupVault(vault, backupFile);
    const bytes = fs.readFileSync(backupFile);
    expect(bytes.subarray(0, BACKUP_MAGIC.length).equals(BACKUP_MAGIC)).toBe(true);
    expect(bytes.includes(Buffer.from('MARQUEUR-SAUVEGARDE'))).toBe(false);
    expect(bytes.includes(Buffer.from('SQLite format 3\0', 'latin1'))).toBe(false);

    // Cut the database entry out of the container and open it on its own.
    const headerLength = bytes.readUInt32BE(8);
    const header = parseBackupHeader(JSON.parse(bytes.subarray(12, 12 + headerLength).toString('utf8')));
    if (!header.ok) throw new Error('header did not parse');
    const start = 12 + headerLength + header.value.keyFile.size;
    const snapshot = path.join(tmp.dir, 'snapshot.sqlite');
    fs.writeFileSync(snapshot, bytes.subarray(start, start + header.value.database.size));
    const withKey = openSqlCipher(snapshot, { key: vault.key, mustExist: true, readonly: true });
    expect(rows(withKey)).toEqual(['MARQUEUR-SAUVEGARDE']);
    withKey.close();
    const noKey = new Database(snapshot, { readonly: true, fileMustExist: true });
    expect(() => noKey.prepare('SELECT count(*) FROM sqlite_master').get()).toThrow(/not a database/);
    noKey.close();
  });

  it('restoring over an existing vault moves the old one aside instead of deleting it', async () => {
    vault.openDatabase().exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('état sauvegardé')");
    const backupFile = path.join(tmp.dir, 'b.clvbak');
    await backupVault(vault, backupFile);
    vault.openDatabase().exec("INSERT INTO notes VALUES ('écrit après la sauvegarde')");
    await vault.lock();
    const before = snapshotTree(dir);

    const result = await restoreVault(backupFile, dir, PASSPHRASE);
    expect(result.replacedDir).toBeDefined();
    expect(snapshotTree(result.replacedDir as string)).toEqual(before);
    vault = await unlockVault(dir, PASSPHRASE, FAST);
    expect(rows(vault.openDatabase())).toEqual(['état sauvegardé']);
  });

  it('needs the passphrase of the backup time, even after a later change', async () => {
    const backupFile = path.join(tmp.dir, 'b.clvbak');
    await backupVault(vault, backupFile);
    await vault.changePassphrase(PASSPHRASE, OTHER_PASSPHRASE);
    const target = path.join(tmp.dir, 'restored');
    await expectCode(restoreVault(backupFile, target, OTHER_PASSPHRASE), 'VAULT_BACKUP_WRONG_PASSPHRASE');
    expect(fs.existsSync(target)).toBe(false);
    await restoreVault(backupFile, target, PASSPHRASE);
    await (await unlockVault(target, PASSPHRASE, FAST)).lock();
  });

  it('refuses to overwrite an existing file and leaves no partial backup on failure', async () => {
    const backupFile = path.join(tmp.dir, 'b.clvbak');
    fs.writeFileSync(backupFile, 'déjà là');
    await expectCode(backupVault(vault, backupFile), 'VAULT_BACKUP_DESTINATION_EXISTS');
    expect(fs.readFileSync(backupFile, 'utf8')).toBe('déjà là');
    await vault.lock();
    await expectCode(backupVault(vault, path.join(tmp.dir, 'c.clvbak')), 'VAULT_LOCKED');
    expect(fs.readdirSync(tmp.dir).sort()).toEqual(['b.clvbak', 'vault']);
  });

  describe('a damaged backup is refused and nothing existing is touched', () => {
    const damages: [string, (b: Buffer) => Buffer][] = [
      ['truncated in the database', (b) => b.subarray(0, b.length - 5000)],
      ['truncated to the header', (b) => b.subarray(0, 40)],
      ['MAC cut off', (b) => b.subarray(0, b.length - 32)],
      ['bytes appended', (b) => Buffer.concat([b, Buffer.from('x')])],
      ['one database byte flipped', (b) => flip(b, b.length - 2000)],
      ['one MAC byte flipped', (b) => flip(b, b.length - 1)],
      [
        'header edited',
        (b) => Buffer.from(b.toString('latin1').replace('"createdAt":"2', '"createdAt":"1'), 'latin1'),
      ],
      ['wrong magic', (b) => flip(b, 0)],
      ['empty file', () => Buffer.alloc(0)],
    ];

    function flip(b: Buffer, at: number): Buffer {
      const copy = Buffer.from(b);
      copy[at] = (copy[at] ?? 0) ^ 0x01;
      return copy;
    }

    it.each(damages)('%s', async (_name, damage) => {
      vault
        .openDatabase()
        .exec(`CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('${'x'.repeat(20000)}')`);
      const backupFile = path.join(tmp.dir, 'b.clvbak');
      await backupVault(vault, backupFile);
      await vault.lock();
      fs.writeFileSync(backupFile, damage(fs.readFileSync(backupFile)));
      const before = snapshotTree(tmp.dir);

      await expectCode(restoreVault(backupFile, dir, PASSPHRASE), 'VAULT_BACKUP_CORRUPT');
      await expectCode(
        restoreVault(backupFile, path.join(tmp.dir, 'new'), PASSPHRASE),
        'VAULT_BACKUP_CORRUPT',
      );
      // Same files, same bytes, no staging directory left behind.
      expect(snapshotTree(tmp.dir)).toEqual(before);
      expect(fs.readdirSync(tmp.dir).sort()).toEqual(['b.clvbak', 'vault']);
    });

    it('a newer container version says so', async () => {
      const backupFile = path.join(tmp.dir, 'b.clvbak');
      await backupVault(vault, backupFile);
      const bytes = fs.readFileSync(backupFile);
      fs.writeFileSync(
        backupFile,
        Buffer.from(bytes.toString('latin1').replace('"version":1', '"version":7'), 'latin1'),
      );
      const e = await expectCode(
        restoreVault(backupFile, path.join(tmp.dir, 'new'), PASSPHRASE),
        'VAULT_BACKUP_UNSUPPORTED_VERSION',
      );
      expect(e.params).toEqual({ version: 7 });
    });

    it('a missing backup file: VAULT_BACKUP_NOT_FOUND', async () => {
      await expectCode(
        restoreVault(path.join(tmp.dir, 'absent.clvbak'), path.join(tmp.dir, 'new'), PASSPHRASE),
        'VAULT_BACKUP_NOT_FOUND',
      );
      expect(fs.existsSync(path.join(tmp.dir, 'new'))).toBe(false);
    });
  });
});
