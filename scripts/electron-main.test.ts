/* eslint-disable security/detect-non-literal-fs-filename -- temp folders the test creates inside the repository. */
// The Electron runtime cannot be downloaded here, so main/src/electron/main.ts is bundled
// with a stand-in for the 'electron' module (main/src/electron/testing/electron-stand-in.ts) and run under Node: the test then
// plays Electron's part (ready, a request on app://, a navigation, an IPC message, quit) and
// checks what main.ts did with the real host, policies and file resolution behind it.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentSecurityPolicy, secureWebPreferences } from '../main/src/electron/security';
import { buildMain, ELECTRON_MAIN } from './build-main.mjs';

type Listener = (...args: unknown[]) => unknown;
type StandIn = {
  calls: { name: string; args: unknown[] }[];
  ipcHandlers: Map<string, Listener>;
  sessionHandlers: Record<string, Listener>;
  windows: {
    options: Record<string, unknown>;
    loadedUrl: string | undefined;
    webContents: { emit(e: string, ...a: unknown[]): void; windowOpenHandler: Listener | undefined; sent: unknown[][]; listeners: Map<string, Listener[]> };
  }[];
  app: { emit(e: string, ...a: unknown[]): void };
  resolveReady(): void;
};

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let work: string;
let standIn: StandIn;

async function until<T>(probe: () => T | undefined, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  fs.mkdirSync(path.join(root, '.tmp'), { recursive: true });
  work = fs.mkdtempSync(path.join(root, '.tmp', 'electron-wiring-'));
  fs.mkdirSync(path.join(work, 'renderer'));
  fs.writeFileSync(path.join(work, 'renderer', 'index.html'), '<!doctype html><title>t</title>');
  fs.writeFileSync(path.join(work, 'renderer', 'app.js'), 'export {};');
  await buildMain({
    outdir: path.join(work, 'main'),
    entryPoints: { index: ELECTRON_MAIN },
    alias: { electron: path.join(root, 'main/src/electron/testing/electron-stand-in.ts') },
  });
  process.env['CLINIQUE_DATA_DIR'] = path.join(work, 'data');
  process.env['CLINIQUE_SYNC_URL'] = 'http://127.0.0.1:4555';
  await import(pathToFileURL(path.join(work, 'main', 'index.js')).href);
  standIn = (globalThis as unknown as { __electronStandIn: StandIn }).__electronStandIn;
}, 120_000);

afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

describe('Electron main wiring (with a stand-in for electron)', () => {
  it('before ready: sandbox for all, app:// privileged, single-instance lock, userData in the data folder', () => {
    const names = standIn.calls.map((c) => c.name);
    expect(names.slice(0, 4)).toEqual(['app.setPath', 'app.enableSandbox', 'protocol.registerSchemesAsPrivileged', 'app.requestSingleInstanceLock']);
    expect(standIn.calls[0]?.args).toEqual(['userData', path.join(work, 'data')]);
    expect(standIn.calls[2]?.args[0]).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
    ]);
  });

  it('on ready: one window with the secure options and our preload, loading app://clinique', async () => {
    standIn.resolveReady();
    const win = await until(() => standIn.windows[0], 'the window');
    expect(win.options['webPreferences']).toEqual(secureWebPreferences(path.join(work, 'main', 'preload.cjs')));
    expect(win.loadedUrl).toBe('app://clinique/index.html');
    expect(standIn.windows).toHaveLength(1);
  });

  it('serves the renderer build on app:// with the CSP, and nothing outside it', async () => {
    const handle = standIn.sessionHandlers['protocol:app'];
    expect(handle).toBeDefined();
    const page = (await handle?.(new Request('app://clinique/'))) as Response;
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(contentSecurityPolicy());
    expect(await page.text()).toContain('<!doctype html>');
    // The URL parser folds %2e%2e like "..": the path stays inside the build, where no main/ exists.
    expect(((await handle?.(new Request('app://clinique/%2e%2e/main/index.js'))) as Response).status).toBe(404);
    expect(((await handle?.(new Request('app://clinique/..%2fmain%2findex.js'))) as Response).status).toBe(400);
    expect(((await handle?.(new Request('app://other/index.html'))) as Response).status).toBe(404);
    expect(((await handle?.(new Request('app://clinique/app.js', { method: 'POST', body: 'x' }))) as Response).status).toBe(404);
  });

  it('serves image bytes on app://clinique/imaging/… through the host: same-origin fetches of our main frame only', async () => {
    const handle = standIn.sessionHandlers['protocol:app'];
    const url = 'app://clinique/imaging/etude-1/1.2.3.4';
    const sameOrigin = { headers: { 'sec-fetch-site': 'same-origin' } };
    // No vault yet: the host says the vault is locked, as for any channel.
    const locked = (await handle?.(new Request(url, sameOrigin))) as Response;
    expect(locked.status).toBe(423);
    expect(await locked.json()).toEqual({ code: 'VAULT_LOCKED' });
    expect(locked.headers.get('content-security-policy')).toBe(contentSecurityPolicy());
    expect(((await handle?.(new Request(url))) as Response).status).toBe(403);
    expect(((await handle?.(new Request(url, { headers: { 'sec-fetch-site': 'cross-site' } }))) as Response).status).toBe(403);
    expect(((await handle?.(new Request('app://clinique/imaging/etude-1/1.2.x', sameOrigin))) as Response).status).toBe(404);
    expect(((await handle?.(new Request('app://clinique/imaging/etude-1', sameOrigin))) as Response).status).toBe(404);
    expect(((await handle?.(new Request(url, { method: 'POST', body: 'x', headers: { 'sec-fetch-site': 'same-origin' } }))) as Response).status).toBe(405);

    const decisions: unknown[] = [];
    const main = { url: 'app://clinique/index.html', parent: null };
    const before = standIn.sessionHandlers['beforeRequest'];
    before?.({ url, resourceType: 'xhr', frame: main }, (r: unknown) => decisions.push(r));
    before?.({ url, resourceType: 'image', frame: main }, (r: unknown) => decisions.push(r));
    before?.({ url, resourceType: 'xhr', frame: { url: 'app://clinique/index.html', parent: main } }, (r: unknown) => decisions.push(r));
    before?.({ url, resourceType: 'xhr', frame: null }, (r: unknown) => decisions.push(r));
    before?.({ url, resourceType: 'subFrame', frame: main }, (r: unknown) => decisions.push(r));
    expect(decisions).toEqual([{ cancel: false }, { cancel: true }, { cancel: true }, { cancel: true }, { cancel: true }]);
  });

  it('denies permissions, foreign requests, navigation and new windows', () => {
    const decisions: boolean[] = [];
    standIn.sessionHandlers['permissionRequest']?.({}, 'media', (d: boolean) => decisions.push(d), { requestingUrl: 'app://clinique/' });
    expect(decisions).toEqual([false]);
    expect(standIn.sessionHandlers['permissionCheck']?.({}, 'notifications', 'app://clinique')).toBe(false);
    expect(standIn.sessionHandlers['devicePermission']?.({})).toBe(false);
    const cancels: unknown[] = [];
    standIn.sessionHandlers['beforeRequest']?.({ url: 'https://evil.example/x.js' }, (r: unknown) => cancels.push(r));
    standIn.sessionHandlers['beforeRequest']?.({ url: 'app://clinique/app.js' }, (r: unknown) => cancels.push(r));
    expect(cancels).toEqual([{ cancel: true }, { cancel: false }]);

    const contents = standIn.windows[0]?.webContents;
    let prevented = 0;
    const event = { preventDefault: () => (prevented += 1) };
    contents?.emit('will-navigate', event, 'https://evil.example/');
    contents?.emit('will-navigate', event, 'file:///etc/passwd');
    contents?.emit('will-navigate', event, 'app://clinique/index.html');
    contents?.emit('will-redirect', event, 'http://127.0.0.1:1/');
    contents?.emit('will-attach-webview', event);
    expect(prevented).toBe(4);
    expect(contents?.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
  });

  it('answers IPC from the app frame through the real host, and refuses other frames', async () => {
    const invoke = standIn.ipcHandlers.get('clinique:invoke');
    expect(invoke).toBeDefined();
    const trusted = { senderFrame: { url: 'app://clinique/index.html', parent: null } };
    await expect(invoke?.(trusted, 'app:info', {})).resolves.toMatchObject({
      ok: true,
      value: { mode: 'electron', version: '9.9.9', defaultLocale: 'de-DE' },
    });
    await expect(invoke?.(trusted, 'settings:get', {})).resolves.toMatchObject({ ok: true, value: { serverUrl: 'http://127.0.0.1:4555' } });
    await expect(invoke?.(trusted, 'no:such', {})).resolves.toMatchObject({ ok: false, error: { code: 'API_CHANNEL_UNKNOWN' } });
    await expect(invoke?.({ senderFrame: { url: 'app://clinique/index.html', parent: {} } }, 'app:info', {})).rejects.toThrow(/refused/);
    await expect(invoke?.({ senderFrame: { url: 'https://evil.example/', parent: null } }, 'app:info', {})).rejects.toThrow(/refused/);
    await expect(invoke?.({ senderFrame: null }, 'app:info', {})).rejects.toThrow(/refused/);
  });

  it('opens the import dialog for the app frame only, over its window, and answers the chosen paths', async () => {
    const pick = standIn.ipcHandlers.get('clinique:pick-paths');
    expect(pick).toBeDefined();
    const win = standIn.windows[0] as unknown as { webContents: unknown };
    const answer = (standIn as unknown as { dialogAnswer: { canceled: boolean; filePaths: string[] } }).dialogAnswer;
    answer.canceled = false;
    answer.filePaths = ['/media/cdrom/DICOMDIR'];
    const trusted = { sender: win.webContents, senderFrame: { url: 'app://clinique/index.html', parent: null } };
    await expect(pick?.(trusted, { kind: 'dicomdir', title: 'DICOMDIR' })).resolves.toEqual(['/media/cdrom/DICOMDIR']);
    const shown = standIn.calls.filter((c) => c.name === 'dialog.showOpenDialog');
    expect(shown).toHaveLength(1);
    expect(shown[0]?.args).toEqual([win, { title: 'DICOMDIR', properties: ['openFile', 'dontAddToRecent'] }]);
    await expect(pick?.({ sender: win.webContents, senderFrame: { url: 'https://evil.example/', parent: null } }, { kind: 'files', title: 'x' })).rejects.toThrow(/refused/);
    await expect(pick?.(trusted, { kind: 'everything', title: 'x' })).rejects.toThrow(/invalid/);
    expect(standIn.calls.filter((c) => c.name === 'dialog.showOpenDialog')).toHaveLength(1);
  });

  it('saves the window bounds on close and closes the host before quitting', async () => {
    const win = standIn.windows[0] as unknown as { emit(e: string): void };
    win.emit('close');
    expect(JSON.parse(fs.readFileSync(path.join(work, 'data', 'window-state.json'), 'utf8'))).toMatchObject({ maximized: false });
    let prevented = false;
    standIn.app.emit('will-quit', { preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
    await until(() => (standIn.calls.some((c) => c.name === 'app.quit') ? true : undefined), 'app.quit after the host closed');
    const invoke = standIn.ipcHandlers.get('clinique:invoke');
    const after = (await invoke?.({ senderFrame: { url: 'app://clinique/index.html', parent: null } }, 'app:info', {})) as { ok: boolean };
    expect(after.ok).toBe(false);
  });
});
