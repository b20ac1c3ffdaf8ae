/* eslint-disable security/detect-non-literal-fs-filename -- every path here comes from mkdtempSync or the build script's answer */
import Database from 'better-sqlite3-multiple-ciphers';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RxJsonSchema } from 'rxdb';
import { createRxDatabase } from 'rxdb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getRxStorageSQLCipher } from '../storage/sqlcipher/index';
import { FAST, PASSPHRASE, tempDir } from './test-support';
import { createVault, unlockVault } from './vault';

/*
 * Two proofs about the file the vault produces, made with tools other than the app's own
 * SQLCipher build:
 *  1. a unique marker written into a patient record through RxDB and the SQLCipher
 *     RxStorage never appears in clear in the database, -wal or -shm file;
 *  2. a stock SQLCipher 4 (compiled here from the @commapp/sqlcipher-amalgamation sources,
 *     default settings) opens the file given only `PRAGMA key = "x'<hex>'";` and reads the
 *     marker back, and refuses a wrong key.
 */

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

function buildStockSqlcipher(): { ok: true; binary: string } | { ok: false; reason: string } {
  const result = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'build-sqlcipher4.mjs')], {
    encoding: 'utf8',
    timeout: 240_000,
  });
  if (result.status === 0)
    return { ok: true, binary: (JSON.parse(result.stdout) as { binary: string }).binary };
  if (result.status === 3) return { ok: false, reason: result.stderr.trim() };
  throw new Error(`scripts/build-sqlcipher4.mjs failed (${String(result.status)}): ${result.stderr}`);
}

const stock = buildStockSqlcipher();

function runStock(binary: string, database: string, sql: string) {
  const r = spawnSync(binary, [database], { input: sql, encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const keyPragma = (key: Uint8Array): string => `PRAGMA key = "x'${Buffer.from(key).toString('hex')}'";`;

/** Looks for the marker the ways SQLite could store text: UTF-8, UTF-16LE, UTF-16BE. */
function containsMarker(file: string, marker: string): boolean {
  const bytes = fs.readFileSync(file);
  const utf16be = Buffer.from(marker, 'utf16le').swap16();
  return [Buffer.from(marker, 'utf8'), Buffer.from(marker, 'utf16le'), utf16be].some((needle) =>
    bytes.includes(needle),
  );
}

type Patient = { id: string; lastName: string; note: string };

const patientSchema: RxJsonSchema<Patient> = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 40 },
    lastName: { type: 'string', maxLength: 80 },
    note: { type: 'string' },
  },
  required: ['id', 'lastName', 'note'],
  indexes: ['lastName'],
};

let tmp: ReturnType<typeof tempDir>;
let dir: string;

beforeEach(() => {
  tmp = tempDir('vault-stock-test-');
  dir = path.join(tmp.dir, 'vault');
});

afterEach(() => {
  tmp.cleanup();
});

describe('vault database files', () => {
  it('the marker scan finds a marker in a plaintext database (control)', () => {
    const marker = `MARQUEUR-${crypto.randomBytes(8).toString('hex')}`;
    const plain = path.join(tmp.dir, 'plain.sqlite');
    const db = new Database(plain);
    db.exec('CREATE TABLE t (x TEXT)');
    db.prepare('INSERT INTO t VALUES (?)').run(marker);
    db.close();
    expect(containsMarker(plain, marker)).toBe(true);
  });

  it('a patient record written through RxDB never appears in clear in the database, -wal or -shm', async () => {
    const marker = `MARQUEUR-PATIENT-${crypto.randomBytes(8).toString('hex')}`;
    const vault = await createVault(dir, PASSPHRASE, FAST);
    const storage = getRxStorageSQLCipher(vault.rxStorageSettings());
    const rx = await createRxDatabase({ name: 'clinic', storage, multiInstance: false });
    vault.onLock(async () => {
      await rx.close();
    });
    await rx.addCollections({ patients: { schema: patientSchema } });
    const patients = rx.collections.patients;
    if (!patients) throw new Error('collection missing');
    await patients.insert({ id: 'p1', lastName: 'Lefèvre', note: `Antécédents: ${marker}` });
    const found = await patients.findOne('p1').exec();
    expect(found?.note).toContain(marker);

    const files = [vault.databasePath, `${vault.databasePath}-wal`, `${vault.databasePath}-shm`];
    // While RxDB is open the record sits in the WAL: all three files must exist to be checked.
    for (const f of files) expect(fs.existsSync(f)).toBe(true);
    expect(fs.statSync(files[1] as string).size).toBeGreaterThan(0);
    for (const f of files) expect(containsMarker(f, marker)).toBe(false);
    // Nor in any other file the storage may have put in the vault folder.
    const everything = fs.readdirSync(dir).map((f) => path.join(dir, f));
    for (const f of everything) expect(containsMarker(f, marker)).toBe(false);

    await vault.lock();
    for (const f of fs.readdirSync(dir)) expect(containsMarker(path.join(dir, f), marker)).toBe(false);
  });
});

describe('rxStorageSettings', () => {
  it('a database removed after unlock is an error for RxDB, never a new empty store', async () => {
    const vault = await createVault(dir, PASSPHRASE, FAST);
    fs.rmSync(vault.databasePath);
    const attempt = (async () => {
      const rx = await createRxDatabase({
        name: 'clinic',
        storage: getRxStorageSQLCipher(vault.rxStorageSettings()),
        multiInstance: false,
      });
      try {
        await rx.addCollections({ patients: { schema: patientSchema } });
      } finally {
        await rx.close();
      }
    })();
    await expect(attempt).rejects.toMatchObject({ code: 'STORAGE_OPEN_FAILED' });
    expect(fs.existsSync(vault.databasePath)).toBe(false);
    await vault.lock();
  });
});

const stockDescribe = stock.ok ? describe : describe.skip;

if (!stock.ok) {
  if (process.env.CI === 'true') {
    it('builds a stock SQLCipher 4 (required under CI)', () => {
      throw new Error(`stock SQLCipher 4 could not be built: ${stock.reason}`);
    });
  } else {
    it.skip(`stock SQLCipher 4 interoperability: skipped, ${stock.reason}`, () => undefined);
  }
}

stockDescribe('stock SQLCipher 4 opens the vault database with the raw key alone', () => {
  const binary = stock.ok ? stock.binary : '';

  it('is SQLCipher 4', () => {
    const r = runStock(binary, ':memory:', 'PRAGMA cipher_version;');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^4\.\d+\.\d+/);
  });

  it('reads back the marker written through RxDB, and refuses a wrong key', async () => {
    const marker = `MARQUEUR-STOCK-${crypto.randomBytes(8).toString('hex')}`;
    const created = await createVault(dir, PASSPHRASE, FAST);
    const rx = await createRxDatabase({
      name: 'clinic',
      storage: getRxStorageSQLCipher({ filename: created.databasePath, key: created.key, mustExist: true }),
      multiInstance: false,
    });
    await rx.addCollections({ patients: { schema: patientSchema } });
    await rx.collections.patients?.insert({ id: 'p1', lastName: 'Müller', note: marker });
    await rx.close();
    await created.lock();

    const vault = await unlockVault(dir, PASSPHRASE, FAST);
    const key = Buffer.from(vault.key);
    const database = vault.databasePath;
    await vault.lock();

    const tables = runStock(
      binary,
      database,
      `${keyPragma(key)}\nSELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name;`,
    );
    expect(tables.stderr).toBe('');
    expect(tables.status).toBe(0);
    const names = tables.stdout.split('\n').filter((n) => n !== '' && n !== 'ok');
    expect(names).toContain('clinic_vault_meta');
    expect(names.length).toBeGreaterThan(1);
    const dump = runStock(
      binary,
      database,
      [keyPragma(key), ...names.map((n) => `SELECT * FROM "${n.replace(/"/g, '""')}";`)].join('\n'),
    );
    expect(dump.status).toBe(0);
    expect(dump.stdout).toContain(marker);

    const wrongKey = crypto.randomBytes(32);
    const refused = runStock(binary, database, `${keyPragma(wrongKey)}\nSELECT count(*) FROM sqlite_master;`);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/file is not a database/);
    expect(refused.stdout).not.toContain(marker);

    const noKey = runStock(binary, database, 'SELECT count(*) FROM sqlite_master;');
    expect(noKey.status).not.toBe(0);

    // The stock build read the file but must not have damaged it for the app.
    await (await unlockVault(dir, PASSPHRASE, FAST)).lock();
  });
});
