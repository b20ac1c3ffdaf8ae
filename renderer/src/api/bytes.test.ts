import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/src/errors';
import { fetchInstanceBytes, instanceBytesPath, isBytesPath } from './bytes';
import { createPreloadTransport } from './preload-transport';
import type { WebSocketLike } from './websocket-transport';
import { createWebSocketTransport, httpOriginOfSocketUrl } from './websocket-transport';

// The transports' byte fetch: what each sends and how answers become bytes or AppErrors.
// The host side (real sockets, real vault) is tested in main/src/browser-mode/imaging-route.test.ts.

type Seen = { url: string; init: RequestInit | undefined };

function fakeFetch(answer: () => Response | Promise<Response>) {
  const seen: Seen[] = [];
  const f = (async (input: RequestInfo | URL, init?: RequestInit) => {
    seen.push({ url: String(input), init });
    return answer();
  }) as typeof fetch;
  return { f, seen };
}

const idleSocket = (): WebSocketLike => ({ readyState: 0, send: () => undefined, close: () => undefined, addEventListener: () => undefined });
const SECRET = 'b'.repeat(64);
const STUDY = 'etude_1';
const SOP = '1.2.826.0.1.3680043.10.11.1.1.1';

const codeOf = async (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => 'resolved',
    (e: unknown) => (e instanceof AppError ? e.code : `not an AppError: ${String(e)}`),
  );

describe('fetchBytes', () => {
  it('browser mode: GET on the page origin with the secret in the Authorization header, never in the URL', async () => {
    const { f, seen } = fakeFetch(() => new Response(new Uint8Array([68, 73, 67, 77]), { status: 200 }));
    const transport = createWebSocketTransport({ url: 'ws://127.0.0.1:4321/api', secret: SECRET, connect: idleSocket, fetch: f });
    const bytes = await fetchInstanceBytes(transport, STUDY, SOP);
    expect([...new Uint8Array(bytes)]).toEqual([68, 73, 67, 77]);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.url).toBe(`http://127.0.0.1:4321/imaging/${STUDY}/${SOP}`);
    expect(seen[0]?.url).not.toContain(SECRET);
    expect(seen[0]?.init).toMatchObject({ method: 'GET', headers: { Authorization: `Bearer ${SECRET}` }, cache: 'no-store', credentials: 'omit' });
    transport.close();
  });

  it('Electron: a same-origin fetch of app://clinique with no credential', async () => {
    const { f, seen } = fakeFetch(() => new Response(new Uint8Array([1]), { status: 200 }));
    const transport = createPreloadTransport({ invoke: async () => undefined, onEvent: () => () => undefined }, f);
    expect((await fetchInstanceBytes(transport, STUDY, SOP)).byteLength).toBe(1);
    expect(seen[0]?.url).toBe(`app://clinique/imaging/${STUDY}/${SOP}`);
    expect(JSON.stringify(seen[0]?.init)).not.toMatch(/authorization/i);
  });

  it('turns the host answers into catalogue codes; refuses other paths without a request', async () => {
    const cases: [() => Response | Promise<Response>, string][] = [
      [() => Response.json({ code: 'IMAGING_STUDY_NOT_FOUND' }, { status: 404 }), 'IMAGING_STUDY_NOT_FOUND'],
      [() => Response.json({ code: 'ACCESS_CLINICAL_DENIED' }, { status: 403 }), 'ACCESS_CLINICAL_DENIED'],
      [() => Response.json({ code: 'VAULT_LOCKED' }, { status: 423 }), 'VAULT_LOCKED'],
      [() => new Response('<html>proxy error</html>', { status: 502 }), 'RENDERER_RESPONSE_INVALID'],
      [() => Response.json({ code: 'not a code; <script>' }, { status: 500 }), 'RENDERER_RESPONSE_INVALID'],
      [() => Promise.reject(new TypeError('fetch failed')), 'RENDERER_HOST_UNREACHABLE'],
    ];
    for (const [answer, code] of cases) {
      const { f } = fakeFetch(answer);
      const transport = createWebSocketTransport({ url: 'ws://127.0.0.1:4321/api', secret: SECRET, connect: idleSocket, fetch: f });
      expect(await codeOf(fetchInstanceBytes(transport, STUDY, SOP))).toBe(code);
      transport.close();
    }
    const { f, seen } = fakeFetch(() => new Response(new Uint8Array([1])));
    const transport = createPreloadTransport({ invoke: async () => undefined, onEvent: () => () => undefined }, f);
    for (const p of ['/imaging/../x/1.2', '/api', 'http://evil.example/imaging/a/1.2', `/imaging/${STUDY}/${SOP}?x=1`, `//evil.example/imaging/a/1.2`])
      expect(await codeOf(transport.fetchBytes(p)), p).toBe('IMAGING_STUDY_NOT_FOUND');
    expect(await codeOf(fetchInstanceBytes(transport, 'a/b', SOP))).toBe('IMAGING_STUDY_NOT_FOUND');
    expect(seen).toHaveLength(0);
  });

  it('paths and origins', () => {
    expect(instanceBytesPath(STUDY, SOP)).toBe(`/imaging/${STUDY}/${SOP}`);
    expect(isBytesPath(`/imaging/${STUDY}/${SOP}`)).toBe(true);
    expect(httpOriginOfSocketUrl('ws://127.0.0.1:9/api')).toBe('http://127.0.0.1:9');
    expect(httpOriginOfSocketUrl('wss://example.test/api')).toBe('https://example.test');
  });
});
