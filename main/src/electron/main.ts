/* eslint-disable security/detect-non-literal-fs-filename -- files read here are the renderer build resolved by resolveRendererFile (confined to dist/renderer). */
// Electron main entry (bundled to dist/main/index.js by scripts/build-main.mjs). The only
// module with a runtime import of 'electron' besides the preload: everything it applies
// (webPreferences, CSP, navigation, permission and sender policies, window state, file
// resolution) lives in pure modules tested under plain Node.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserWindow as BrowserWindowType, Session, WebContents } from 'electron';
import { app, BrowserWindow, dialog, ipcMain, protocol, safeStorage, screen, session } from 'electron';
import electronUpdater from 'electron-updater';
import { isAppError, translateError } from '../../../shared/src/errors';
import { userDataDir } from '../platform/paths';
import type { LoadedPolicy } from '../platform/policy';
import { loadPolicy, policyFilePath } from '../platform/policy';
import { updateFeed } from '../platform/update-policy';
import type { Updates } from './updater';
import { startUpdates } from './updater';
import { createElectronKeystore } from '../vault/os-keystore';
import type { HostTransportTarget } from './ipc';
import { createInvokeHandler, forwardEvent, IPC_INVOKE } from './ipc';
import { answerImagingRequest, isImagingFetchSameOrigin, isImagingPath, isImagingRequestAllowed } from './imaging-route';
import { createPickPathsHandler, IPC_PICK_PATHS } from './pick-paths';
import { resolveRendererFile } from './renderer-files';
import type { WindowKind } from './security';
import {
  APP_HOST,
  APP_SCHEME,
  APP_START_URL,
  contentSecurityPolicy,
  isNavigationAllowed,
  isPermissionAllowed,
  securityHeaders,
  windowOpenDecision,
  windowOptions,
} from './security';
import { shellPaths } from './shell-paths';
import { fitWindowState, loadWindowState, saveWindowState } from './window-state';
import { startShellHost } from './shell-host';

const here = path.dirname(fileURLToPath(import.meta.url));
const paths = shellPaths(here);
const CSP = contentSecurityPolicy();
const HEADERS = securityHeaders(CSP);

// Electron's userData follows productName; the host uses the same folder (paths.ts).
const dataDir = userDataDir();
app.setPath('userData', dataDir);

// Every renderer sandboxed, whatever its webPreferences say (before 'ready').
app.enableSandbox();

// Must run before 'ready': app:// behaves like https (secure context, fetch, same-origin rules).
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
]);

function log(message: string): void {
  process.stderr.write(`[clinique] ${message}\n`);
}

if (!app.requestSingleInstanceLock()) {
  // A second launch hands over to the running instance (second-instance below) and quits.
  app.quit();
} else {
  let host: (HostTransportTarget & { close(): Promise<void>; hasUnsavedWork(): boolean }) | undefined;
  const windows = new Set<BrowserWindowType>();

  app.on('second-instance', () => {
    const win = [...windows][0];
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });

  // Every web contents ever created (windows, and anything a bug might create) gets the
  // same policy: no navigation away, no new windows, no <webview>.
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isNavigationAllowed(url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isNavigationAllowed(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => windowOpenDecision());
  });

  const secureSession = (ses: Session) => {
    ses.setPermissionRequestHandler((_wc, permission, callback, details) => {
      callback(isPermissionAllowed(permission, details.requestingUrl));
    });
    ses.setPermissionCheckHandler((_wc, permission, requestingOrigin) => isPermissionAllowed(permission, requestingOrigin));
    ses.setDevicePermissionHandler(() => false);
    // Defence in depth: whatever the page tries, only app:// (and blob:/data: for images) loads.
    ses.webRequest.onBeforeRequest((details, callback) => {
      const scheme = details.url.slice(0, details.url.indexOf(':'));
      // Image bytes only for a fetch of the main frame of one of our windows (imaging-route.ts).
      const frame = details.frame ? { url: details.frame.url, parent: details.frame.parent } : null;
      callback({ cancel: !['app', 'blob', 'data', 'devtools'].includes(scheme) || !isImagingRequestAllowed({ url: details.url, resourceType: details.resourceType, frame }) });
    });
    ses.protocol.handle(APP_SCHEME, async (request) => {
      const url = new URL(request.url);
      if (url.host === APP_HOST && isImagingPath(url.pathname)) {
        const read = host?.readImagingInstance;
        if (read === undefined || !isImagingFetchSameOrigin(request.headers)) {
          return new Response(JSON.stringify({ code: read === undefined ? 'APP_CLOSED' : 'ACCESS_CLINICAL_DENIED' }), { status: read === undefined ? 503 : 403, headers: { ...HEADERS, 'Content-Type': 'application/json; charset=utf-8' } });
        }
        const answer = await answerImagingRequest(read.bind(host), { method: request.method, rawPathname: url.pathname }, HEADERS, log);
        return new Response(answer.body === null ? null : typeof answer.body === 'string' ? answer.body : Buffer.from(answer.body.buffer, answer.body.byteOffset, answer.body.byteLength), { status: answer.status, headers: answer.headers });
      }
      if (url.host !== APP_HOST || request.method !== 'GET') return new Response(null, { status: 404, headers: HEADERS });
      const found = await resolveRendererFile(paths.rendererDir, url.pathname);
      if (!found.ok) return new Response(null, { status: found.status, headers: HEADERS });
      const body = await readFile(found.file);
      return new Response(body, { status: 200, headers: { ...HEADERS, 'Content-Type': found.contentType } });
    });
  };

  const createWindow = (kind: WindowKind): BrowserWindowType => {
    const options = windowOptions(kind, paths.preload);
    const primary = screen.getPrimaryDisplay();
    const workAreas = [primary.workArea, ...screen.getAllDisplays().filter((d) => d.id !== primary.id).map((d) => d.workArea)];
    const fitted = fitWindowState(
      loadWindowState(dataDir),
      workAreas,
      {
        defaultWidth: options.width ?? 1280,
        defaultHeight: options.height ?? 800,
        minWidth: options.minWidth ?? 900,
        minHeight: options.minHeight ?? 600,
      },
    );
    const win = new BrowserWindow({ ...options, ...fitted.bounds });
    windows.add(win);
    if (fitted.maximized) win.maximize();
    const persist = () => {
      if (win.isDestroyed()) return;
      saveWindowState(dataDir, { bounds: win.getNormalBounds(), maximized: win.isMaximized() });
    };
    win.on('close', persist);
    win.on('closed', () => windows.delete(win));
    win.once('ready-to-show', () => win.show());
    void win.loadURL(APP_START_URL);
    return win;
  };

  app.on('window-all-closed', () => app.quit());

  let updates: Updates | undefined;

  app.on('will-quit', (event) => {
    if (!host) return;
    // Lock the vault and stop replication before the process goes.
    event.preventDefault();
    const closing = host;
    host = undefined;
    // Decided before closing: the renderer's unsaved-work flag is the host's.
    const install = updates?.consider('quit').action === 'install';
    updates?.stop();
    void closing
      .close()
      .catch(() => log('host close failed'))
      .finally(() => {
        if (!install) app.quit();
      });
  });

  void app
    .whenReady()
    .then(async () => {
      secureSession(session.defaultSession);
      // The machine-wide IT policy: a wrong file stops the app with its code, never a half-applied policy.
      let policy: LoadedPolicy | undefined;
      try {
        policy = loadPolicy(policyFilePath({ platform: process.platform, env: process.env }));
      } catch (error) {
        if (isAppError(error)) dialog.showErrorBox('Clinique', translateError(error.toPayload(), 'fr'));
        throw error;
      }
      host = await startShellHost({
        policy,
        dataDir,
        env: process.env,
        mode: 'electron',
        osLocale: app.getLocale(),
        version: app.getVersion(),
        keystore: createElectronKeystore(safeStorage),
        log,
        saveFile: async (suggestedName) => {
          const win = BrowserWindow.getFocusedWindow();
          const options = { defaultPath: suggestedName };
          const chosen = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
          return chosen.canceled || !chosen.filePath ? undefined : chosen.filePath;
        },
      });
      const dispatch = host.dispatch.bind(host);
      const invoke = createInvokeHandler(dispatch, (url) => log(`IPC refused from ${url ?? 'a destroyed frame'}`));
      ipcMain.handle(IPC_INVOKE, (event, channel: unknown, request: unknown) => invoke(event.senderFrame, channel, request));
      ipcMain.handle(IPC_PICK_PATHS, (event, request: unknown) => {
        const win = BrowserWindow.fromWebContents(event.sender);
        const pick = createPickPathsHandler(
          (options) => (win ? dialog.showOpenDialog(win, options) : dialog.showOpenDialog(options)),
          (url) => log(`open dialog refused from ${url ?? 'a destroyed frame'}`),
        );
        return pick(event.senderFrame, request);
      });
      host.events.on((name, payload) => {
        forwardEvent(
          [...windows].filter((w) => !w.isDestroyed()).map((w) => ({
            mainFrameUrl: w.webContents.mainFrame.url,
            send: (channel: string, event: string, data: unknown) => w.webContents.send(channel, event, data),
          })),
          name,
          payload,
        );
      });
      const feed = app.isPackaged ? updateFeed(policy?.policy, { platform: process.platform, packageType: process.env['APPIMAGE'] ? 'AppImage' : undefined }) : undefined;
      if (feed) {
        const shell = host;
        updates = startUpdates({ updater: electronUpdater.autoUpdater, feed, currentVersion: app.getVersion(), hasUnsavedWork: () => shell.hasUnsavedWork(), log });
        shell.events.on((name, payload) => {
          // The vault locked itself after inactivity: nobody is at the workstation.
          if (name === 'session:changed' && (payload as { reason?: unknown }).reason === 'idle') updates?.consider('idle-lock');
        });
      }
      createWindow('main');
    })
    .catch((error: unknown) => {
      log(`start failed: ${error instanceof Error ? error.name : 'error'}`);
      app.exit(1);
    });
}
