import { describe, expect, it } from 'vitest';
import { parseClientMessage, parseServerMessage, secretFromFragment } from './protocol';

describe('browser-mode protocol', () => {
  it('parses the client messages and nothing else', () => {
    expect(parseClientMessage('{"type":"hello","secret":"ab"}')).toEqual({ type: 'hello', secret: 'ab' });
    expect(parseClientMessage('{"type":"call","id":3,"channel":"app:info","request":{"x":1}}')).toEqual({
      type: 'call',
      id: 3,
      channel: 'app:info',
      request: { x: 1 },
    });
    for (const text of ['', 'x', '[]', 'null', '1', '{"type":"call","id":1.5,"channel":"a"}', '{"type":"call","id":"","channel":"a"}', '{"type":"other"}', '{"type":"call","id":1}']) {
      expect(parseClientMessage(text), text).toBeUndefined();
    }
  });

  it('parses the server messages', () => {
    expect(parseServerMessage('{"type":"ready"}')).toEqual({ type: 'ready' });
    expect(parseServerMessage('{"type":"result","id":1,"envelope":{"ok":true,"value":1}}')).toEqual({
      type: 'result',
      id: 1,
      envelope: { ok: true, value: 1 },
    });
    expect(parseServerMessage('{"type":"event","event":"sync:status","payload":null}')).toEqual({ type: 'event', event: 'sync:status', payload: null });
    expect(parseServerMessage('{"type":"event"}')).toBeUndefined();
    expect(parseServerMessage('nope')).toBeUndefined();
  });

  it('reads the secret from the fragment', () => {
    const secret = 'a1'.repeat(32);
    expect(secretFromFragment(`#secret=${secret}`)).toBe(secret);
    expect(secretFromFragment(`#x=1&secret=${secret}`)).toBe(secret);
    expect(secretFromFragment('#secret=short')).toBeUndefined();
    expect(secretFromFragment(`#secret=${secret.toUpperCase()}`)).toBeUndefined();
    expect(secretFromFragment('')).toBeUndefined();
  });
});
