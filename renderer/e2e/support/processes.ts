// The real processes of the end-to-end tests: the sync server (its CLI, SQLite in a temp
// folder), workstations in browser mode (the `npm start` launcher), and a TCP proxy per
// workstation that the test cuts to take it offline. Nothing is mocked.
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** The renderer build the tests serve (global-setup.ts builds it), apart from dist/renderer. */
export const E2E_RENDERER_DIR = path.join(ROOT, '.tmp/e2e-renderer');
/** Named in the README: screenshots of the main screens, kept as test artifacts. */
export const SCREENSHOTS_DIR = path.join(ROOT, 'test-results/screenshots');

const SYNC_CLI = path.join(ROOT, 'sync-server/src/cli/main.ts');
const LAUNCHER = path.join(ROOT, 'scripts/start.mjs');
const TAIL_BYTES = 4000;

/** A fresh folder under the system's temp folder, removed by the test when done. */
export function tempDir(prefix: string): { readonly dir: string; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `clinique-e2e-${prefix}-`));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** The environment of every child: French by default, whatever the machine says. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  // The caller's own settings of the app or the locale must not leak into the children.
  const dropped = new Set([
    'LC_ALL',
    'CLINIQUE_DATA_DIR',
    'CLINIQUE_SYNC_URL',
    'CLINIQUE_WORKSTATION_ID',
    'CLINIQUE_BROWSER_MODE',
  ]);
  const inherited = Object.entries(process.env).filter(([name]) => !dropped.has(name));
  return { ...Object.fromEntries(inherited), LANG: 'fr_FR.UTF-8', ...extra };
}

type Running = {
  readonly child: ChildProcess;
  /** Last output of the process, for the message of a failure. */
  tail(): string;
  stop(): Promise<void>;
};

function startNode(
  name: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  onStdout?: (text: string) => void,
): Running {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: ROOT,
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let tail = '';
  const keep = (chunk: Buffer): void => {
    tail = (tail + chunk.toString('utf8')).slice(-TAIL_BYTES);
  };
  child.stdout?.on('data', (chunk: Buffer) => {
    keep(chunk);
    onStdout?.(chunk.toString('utf8'));
  });
  child.stderr?.on('data', keep);
  return {
    child,
    tail: () => `${name}: ${tail.trim() || '(no output)'}`,
    stop: () => stopChild(child),
  };
}

export function stopChild(child: ChildProcess, timeoutMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Resolves with the first match of `pattern` in the process's standard output. */
function waitForLine(running: Running, pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer): void => {
      out += chunk.toString('utf8');
      const match = pattern.exec(out);
      if (match) {
        finish();
        resolve(match);
      }
    };
    const onExit = (code: number | null): void => {
      finish();
      reject(new Error(`stopped (exit ${code}) before it was ready\n${running.tail()}`));
    };
    const timer = setTimeout(() => {
      finish();
      reject(new Error(`not ready after ${timeoutMs} ms\n${running.tail()}`));
    }, timeoutMs);
    const finish = (): void => {
      clearTimeout(timer);
      running.child.stdout?.off('data', onData);
      running.child.off('exit', onExit);
    };
    running.child.stdout?.on('data', onData);
    running.child.once('exit', onExit);
  });
}

// ------------------------------------------------------------------ sync server

/** One command of the sync server's CLI (`npm run server -- …`) on a data folder. */
export async function serverCli(dataDir: string, args: readonly string[], stdin = ''): Promise<string> {
  let out = '';
  const running = startNode(
    'sync-server CLI',
    [SYNC_CLI, '--data-dir', dataDir, '--log-level', 'warn', ...args],
    childEnv({}),
    (t) => {
      out += t;
    },
  );
  running.child.stdin?.end(stdin);
  const code = await new Promise<number | null>((resolve, reject) => {
    running.child.once('error', reject);
    running.child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`server ${args.join(' ')} failed (exit ${code})\n${running.tail()}`);
  return out;
}

export type SyncServer = { readonly url: string; stop(): Promise<void> };

export async function startSyncServer(dataDir: string): Promise<SyncServer> {
  const running = startNode(
    'sync server',
    [SYNC_CLI, '--data-dir', dataDir, '--host', '127.0.0.1', '--port', '0', '--log-level', 'warn'],
    childEnv({}),
  );
  try {
    const match = await waitForLine(running, /listening on (http:\/\/127\.0\.0\.1:\d+)/, 60_000);
    return { url: match[1] as string, stop: running.stop };
  } catch (error) {
    await running.stop();
    throw error;
  }
}

export type ServerUser = {
  readonly username: string;
  readonly password: string;
  readonly role: 'practitioner' | 'secretary';
  readonly displayName: string;
  readonly rpps?: string;
};

export async function createServerUser(dataDir: string, user: ServerUser): Promise<void> {
  const args = ['user', 'create', user.username, '--role', user.role, '--display-name', user.displayName];
  if (user.rpps) args.push('--rpps', user.rpps);
  await serverCli(dataDir, args, `${user.password}\n`);
}

/** Registers a workstation; resolves with the id IT would give the workstation. */
export async function registerWorkstation(dataDir: string, name: string): Promise<string> {
  const out = await serverCli(dataDir, ['workstation', 'register', name]);
  const id = /registered: id (\S+)/.exec(out)?.[1];
  if (!id) throw new Error(`no workstation id in: ${out}`);
  return id;
}

// ------------------------------------------------------------------ workstations

export type Workstation = {
  /** The page address with this launch's secret in the fragment. */
  readonly url: string;
  readonly dataDir: string;
  stop(): Promise<void>;
};

/**
 * A workstation as `npm start -- --browser` runs it: its own data folder (vault,
 * settings), the given sync server (or none), the renderer built by the global setup.
 */
export async function startWorkstation(options: {
  readonly name: string;
  readonly dataDir: string;
  readonly syncUrl?: string;
  readonly workstationId?: string;
}): Promise<Workstation> {
  const env: Record<string, string> = { CLINIQUE_DATA_DIR: options.dataDir };
  if (options.syncUrl) env['CLINIQUE_SYNC_URL'] = options.syncUrl;
  if (options.workstationId) env['CLINIQUE_WORKSTATION_ID'] = options.workstationId;
  // Its own copy of the build: where the sources changed since the global setup (a shared
  // checkout), the launcher rebuilds, and two launchers must not rebuild one folder at once.
  const rendererDir = path.join(options.dataDir, 'e2e-renderer');
  fs.cpSync(E2E_RENDERER_DIR, rendererDir, { recursive: true, preserveTimestamps: true });
  const args = [LAUNCHER, '--browser', '--renderer-dir', rendererDir];
  if (!options.syncUrl) args.push('--no-sync-server');
  const running = startNode(`workstation ${options.name}`, args, childEnv(env));
  try {
    const match = await waitForLine(running, /(http:\/\/127\.0\.0\.1:\d+\/#secret=[0-9a-f]+)/, 90_000);
    return { url: match[1] as string, dataDir: options.dataDir, stop: running.stop };
  } catch (error) {
    await running.stop();
    throw error;
  }
}

// ------------------------------------------------------------------ network

export type CutProxy = {
  readonly url: string;
  /** Offline: open connections are reset and new ones refused until set online again. */
  setOnline(online: boolean): void;
  close(): Promise<void>;
};

/** A workstation's network to the sync server, as a TCP proxy the test can cut. */
export async function startCutProxy(target: string): Promise<CutProxy> {
  const upstream = new URL(target);
  let online = true;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    if (!online) {
      client.destroy();
      return;
    }
    const server = net.connect(Number(upstream.port), upstream.hostname);
    for (const s of [client, server]) {
      sockets.add(s);
      s.once('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.once('close', () => server.destroy());
    server.once('close', () => client.destroy());
    client.pipe(server);
    server.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    setOnline(value) {
      online = value;
      if (!value) for (const s of sockets) s.destroy();
    },
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
