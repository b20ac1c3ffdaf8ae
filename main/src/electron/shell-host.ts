// The host behind either shell (Electron IPC or browser mode), configured from the launcher's
// environment. No 'electron' import: Electron passes its keystore, locale and version in.
import type { Locale, Settings } from '../../../shared/src/api';
import { ServerUrlSchema } from '../../../shared/src/api';
import { WorkstationIdSchema } from '../../../shared/src/sync/protocol';
import type { Host, HostOptions } from '../host';
import { createHost } from '../host';
import { fetchTrustingCa } from '../platform/ca-fetch';
import type { LoadedPolicy } from '../platform/policy';
import type { OsKeystore } from '../vault/os-keystore';
import type { HostTransportTarget } from './ipc';

export type ShellHost = HostTransportTarget & { close(): Promise<void>; hasUnsavedWork(): boolean };

export type ShellHostInput = {
  readonly dataDir: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly mode: 'electron' | 'browser';
  /** The OS locale (Electron's app.getLocale(), or LANG under Node). */
  readonly osLocale?: string | undefined;
  readonly version?: string | undefined;
  readonly keystore?: OsKeystore | undefined;
  readonly log?: (message: string) => void;
  /** Electron's save dialog (undefined = cancelled): exports are written where the user chose. */
  readonly saveFile?: ((suggestedName: string) => Promise<string | undefined>) | undefined;
  /** The machine-wide IT policy (loadPolicy(policyFilePath(...))), when there is one. */
  readonly policy?: LoadedPolicy | undefined;
};

/** fr-FR unless the OS says German or English (the UI's three languages). */
export function localeFromOs(osLocale: string | undefined): Locale {
  const language = (osLocale ?? '').toLowerCase().slice(0, 2);
  if (language === 'de') return 'de-DE';
  if (language === 'en') return 'en-GB';
  return 'fr-FR';
}

/**
 * Settings defaults from the launcher: the sync server it started (or CLINIQUE_SYNC_URL)
 * and the workstation registered there. Values that do not parse are ignored (and logged).
 */
export function settingsDefaultsFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  log: (message: string) => void = () => undefined,
): Partial<Settings> {
  const defaults: { serverUrl?: string; workstationId?: string } = {};
  const url = env['CLINIQUE_SYNC_URL'];
  if (url) {
    const parsed = ServerUrlSchema.safeParse(url);
    if (parsed.success) defaults.serverUrl = parsed.data;
    else log('CLINIQUE_SYNC_URL is not an http(s) URL: ignored');
  }
  const workstation = env['CLINIQUE_WORKSTATION_ID'];
  if (workstation) {
    const parsed = WorkstationIdSchema.safeParse(workstation);
    if (parsed.success) defaults.workstationId = parsed.data;
    else log('CLINIQUE_WORKSTATION_ID is not a workstation id: ignored');
  }
  return defaults;
}

export function shellHostOptions(input: ShellHostInput): HostOptions {
  const log = input.log ?? (() => undefined);
  return {
    dataDir: input.dataDir,
    mode: input.mode,
    defaultLocale: localeFromOs(input.osLocale ?? input.env['LC_ALL'] ?? input.env['LANG']),
    settingsDefaults: settingsDefaultsFromEnv(input.env, log),
    ...(input.version ? { version: input.version } : {}),
    ...(input.keystore ? { keystore: input.keystore } : {}),
    ...(input.saveFile ? { saveFile: input.saveFile } : {}),
    ...(input.policy ? { policy: input.policy } : {}),
    ...(input.policy?.caPem ? { fetch: fetchTrustingCa(input.policy.caPem) } : {}),
    log: (message, error) => log(logLine(message, error)),
  };
}

/**
 * One log line from the host's log call. The host passes a string summary of the error
 * (errorSummary: class, codes, stack frames, never the message); anything else is reduced
 * to its class name, since an error's text may quote document content.
 */
export function logLine(message: string, error: unknown): string {
  if (typeof error === 'string') return `${message}: ${error}`;
  if (error instanceof Error) return `${message} (${error.name})`;
  return message;
}

export async function startShellHost(input: ShellHostInput): Promise<ShellHost> {
  const host: Host = createHost(shellHostOptions(input));
  return host;
}
