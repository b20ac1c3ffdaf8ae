/* eslint-disable security/detect-non-literal-fs-filename -- every path here comes from mkdtempSync */
import fs from 'node:fs';
import path from 'node:path';
import util from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/src/errors';
import { openSqlCipher } from '../storage/sqlcipher/connection';
import { parseKeyFileBytes } from './key-file';
import { MIN_KDF } from './key-wrap';
import { createElectronKeystore } from './os-keystore';
import {
  createTestSafeStorage,
  FAST,
  OTHER_PASSPHRASE,
  PASSPHRASE,
  snapshotTree,
  tempDir,
  without,
} from './test-support';
import {
  createVault,
  inspectVault,
  unlockVault,
  unlockVaultWithKeystore,
  VAULT_FILES,
  vaultPaths,
} from './vault';

let tmp: ReturnType<typeof tempDir>;
let dir: string;

beforeEach(() => {
  tmp = tempDir();
  dir = path.join(tmp.dir, 'vault');
});

afterEach(() => {
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

function keyFileJson(): {
  version: number;
  wraps: { kind: string; kdf?: { memoryKiB: number; salt: string }; protectedKek?: string }[];
} {
  return JSON.parse(fs.readFileSync(vaultPaths(dir).keyFile, 'utf8')) as ReturnType<typeof keyFileJson>;
}

/** Writes a row through a connection and returns it still open, so -wal and -shm exist and hold data. */
function writeRowKeepOpen(key: Uint8Array, value: string) {
  const db = openSqlCipher(vaultPaths(dir).database, { key, mustExist: true });
  db.pragma('wal_autocheckpoint = 0');
  db.exec('CREATE TABLE IF NOT EXISTS notes (body TEXT)');
  db.prepare('INSERT INTO notes VALUES (?)').run(value);
  return db;
}

describe('createVault', () => {
  it('creates a key file and an encrypted database, and keeps the raw key out of the key file', async () => {
    const vault = await createVault(dir, PASSPHRASE, FAST);
    expect(vault.key).toHaveLength(32);
    expect(vault.databasePath).toBe(path.join(dir, VAULT_FILES.database));
    const paths = vaultPaths(dir);
    const keyFileText = fs.readFileSync(paths.keyFile, 'utf8');
    const parsed = parseKeyFileBytes(fs.readFileSync(paths.keyFile));
    expect(parsed.ok && parsed.value.vaultId).toBe(vault.vaultId);
    expect(keyFileText).not.toContain(Buffer.from(vault.key).toString('hex'));
    expect(keyFileText).not.toContain(Buffer.from(vault.key).toString('base64'));
    const kdf = keyFileJson().wraps[0]?.kdf;
    expect(kdf).toMatchObject({
      memoryKiB: MIN_KDF.memoryKiB,
      iterations: MIN_KDF.iterations,
      parallelism: 1,
    });
    expect(fs.readFileSync(paths.database).subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\0');
    if (process.platform !== 'win32') expect(fs.statSync(paths.keyFile).mode & 0o077).toBe(0);
    expect(fs.readdirSync(dir).sort()).toEqual([VAULT_FILES.database, VAULT_FILES.keyFile].sort());
    await vault.lock();
  });

  it('uses a fresh random key for every vault', async () => {
    const a = await createVault(path.join(tmp.dir, 'a'), PASSPHRASE, FAST);
    const b = await createVault(path.join(tmp.dir, 'b'), PASSPHRASE, FAST);
    expect(Buffer.from(a.key).equals(Buffer.from(b.key))).toBe(false);
    expect(a.vaultId).not.toBe(b.vaultId);
    await a.lock();
    await b.lock();
  });

  it('refuses a directory that already holds a vault or any vault file, and changes nothing there', async () => {
    await (await createVault(dir, PASSPHRASE, FAST)).lock();
    const before = snapshotTree(dir);
    await expectCode(createVault(dir, OTHER_PASSPHRASE, FAST), 'VAULT_ALREADY_EXISTS');
    expect(snapshotTree(dir)).toEqual(before);

    fs.rmSync(vaultPaths(dir).keyFile);
    const dbOnly = snapshotTree(dir);
    await expectCode(createVault(dir, OTHER_PASSPHRASE, FAST), 'VAULT_ALREADY_EXISTS');
    expect(snapshotTree(dir)).toEqual(dbOnly);
  });

  it('refuses a short or guessable passphrase and creates nothing', async () => {
    const short = await expectCode(createVault(dir, 'court123', FAST), 'VAULT_PASSPHRASE_TOO_SHORT');
    expect(short.params).toEqual({ min: 12 });
    await expectCode(createVault(dir, 'motdepasse123', FAST), 'VAULT_PASSPHRASE_TOO_WEAK');
    await expectCode(createVault(dir, 'azertyuiop1234', FAST), 'VAULT_PASSPHRASE_TOO_WEAK');
    expect(fs.existsSync(dir)).toBe(false);
  });

  it('refuses Argon2id parameters under the OWASP floor', async () => {
    await expectCode(
      createVault(dir, PASSPHRASE, { kdf: { ...MIN_KDF, memoryKiB: 8192 } }),
      'VAULT_KDF_PARAMS_INVALID',
    );
    await expectCode(
      createVault(dir, PASSPHRASE, { kdf: { ...MIN_KDF, iterations: 1 } }),
      'VAULT_KDF_PARAMS_INVALID',
    );
    expect(fs.existsSync(dir)).toBe(false);
  });
});

describe('unlockVault', () => {
  it('gives back the same key, which opens the data written before lock', async () => {
    const created = await createVault(dir, PASSPHRASE, FAST);
    const original = Buffer.from(created.key);
    created
      .openDatabase()
      .exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('avant verrouillage')");
    await created.lock();

    const vault = await unlockVault(dir, PASSPHRASE, FAST);
    expect(Buffer.from(vault.key).equals(original)).toBe(true);
    expect(vault.vaultId).toBe(created.vaultId);
    expect(vault.openDatabase().prepare('SELECT body FROM notes').pluck().all()).toEqual([
      'avant verrouillage',
    ]);
    await vault.lock();
  });

  it('a wrong passphrase throws VAULT_WRONG_PASSPHRASE, counts the attempt and leaves db, -wal, -shm and key file byte-identical', async () => {
    const vault = await createVault(dir, PASSPHRASE, FAST);
    const held = writeRowKeepOpen(vault.key, 'données en attente dans le WAL');
    const paths = vaultPaths(dir);
    expect(fs.statSync(`${paths.database}-wal`).size).toBeGreaterThan(0);
    expect(fs.existsSync(`${paths.database}-shm`)).toBe(true);
    const before = snapshotTree(dir);

    const error = await expectCode(unlockVault(dir, OTHER_PASSPHRASE, FAST), 'VAULT_WRONG_PASSPHRASE');
    expect(error.params).toEqual({ failures: 1, retryAfterSeconds: 0 });
    const second = await expectCode(unlockVault(dir, `${PASSPHRASE} `, FAST), 'VAULT_WRONG_PASSPHRASE');
    expect(second.params?.failures).toBe(2);

    const after = snapshotTree(dir);
    expect(without(after, VAULT_FILES.attempts)).toEqual(before);
    expect(after[VAULT_FILES.attempts]).toBeDefined();
    for (const e of [error, second]) {
      const shown = `${e.message} ${JSON.stringify(e.params)} ${util.inspect(e)}`;
      expect(shown).not.toContain(OTHER_PASSPHRASE);
      expect(shown).not.toContain(PASSPHRASE);
    }
    held.close();
    await vault.lock();
  });

  it('after the free attempts makes the user wait, growing, then a right passphrase resets the counter', async () => {
    await (await createVault(dir, PASSPHRASE, FAST)).lock();
    let now = 1_750_000_000_000;
    const options = { ...FAST, now: () => now };
    const waits: unknown[] = [];
    for (let i = 0; i < 4; i++) {
      const e = await expectCode(unlockVault(dir, OTHER_PASSPHRASE, options), 'VAULT_WRONG_PASSPHRASE');
      waits.push(e.params?.retryAfterSeconds);
      if (i < 3) now += Number(e.params?.retryAfterSeconds) * 1000;
    }
    expect(waits).toEqual([0, 0, 5, 10]);
    expect(inspectVault(dir, options)).toMatchObject({
      failures: 4,
      retryAfterSeconds: 10,
      keystoreBackend: undefined,
    });
    now += 9_000;
    // Inside the wait even the right passphrase is refused, without running Argon2.
    const throttled = await expectCode(unlockVault(dir, PASSPHRASE, options), 'VAULT_UNLOCK_THROTTLED');
    expect(throttled.params).toEqual({ failures: 4, retryAfterSeconds: 1 });
    now += 1_000;
    const vault = await unlockVault(dir, PASSPHRASE, options);
    expect(fs.existsSync(vaultPaths(dir).attempts)).toBe(false);
    await vault.lock();
    const fresh = await expectCode(unlockVault(dir, OTHER_PASSPHRASE, options), 'VAULT_WRONG_PASSPHRASE');
    expect(fresh.params?.failures).toBe(1);
  });

  it('a counter that cannot be read or written neither hides VAULT_WRONG_PASSPHRASE nor locks the user out', async () => {
    await (await createVault(dir, PASSPHRASE, FAST)).lock();
    // A folder where the counter file should be: reads and writes of it fail, even as root.
    fs.mkdirSync(path.join(vaultPaths(dir).attempts, 'x'), { recursive: true });
    const e = await expectCode(unlockVault(dir, OTHER_PASSPHRASE, FAST), 'VAULT_WRONG_PASSPHRASE');
    expect(e.params?.failures).toBe(4);
    const vault = await unlockVault(dir, PASSPHRASE, FAST);
    await vault.lock();
  });

  it('no vault at all: VAULT_NOT_FOUND, and the directory stays empty', async () => {
    fs.mkdirSync(dir);
    expect(() => inspectVault(dir)).toThrow(/VAULT_NOT_FOUND/);
    await expectCode(unlockVault(dir, PASSPHRASE, FAST), 'VAULT_NOT_FOUND');
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('missing key file: VAULT_KEYFILE_MISSING, the database is not touched and nothing is recreated', async () => {
    await (await createVault(dir, PASSPHRASE, FAST)).lock();
    fs.rmSync(vaultPaths(dir).keyFile);
    const before = snapshotTree(dir);
    await expectCode(unlockVault(dir, PASSPHRASE, FAST), 'VAULT_KEYFILE_MISSING');
    await expectCode(
      unlockVaultWithKeystore(dir, createElectronKeystore(createTestSafeStorage(), 'linux')),
      'VAULT_KEYFILE_MISSING',
    );
    expect(snapshotTree(dir)).toEqual(before);
  });

  it.each([
    ['garbage', (text: string) => `${text.slice(0, 10)}\u0000garbage`],
    ['truncated', (text: string) => text.slice(0, Math.floor(text.length / 2))],
    ['empty', () => ''],
    ['not JSON object', () => '[1,2,3]'],
    ['salt removed', (text: string) => text.replace(/"salt": "[^"]*"/, '"salt": "%%%"')],
    ['unknown field', (text: string) => text.replace('"wraps"', '"extra": 1, "wraps"')],
  ])('corrupt key file (%s): VAULT_KEYFILE_CORRUPT and nothing changes', async (_name, damage) => {
    await (await createVault(dir, PASSPHRASE, FAST)).lock();
    const file = vaultPaths(dir).keyFile;
    fs.writeFileSync(file, damage(fs.readFileSync(file, 'utf8')));
    const before = snapshotTree(dir);
    await expectCode(unlockVault(dir, PASSPHRASE, FAST), 'VAULT_KEYFILE_CORRUPT');
    expect(snapshotTree(dir)).toEqual(before);
  });

  it('a key file of an unknown version is reported as such, never guessed at', async () => {
    await (await createVault(dir, PASSPHRASE, FAST)).lock();
    const file = vaultPaths(dir).keyFile;
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"version": 1', '"version": 2'));
    const e = await expectCode(unlockVault(dir, PASSPHRASE, FAST), 'VAULT_KEYFILE_UNSUPPORTED_VERSION');
    expect(e.params).toEqual({ version: 2 });
  });

  it('missing database: VAULT_DATABASE_MISSING and no empty database is created', async () => {
    await (await createVault(dir, PASSPHRASE, FAST)).lock();
    fs.rmSync(vaultPaths(dir).database);
    const before = snapshotTree(dir);
    await expectCode(unlockVault(dir, PASSPHRASE, FAST), 'VAULT_DATABASE_MISSING');
    expect(snapshotTree(dir)).toEqual(before);
    expect(fs.existsSync(vaultPaths(dir).database)).toBe(false);
  });

  it.each([
    ['zero bytes', (db: Buffer) => db.subarray(0, 0)],
    ['random bytes', (db: Buffer) => Buffer.alloc(db.length, 0x5a)],
    [
      'first page damaged',
      (db: Buffer) => Buffer.concat([db.subarray(0, 100), Buffer.alloc(200, 1), db.subarray(300)]),
    ],
  ])('corrupt database (%s): VAULT_DATABASE_CORRUPT, file left exactly as found', async (_name, damage) => {
    await (await createVault(dir, PASSPHRASE, FAST)).lock();
    const file = vaultPaths(dir).database;
    fs.writeFileSync(file, damage(fs.readFileSync(file)));
    const before = snapshotTree(dir);
    await expectCode(unlockVault(dir, PASSPHRASE, FAST), 'VAULT_DATABASE_CORRUPT');
    expect(snapshotTree(dir)).toEqual(before);
  });

  it("another vault's database in place of this one: VAULT_DATABASE_CORRUPT", async () => {
    await (await createVault(dir, PASSPHRASE, FAST)).lock();
    const otherDir = path.join(tmp.dir, 'other');
    await (await createVault(otherDir, PASSPHRASE, FAST)).lock();
    fs.copyFileSync(vaultPaths(otherDir).database, vaultPaths(dir).database);
    await expectCode(unlockVault(dir, PASSPHRASE, FAST), 'VAULT_DATABASE_CORRUPT');
  });

  it('raises a stored Argon2id cost that is below the wanted one, and still unlocks afterwards', async () => {
    const created = await createVault(dir, PASSPHRASE, FAST);
    const key = Buffer.from(created.key);
    await created.lock();
    const stronger = { kdf: { ...MIN_KDF, memoryKiB: 32 * 1024, iterations: 3 } };
    const vault = await unlockVault(dir, PASSPHRASE, stronger);
    expect(vault.warnings).toEqual([]);
    expect(keyFileJson().wraps[0]?.kdf).toMatchObject({ memoryKiB: 32 * 1024, iterations: 3 });
    await vault.lock();
    const again = await unlockVault(dir, PASSPHRASE, stronger);
    expect(Buffer.from(again.key).equals(key)).toBe(true);
    await again.lock();
  });
});

describe('checkIntegrity', () => {
  it('finds damage deep in the file that unlock does not read', async () => {
    const vault = await createVault(dir, PASSPHRASE, FAST);
    const db = vault.openDatabase();
    db.exec('CREATE TABLE notes (body TEXT)');
    const insert = db.prepare('INSERT INTO notes VALUES (?)');
    for (let i = 0; i < 50; i++) insert.run(`${i} ${'x'.repeat(1000)}`);
    expect(() => vault.checkIntegrity()).not.toThrow();
    await vault.lock();

    const file = vaultPaths(dir).database;
    const bytes = fs.readFileSync(file);
    expect(bytes.length).toBeGreaterThan(10 * 4096);
    const at = 8 * 4096 + 100;
    bytes[at] = (bytes[at] ?? 0) ^ 0xff;
    fs.writeFileSync(file, bytes);

    const unlocked = await unlockVault(dir, PASSPHRASE, FAST);
    expect(() => unlocked.checkIntegrity()).toThrow(/VAULT_DATABASE_CORRUPT/);
    await unlocked.lock();
  });
});

describe('lock', () => {
  it('zeroes the key, closes what the vault opened and runs the registered closers, once', async () => {
    const vault = await createVault(dir, PASSPHRASE, FAST);
    const keyRef = vault.key;
    expect(keyRef.some((b) => b !== 0)).toBe(true);
    const db = vault.openDatabase();
    let closed = 0;
    vault.onLock(() => {
      closed++;
    });
    expect(util.inspect(vault, { showHidden: true, depth: 5 })).not.toContain(
      Buffer.from(keyRef).toString('hex').slice(0, 16),
    );

    await vault.lock();
    expect(keyRef.every((b) => b === 0)).toBe(true);
    expect(db.open).toBe(false);
    expect(closed).toBe(1);
    expect(vault.isLocked).toBe(true);
    expect(() => vault.key).toThrow(AppError);
    expect(() => vault.openDatabase()).toThrow(/VAULT_LOCKED/);
    await vault.lock();
    expect(closed).toBe(1);
    await expectCode(vault.changePassphrase(PASSPHRASE, OTHER_PASSPHRASE), 'VAULT_LOCKED');
  });
});

describe('changePassphrase', () => {
  it('re-wraps only: the old passphrase stops working, the new one gives the same key, the database bytes do not change', async () => {
    const vault = await createVault(dir, PASSPHRASE, FAST);
    vault.openDatabase().exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('dossier')");
    const key = Buffer.from(vault.key);
    await vault.lock();
    const unlocked = await unlockVault(dir, PASSPHRASE, FAST);
    const paths = vaultPaths(dir);
    const dbFiles = (): Record<string, string> => without(snapshotTree(dir), VAULT_FILES.keyFile);
    const dbBefore = dbFiles();
    const keyFileBefore = fs.readFileSync(paths.keyFile, 'utf8');

    await unlocked.changePassphrase(PASSPHRASE, OTHER_PASSPHRASE);
    expect(dbFiles()).toEqual(dbBefore);
    expect(fs.readFileSync(paths.keyFile, 'utf8')).not.toBe(keyFileBefore);
    expect(unlocked.isLocked).toBe(false);
    await unlocked.lock();

    await expectCode(unlockVault(dir, PASSPHRASE, FAST), 'VAULT_WRONG_PASSPHRASE');
    const again = await unlockVault(dir, OTHER_PASSPHRASE, FAST);
    expect(Buffer.from(again.key).equals(key)).toBe(true);
    expect(again.openDatabase().prepare('SELECT body FROM notes').pluck().get()).toBe('dossier');
    await again.lock();
  });

  it('a wrong current passphrase changes nothing; a weak or identical new one is refused', async () => {
    const vault = await createVault(dir, PASSPHRASE, FAST);
    const before = snapshotTree(dir);
    await expectCode(
      vault.changePassphrase(OTHER_PASSPHRASE, 'une toute autre phrase longue'),
      'VAULT_WRONG_PASSPHRASE',
    );
    await expectCode(vault.changePassphrase(PASSPHRASE, 'motdepasse2024'), 'VAULT_PASSPHRASE_TOO_WEAK');
    await expectCode(vault.changePassphrase(PASSPHRASE, PASSPHRASE), 'VAULT_PASSPHRASE_UNCHANGED');
    expect(without(snapshotTree(dir), VAULT_FILES.attempts)).toEqual(before);
    await vault.lock();
  });

  it('keeps the OS keystore wrap working', async () => {
    const keystore = createElectronKeystore(createTestSafeStorage(), 'linux');
    const vault = await createVault(dir, PASSPHRASE, { ...FAST, keystore });
    await vault.changePassphrase(PASSPHRASE, OTHER_PASSPHRASE);
    const key = Buffer.from(vault.key);
    await vault.lock();
    const viaKeystore = await unlockVaultWithKeystore(dir, keystore);
    expect(Buffer.from(viaKeystore.key).equals(key)).toBe(true);
    await viaKeystore.lock();
  });
});

/*
 * Electron cannot run here, so these tests drive the real Electron adapter
 * (createElectronKeystore) over createTestSafeStorage(): an object with safeStorage's shape
 * that really encrypts with a key only it holds. What is tested is the vault's keystore
 * path and the adapter's logic, not DPAPI, Keychain or libsecret themselves.
 */
describe('OS keystore', () => {
  it('enableKeystore then unlockVaultWithKeystore gives the same key without the passphrase', async () => {
    const safeStorage = createTestSafeStorage('kwallet6');
    const keystore = createElectronKeystore(safeStorage, 'linux');
    const vault = await createVault(dir, PASSPHRASE, FAST);
    const key = Buffer.from(vault.key);
    expect(vault.keystoreBackend()).toBeUndefined();
    await vault.enableKeystore(keystore);
    expect(vault.keystoreBackend()).toBe('kwallet6');
    expect(inspectVault(dir)).toMatchObject({
      vaultId: vault.vaultId,
      keystoreBackend: 'kwallet6',
      failures: 0,
      retryAfterSeconds: 0,
    });
    const text = fs.readFileSync(vaultPaths(dir).keyFile, 'utf8');
    expect(text).not.toContain(key.toString('base64'));
    await vault.lock();

    const unlocked = await unlockVaultWithKeystore(dir, keystore);
    expect(Buffer.from(unlocked.key).equals(key)).toBe(true);
    await unlocked.lock();
    // The passphrase still works: it stays the recovery path.
    await (await unlockVault(dir, PASSPHRASE, FAST)).lock();
  });

  it('refuses the plaintext basic_text backend and an unavailable keystore, changing nothing', async () => {
    const vault = await createVault(dir, PASSPHRASE, FAST);
    const before = snapshotTree(dir);
    const e = await expectCode(
      vault.enableKeystore(createElectronKeystore(createTestSafeStorage('basic_text'), 'linux')),
      'VAULT_KEYSTORE_INSECURE',
    );
    expect(e.params).toEqual({ backend: 'basic_text' });
    const off = createTestSafeStorage();
    off.available = false;
    await expectCode(
      vault.enableKeystore(createElectronKeystore(off, 'linux')),
      'VAULT_KEYSTORE_UNAVAILABLE',
    );
    expect(snapshotTree(dir)).toEqual(before);
    await expectCode(
      createVault(path.join(tmp.dir, 'new'), PASSPHRASE, {
        ...FAST,
        keystore: createElectronKeystore(off, 'linux'),
      }),
      'VAULT_KEYSTORE_UNAVAILABLE',
    );
    expect(fs.existsSync(path.join(tmp.dir, 'new'))).toBe(false);
    await vault.lock();
  });

  it('not enabled, other machine, or a wrap copied from another vault: a coded error and no change', async () => {
    const safeStorage = createTestSafeStorage();
    const keystore = createElectronKeystore(safeStorage, 'linux');
    const vault = await createVault(dir, PASSPHRASE, FAST);
    await vault.lock();
    await expectCode(unlockVaultWithKeystore(dir, keystore), 'VAULT_KEYSTORE_NOT_ENABLED');

    const again = await unlockVault(dir, PASSPHRASE, FAST);
    await again.enableKeystore(keystore);
    await again.lock();
    const before = snapshotTree(dir);
    await expectCode(
      unlockVaultWithKeystore(dir, createElectronKeystore(createTestSafeStorage(), 'linux')),
      'VAULT_KEYSTORE_UNWRAP_FAILED',
    );
    expect(snapshotTree(dir)).toEqual(before);

    // Same keystore, but the wrap belongs to vault B: the AAD binds it to B's vault id.
    const otherDir = path.join(tmp.dir, 'other');
    await (await createVault(otherDir, PASSPHRASE, { ...FAST, keystore })).lock();
    const mine = JSON.parse(fs.readFileSync(vaultPaths(dir).keyFile, 'utf8')) as {
      wraps: { kind: string }[];
    };
    const theirs = JSON.parse(fs.readFileSync(vaultPaths(otherDir).keyFile, 'utf8')) as {
      wraps: { kind: string }[];
    };
    mine.wraps = [
      ...mine.wraps.filter((w) => w.kind !== 'os-keystore'),
      ...theirs.wraps.filter((w) => w.kind === 'os-keystore'),
    ];
    fs.writeFileSync(vaultPaths(dir).keyFile, JSON.stringify(mine));
    await expectCode(unlockVaultWithKeystore(dir, keystore), 'VAULT_KEYSTORE_UNWRAP_FAILED');
  });

  it('re-encrypts the keystore blob when the keystore asks for it', async () => {
    const safeStorage = createTestSafeStorage();
    const keystore = createElectronKeystore(safeStorage, 'linux');
    await (await createVault(dir, PASSPHRASE, { ...FAST, keystore })).lock();
    const blobBefore = keyFileJson().wraps.find((w) => w.kind === 'os-keystore')?.protectedKek;
    safeStorage.shouldReEncrypt = true;
    const vault = await unlockVaultWithKeystore(dir, keystore);
    expect(vault.warnings).toEqual([]);
    await vault.lock();
    const blobAfter = keyFileJson().wraps.find((w) => w.kind === 'os-keystore')?.protectedKek;
    expect(blobAfter).toBeDefined();
    expect(blobAfter).not.toBe(blobBefore);
    safeStorage.shouldReEncrypt = false;
    await (await unlockVaultWithKeystore(dir, keystore)).lock();
  });

  it('disableKeystore leaves only the passphrase', async () => {
    const keystore = createElectronKeystore(createTestSafeStorage(), 'linux');
    const vault = await createVault(dir, PASSPHRASE, { ...FAST, keystore });
    await vault.disableKeystore();
    expect(keyFileJson().wraps.map((w) => w.kind)).toEqual(['passphrase']);
    await vault.lock();
    await expectCode(unlockVaultWithKeystore(dir, keystore), 'VAULT_KEYSTORE_NOT_ENABLED');
  });
});
