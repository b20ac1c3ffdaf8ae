/**
 * The browser-mode WebSocket protocol (server: main/src/browser-mode, client: the renderer's
 * WebSocket transport). The page reads the per-launch secret from the URL fragment
 * (`#secret=<hex>`, never sent in an HTTP request), opens `ws://127.0.0.1:<port>/api` and
 * sends `hello` first; then calls and results, and events pushed by the server.
 *
 *   client → server  { type: 'hello', secret }
 *                    { type: 'call', id, channel, request }
 *   server → client  { type: 'ready' }                       (after a good hello)
 *                    { type: 'result', id, envelope }
 *                    { type: 'event', event, payload }
 *
 * The server closes the socket with one of CLOSE_CODES on anything else. No dependency.
 */
export const WS_PATH = '/api';

/** Name of the fragment parameter holding the secret in the page's address. */
export const SECRET_FRAGMENT_KEY = 'secret';

/** Largest message either side sends, in bytes (a search result or a record fits easily). */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

/** Milliseconds the server waits for the hello before closing. */
export const HELLO_TIMEOUT_MS = 10_000;

export const CLOSE_CODES = {
  /** Normal end (server stopping). */
  normal: 1000,
  /** The server is stopping. */
  goingAway: 1001,
  /** Text that is not JSON, or a message of the wrong shape. */
  badMessage: 4400,
  /** Missing or wrong secret, or a call before the hello. */
  unauthorized: 4401,
  /** No hello in time. */
  helloTimeout: 4408,
  /** Message bigger than MAX_MESSAGE_BYTES (ws closes with 1009 by itself). */
  tooBig: 1009,
} as const;

export type HelloMessage = { readonly type: 'hello'; readonly secret: string };
export type CallMessage = { readonly type: 'call'; readonly id: number | string; readonly channel: string; readonly request: unknown };
export type ClientMessage = HelloMessage | CallMessage;

export type ReadyMessage = { readonly type: 'ready' };
export type ResultMessage = { readonly type: 'result'; readonly id: number | string; readonly envelope: unknown };
export type EventMessage = { readonly type: 'event'; readonly event: string; readonly payload: unknown };
export type ServerMessage = ReadyMessage | ResultMessage | EventMessage;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isId(value: unknown): value is number | string {
  return (typeof value === 'number' && Number.isSafeInteger(value)) || (typeof value === 'string' && value.length > 0 && value.length <= 64);
}

/** Parses a message sent by the page (untrusted): the message, or undefined when it is not one. */
export function parseClientMessage(text: string): ClientMessage | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(json)) return undefined;
  if (json['type'] === 'hello' && typeof json['secret'] === 'string' && json['secret'].length <= 256) {
    return { type: 'hello', secret: json['secret'] };
  }
  if (json['type'] === 'call' && isId(json['id']) && typeof json['channel'] === 'string' && json['channel'].length <= 128) {
    return { type: 'call', id: json['id'], channel: json['channel'], request: json['request'] };
  }
  return undefined;
}

/** Parses a message sent by the server (the renderer's side). */
export function parseServerMessage(text: string): ServerMessage | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(json)) return undefined;
  if (json['type'] === 'ready') return { type: 'ready' };
  if (json['type'] === 'result' && isId(json['id'])) return { type: 'result', id: json['id'], envelope: json['envelope'] };
  if (json['type'] === 'event' && typeof json['event'] === 'string') return { type: 'event', event: json['event'], payload: json['payload'] };
  return undefined;
}

/** The secret from a page address's fragment (`#secret=…`), or undefined. */
export function secretFromFragment(hash: string): string | undefined {
  const body = hash.startsWith('#') ? hash.slice(1) : hash;
  for (const part of body.split('&')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq) === SECRET_FRAGMENT_KEY) {
      const secret = part.slice(eq + 1);
      return /^[0-9a-f]{32,128}$/.test(secret) ? secret : undefined;
    }
  }
  return undefined;
}
