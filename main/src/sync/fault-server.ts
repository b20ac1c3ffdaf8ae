import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ADMIN, SERVER_ENTRY } from './test-server';

/**
 * For the fault-model test only: the real sync server as a process (main may not import
 * sync-server code) on SQLite or on a PostgreSQL schema, killable and restartable on the
 * same data and port, plus the admin and DPO calls the test needs over HTTP.
 */

const REPO_ROOT = path.resolve(path.dirname(SERVER_ENTRY), '../../..');

export type FaultServerEngine = { kind: 'sqlite' } | { kind: 'postgres'; url: string; schema: string };

export type FaultServer = {
  readonly url: string;
  /** SIGKILL then start again on the same data and port: a crash and a restart. */
  restart(): Promise<void>;
  stop(): Promise<void>;
  readonly api: ServerApi;
};

export type ServerApi = {
  createUser(username: string, role: 'practitioner' | 'secretary' | 'dpo', password: string, rpps?: string): Promise<string>;
  registerWorkstation(name: string): Promise<string>;
  grant(userId: string, patientId: string): Promise<void>;
  /** Signs in as a user from a checker workstation of its own; returns a bearer token getter. */
  login(username: string, password: string): Promise<string>;
  call(token: string, method: 'GET' | 'POST', p: string, body?: unknown): Promise<unknown>;
};

function spawnCli(args: readonly string[], env: Record<string, string>, stdio: 'pipe' | 'ignore-in'): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', SERVER_ENTRY, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env, LOG_LEVEL: 'warn' },
    stdio: [stdio === 'pipe' ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  });
}

async function command(args: readonly string[], env: Record<string, string>, stdin: string): Promise<string> {
  const child = spawnCli(args, env, 'pipe');
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stdin?.end(stdin);
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  if (code !== 0) throw new Error(`server ${args.join(' ')} exited ${code}: ${out}`);
  return out;
}

function waitForListening(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`sync server did not start in ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const m = /listening on (https?:\/\/[0-9.:[\]a-z]+)/i.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1] as string);
      }
    });
    child.stderr?.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`sync server exited (${code}) before listening:\n${out}`));
    });
  });
}

const exited = (c: ChildProcess): Promise<void> =>
  c.exitCode !== null || c.signalCode !== null ? Promise.resolve() : new Promise((r) => c.once('exit', () => r()));

export async function startFaultServer(engine: FaultServerEngine): Promise<FaultServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fault-model-server-'));
  const env: Record<string, string> = { HOST: '127.0.0.1', DATA_DIR: dataDir };
  if (engine.kind === 'postgres') Object.assign(env, { DATABASE_URL: engine.url, DATABASE_SCHEMA: engine.schema });
  let child: ChildProcess | undefined;
  try {
    await command(['user', 'create', ADMIN.username, '--role', 'admin', '--display-name', 'Admin'], env, `${ADMIN.password}\n`);
    const registered = await command(['workstation', 'register', 'admin-console'], env, '');
    const adminWs = /id ([0-9A-Za-z_-]+)/.exec(registered)?.[1];
    if (adminWs === undefined) throw new Error(`no workstation id in: ${registered}`);
    child = spawnCli([], { ...env, PORT: '0' }, 'ignore-in');
    const url = await waitForListening(child, 30_000);
    const port = new URL(url).port;

    const call = async (token: string | undefined, method: 'GET' | 'POST', p: string, body?: unknown): Promise<unknown> => {
      const headers: Record<string, string> = {};
      if (token) headers['authorization'] = `Bearer ${token}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(new URL(p, url), { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
      if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${await res.text()}`);
      return res.status === 204 ? undefined : res.json();
    };
    const login = async (username: string, password: string, workstationId: string): Promise<string> =>
      ((await call(undefined, 'POST', '/v1/auth/login', { username, password, workstationId })) as { accessToken: string }).accessToken;
    const adminToken = await login(ADMIN.username, ADMIN.password, adminWs);
    let checkers = 0;
    const registerWorkstation = async (name: string): Promise<string> =>
      ((await call(adminToken, 'POST', '/v1/admin/workstations', { name })) as { id: string }).id;

    const api: ServerApi = {
      async createUser(username, role, password, rpps) {
        const body = { username, displayName: username, role, password, ...(rpps ? { rpps } : {}) };
        return ((await call(adminToken, 'POST', '/v1/admin/users', body)) as { id: string }).id;
      },
      registerWorkstation,
      async grant(userId, patientId) {
        await call(adminToken, 'POST', '/v1/admin/grants', { userId, patientId });
      },
      async login(username, password) {
        return login(username, password, await registerWorkstation(`controle-${++checkers}`));
      },
      call: (token, method, p, body) => call(token, method, p, body),
    };

    return {
      url,
      api,
      async restart() {
        const old = child as ChildProcess;
        old.kill('SIGKILL');
        await exited(old);
        child = spawnCli([], { ...env, PORT: port }, 'ignore-in');
        await waitForListening(child, 30_000);
      },
      async stop() {
        const c = child as ChildProcess;
        c.kill('SIGTERM');
        const t = setTimeout(() => c.kill('SIGKILL'), 5_000);
        await exited(c);
        clearTimeout(t);
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    child?.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}
