import net from 'node:net';
import { DEFAULT_HL7_LIMITS } from '../../../shared/src/hl7';
import { buildAck } from '../../../shared/src/hl7';
import type { Hl7Feed } from './feed';
import { FEED_APPLICATION } from './feed';

/**
 * MLLP (Minimal Lower Layer Protocol, HL7 v2 appendix C): each message framed as
 * <VT> message <FS><CR> on a TCP connection, answered by one acknowledgement framed the
 * same way, in order. Off unless MLLP_PORT is set. Plain TCP: a lab reaches it through
 * the clinic's network or a TLS tunnel (stunnel, VPN) set up by IT; nothing here
 * authenticates the sender beyond the network, so bind it (HOST) to the lab link only.
 */
const VT = 0x0b;
const FS = 0x1c;
const CR = 0x0d;

export type MllpListener = { readonly port: number; close(): Promise<void> };

export async function startMllpListener(options: {
  readonly host: string;
  readonly port: number;
  readonly feed: Hl7Feed;
  readonly maxMessageBytes?: number;
  readonly idleTimeoutMs?: number;
  readonly log?: (message: string, details?: Record<string, unknown>) => void;
}): Promise<MllpListener> {
  const max = options.maxMessageBytes ?? DEFAULT_HL7_LIMITS.maxMessageLength;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.setTimeout(options.idleTimeoutMs ?? 300_000, () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let buffer = Buffer.alloc(0);
    // One message at a time per connection: acknowledgements go back in the order received.
    let queue: Promise<void> = Promise.resolve();
    const remote = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    const send = (ack: string) => {
      if (!socket.destroyed)
        socket.write(Buffer.concat([Buffer.from([VT]), Buffer.from(ack, 'utf8'), Buffer.from([FS, CR])]));
    };
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const start = buffer.indexOf(VT);
        if (start < 0) {
          // Bytes outside a frame (noise, a wrong protocol): dropped, bounded.
          if (buffer.length > max) buffer = Buffer.alloc(0);
          return;
        }
        const end = buffer.indexOf(FS, start + 1);
        if (end < 0) {
          if (buffer.length - start > max + 2) {
            // A frame larger than any message we take: refuse it and drop the connection (no way to resync reliably).
            send(
              buildAck(
                undefined,
                'AR',
                {
                  application: FEED_APPLICATION,
                  facility: 'CLINIQUE',
                  controlId: 'TOO-LARGE',
                  at: new Date().toISOString(),
                },
                { code: 'HL7_TOO_LARGE', params: { max } },
              ),
            );
            options.log?.('mllp frame too large', { remote });
            socket.end();
            buffer = Buffer.alloc(0);
          }
          return;
        }
        const frame = new Uint8Array(buffer.subarray(start + 1, end));
        buffer = buffer.subarray(buffer[end + 1] === CR ? end + 2 : end + 1);
        queue = queue.then(async () => {
          try {
            const { ack, outcome } = await options.feed.receive(frame, remote);
            options.log?.('mllp message', { remote, outcome });
            send(ack);
          } catch (error) {
            // Not stored (the database failed): AR tells the sender to keep it and resend.
            options.log?.('mllp message failed', {
              remote,
              error: error instanceof Error ? error.name : 'unknown',
            });
            send(
              buildAck(
                undefined,
                'AR',
                {
                  application: FEED_APPLICATION,
                  facility: 'CLINIQUE',
                  controlId: 'ERROR',
                  at: new Date().toISOString(),
                },
                { code: 'APP_INTERNAL_ERROR' },
              ),
            );
          }
        });
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.end();
        server.close(() => resolve());
        setTimeout(() => {
          for (const s of sockets) s.destroy();
        }, 2000).unref();
      }),
  };
}

/** Frames a message for MLLP (used by tests and by anyone sending to the listener). */
export function mllpFrame(message: string | Uint8Array): Buffer {
  const body = typeof message === 'string' ? Buffer.from(message, 'utf8') : Buffer.from(message);
  return Buffer.concat([Buffer.from([VT]), body, Buffer.from([FS, CR])]);
}
