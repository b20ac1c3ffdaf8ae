import { describe, expect, it } from 'vitest';
import { createInvokeHandler, forwardEvent, IPC_EVENT, UntrustedSenderError } from './ipc';

const top = { url: 'app://clinique/index.html', parent: null };

describe('IPC invoke handler', () => {
  it('forwards a trusted call to dispatch and returns its envelope', async () => {
    const calls: unknown[] = [];
    const handler = createInvokeHandler(async (channel, request) => {
      calls.push([channel, request]);
      return { ok: true, value: 42 };
    });
    await expect(handler(top, 'patients:search', { q: 'x' })).resolves.toEqual({ ok: true, value: 42 });
    expect(calls).toEqual([['patients:search', { q: 'x' }]]);
  });

  it('refuses iframes, other origins and destroyed frames without calling dispatch', async () => {
    const refused: (string | undefined)[] = [];
    let called = false;
    const handler = createInvokeHandler(
      async () => {
        called = true;
        return undefined;
      },
      (url) => refused.push(url),
    );
    await expect(handler({ url: 'app://clinique/index.html', parent: {} }, 'vault:lock', {})).rejects.toBeInstanceOf(UntrustedSenderError);
    await expect(handler({ url: 'https://evil.example/', parent: null }, 'vault:lock', {})).rejects.toBeInstanceOf(UntrustedSenderError);
    await expect(handler(null, 'vault:lock', {})).rejects.toBeInstanceOf(UntrustedSenderError);
    expect(called).toBe(false);
    expect(refused).toEqual(['app://clinique/index.html', 'https://evil.example/', undefined]);
  });

  it('passes a non-string channel as an empty name (the dispatcher answers unknown channel)', async () => {
    const seen: string[] = [];
    const handler = createInvokeHandler(async (channel) => {
      seen.push(channel);
      return { ok: false, error: { code: 'API_CHANNEL_UNKNOWN' } };
    });
    await handler(top, { toString: () => 'patients:search' }, {});
    expect(seen).toEqual(['']);
  });
});

describe('event forwarding', () => {
  it('sends to windows showing the app, not to one that navigated away', () => {
    const sent: unknown[] = [];
    const target = (url: string | undefined) => ({ mainFrameUrl: url, send: (...args: unknown[]) => sent.push([url, ...args]) });
    const count = forwardEvent([target('app://clinique/index.html'), target('https://evil.example/'), target(undefined)], 'sync:status', { s: 1 });
    expect(count).toBe(1);
    expect(sent).toEqual([['app://clinique/index.html', IPC_EVENT, 'sync:status', { s: 1 }]]);
  });
});
