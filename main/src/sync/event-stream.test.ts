import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventSourceMessage } from 'eventsource-parser';
import { readEventStream } from './event-stream';

const servers: http.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

/** A real HTTP server writing the given chunks with a pause between them. */
async function serve(chunks: readonly string[], endAfter: boolean): Promise<string> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    void (async () => {
      for (const c of chunks) {
        res.write(c);
        await new Promise((r) => setTimeout(r, 5));
      }
      if (endAfter) res.end();
      else res.destroy();
    })();
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

describe('readEventStream: SSE over fetch', () => {
  it('delivers events split across chunks, in order, with their names', async () => {
    const url = await serve(
      ['event: resync\ndata: {}\n\n', 'event: change\nda', 'ta: {"a":1}\n', '\n: keep-alive\n\nevent: access\ndata: x\n\n'],
      true,
    );
    const res = await fetch(url);
    const got: EventSourceMessage[] = [];
    await readEventStream(res.body as ReadableStream<Uint8Array>, (e) => got.push(e));
    expect(got.map((e) => [e.event, e.data])).toEqual([
      ['resync', '{}'],
      ['change', '{"a":1}'],
      ['access', 'x'],
    ]);
  });

  it('rejects when the connection breaks, without delivering the half-received event', async () => {
    const url = await serve(['event: change\ndata: {"a":1}\n\n', 'event: change\ndata: {"a":2}'], false);
    const res = await fetch(url);
    const got: string[] = [];
    await expect(readEventStream(res.body as ReadableStream<Uint8Array>, (e) => got.push(e.data))).rejects.toThrow();
    expect(got).toEqual(['{"a":1}']);
  });

  it('stops when aborted', async () => {
    const url = await serve(['event: resync\ndata: {}\n\n', ': ping\n\n', ': ping\n\n', ': ping\n\n'], true);
    const controller = new AbortController();
    const res = await fetch(url, { signal: controller.signal });
    const done = readEventStream(res.body as ReadableStream<Uint8Array>, () => controller.abort(), controller.signal);
    await expect(done).rejects.toThrow();
  });
});
