/* eslint-disable security/detect-non-literal-fs-filename -- temp folders the test creates. */
// `npm start` for real, in browser mode, on a fresh data folder: the launcher builds the
// renderer, starts a local sync server with a first user, starts the host behind the
// browser-mode server and prints the address; the page loads under its CSP and a WebSocket
// hello gets the host's answers. A second launch reuses the server without printing the
// password again.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'npm-start-'));
const rendererDir = path.join(dataDir, 'renderer-build');
const children: ChildProcess[] = [];

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

type Launch = { child: ChildProcess; output: () => string; url: string };

function launch(): Promise<Launch> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.mjs', '--browser', '--renderer-dir', rendererDir], {
    cwd: root,
    env: { ...process.env, CLINIQUE_DATA_DIR: dataDir, CLINIQUE_SYNC_URL: '', LANG: 'fr_FR.UTF-8' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString('utf8')));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no address printed in time:\n${out}`)), 120_000);
    const check = () => {
      const match = /http:\/\/127\.0\.0\.1:\d+\/#secret=[0-9a-f]{64}/.exec(out);
      if (match) {
        clearTimeout(timer);
        child.stdout?.off('data', check);
        resolve({ child, output: () => out, url: match[0] });
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited (${code}):\n${out}`));
    });
  });
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

function call(ws: WebSocket, id: number, channel: string, request: unknown): Promise<unknown> {
  return new Promise((resolve) => {
    const onMessage = (data: Buffer) => {
      const message = JSON.parse(data.toString('utf8')) as { type: string; id?: number; envelope?: unknown };
      if (message.type === 'result' && message.id === id) {
        ws.off('message', onMessage);
        resolve(message.envelope);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ type: 'call', id, channel, request }));
  });
}

describe('npm start (browser mode, fresh data folder)', () => {
  it('comes up connected to a local sync server, serves the page and answers over the WebSocket', async () => {
    const first = await launch();
    const out = first.output();
    expect(out).toContain('MODE NAVIGATEUR');
    const password = /mot de passe : (\S+)/.exec(out)?.[1];
    expect(password).toBeDefined();
    const credentialsFile = path.join(dataDir, 'first-user.json');
    const credentials = JSON.parse(fs.readFileSync(credentialsFile, 'utf8')) as { serverUrl: string; username: string; password: string };
    expect(credentials).toMatchObject({ username: 'medecin', password });
    if (process.platform !== 'win32') expect(fs.statSync(credentialsFile).mode & 0o777).toBe(0o600);

    const url = new URL(first.url);
    const page = await fetch(`${url.origin}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain(`connect-src 'self' ws://${url.host}`);
    const html = await page.text();
    expect(html).toContain('src="app.js"');
    expect((await fetch(`${url.origin}/app.js`)).status).toBe(200);

    const secret = url.hash.slice('#secret='.length);
    const ws = new WebSocket(`ws://${url.host}/api`, { origin: url.origin });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const ready = new Promise((resolve) => ws.once('message', (d: Buffer) => resolve(JSON.parse(d.toString('utf8')))));
    ws.send(JSON.stringify({ type: 'hello', secret }));
    expect(await ready).toEqual({ type: 'ready' });
    expect(await call(ws, 1, 'app:info', {})).toMatchObject({ ok: true, value: { mode: 'browser', defaultLocale: 'fr-FR' } });
    expect(await call(ws, 2, 'setup:state', {})).toMatchObject({ ok: true, value: { next: 'create-vault' } });
    const settings = (await call(ws, 3, 'settings:get', {})) as { ok: true; value: { serverUrl: string; workstationId: string } };
    expect(settings.value.serverUrl).toBe(credentials.serverUrl);
    expect(settings.value.workstationId).toMatch(/\S/);

    // First run as the setup screens do it: create the vault, log in with the printed
    // credentials (server and workstation come from the launcher), and the sync goes online.
    expect(await call(ws, 4, 'vault:create', { passphrase: 'cheval agrafe batterie correcte soleil' })).toMatchObject({ ok: true });
    expect(await call(ws, 5, 'session:login', { username: credentials.username, password: credentials.password })).toMatchObject({ ok: true });
    let connection = '';
    for (let id = 6; id < 200 && connection !== 'online'; id++) {
      const status = (await call(ws, id, 'sync:status', {})) as { ok: true; value: { connection: string } };
      connection = status.value.connection;
      if (connection !== 'online') await new Promise((r) => setTimeout(r, 200));
    }
    expect(connection).toBe('online');
    ws.close();

    expect(await stop(first.child)).toBe(0);
    // The sync server stopped with the launcher.
    await expect(fetch(`${credentials.serverUrl}/healthz`)).rejects.toThrow();

    const second = await launch();
    expect(second.output()).not.toMatch(/mot de passe :/);
    expect(second.output()).toContain(`Serveur de synchronisation local : ${credentials.serverUrl}`);
    expect((await fetch(`${credentials.serverUrl}/readyz`)).status).toBe(200);
    expect(await stop(second.child)).toBe(0);
  }, 240_000);
});
