import { describe, expect, it } from 'vitest';
import {
  APP_ORIGIN,
  APP_START_URL,
  contentSecurityPolicy,
  isAppUrl,
  isNavigationAllowed,
  isPermissionAllowed,
  isTrustedSender,
  securityHeaders,
  WINDOW_KINDS,
  windowOpenDecision,
  windowOptions,
} from './security';

describe('webPreferences of every window kind', () => {
  it.each(WINDOW_KINDS)('%s: isolated, sandboxed, no Node, web security on, our preload only', (kind) => {
    const options = windowOptions(kind, '/app/dist/main/preload.cjs');
    const prefs = options.webPreferences;
    expect(prefs).toBeDefined();
    expect(prefs).toMatchObject({
      preload: '/app/dist/main/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
    });
    // Nothing that loosens them may sneak in.
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
    expect(prefs).not.toHaveProperty('additionalArguments');
    expect(prefs).not.toHaveProperty('partition');
    expect(options.show).toBe(false);
  });

  it('lists every kind windowOptions knows', () => {
    expect(WINDOW_KINDS).toEqual(['main']);
  });
});

describe('content security policy', () => {
  it('allows only the app itself: no inline code, no eval, no framing, no plugins', () => {
    const csp = contentSecurityPolicy();
    const directives = Object.fromEntries(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]));
    expect(directives).toMatchObject({
      'default-src': "'self'",
      'script-src': "'self' 'wasm-unsafe-eval'",
      'style-src': "'self'",
      'img-src': "'self' blob: data:",
      'connect-src': "'self'",
      'object-src': "'none'",
      'frame-ancestors': "'none'",
      'base-uri': "'none'",
    });
    // 'wasm-unsafe-eval' lets the page compile WebAssembly (imaging codecs), not eval JavaScript.
    expect(csp).not.toMatch(/unsafe-inline|(?<!wasm-)unsafe-eval|\*|https?:/);
  });

  it('adds the WebSocket origin of browser mode to connect-src only', () => {
    const csp = contentSecurityPolicy({ connectSrc: ['ws://127.0.0.1:4321'] });
    expect(csp).toContain("connect-src 'self' ws://127.0.0.1:4321;");
    expect(csp.match(/ws:/g)).toHaveLength(1);
  });

  it('is sent with nosniff, no referrer and no framing', () => {
    expect(securityHeaders('x')).toMatchObject({
      'Content-Security-Policy': 'x',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'X-Frame-Options': 'DENY',
    });
  });
});

describe('navigation, new windows, permissions', () => {
  it('recognises only the app origin', () => {
    expect(APP_START_URL.startsWith(`${APP_ORIGIN}/`)).toBe(true);
    expect(isAppUrl('app://clinique/index.html')).toBe(true);
    expect(isAppUrl('app://clinique/patients?q=1#x')).toBe(true);
    for (const url of [
      'app://other/index.html',
      'app://user:pw@clinique/',
      'file:///etc/passwd',
      'https://clinique/',
      'http://127.0.0.1:8080/',
      'javascript:alert(1)',
      'data:text/html,<script>1</script>',
      'about:blank',
      'not a url',
      '',
    ]) {
      expect(isAppUrl(url), url).toBe(false);
      expect(isNavigationAllowed(url), url).toBe(false);
    }
  });

  it('denies every window.open', () => {
    expect(windowOpenDecision()).toEqual({ action: 'deny' });
  });

  it('denies every permission by default, even to the app', () => {
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'hid', 'serial', 'usb', 'openExternal', 'fullscreen']) {
      expect(isPermissionAllowed(permission, APP_START_URL)).toBe(false);
      expect(isPermissionAllowed(permission, 'https://evil.example/')).toBe(false);
    }
  });
});

describe('IPC sender frame check', () => {
  it('trusts only the top frame of the app origin', () => {
    expect(isTrustedSender({ url: 'app://clinique/index.html', parent: null })).toBe(true);
    expect(isTrustedSender({ url: 'app://clinique/index.html', parent: {} })).toBe(false);
    expect(isTrustedSender({ url: 'https://evil.example/', parent: null })).toBe(false);
    expect(isTrustedSender({ url: 'file:///tmp/x.html', parent: null })).toBe(false);
    expect(isTrustedSender({ url: 'about:blank', parent: null })).toBe(false);
    expect(isTrustedSender(null)).toBe(false);
    expect(isTrustedSender(undefined)).toBe(false);
  });
});
