import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * For the fault-model test only: a workstation's network, as an HTTP proxy between it and
 * the sync server. It can be cut (every connection refused or reset), and it can be armed
 * with one-shot faults on the next push request: lost on the way (the server never sees
 * it), lost on the way back (the server committed it, the client sees a reset and must
 * retry a push that already landed), or sent twice (a retrying middlebox). The live stream
 * can be cut at any moment.
 */

/**
 * `drop-response-cut`: as `drop-response`, then the network stays cut until
 * setOnline(true), so a test decides when the client's retry (which knows nothing of the
 * landed push) reaches the server.
 */
export type PushFault = 'drop-request' | 'drop-response' | 'drop-response-cut' | 'duplicate';

export type FaultProxy = {
  readonly url: string;
  /** Cut: open connections are reset, new ones are answered with a reset. */
  setOnline(online: boolean): void;
  readonly online: boolean;
  /** The next push request meets this fault (faults queue up, one per push). */
  arm(fault: PushFault): void;
  /** Resets every open live stream (the client reconnects, gets `resync`). */
  cutStreams(): number;
  /** Forgets armed faults and goes online. */
  heal(): void;
  /** Faults that met a push since the last heal, for the test's report. */
  readonly applied: readonly PushFault[];
  close(): Promise<void>;
};

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  let online = true;
  const armed: PushFault[] = [];
  const applied: PushFault[] = [];
  const sockets = new Set<Socket>();
  const streams = new Set<Socket>();

  const forward = (req: http.IncomingMessage, body: Buffer): Promise<http.IncomingMessage> =>
    new Promise((resolve, reject) => {
      const out = http.request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: upstream.host, 'content-length': String(body.length) },
        },
        resolve,
      );
      out.on('error', reject);
      out.end(body);
    });

  const readAll = (stream: NodeJS.ReadableStream): Promise<Buffer> =>
    new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => resolve(Buffer.concat(chunks)));
      stream.on('error', reject);
    });

  const server = http.createServer((req, res) => {
    const socket = req.socket;
    if (!online) {
      socket.destroy();
      return;
    }
    void (async () => {
      const body = await readAll(req);
      const isPush = req.method === 'POST' && (req.url ?? '').endsWith('/push');
      const fault = isPush ? armed.shift() : undefined;
      if (fault) applied.push(fault);
      if (fault === 'drop-request') {
        socket.destroy();
        return;
      }
      if (fault === 'duplicate') {
        const first = await forward(req, body);
        await readAll(first);
      }
      const answer = await forward(req, body);
      const isStream = (answer.headers['content-type'] ?? '').includes('text/event-stream');
      if (fault === 'drop-response' || fault === 'drop-response-cut') {
        await readAll(answer);
        if (fault === 'drop-response-cut') cut();
        socket.destroy();
        return;
      }
      if (!online) {
        answer.destroy();
        socket.destroy();
        return;
      }
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      if (isStream) {
        streams.add(socket);
        socket.once('close', () => {
          streams.delete(socket);
          answer.destroy();
        });
        res.flushHeaders();
      }
      answer.on('error', () => socket.destroy());
      answer.pipe(res);
    })().catch(() => socket.destroy());
  });
  const cut = (): void => {
    online = false;
    for (const s of sockets) s.destroy();
  };
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    if (!online) socket.destroy();
  });
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    get online() {
      return online;
    },
    setOnline(value) {
      if (value) online = true;
      else cut();
    },
    arm(fault) {
      armed.push(fault);
    },
    cutStreams() {
      const n = streams.size;
      for (const s of streams) s.destroy();
      return n;
    },
    heal() {
      armed.length = 0;
      applied.length = 0;
      online = true;
    },
    get applied() {
      return applied;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
