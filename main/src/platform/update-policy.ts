// When and from where the desktop app updates itself: pure decisions, tested under Node.
// The Electron side (electron-updater's autoUpdater, main/src/electron/updater.ts) asks
// these functions and does what they say.
import type { Policy } from './policy';

/** The electron-updater feed: the clinic's own server (generic provider), never a public one. */
export type UpdateFeed = {
  readonly provider: 'generic';
  readonly url: string;
  /** electron-updater channel: reads `<channel>.yml` (latest.yml, beta.yml; -mac/-linux suffixes added by it). */
  readonly channel: 'latest' | 'beta';
  readonly allowPrerelease: boolean;
};

/**
 * The feed from the IT policy: none without a policy updateUrl (no update check at all,
 * e.g. a clinic that deploys packages itself), and none for a deb install (the OS package
 * manager updates it; electron-updater would need root to install a .deb).
 */
export function updateFeed(
  policy: Policy | undefined,
  install: { readonly platform: NodeJS.Platform; readonly packageType?: string | undefined },
): UpdateFeed | undefined {
  if (!policy?.updateUrl) return undefined;
  if (install.platform === 'linux' && install.packageType !== 'AppImage') return undefined;
  const beta = policy.updateChannel === 'beta';
  return {
    provider: 'generic',
    url: policy.updateUrl,
    channel: beta ? 'beta' : 'latest',
    allowPrerelease: beta,
  };
}

type Semver = { readonly core: readonly [number, number, number]; readonly pre: readonly string[] };

function parseSemver(v: string): Semver | undefined {
  // eslint-disable-next-line security/detect-unsafe-regex -- anchored, no nested quantifier over the same characters; input is a version string from the update feed (short)
  const m = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(v.trim());
  if (!m) return undefined;
  return { core: [Number(m[1]), Number(m[2]), Number(m[3])], pre: m[4] ? m[4].split('.') : [] };
}

/** Semantic-version order: negative when a < b; undefined when either is not a version. */
export function compareVersions(a: string, b: string): number | undefined {
  const x = parseSemver(a);
  const y = parseSemver(b);
  if (!x || !y) return undefined;
  for (let i = 0; i < 3; i++) if (x.core[i] !== y.core[i]) return (x.core[i] ?? 0) - (y.core[i] ?? 0);
  if (x.pre.length === 0 || y.pre.length === 0) return y.pre.length - x.pre.length;
  for (let i = 0; i < Math.max(x.pre.length, y.pre.length); i++) {
    const p = x.pre[i];
    const q = y.pre[i];
    if (p === undefined) return -1;
    if (q === undefined) return 1;
    if (p === q) continue;
    const pn = /^\d+$/.test(p);
    const qn = /^\d+$/.test(q);
    if (pn && qn) return Number(p) - Number(q);
    if (pn !== qn) return pn ? -1 : 1;
    return p < q ? -1 : 1;
  }
  return 0;
}

/** What the app is doing when an install is considered. */
export type InstallMoment =
  /** The user quits the app (electron-updater's own install-on-quit is off: this decides). */
  | 'quit'
  /** The vault just locked itself after inactivity: nobody is at the workstation. */
  | 'idle-lock';

export type InstallDecision =
  | { readonly action: 'install'; readonly restart: boolean }
  | { readonly action: 'wait'; readonly reason: 'nothing-downloaded' | 'unsaved-work' }
  | { readonly action: 'refuse'; readonly reason: 'not-newer' | 'bad-version' };

/**
 * Whether to install a downloaded update now. Never while the renderer reports unsaved
 * input (its leave guard, through app:unsaved-work): the update waits for the next quit or
 * idle lock. Never a version that is not newer than the running one (a feed that went
 * back, or was tampered with, cannot downgrade the app). On quit the app is not started
 * again; after an idle lock it is (the workstation comes back to the lock screen).
 */
export function installDecision(input: {
  readonly currentVersion: string;
  readonly downloadedVersion: string | null;
  readonly unsavedWork: boolean;
  readonly moment: InstallMoment;
}): InstallDecision {
  if (input.downloadedVersion === null) return { action: 'wait', reason: 'nothing-downloaded' };
  const order = compareVersions(input.downloadedVersion, input.currentVersion);
  if (order === undefined) return { action: 'refuse', reason: 'bad-version' };
  if (order <= 0) return { action: 'refuse', reason: 'not-newer' };
  if (input.unsavedWork) return { action: 'wait', reason: 'unsaved-work' };
  return { action: 'install', restart: input.moment === 'idle-lock' };
}

/** How often the app asks the clinic's server for an update (and once shortly after start). */
export const UPDATE_CHECK_INTERVAL_MS = 4 * 60 * 60_000;
export const FIRST_UPDATE_CHECK_DELAY_MS = 2 * 60_000;
