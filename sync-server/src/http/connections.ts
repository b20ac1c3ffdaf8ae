import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Tracks sockets and their requests so shutdown can close every connection that is not
 * answering a request (idle keep-alives, and sockets a client opened without sending
 * anything yet, which Node's closeIdleConnections leaves until a timeout), while
 * connections with a request in flight finish it first.
 */
export function trackConnections(server: Server): { closeIdle(): void } {
  const active = new Map<Socket, number>();
  let closing = false;
  const closeIfIdle = (socket: Socket) => {
    if (closing && (active.get(socket) ?? 0) === 0) socket.destroy();
  };
  server.on('connection', (socket: Socket) => {
    active.set(socket, 0);
    socket.on('close', () => active.delete(socket));
  });
  server.on('request', (request, response) => {
    const socket = request.socket;
    active.set(socket, (active.get(socket) ?? 0) + 1);
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      if (active.has(socket)) active.set(socket, Math.max(0, (active.get(socket) ?? 1) - 1));
      // Let the response bytes reach the client before the socket goes.
      setImmediate(() => closeIfIdle(socket));
    };
    response.on('finish', finish);
    response.on('close', finish);
  });
  return {
    closeIdle() {
      closing = true;
      for (const socket of active.keys()) closeIfIdle(socket);
    },
  };
}
