#!/usr/bin/env node
/* eslint-disable security/detect-non-literal-fs-filename -- every path is in the app data folder or the repository, chosen here. */
// `npm start` (run with tsx): builds what is missing, then starts the desktop app in
// Electron, or in browser mode where the Electron runtime is not installed; on a fresh data
// folder it also starts a local sync server (embedded SQLite, in the data folder) with a
// first user, so the app comes up connected. Decisions: launch-plan.mjs.
//
//   npm start [-- --browser] [-- --port <n>] [-- --no-sync-server]
// Environment: CLINIQUE_DATA_DIR (data folder), CLINIQUE_SYNC_URL (use this sync server,
// start none), CLINIQUE_BROWSER_MODE=1 (same as --browser).
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { userDataDir, vaultDir } from '../main/src/platform/paths.ts';
import { STORAGE_WORKER_BUNDLE_ENV } from '../main/src/storage/worker/worker-bundle.ts';
import { buildMain } from './build-main.mjs';
import { buildRenderer, RENDERER_OUTDIR, rendererBuildIsStale } from './build-renderer.mjs';
import { ensureStorageWorkerBundle } from './storage-worker-bundle.mjs';
import {
  activeUsers,
  appEnv,
  chooseShell,
  electronExecutable,
  FIRST_USER,
  FIRST_USER_FILE,
  launcherLanguage,
  launcherText,
  LOCAL_SERVER_DATABASE,
  LOCAL_SERVER_DIR,
  LOCAL_SERVER_STATE,
  LOCAL_WORKSTATION_NAME,
  parseLocalServerState,
  parseStartArgs,
  registeredWorkstationId,
  syncServerCommand,
  syncServerPlan,
} from './launch-plan.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const language = launcherLanguage(process.env);
const say = (line) => process.stdout.write(`${line}\n`);
const tell = (key, params) => say(launcherText(language, key, params));

const USAGE = `npm start [-- --browser] [-- --port <n>] [-- --no-sync-server] [-- --renderer-dir <dir>]
  --browser          browser mode even where Electron is installed (also CLINIQUE_BROWSER_MODE=1)
  --port <n>         browser mode's port on 127.0.0.1 (default: any free port)
  --no-sync-server   do not start the local sync server
  --renderer-dir <d> browser mode serves (and if needed builds) the renderer there instead of dist/renderer
Environment: CLINIQUE_DATA_DIR, CLINIQUE_SYNC_URL (a sync server to use; none is started)
Vault maintenance stays in: npm run vault -- status|backup|restore|change-passphrase`;

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Runs a sync-server CLI command to completion; resolves with its stdout. */
function runServerCommand(dir, port, command, stdin) {
  const { file, args, env } = syncServerCommand({ root, nodePath: process.execPath, dir, port, env: process.env, command });
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: root, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`sync server ${command.join(' ')}: ${err.trim() || `exit ${code}`}`))));
    child.stdin.end(stdin ?? '');
  });
}

async function waitReady(url, child, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the local sync server stopped (exit ${child.exitCode})`);
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the local sync server did not become ready in time');
}

function stopChild(child, timeoutMs = 15_000) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Starts (and on first use sets up) the local sync server; resolves with its URL, workstation id and process. */
async function startLocalSyncServer(dataDir) {
  const dir = path.join(dataDir, LOCAL_SERVER_DIR);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stateFile = path.join(dir, LOCAL_SERVER_STATE);
  const saved = parseLocalServerState(fs.existsSync(stateFile) ? fs.readFileSync(stateFile, 'utf8') : undefined);
  const port = saved?.port ?? (await freePort());
  let workstationId = saved?.workstationId;
  const credentialsFile = path.join(dataDir, FIRST_USER_FILE);

  // The state file is written once a user and a workstation exist: only a first (or an
  // interrupted) setup asks the server's CLI.
  // No database file yet: no user either (saves starting the CLI once more).
  const fresh = !fs.existsSync(path.join(dir, LOCAL_SERVER_DATABASE));
  const users = saved ? [FIRST_USER.username] : fresh ? [] : activeUsers(await runServerCommand(dir, port, ['user', 'list']));
  let created;
  if (users.length === 0) {
    const password = crypto.randomBytes(12).toString('base64url');
    await runServerCommand(
      dir,
      port,
      [
        'user',
        'create',
        FIRST_USER.username,
        '--role',
        FIRST_USER.role,
        '--display-name',
        FIRST_USER.displayName,
        '--rpps',
        FIRST_USER.rpps,
      ],
      `${password}\n`,
    );
    created = { username: FIRST_USER.username, password };
    const record = { serverUrl: `http://127.0.0.1:${port}`, username: created.username, password, role: FIRST_USER.role };
    fs.writeFileSync(credentialsFile, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
    fs.chmodSync(credentialsFile, 0o600);
  }
  if (!workstationId) {
    const name = `${LOCAL_WORKSTATION_NAME}-${crypto.randomBytes(3).toString('hex')}`;
    workstationId = registeredWorkstationId(await runServerCommand(dir, port, ['workstation', 'register', name]));
    if (!workstationId) throw new Error('the local sync server did not register the workstation');
  }
  fs.writeFileSync(stateFile, `${JSON.stringify({ port, workstationId })}\n`, { mode: 0o600 });

  const { file, args, env } = syncServerCommand({ root, nodePath: process.execPath, dir, port, env: process.env });
  const child = spawn(file, args, { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitReady(url, child);
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  if (created) {
    tell('localServer', { url, dir });
    tell('firstUser', { file: credentialsFile });
    tell('username', { value: created.username });
    tell('password', { value: created.password });
  } else {
    if (fs.existsSync(credentialsFile)) tell('localServerAgain', { url, dir, file: credentialsFile });
    else tell('localServer', { url, dir });
  }
  return { url, workstationId, child };
}

function electronPackageDir() {
  return path.join(root, 'node_modules', 'electron');
}

async function main() {
  const options = parseStartArgs(process.argv.slice(2));
  if (options.help) {
    say(USAGE);
    return 0;
  }
  const dataDir = userDataDir();
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const executable = electronExecutable(electronPackageDir(), {
    exists: (f) => fs.existsSync(f),
    read: (f) => fs.readFileSync(f, 'utf8'),
  });
  const { shell, reason } = chooseShell({ electronInstalled: executable !== undefined, forceBrowser: options.browser, env: process.env });

  const rendererDir = options.rendererDir ?? RENDERER_OUTDIR;
  if (rendererBuildIsStale({ outdir: rendererDir })) {
    tell('building');
    await buildRenderer({ outdir: rendererDir });
  }
  if (shell === 'electron') {
    if (options.rendererDir) throw new Error('--renderer-dir is for browser mode (Electron serves dist/renderer)');
    await buildMain();
  }

  const vault = vaultDir();
  const plan = syncServerPlan({
    env: process.env,
    noSyncServer: options.noSyncServer,
    localServerExists: fs.existsSync(path.join(dataDir, LOCAL_SERVER_DIR, LOCAL_SERVER_STATE)),
    vaultExists: fs.existsSync(vault) && fs.readdirSync(vault).length > 0,
  });
  let sync;
  if (plan.kind === 'local') sync = await startLocalSyncServer(dataDir);
  else if (plan.kind === 'configured') tell('configuredServer', { url: plan.url });
  try {
    return await runApp({ shell, reason, executable, dataDir, rendererDir, options, sync });
  } finally {
    // Also when the app failed to start: no sync server is left behind.
    await stopChild(sync?.child);
  }
}

async function runApp({ shell, reason, executable, dataDir, rendererDir, options, sync }) {
  const env = appEnv(process.env, { dataDir, syncUrl: sync?.url, workstationId: sync?.workstationId });

  let stopApp;
  let appExited;
  if (shell === 'electron') {
    const child = spawn(executable, [root], { cwd: root, env, stdio: 'inherit' });
    appExited = new Promise((resolve) => child.once('exit', resolve));
    stopApp = () => stopChild(child);
    tell('electron');
  } else {
    tell(reason === 'no-runtime' ? 'noRuntime' : 'browserAsked');
    // The storage worker bundled, as the packaged app runs it (not compiled by tsx at each unlock).
    const worker = await ensureStorageWorkerBundle();
    const { startBrowserModeApp } = await import('../main/src/browser-mode/run.ts');
    const app = await startBrowserModeApp({
      dataDir,
      rendererDir,
      port: options.port,
      env: { ...env, [STORAGE_WORKER_BUNDLE_ENV]: worker.bundle },
    });
    tell('open', { url: app.url });
    tell('ctrlC');
    appExited = new Promise(() => undefined);
    stopApp = () => app.close();
  }

  const signal = await Promise.race([
    appExited.then(() => undefined),
    new Promise((resolve) => {
      // Ctrl+C reaches every process of the group (npm, tsx, this one, the sync server), and
      // tsx relays it once more: later signals must not cut the shutdown short.
      let stopping = false;
      const onSignal = (signal) => {
        if (!stopping) resolve(signal);
        stopping = true;
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
    }),
  ]);
  if (signal) tell('stopping', { signal });
  await stopApp().catch((error) => process.stderr.write(`stopping the app failed: ${error?.name ?? 'error'}\n`));
  tell('stopped');
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`${launcherText(language, 'failed', { message: error instanceof Error ? error.message : String(error) })}\n`);
    process.exit(1);
  },
);
