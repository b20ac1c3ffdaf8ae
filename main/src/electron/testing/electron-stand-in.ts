// A stand-in for the 'electron' module, bundled in place of it by scripts/electron-main.test.ts (the
// Electron runtime cannot be downloaded here). It records what main.ts asks of Electron and
// exposes the handlers it installs on globalThis.__electronStandIn, so the test can drive
// them the way Electron would. Never imported by application code.
type Listener = (...args: unknown[]) => unknown;

class Emitter {
  readonly listeners = new Map<string, Listener[]>();
  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  once(event: string, listener: Listener): this {
    return this.on(event, listener);
  }
  emit(event: string, ...args: unknown[]): void {
    for (const l of this.listeners.get(event) ?? []) l(...args);
  }
}

type Rect = { x: number; y: number; width: number; height: number };

const calls: { name: string; args: unknown[] }[] = [];
const record = (name: string, ...args: unknown[]) => {
  calls.push({ name, args });
};
let resolveReady: () => void = () => undefined;
const ready = new Promise<void>((resolve) => {
  resolveReady = resolve;
});

export const app = Object.assign(new Emitter(), {
  setPath: (name: string, value: string) => record('app.setPath', name, value),
  enableSandbox: () => record('app.enableSandbox'),
  requestSingleInstanceLock: () => {
    record('app.requestSingleInstanceLock');
    return true;
  },
  whenReady: () => ready,
  quit: () => record('app.quit'),
  exit: (code: number) => record('app.exit', code),
  getLocale: () => 'de-DE',
  getVersion: () => '9.9.9',
});

export const protocol = {
  registerSchemesAsPrivileged: (schemes: unknown) => record('protocol.registerSchemesAsPrivileged', schemes),
};

const ipcHandlers = new Map<string, Listener>();
export const ipcMain = {
  handle: (channel: string, handler: Listener) => {
    record('ipcMain.handle', channel);
    ipcHandlers.set(channel, handler);
  },
};

export const safeStorage = {
  isAsyncEncryptionAvailable: async () => false,
  encryptStringAsync: async () => {
    throw new Error('unavailable');
  },
  decryptStringAsync: async () => {
    throw new Error('unavailable');
  },
  getSelectedStorageBackend: () => 'basic_text',
};

/** The open dialog answers what the test put in dialogAnswer (cancelled by default). */
const dialogAnswer = { canceled: true, filePaths: [] as string[] };
export const dialog = {
  showOpenDialog: async (...args: unknown[]) => {
    record('dialog.showOpenDialog', ...args);
    return { ...dialogAnswer };
  },
};

const primary = { id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1040 } };
export const screen = {
  getPrimaryDisplay: () => primary,
  getAllDisplays: () => [primary],
};

const sessionHandlers: Record<string, Listener> = {};
export const session = {
  defaultSession: {
    setPermissionRequestHandler: (h: Listener) => (sessionHandlers['permissionRequest'] = h),
    setPermissionCheckHandler: (h: Listener) => (sessionHandlers['permissionCheck'] = h),
    setDevicePermissionHandler: (h: Listener) => (sessionHandlers['devicePermission'] = h),
    webRequest: { onBeforeRequest: (h: Listener) => (sessionHandlers['beforeRequest'] = h) },
    protocol: {
      handle: (scheme: string, h: Listener) => {
        record('session.protocol.handle', scheme);
        sessionHandlers[`protocol:${scheme}`] = h;
      },
    },
  },
};

export class WebContents extends Emitter {
  readonly sent: unknown[][] = [];
  windowOpenHandler: Listener | undefined;
  readonly mainFrame = { url: '' };
  setWindowOpenHandler(handler: Listener): void {
    this.windowOpenHandler = handler;
  }
  send(...args: unknown[]): void {
    this.sent.push(args);
  }
}

const windows: BrowserWindow[] = [];
export class BrowserWindow extends Emitter {
  readonly webContents = new WebContents();
  loadedUrl: string | undefined;
  bounds: Rect;
  constructor(readonly options: Record<string, unknown>) {
    super();
    windows.push(this);
    this.bounds = { x: Number(options['x']), y: Number(options['y']), width: Number(options['width']), height: Number(options['height']) };
    app.emit('web-contents-created', {}, this.webContents);
  }
  loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    this.webContents.mainFrame.url = url;
    return Promise.resolve();
  }
  isDestroyed = () => false;
  isMinimized = () => false;
  isMaximized = () => false;
  maximize = () => record('win.maximize');
  restore = () => undefined;
  focus = () => undefined;
  show = () => undefined;
  getNormalBounds = () => this.bounds;
  static fromWebContents(contents: unknown): BrowserWindow | null {
    return windows.find((w) => w.webContents === contents) ?? null;
  }
}

(globalThis as Record<string, unknown>)['__electronStandIn'] = {
  calls,
  ipcHandlers,
  sessionHandlers,
  windows,
  dialogAnswer,
  app,
  resolveReady: () => resolveReady(),
};
