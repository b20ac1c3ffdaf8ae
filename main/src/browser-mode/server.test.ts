/* eslint-disable security/detect-non-literal-fs-filename -- test files in a temp folder the test creates. */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CLOSE_CODES, WS_PATH } from '../../../shared/src/browser-mode/protocol';
import type { HostTransportTarget } from '../electron/ipc';
import type { BrowserModeServer } from './server';
import { secretsEqual, startBrowserMode } from './server';

type Listener = (event: string, payload: unknown) => void;

/** A stand-in for main/src/host with the same two entry points: it answers a few channels. */
function fakeHost() {
  const listeners = new Set<Listener>();
  const calls: [string, unknown][] = [];
  const host: HostTransportTarget & { emit: Listener; calls: typeof calls; listenerCount: () => number } = {
    calls,
    async dispatch(channel, request) {
      calls.push([channel, request]);
      if (channel === 'app:info') return { ok: true, value: { echo: request } };
      if (channel === 'boom') throw new Error('secret document text');
      return { ok: false, error: { code: 'API_CHANNEL_UNKNOWN' } };
    },
    events: {
      on(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },
    emit(event, payload) {
      for (const l of listeners) l(event, payload);
    },
    listenerCount: () => listeners.size,
  };
  return host;
}

let dir: string;
let server: BrowserModeServer;
let host: ReturnType<typeof fakeHost>;
const open: WebSocket[] = [];

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'browser-mode-'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><script src="app.js"></script>');
  fs.writeFileSync(path.join(dir, 'app.js'), 'console.log(1)');
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

afterEach(async () => {
  for (const ws of open.splice(0)) ws.terminate();
  await server?.close();
});

async function start(extra: { helloTimeoutMs?: number; maxMessageBytes?: number } = {}) {
  host = fakeHost();
  server = await startBrowserMode({ host, rendererDir: dir, ...extra });
  return server;
}

function connect(options: { origin?: string; host?: string; path?: string } = {}): WebSocket {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}${options.path ?? WS_PATH}`, {
    origin: options.origin ?? server.origin,
    headers: options.host ? { host: options.host } : {},
  });
  ws.on('error', () => undefined);
  open.push(ws);
  return ws;
}

function nextMessage(ws: WebSocket): Promise<unknown> {
  return new Promise((resolve) => ws.once('message', (data: Buffer) => resolve(JSON.parse(data.toString('utf8')))));
}

function closed(ws: WebSocket): Promise<number> {
  return new Promise((resolve) => ws.once('close', (code: number) => resolve(code)));
}

function opened(ws: WebSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

async function hello(ws: WebSocket, secret = server.secret) {
  await opened(ws);
  const ready = nextMessage(ws);
  ws.send(JSON.stringify({ type: 'hello', secret }));
  expect(await ready).toEqual({ type: 'ready' });
}

function get(urlPath: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: server.port, path: urlPath, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('browser mode HTTP', () => {
  it('binds 127.0.0.1 and prints the page address with the secret in the fragment', async () => {
    await start();
    expect(server.origin).toBe(`http://127.0.0.1:${server.port}`);
    expect(server.url).toBe(`${server.origin}/#secret=${server.secret}`);
    expect(server.secret).toMatch(/^[0-9a-f]{64}$/);
  });

  it('serves the renderer with the strict CSP naming its own WebSocket', async () => {
    await start();
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<!doctype html>');
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = String(page.headers['content-security-policy']);
    // 'wasm-unsafe-eval' only lets the imaging codecs compile WebAssembly; no other unsafe source.
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval';");
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${server.port}`);
    expect(csp.replace("'wasm-unsafe-eval'", '')).not.toContain('unsafe');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect((await get('/app.js')).headers['content-type']).toBe('text/javascript; charset=utf-8');
  });

  it('refuses traversal, other Host names and other methods', async () => {
    await start();
    expect((await get('/../../../etc/passwd')).status).toBe(400);
    expect((await get('/%2e%2e/%2e%2e/etc/passwd')).status).toBe(400);
    expect((await get('/missing.js')).status).toBe(404);
    expect((await get('/', { host: 'evil.example' })).status).toBe(421);
    expect((await get('/', { host: `localhost:${server.port}` })).status).toBe(421);
    const post = await new Promise<number>((resolve) => {
      const req = http.request({ host: '127.0.0.1', port: server.port, path: '/', method: 'POST' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.end('x');
    });
    expect(post).toBe(405);
  });
});

describe('browser mode WebSocket', () => {
  it('round-trips a call through host.dispatch after the hello', async () => {
    await start();
    const ws = connect();
    await hello(ws);
    const answer = nextMessage(ws);
    ws.send(JSON.stringify({ type: 'call', id: 7, channel: 'app:info', request: { a: 1 } }));
    expect(await answer).toEqual({ type: 'result', id: 7, envelope: { ok: true, value: { echo: { a: 1 } } } });
    expect(host.calls).toEqual([['app:info', { a: 1 }]]);
  });

  it('answers a host exception with the generic code, never its text', async () => {
    await start();
    const ws = connect();
    await hello(ws);
    const answer = nextMessage(ws);
    ws.send(JSON.stringify({ type: 'call', id: 'x1', channel: 'boom', request: null }));
    const result = await answer;
    expect(result).toEqual({ type: 'result', id: 'x1', envelope: { ok: false, error: { code: 'APP_INTERNAL_ERROR' } } });
    expect(JSON.stringify(result)).not.toContain('secret document');
  });

  it('delivers host events to authenticated pages only', async () => {
    await start();
    const ws = connect();
    await hello(ws);
    const stranger = connect();
    await opened(stranger);
    const strangerMessages: unknown[] = [];
    stranger.on('message', (d: Buffer) => strangerMessages.push(d.toString()));
    const event = nextMessage(ws);
    host.emit('sync:status', { online: true });
    expect(await event).toEqual({ type: 'event', event: 'sync:status', payload: { online: true } });
    expect(strangerMessages).toEqual([]);
  });

  it('closes on a wrong secret, without dispatching anything', async () => {
    await start();
    const ws = connect();
    await opened(ws);
    const code = closed(ws);
    ws.send(JSON.stringify({ type: 'hello', secret: server.secret.replace(/.$/, (c) => (c === '0' ? '1' : '0')) }));
    expect(await code).toBe(CLOSE_CODES.unauthorized);
  });

  it('closes a call sent before the hello', async () => {
    await start();
    const ws = connect();
    await opened(ws);
    const code = closed(ws);
    ws.send(JSON.stringify({ type: 'call', id: 1, channel: 'app:info', request: {} }));
    expect(await code).toBe(CLOSE_CODES.unauthorized);
    expect(host.calls).toEqual([]);
  });

  it('refuses the upgrade from another origin, another Host or another path', async () => {
    await start();
    await expect(opened(connect({ origin: 'http://evil.example' }))).rejects.toThrow('HTTP 403');
    await expect(opened(connect({ origin: `http://localhost:${server.port}` }))).rejects.toThrow('HTTP 403');
    await expect(opened(connect({ origin: 'null' }))).rejects.toThrow('HTTP 403');
    await expect(opened(connect({ host: `evil.example:${server.port}` }))).rejects.toThrow('HTTP 421');
    await expect(opened(connect({ path: '/other' }))).rejects.toThrow('HTTP 404');
  });

  it('closes on hostile messages and keeps serving others', async () => {
    await start({ maxMessageBytes: 1024 });
    const cases: [string | Buffer, number][] = [
      ['not json', CLOSE_CODES.badMessage],
      ['{"type":"hello"', CLOSE_CODES.badMessage],
      ['[]', CLOSE_CODES.badMessage],
      ['null', CLOSE_CODES.badMessage],
      ['"hello"', CLOSE_CODES.badMessage],
      [JSON.stringify({ type: 'hello', secret: 5 }), CLOSE_CODES.badMessage],
      [JSON.stringify({ type: 'call', id: { x: 1 }, channel: 'app:info' }), CLOSE_CODES.badMessage],
      [JSON.stringify({ type: 'hello', secret: 'x'.repeat(300) }), CLOSE_CODES.badMessage],
      [JSON.stringify({ type: 'hello', secret: 'a'.repeat(2000) }), CLOSE_CODES.tooBig],
      [Buffer.from([1, 2, 3]), CLOSE_CODES.badMessage],
    ];
    for (const [message, expected] of cases) {
      const ws = connect();
      await opened(ws);
      const code = closed(ws);
      ws.send(message);
      expect(await code, String(message).slice(0, 40)).toBe(expected);
    }
    // After the hello too: malformed JSON closes that page's socket, the server lives on.
    const ws = connect();
    await hello(ws);
    const code = closed(ws);
    ws.send('{{{');
    expect(await code).toBe(CLOSE_CODES.badMessage);
    const again = connect();
    await hello(again);
    expect(host.calls).toEqual([]);
  });

  it('closes a page that never says hello', async () => {
    await start({ helloTimeoutMs: 100 });
    const ws = connect();
    await opened(ws);
    expect(await closed(ws)).toBe(CLOSE_CODES.helloTimeout);
  });

  it('closes its sockets and stops listening to the host on close', async () => {
    await start();
    const ws = connect();
    await hello(ws);
    expect(host.listenerCount()).toBe(1);
    const code = closed(ws);
    await server.close();
    expect(await code).toBe(CLOSE_CODES.goingAway);
    expect(host.listenerCount()).toBe(0);
    await expect(get('/')).rejects.toThrow();
  });
});

describe('secretsEqual', () => {
  it('compares whole secrets', () => {
    expect(secretsEqual('abc', 'abc')).toBe(true);
    expect(secretsEqual('abc', 'abd')).toBe(false);
    expect(secretsEqual('ab', 'abc')).toBe(false);
    expect(secretsEqual('', 'abc')).toBe(false);
  });
});
