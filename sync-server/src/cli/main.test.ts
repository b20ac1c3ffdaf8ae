/* eslint-disable security/detect-non-literal-fs-filename -- every path here comes from mkdtempSync */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteEngine } from '../db/sqlite-engine';
import { openPostgresEngine } from '../db/postgres-engine';
import { postgresUnavailable, TEST_DATABASE_URL } from '../testing/engines';
import { runCli, splitGlobalFlags } from './main';

const ENTRY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'main.ts');

function capture(): { stream: Writable; text(): string } {
  let out = '';
  return {
    stream: new Writable({
      write(chunk: Buffer, _e, done) {
        out += chunk.toString('utf8');
        done();
      },
    }),
    text: () => out,
  };
}

async function cli(args: string[], env: Record<string, string | undefined> = {}) {
  const stdout = capture();
  const stderr = capture();
  const code = await runCli(args, { stdout: stdout.stream, stderr: stderr.stream, env });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

describe('server CLI', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sync-cli-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  it('takes its own flags anywhere on the line and leaves the command its arguments', () => {
    expect(splitGlobalFlags(['user', 'create', 'bob', '--data-dir', '/x', '--role', 'admin', '--port=9'])).toEqual({
      flags: { 'data-dir': '/x', port: '9' },
      rest: ['user', 'create', 'bob', '--role', 'admin'],
    });
  });

  it('prints usage, refuses an unknown command and a bad setting with exit 2', async () => {
    const help = await cli(['help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('backup');
    expect(help.stdout).toContain('user create');
    expect(help.stdout).toContain('audit verify');
    expect((await cli(['frobnicate'], { DATA_DIR: tempDir() })).code).toBe(2);
    const bad = await cli(['help'], { PORT: 'eighty' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('PORT');
  });

  it('backs up SQLite online to a file, and dispatches identity and audit commands', async () => {
    const dataDir = tempDir();
    const env = { DATA_DIR: dataDir };
    const listed = await cli(['workstation', 'register', 'accueil'], env);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/id [0-9a-f-]{36}/);
    const verified = await cli(['audit', 'verify'], env);
    expect(verified.code).toBe(0);
    const target = path.join(tempDir(), 'copy.sqlite');
    const backup = await cli(['backup', '--to', target], env);
    expect(backup.code).toBe(0);
    expect(backup.stdout).toContain(target);
    const copy = openSqliteEngine({ file: target });
    try {
      expect(await copy.ready()).toBe(true);
      expect(await copy.query("SELECT name FROM workstations")).toEqual([{ name: 'accueil' }]);
    } finally {
      await copy.close();
    }
  });

  it('for PostgreSQL, says the backup is pg_dump’s job and prints the command without the password', async () => {
    const result = await cli(['backup'], { DATABASE_URL: 'postgres://clinic:s3cret@db.local:5432/clinic', DATABASE_SCHEMA: 'sync' });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('pg_dump');
    expect(result.stdout).toContain('--schema=sync');
    expect(result.stdout).not.toContain('s3cret');
  });

  const runServer = (args: string[], env: Record<string, string>) =>
    spawn(process.execPath, ['--import', 'tsx', ENTRY, ...args], {
      env: { ...process.env, LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });

  const listening = (child: ReturnType<typeof runServer>) =>
    new Promise<{ url: string; out: string }>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`no listening line: ${out}`)), 15_000);
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString('utf8');
        const m = /listening on (http:\/\/[0-9.:]+)/.exec(out);
        if (m?.[1] && out.includes('\n', out.indexOf(m[1]))) {
          setTimeout(() => {
            clearTimeout(timer);
            resolve({ url: m[1] ?? '', out });
          }, 50);
        }
      });
      child.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')));
      child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
    });

  it('npm run server: starts on SQLite, prints where it listens and how to create the first admin, stops on SIGTERM', async () => {
    const dataDir = tempDir();
    const child = runServer(['--port', '0', '--data-dir', dataDir], { HOST: '127.0.0.1' });
    try {
      const { url, out } = await listening(child);
      expect(out).toContain('user create admin --role admin');
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
      expect(fs.existsSync(path.join(dataDir, 'sync.sqlite'))).toBe(true);
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  }, 30_000);

  it.skipIf(postgresUnavailable !== undefined && process.env.CI !== 'true')(
    'starts on PostgreSQL with DATABASE_URL',
    async () => {
      const schema = `t_${randomBytes(6).toString('hex')}`;
      const child = runServer(['--port', '0'], { DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema, DATA_DIR: tempDir() });
      try {
        const { url, out } = await listening(child);
        expect(out).toContain('PostgreSQL');
        expect((await fetch(`${url}/readyz`)).status).toBe(200);
      } finally {
        const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        expect(await exited).toBe(0);
        const engine = await openPostgresEngine({ connectionString: TEST_DATABASE_URL, schema });
        await engine.dropSchema();
        await engine.close();
      }
    },
    30_000,
  );
});
