import os from 'node:os';
import path from 'node:path';

export const APP_DIR_NAME = 'Clinique';

export type PlatformEnv = {
  readonly platform: NodeJS.Platform;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homedir: string;
};

const current: PlatformEnv = { platform: process.platform, env: process.env, homedir: os.homedir() };

/**
 * The per-user data directory, the same one Electron's `app.getPath('userData')` gives for
 * our productName, so the vault is found whether the host runs inside Electron or under
 * plain Node (browser mode, command line). `CLINIQUE_DATA_DIR` overrides it.
 */
export function userDataDir(p: PlatformEnv = current): string {
  const override = p.env['CLINIQUE_DATA_DIR'];
  if (override) return path.resolve(override);
  switch (p.platform) {
    case 'win32':
      return path.win32.join(p.env['APPDATA'] ?? path.win32.join(p.homedir, 'AppData', 'Roaming'), APP_DIR_NAME);
    case 'darwin':
      return path.posix.join(p.homedir, 'Library', 'Application Support', APP_DIR_NAME);
    default:
      return path.posix.join(p.env['XDG_CONFIG_HOME'] || path.posix.join(p.homedir, '.config'), APP_DIR_NAME);
  }
}

export function vaultDir(p: PlatformEnv = current): string {
  return path.join(userDataDir(p), 'vault');
}
