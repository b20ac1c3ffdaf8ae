import { fetchBytesWith } from './bytes';
import type { LinkAwareTransport, LinkState } from './transport';
import { TransportError } from './transport';

/** The subset of the browser WebSocket the transport uses (also what `ws` provides in tests). */
export type WebSocketLike = {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number): void;
  addEventListener(type: 'open' | 'close' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
};
export type WebSocketFactory = (url: string) => WebSocketLike;

export type WebSocketTransportOptions = {
  readonly url: string;
  readonly secret: string;
  readonly connect?: WebSocketFactory;
  /** How long a call waits for the link to open before failing (ms). */
  readonly openTimeoutMs?: number;
  /** How long a sent call waits for its result (ms). Long calls (unlock's key derivation) fit well inside. */
  readonly callTimeoutMs?: number;
  readonly reconnectDelaysMs?: readonly number[];
  /** fetch for the byte routes (tests under Node pass their own; the page's by default). */
  readonly fetch?: typeof fetch;
};

/** http://127.0.0.1:<port> for ws://127.0.0.1:<port>/api: where the byte routes are served. */
export function httpOriginOfSocketUrl(url: string): string {
  const u = new URL(url);
  return `${u.protocol === 'wss:' ? 'https:' : 'http:'}//${u.host}`;
}

const OPEN = 1;

type Pending = {
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  timer: ReturnType<typeof setTimeout>;
};
type Waiting = { send: () => void; fail: () => void; timer: ReturnType<typeof setTimeout> };

/** Reads the per-launch secret from the page's fragment (`#secret=<hex>`): it is never sent in an HTTP request. */
export function secretFromHash(hash: string): string | undefined {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const secret = params.get('secret');
  return secret !== null && /^[0-9a-f]{16,256}$/i.test(secret) ? secret : undefined;
}

/** ws://<same host>/api for a page served from http://127.0.0.1:<port>/. */
export function apiSocketUrl(location: { readonly host: string; readonly protocol: string }): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api`;
}

/**
 * Browser mode: one WebSocket to the local host. The first message is the hello with the
 * secret; then calls `{type:'call', id, channel, request}` answered by
 * `{type:'result', id, envelope}`, and events `{type:'event', event, payload}`. The link
 * reconnects with backoff; calls in flight when it drops fail (they are not replayed, a
 * save may already have happened), calls made while it is down wait for it a little.
 */
export function createWebSocketTransport(options: WebSocketTransportOptions): LinkAwareTransport {
  const connect = options.connect ?? ((url: string) => new WebSocket(url) as WebSocketLike);
  const openTimeoutMs = options.openTimeoutMs ?? 10_000;
  const callTimeoutMs = options.callTimeoutMs ?? 120_000;
  const delays = options.reconnectDelaysMs ?? [250, 500, 1000, 2000, 5000];

  const pending = new Map<number, Pending>();
  const waiting = new Set<Waiting>();
  const eventListeners = new Set<(event: string, payload: unknown) => void>();
  const linkListeners = new Set<(state: LinkState) => void>();
  let socket: WebSocketLike | undefined;
  let state: LinkState = 'connecting';
  let nextId = 1;
  let attempt = 0;
  let closedByUser = false;
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;

  function setState(next: LinkState): void {
    if (next === state) return;
    state = next;
    for (const l of [...linkListeners]) l(next);
  }

  function onMessage(data: unknown): void {
    if (typeof data !== 'string') return;
    let msg: unknown;
    try {
      msg = JSON.parse(data);
    } catch {
      return;
    }
    if (typeof msg !== 'object' || msg === null) return;
    const m = msg as { type?: unknown; id?: unknown; envelope?: unknown; event?: unknown; payload?: unknown };
    if (m.type === 'result' && typeof m.id === 'number') {
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      clearTimeout(p.timer);
      p.resolve(m.envelope);
    } else if (m.type === 'event' && typeof m.event === 'string') {
      for (const l of [...eventListeners]) l(m.event, m.payload);
    }
  }

  function open(): void {
    setState('connecting');
    let ws: WebSocketLike;
    try {
      ws = connect(options.url);
    } catch {
      scheduleReconnect();
      return;
    }
    socket = ws;
    ws.addEventListener('open', () => {
      ws.send(JSON.stringify({ type: 'hello', secret: options.secret }));
      attempt = 0;
      setState('open');
      for (const w of [...waiting]) {
        waiting.delete(w);
        clearTimeout(w.timer);
        w.send();
      }
    });
    ws.addEventListener('message', (event) => onMessage(event.data));
    // A failed connection reports an error, then closes: the close handler does the work.
    ws.addEventListener('error', () => undefined);
    ws.addEventListener('close', () => {
      if (socket !== ws) return;
      socket = undefined;
      for (const [id, p] of pending) {
        pending.delete(id);
        clearTimeout(p.timer);
        p.reject(new TransportError('RENDERER_HOST_UNREACHABLE'));
      }
      if (closedByUser) {
        setState('closed');
        return;
      }
      scheduleReconnect();
    });
  }

  function scheduleReconnect(): void {
    setState('closed');
    const delay = delays[Math.min(attempt, delays.length - 1)] ?? 1000;
    attempt += 1;
    reconnectTimer = setTimeout(open, delay);
  }

  function send(
    channel: string,
    request: unknown,
    resolve: (v: unknown) => void,
    reject: (e: unknown) => void,
  ): void {
    const ws = socket;
    if (!ws || ws.readyState !== OPEN) {
      reject(new TransportError('RENDERER_HOST_UNREACHABLE'));
      return;
    }
    const id = nextId++;
    const timer = setTimeout(() => {
      pending.delete(id);
      reject(new TransportError('RENDERER_CALL_TIMEOUT'));
    }, callTimeoutMs);
    pending.set(id, { resolve, reject, timer });
    ws.send(JSON.stringify({ type: 'call', id, channel, request }));
  }

  open();

  const fetchImpl = options.fetch ?? ((...a: Parameters<typeof fetch>) => fetch(...a));
  const httpOrigin = httpOriginOfSocketUrl(options.url);

  return {
    get linkState() {
      return state;
    },
    fetchBytes(path) {
      // The launch secret goes in a header, never in the URL; no cookie, no cache.
      return fetchBytesWith(
        () =>
          fetchImpl(`${httpOrigin}${path}`, {
            method: 'GET',
            headers: { Authorization: `Bearer ${options.secret}` },
            cache: 'no-store',
            credentials: 'omit',
            referrerPolicy: 'no-referrer',
          }),
        path,
      );
    },
    invoke(channel, request) {
      return new Promise((resolve, reject) => {
        if (state === 'open') {
          send(channel, request, resolve, reject);
          return;
        }
        const w: Waiting = {
          send: () => send(channel, request, resolve, reject),
          fail: () => reject(new TransportError('RENDERER_HOST_UNREACHABLE')),
          timer: setTimeout(() => {
            waiting.delete(w);
            w.fail();
          }, openTimeoutMs),
        };
        waiting.add(w);
      });
    },
    subscribe(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
    onLinkState(listener) {
      linkListeners.add(listener);
      return () => linkListeners.delete(listener);
    },
    close() {
      closedByUser = true;
      clearTimeout(reconnectTimer);
      for (const w of [...waiting]) {
        waiting.delete(w);
        clearTimeout(w.timer);
        w.fail();
      }
      socket?.close(1000);
      setState('closed');
    },
  };
}
