/* eslint-disable security/detect-non-literal-fs-filename -- temp folders made by the tests. */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * For the tests of this folder only: the real sync server as a separate process (main
 * may not import sync-server code), plus an admin client over its HTTP admin API.
 */

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const SERVER_ENTRY = process.env['SYNC_SERVER_ENTRY'] ?? path.join(REPO_ROOT, 'sync-server/src/cli/main.ts');

export const ADMIN = { username: 'admin', password: 'admin-password-for-tests-42' } as const;

/** Why the server-backed tests cannot run here, or undefined when they can. */
export function serverUnavailable(): string | undefined {
  return fs.existsSync(SERVER_ENTRY) ? undefined : `sync server entry ${SERVER_ENTRY} not found`;
}

export type TestSyncServer = {
  readonly url: string;
  readonly dataDir: string;
  readonly adminWorkstationId: string;
  /** SIGKILL: the server vanishes mid-request, as in a crash or a pulled cable. */
  kill(): Promise<void>;
  readonly pid: number;
  /** Resolves when the current process has exited (killed by someone else). */
  exited(): Promise<void>;
  /** Starts again on the same port and data. */
  restart(): Promise<void>;
  stop(): Promise<void>;
};

function run(args: readonly string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', SERVER_ENTRY, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs a server CLI command to completion; returns its standard output. */
async function command(args: readonly string[], env: Record<string, string>, stdin?: string): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER_ENTRY, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env, LOG_LEVEL: 'warn' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let errOut = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (errOut += c.toString('utf8')));
  child.stdin.end(stdin ?? '');
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  if (code !== 0) throw new Error(`server ${args.join(' ')} exited ${code}: ${out}${errOut}`);
  return out;
}

async function waitForListening(child: ChildProcess, timeoutMs: number): Promise<{ url: string }> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`sync server did not start in ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const onData = (chunk: Buffer): void => {
      out += chunk.toString('utf8');
      const m = /listening on (https?:\/\/[0-9.:[\]a-z]+)/i.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1] as string });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (c: Buffer) => {
      out += c.toString('utf8');
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`sync server exited (${code}) before listening:\n${out}`));
    });
  });
}

export async function startSyncServer(): Promise<TestSyncServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sync-client-server-'));
  const baseEnv = { HOST: '127.0.0.1', DATA_DIR: dataDir };
  let child: ChildProcess;
  let first: { url: string };
  let adminWorkstationId: string;
  try {
    // The first admin and its console, as IT creates them: with the server's CLI.
    await command(['user', 'create', ADMIN.username, '--role', 'admin', '--display-name', 'Admin'], baseEnv, `${ADMIN.password}\n`);
    const registered = await command(['workstation', 'register', 'admin-console'], baseEnv);
    const wsId = /id ([0-9A-Za-z_-]+)/.exec(registered)?.[1];
    if (wsId === undefined) throw new Error(`no workstation id in: ${registered}`);
    adminWorkstationId = wsId;
    child = run([], { ...baseEnv, PORT: '0' });
    first = await waitForListening(child, 20_000);
  } catch (error) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const port = new URL(first.url).port;
  const exited = (c: ChildProcess): Promise<void> =>
    c.exitCode !== null || c.signalCode !== null ? Promise.resolve() : new Promise((r) => c.once('exit', () => r()));
  return {
    url: first.url,
    dataDir,
    adminWorkstationId,
    async kill() {
      child.kill('SIGKILL');
      await exited(child);
    },
    get pid() {
      return child.pid ?? -1;
    },
    exited: () => exited(child),
    async restart() {
      child = run([], { ...baseEnv, PORT: port });
      await waitForListening(child, 20_000);
    },
    async stop() {
      child.kill('SIGTERM');
      const done = exited(child);
      const t = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await done;
      clearTimeout(t);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The admin's side of the tests: users, workstations, grants, over the real admin API. */
export async function adminApi(server: TestSyncServer): Promise<{
  createUser(input: { username: string; role: 'practitioner' | 'secretary' | 'dpo'; rpps?: string; password: string }): Promise<string>;
  registerWorkstation(name: string): Promise<string>;
  grant(userId: string, patientId: string): Promise<void>;
  revoke(userId: string, patientId: string): Promise<void>;
  revokeSessions(userId: string): Promise<void>;
}> {
  const login = await fetch(new URL('/v1/auth/login', server.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...ADMIN, workstationId: server.adminWorkstationId }),
  });
  if (!login.ok) throw new Error(`admin login: ${login.status} ${await login.text()}`);
  const { accessToken } = (await login.json()) as { accessToken: string };
  const call = async (p: string, body: unknown): Promise<unknown> => {
    const res = await fetch(new URL(p, server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${p}: ${res.status} ${await res.text()}`);
    return res.status === 204 ? undefined : res.json();
  };
  return {
    async createUser(input) {
      const created = (await call('/v1/admin/users', { displayName: input.username, ...input })) as { id: string };
      return created.id;
    },
    async registerWorkstation(name) {
      return ((await call('/v1/admin/workstations', { name })) as { id: string }).id;
    },
    async grant(userId, patientId) {
      await call('/v1/admin/grants', { userId, patientId });
    },
    async revoke(userId, patientId) {
      await call('/v1/admin/grants/revoke', { userId, patientId });
    },
    async revokeSessions(userId) {
      await call(`/v1/admin/users/${userId}/revoke-sessions`, {});
    },
  };
}
