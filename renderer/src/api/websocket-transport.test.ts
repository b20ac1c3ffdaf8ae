import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import type { LinkAwareTransport } from './transport';
import type { WebSocketLike } from './websocket-transport';
import { apiSocketUrl, createWebSocketTransport, secretFromHash } from './websocket-transport';

const SECRET = 'a'.repeat(64);

type Server = { wss: WebSocketServer; url: string; received: unknown[]; sockets: Set<WebSocket> };

/** A real WebSocket server speaking the browser-mode protocol: echoes calls as results, closes on a wrong hello. */
async function startServer(port = 0): Promise<Server> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const received: unknown[] = [];
  const sockets = new Set<WebSocket>();
  wss.on('connection', (ws) => {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    let hello = false;
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as {
        type: string;
        id?: number;
        channel?: string;
        secret?: string;
        request?: unknown;
      };
      received.push(msg);
      if (!hello) {
        if (msg.type !== 'hello' || msg.secret !== SECRET) ws.close(4401);
        hello = true;
        return;
      }
      if (msg.type === 'call' && msg.channel === 'slow:never') return;
      if (msg.type === 'call') {
        ws.send(
          JSON.stringify({
            type: 'result',
            id: msg.id,
            envelope: { ok: true, value: { echo: msg.request } },
          }),
        );
        ws.send(JSON.stringify({ type: 'event', event: 'test:called', payload: { channel: msg.channel } }));
      }
    });
  });
  const { port: bound } = wss.address() as { port: number };
  return { wss, url: `ws://127.0.0.1:${bound}/api`, received, sockets };
}

const open: (LinkAwareTransport | Server)[] = [];
afterEach(async () => {
  for (const x of open.splice(0)) {
    if ('wss' in x) {
      for (const s of x.sockets) s.terminate();
      await new Promise((r) => x.wss.close(r));
    } else x.close();
  }
});

function transport(url: string, extra: Partial<Parameters<typeof createWebSocketTransport>[0]> = {}) {
  const t = createWebSocketTransport({
    url,
    secret: SECRET,
    connect: (u) => new WebSocket(u) as unknown as WebSocketLike,
    reconnectDelaysMs: [20, 40],
    openTimeoutMs: 2000,
    ...extra,
  });
  open.push(t);
  return t;
}

describe('browser-mode WebSocket transport', () => {
  it('reads the secret from the fragment only when it looks like one', () => {
    expect(secretFromHash(`#secret=${SECRET}`)).toBe(SECRET);
    expect(secretFromHash('#secret=not-hex')).toBeUndefined();
    expect(secretFromHash('')).toBeUndefined();
    expect(apiSocketUrl({ host: '127.0.0.1:4321', protocol: 'http:' })).toBe('ws://127.0.0.1:4321/api');
  });

  it('says hello with the secret first, then carries calls, results and events', async () => {
    const server = await startServer();
    open.push(server);
    const t = transport(server.url);
    const events: unknown[] = [];
    t.subscribe((event, payload) => events.push([event, payload]));
    await expect(t.invoke('patients:search', { query: 'hélène' })).resolves.toEqual({
      ok: true,
      value: { echo: { query: 'hélène' } },
    });
    expect(server.received[0]).toEqual({ type: 'hello', secret: SECRET });
    expect(server.received[1]).toMatchObject({
      type: 'call',
      channel: 'patients:search',
      request: { query: 'hélène' },
    });
    await expect.poll(() => events).toEqual([['test:called', { channel: 'patients:search' }]]);
    expect(t.linkState).toBe('open');
  });

  it('fails calls in flight when the link drops, then reconnects and works again', async () => {
    const server = await startServer();
    open.push(server);
    const t = transport(server.url);
    await t.invoke('a:b', {});
    const states: string[] = [];
    t.onLinkState((s) => states.push(s));
    const inFlight = t.invoke('slow:never', {});
    await expect.poll(() => server.received.length).toBe(3);
    for (const s of server.sockets) s.terminate();
    await expect(inFlight).rejects.toMatchObject({ payload: { code: 'RENDERER_HOST_UNREACHABLE' } });
    await expect(t.invoke('c:d', { n: 1 })).resolves.toEqual({ ok: true, value: { echo: { n: 1 } } });
    expect(states).toContain('closed');
    expect(states.at(-1)).toBe('open');
  });

  it('makes calls wait for the link while the host is not there yet', async () => {
    const probe = await startServer();
    const { port } = probe.wss.address() as { port: number };
    await new Promise((r) => probe.wss.close(r));
    const t = transport(`ws://127.0.0.1:${port}/api`);
    const call = t.invoke('late:call', {});
    await new Promise((r) => setTimeout(r, 100));
    const server = await startServer(port);
    open.push(server);
    await expect(call).resolves.toEqual({ ok: true, value: { echo: {} } });
  });

  it('gives up on a call when the link does not open in time', async () => {
    const t = transport('ws://127.0.0.1:9/api', { openTimeoutMs: 100 });
    await expect(t.invoke('x:y', {})).rejects.toMatchObject({
      payload: { code: 'RENDERER_HOST_UNREACHABLE' },
    });
  });
});
