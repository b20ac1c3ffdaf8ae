// Pure security policy of the Electron shell: no import of 'electron' (types only), so it
// runs and is tested under plain Node. main.ts applies these values.
import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';

/** The renderer's only origin: files of dist/renderer served by the app:// protocol. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'clinique';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_START_URL = `${APP_ORIGIN}/index.html`;

/**
 * Strict content security policy of the renderer. Everything comes from the renderer's own
 * origin; no inline script or style, no eval (WebAssembly compilation only), no plugin, no framing, no <base>, no form
 * posting. `connectSrc` adds origins the page may open connections to (browser mode: its
 * WebSocket endpoint); the Electron renderer talks to main through the preload only.
 */
export function contentSecurityPolicy(options: { readonly connectSrc?: readonly string[] } = {}): string {
  const connect = ["'self'", ...(options.connectSrc ?? [])].join(' ');
  return [
    "default-src 'self'",
    // WebAssembly compilation only (the imaging codecs: libjpeg-turbo, CharLS, OpenJPEG); still no eval of JavaScript.
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    `connect-src ${connect}`,
    "worker-src 'self' blob:",
    "object-src 'none'",
    "frame-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** Response headers sent with every renderer file (Electron protocol and browser mode). */
export function securityHeaders(csp: string): Record<string, string> {
  return {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'X-Frame-Options': 'DENY',
    'Cache-Control': 'no-store',
  };
}

/**
 * webPreferences of every window: the renderer is an untrusted web page that reaches main
 * only through the preload's two functions.
 */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
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
    safeDialogs: true,
    spellcheck: false,
    devTools: true,
  };
}

/** Every kind of window the app can create, and its options. main.ts creates windows only from this list. */
export type WindowKind = 'main';

export function windowOptions(kind: WindowKind, preloadPath: string): BrowserWindowConstructorOptions {
  switch (kind) {
    case 'main':
      return {
        width: 1280,
        height: 800,
        minWidth: 900,
        minHeight: 600,
        show: false,
        title: 'Clinique',
        backgroundColor: '#ffffff',
        autoHideMenuBar: true,
        webPreferences: secureWebPreferences(preloadPath),
      };
  }
}

export const WINDOW_KINDS: readonly WindowKind[] = ['main'];

function parseUrl(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** True for a URL of the app's own origin (app://clinique/...). URL.origin is "null" for custom schemes, so compare parts. */
export function isAppUrl(url: string): boolean {
  const parsed = parseUrl(url);
  return parsed !== undefined && parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST && parsed.username === '' && parsed.password === '';
}

/**
 * will-navigate: the renderer is a single page; any navigation away from the app's origin
 * (a link, a form, a script setting location) is refused. In-app navigation is allowed.
 */
export function isNavigationAllowed(url: string): boolean {
  return isAppUrl(url);
}

/** setWindowOpenHandler: no window.open, no target=_blank, ever. */
export function windowOpenDecision(): { action: 'deny' } {
  return { action: 'deny' };
}

/**
 * Permissions (camera, microphone, geolocation, notifications, clipboard read, HID, serial,
 * USB, …): none is granted. The list is where one would be allowed, for the app origin only.
 */
export const ALLOWED_PERMISSIONS: readonly string[] = [];

export function isPermissionAllowed(permission: string, requestingUrl: string | undefined): boolean {
  return ALLOWED_PERMISSIONS.includes(permission) && requestingUrl !== undefined && isAppUrl(requestingUrl);
}

/** The part of Electron's WebFrameMain that the sender check reads. */
export type SenderFrame = { readonly url: string; readonly parent: unknown };

/**
 * Every IPC message must come from the top frame of one of our windows showing our own
 * origin: not from an iframe, not after a navigation elsewhere, not from a destroyed frame.
 */
export function isTrustedSender(frame: SenderFrame | null | undefined): boolean {
  if (!frame) return false;
  if (frame.parent !== null) return false;
  return isAppUrl(frame.url);
}
