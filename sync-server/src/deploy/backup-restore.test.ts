/* eslint-disable security/detect-non-literal-fs-filename -- temp folders the test creates. */
// sync-server/deploy/backup/{backup,restore}.sh against the production bundle
// (scripts/build-server.mjs) on both engines: data written, backed up, then changed, then
// restored: the change is gone, the backed-up data is back and the audit chain verifies.
// PostgreSQL runs in a scratch database created and dropped here (TEST_DATABASE_URL's
// server); skipped with the reason when unreachable, failing under CI=true.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresUnavailable, TEST_DATABASE_URL } from '../testing/engines';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');
const scripts = path.resolve(here, '../../deploy/backup');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'clinique-backup-'));
// Inside the repository, so the bundle finds the native modules in its node_modules.
fs.mkdirSync(path.join(root, '.tmp'), { recursive: true });
const bundleDir = fs.mkdtempSync(path.join(root, '.tmp', 'server-bundle-'));
const bundle = path.join(bundleDir, 'main.js');

beforeAll(() => {
  execFileSync(process.execPath, [path.join(root, 'scripts/build-server.mjs'), '--outdir', bundleDir], {
    cwd: root,
    stdio: 'ignore',
  });
}, 120_000);
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.rmSync(bundleDir, { recursive: true, force: true });
});

type Env = Record<string, string>;
function run(
  file: string,
  args: string[],
  env: Env,
): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(file, args, {
    env: { ...process.env, DATABASE_URL: '', ...env, SYNC_SERVER: bundle },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
const server = (args: string[], env: Env) => run(process.execPath, [bundle, ...args], env);

function roundTrip(env: Env): void {
  expect(server(['workstation', 'register', 'accueil-1'], env).status).toBe(0);
  const backup = run(path.join(scripts, 'backup.sh'), [path.join(tmp, 'backups')], env);
  expect(backup.stderr.replace(/warning: no audit signing key.*\n/, '')).toBe('');
  expect(backup.status).toBe(0);
  const dir = backup.stdout.trim();
  expect(fs.readFileSync(path.join(dir, 'SHA256SUMS'), 'utf8')).toMatch(/ (sync\.sqlite|database\.dump)\n/);

  // After the backup: one more workstation, which the restore must take away.
  expect(server(['workstation', 'register', 'accueil-2'], env).status).toBe(0);
  expect(server(['workstation', 'list'], env).stdout).toContain('accueil-2');

  const restore = run(path.join(scripts, 'restore.sh'), [dir], env);
  expect(restore.stderr).toBe('');
  expect(restore.status).toBe(0);
  expect(restore.stdout).toMatch(/audit chain intact: 1 entries/);
  const listed = server(['workstation', 'list'], env).stdout;
  expect(listed).toContain('accueil-1');
  expect(listed).not.toContain('accueil-2');
  expect(server(['audit', 'verify'], env).status).toBe(0);

  // A damaged backup is refused before anything is replaced.
  const dump = fs.readdirSync(dir).find((f) => f === 'sync.sqlite' || f === 'database.dump') as string;
  fs.appendFileSync(path.join(dir, dump), 'x');
  const damaged = run(path.join(scripts, 'restore.sh'), [dir], env);
  expect(damaged.status).not.toBe(0);
  expect(damaged.stderr).toContain('damaged');
}

describe('backup and restore scripts', () => {
  it('SQLite: online backup, restore puts the old file aside, audit chain verified', () => {
    const dataDir = path.join(tmp, 'sqlite-data');
    roundTrip({ DATA_DIR: dataDir });
    expect(fs.readdirSync(dataDir).some((f) => f.startsWith('sync.sqlite.before-restore-'))).toBe(true);
  }, 120_000);

  it('PostgreSQL: pg_dump and pg_restore into a scratch database', async (ctx) => {
    if (postgresUnavailable) {
      if (process.env['CI'] === 'true') throw new Error(`PostgreSQL unavailable: ${postgresUnavailable}`);
      ctx.skip(`PostgreSQL unavailable: ${postgresUnavailable}`);
      return;
    }
    for (const tool of ['pg_dump', 'pg_restore']) {
      if (spawnSync(tool, ['--version']).status !== 0) {
        if (process.env['CI'] === 'true') throw new Error(`${tool} is required under CI=true`);
        ctx.skip(`${tool} not installed`);
        return;
      }
    }
    const name = `clinique_restore_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(TEST_DATABASE_URL);
    url.pathname = `/${name}`;
    try {
      roundTrip({ DATA_DIR: path.join(tmp, 'pg-data'), DATABASE_URL: url.toString() });
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  }, 180_000);
});
