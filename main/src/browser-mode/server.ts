/* eslint-disable security/detect-non-literal-fs-filename -- files served are resolved by resolveRendererFile, confined to the renderer build folder. */
// Browser mode: the renderer served on 127.0.0.1 and the host's API over a WebSocket, so the
// same UI runs in a plain browser (Playwright's Chromium, or where the Electron runtime is
// not installed). Same contract as the Electron IPC transport: calls go to host.dispatch,
// host events go to every authenticated page; no logic of its own.
import crypto from 'node:crypto';
import { createReadStream } from 'node:fs';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { RawData, WebSocket } from 'ws';
import { WebSocketServer } from 'ws';
import type { ServerMessage } from '../../../shared/src/browser-mode/protocol';
import {
  CLOSE_CODES,
  HELLO_TIMEOUT_MS,
  MAX_MESSAGE_BYTES,
  parseClientMessage,
  SECRET_FRAGMENT_KEY,
  WS_PATH,
} from '../../../shared/src/browser-mode/protocol';
import { API_ERROR_CODES } from '../../../shared/src/api/envelope';
import type { HostTransportTarget } from '../electron/ipc';
import { answerImagingRequest, isImagingPath } from '../electron/imaging-route';
import { rawPathnameOf, resolveRendererFile } from '../electron/renderer-files';
import { contentSecurityPolicy, securityHeaders } from '../electron/security';

export const BROWSER_MODE_HOST = '127.0.0.1';

/** Bytes queued for one page beyond which it is dropped (it reconnects and reloads). */
export const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

export type BrowserModeOptions = {
  readonly host: HostTransportTarget;
  /** The renderer build (dist/renderer). */
  readonly rendererDir: string;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** Hex secret of this launch; a fresh 256-bit one by default. */
  readonly secret?: string;
  readonly maxMessageBytes?: number;
  readonly helloTimeoutMs?: number;
  readonly log?: (line: string) => void;
};

export type BrowserModeServer = {
  /** The page's address with the secret in the fragment: what the launcher prints. */
  readonly url: string;
  /** http://127.0.0.1:<port> */
  readonly origin: string;
  readonly port: number;
  readonly secret: string;
  close(): Promise<void>;
};

/** Compares two secrets in constant time (both hashed first, so their lengths do not leak either). */
export function secretsEqual(given: string, expected: string): boolean {
  const a = crypto.createHash('sha256').update(given, 'utf8').digest();
  const b = crypto.createHash('sha256').update(expected, 'utf8').digest();
  return crypto.timingSafeEqual(a, b);
}

function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

export async function startBrowserMode(options: BrowserModeOptions): Promise<BrowserModeServer> {
  const secret = options.secret ?? crypto.randomBytes(32).toString('hex');
  const maxBytes = options.maxMessageBytes ?? MAX_MESSAGE_BYTES;
  const helloTimeout = options.helloTimeoutMs ?? HELLO_TIMEOUT_MS;
  const log = options.log ?? (() => undefined);
  const sockets = new Set<Socket>();
  const clients = new Set<WebSocket>();
  let expectedHost = '';
  let origin = '';
  let headers: Record<string, string> = {};

  const server = http.createServer((req, res) => {
    if (req.headers.host !== expectedHost) {
      // Another Host name pointing at 127.0.0.1 (DNS rebinding) gets nothing.
      res.writeHead(421, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Misdirected request\n');
      return;
    }
    const rawPath = rawPathnameOf(req.url ?? '/');
    if (isImagingPath(rawPath)) {
      serveImaging(req, res, rawPath);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...headers, Allow: 'GET, HEAD' }).end();
      return;
    }
    void resolveRendererFile(options.rendererDir, rawPathnameOf(req.url ?? '/')).then(
      (found) => {
        if (!found.ok) {
          res.writeHead(found.status, headers).end();
          return;
        }
        res.writeHead(200, { ...headers, 'Content-Type': found.contentType });
        if (req.method === 'HEAD') {
          res.end();
          return;
        }
        const stream = createReadStream(found.file);
        stream.on('error', () => res.destroy());
        stream.pipe(res);
      },
      () => {
        if (!res.headersSent) res.writeHead(500, headers);
        res.end();
      },
    );
  });
  /**
   * GET /imaging/<studyId>/<sopInstanceUid> (imaging-route.ts): the page's fetch carries the
   * launch secret as `Authorization: Bearer` (from the URL fragment, never in a URL or
   * cookie), compared in constant time. No CORS headers: a page of another origin cannot
   * send that header without a preflight, which gets 405.
   */
  const serveImaging = (req: http.IncomingMessage, res: http.ServerResponse, rawPath: string): void => {
    const json = { ...headers, 'Content-Type': 'application/json; charset=utf-8' };
    const auth = req.headers.authorization;
    const given = typeof auth === 'string' && auth.startsWith('Bearer ') ? auth.slice(7) : '';
    if (!secretsEqual(given, secret)) {
      log('browser mode: imaging request refused (secret)');
      res.writeHead(401, json).end(JSON.stringify({ code: 'RENDERER_SECRET_MISSING' }));
      return;
    }
    const site = req.headers['sec-fetch-site'];
    const from = req.headers.origin;
    if ((site !== undefined && site !== 'same-origin') || (from !== undefined && from !== origin)) {
      log('browser mode: imaging request refused (cross-site)');
      res.writeHead(403, json).end(JSON.stringify({ code: 'ACCESS_CLINICAL_DENIED' }));
      return;
    }
    const read = options.host.readImagingInstance?.bind(options.host);
    // A query string is not part of the route: refused like any other malformed path.
    const path = (req.url ?? '').includes('?') || read === undefined ? '/imaging/' : rawPath;
    void answerImagingRequest(read ?? (async () => ({ ok: false, error: { code: 'IMAGING_STUDY_NOT_FOUND' } })), { method: req.method ?? 'GET', rawPathname: path }, headers, log).then(
      (answer) => {
        res.writeHead(answer.status, answer.headers);
        res.end(answer.body ?? undefined);
      },
      () => {
        if (!res.headersSent) res.writeHead(500, json);
        res.end();
      },
    );
  };

  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: maxBytes, perMessageDeflate: false });
  wss.on('error', () => undefined);

  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    if (rawPathnameOf(req.url ?? '') !== WS_PATH) return refuseUpgrade(socket, 404, 'Not Found');
    if (req.headers.host !== expectedHost) return refuseUpgrade(socket, 421, 'Misdirected Request');
    // Only our own page may connect: a page of any other site open in the same browser is refused.
    if (req.headers.origin !== origin) {
      log('browser mode: WebSocket refused (origin)');
      return refuseUpgrade(socket, 403, 'Forbidden');
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  const send = (ws: WebSocket, message: ServerMessage) => {
    if (ws.readyState !== ws.OPEN) return;
    // A page that stops reading (frozen tab) must not make the host buffer without end.
    if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      ws.terminate();
      return;
    }
    ws.send(JSON.stringify(message));
  };

  wss.on('connection', (ws: WebSocket) => {
    let authenticated = false;
    const timer = setTimeout(() => ws.close(CLOSE_CODES.helloTimeout, 'hello expected'), helloTimeout);
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      clearTimeout(timer);
      clients.delete(ws);
    });
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (isBinary) return ws.close(CLOSE_CODES.badMessage, 'text messages only');
      const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
      const message = parseClientMessage(text);
      if (!message) return ws.close(CLOSE_CODES.badMessage, 'malformed message');
      if (!authenticated) {
        if (message.type !== 'hello' || !secretsEqual(message.secret, secret)) {
          log('browser mode: WebSocket refused (secret)');
          return ws.close(CLOSE_CODES.unauthorized, 'unauthorized');
        }
        authenticated = true;
        clearTimeout(timer);
        clients.add(ws);
        return send(ws, { type: 'ready' });
      }
      if (message.type === 'hello') return ws.close(CLOSE_CODES.badMessage, 'hello sent twice');
      const { id } = message;
      options.host.dispatch(message.channel, message.request).then(
        (envelope) => send(ws, { type: 'result', id, envelope }),
        // The dispatcher answers every failure with an envelope; this is only a guard.
        () => send(ws, { type: 'result', id, envelope: { ok: false, error: { code: API_ERROR_CODES.internal } } }),
      );
    });
  });

  const unsubscribe = options.host.events.on((event, payload) => {
    for (const ws of clients) send(ws, { type: 'event', event, payload });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, BROWSER_MODE_HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  expectedHost = `${BROWSER_MODE_HOST}:${port}`;
  origin = `http://${expectedHost}`;
  headers = securityHeaders(contentSecurityPolicy({ connectSrc: [`ws://${expectedHost}`] }));

  let closing: Promise<void> | undefined;
  return {
    url: `${origin}/#${SECRET_FRAGMENT_KEY}=${secret}`,
    origin,
    port,
    secret,
    close() {
      closing ??= (async () => {
        unsubscribe();
        for (const ws of wss.clients) ws.close(CLOSE_CODES.goingAway, 'server stopping');
        await new Promise<void>((resolve) => wss.close(() => resolve()));
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const socket of sockets) socket.destroy();
        await closed;
      })();
      return closing;
    },
  };
}
