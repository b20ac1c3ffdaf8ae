import { startShellHost } from '../electron/shell-host';
import { loadPolicy, policyFilePath } from '../platform/policy';
import { setStorageWorkerBundle, STORAGE_WORKER_BUNDLE_ENV } from '../storage/worker';
import type { BrowserModeServer } from './server';
import { startBrowserMode } from './server';

export type BrowserModeApp = {
  readonly url: string;
  readonly server: BrowserModeServer;
  /** Stops serving, then closes the host (locks the vault, stops replication). */
  close(): Promise<void>;
};

/** The host services of this workstation behind the browser-mode server (what `npm start` runs without Electron). */
export async function startBrowserModeApp(options: {
  readonly dataDir: string;
  readonly rendererDir: string;
  readonly port?: number;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly log?: (line: string) => void;
  /** The IT policy file (default: the machine-wide one of this OS, as in the Electron shell). */
  readonly policyFile?: string;
}): Promise<BrowserModeApp> {
  // The launcher's storage worker bundle (CLINIQUE_STORAGE_WORKER_BUNDLE), used while fresh;
  // without it (or once stale) the worker starts from source through tsx.
  setStorageWorkerBundle(options.env[STORAGE_WORKER_BUNDLE_ENV] || undefined, options.log);
  const host = await startShellHost({
    dataDir: options.dataDir,
    env: options.env,
    mode: 'browser',
    policy: loadPolicy(options.policyFile ?? policyFilePath({ platform: process.platform, env: options.env })),
    version: options.env['npm_package_version'],
    log: options.log,
  });
  let server: BrowserModeServer;
  try {
    server = await startBrowserMode({
      host,
      rendererDir: options.rendererDir,
      ...(options.port === undefined ? {} : { port: options.port }),
      ...(options.log ? { log: options.log } : {}),
    });
  } catch (error) {
    await host.close();
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    url: server.url,
    server,
    close() {
      closing ??= server.close().finally(() => host.close());
      return closing;
    },
  };
}
