// Updates of the packaged app with electron-updater, driven by platform/update-policy.ts.
// No run-time import of 'electron' or 'electron-updater' here (main.ts passes autoUpdater
// in), so this wiring is type-checked against electron-updater's own types and tested
// under plain Node with a stand-in that has the same events and methods.
//
// Signature checks are electron-updater's: on Windows the downloaded installer must carry
// an Authenticode signature of the publisherName written into app-update.yml at build time
// (electron-builder.yml win.signtoolOptions.publisherName, verifyUpdateCodeSignature); on
// macOS Squirrel.Mac refuses an app not signed by the same Developer ID; every file's
// SHA-512 must match the feed's latest*.yml (the feed is HTTPS, from the IT policy only).
import type { AppUpdater, UpdateDownloadedEvent } from 'electron-updater';
import type { InstallDecision, InstallMoment, UpdateFeed } from '../platform/update-policy';
import {
  FIRST_UPDATE_CHECK_DELAY_MS,
  installDecision,
  UPDATE_CHECK_INTERVAL_MS,
} from '../platform/update-policy';

/** The part of electron-updater's AppUpdater this module uses. */
export type UpdaterLike = Pick<AppUpdater, 'setFeedURL' | 'checkForUpdates' | 'quitAndInstall'> & {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  allowDowngrade: boolean;
  allowPrerelease: boolean;
  channel: string | null;
  on(event: 'update-downloaded', listener: (info: UpdateDownloadedEvent) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
};

export type Updates = {
  /** Installs the downloaded update if the policy allows it at this moment; true when installing (the app is going away). */
  consider(moment: InstallMoment): InstallDecision;
  stop(): void;
};

export function startUpdates(options: {
  readonly updater: UpdaterLike;
  readonly feed: UpdateFeed;
  readonly currentVersion: string;
  readonly hasUnsavedWork: () => boolean;
  readonly log: (message: string) => void;
  readonly timers?: {
    setTimeout: typeof setTimeout;
    setInterval: typeof setInterval;
    clearTimeout: typeof clearTimeout;
    clearInterval: typeof clearInterval;
  };
}): Updates {
  const { updater, feed, log } = options;
  const timers = options.timers ?? { setTimeout, setInterval, clearTimeout, clearInterval };
  let downloaded: string | null = null;

  updater.autoDownload = true;
  // Installing on quit is decided here (unsaved work, version), never by electron-updater alone.
  updater.autoInstallOnAppQuit = false;
  updater.setFeedURL({ provider: feed.provider, url: feed.url, channel: feed.channel });
  // Setting channel turns allowDowngrade on in electron-updater; a feed must never take the app back.
  updater.channel = feed.channel;
  updater.allowPrerelease = feed.allowPrerelease;
  updater.allowDowngrade = false;

  updater.on('update-downloaded', (info) => {
    downloaded = info.version;
    log(`update ${info.version} downloaded; installed at the next quit or idle lock without unsaved work`);
  });
  updater.on('error', (error) => log(`update check failed (${error.name})`));

  const check = () => {
    updater
      .checkForUpdates()
      .catch((error: unknown) =>
        log(`update check failed (${error instanceof Error ? error.name : 'error'})`),
      );
  };
  const first = timers.setTimeout(check, FIRST_UPDATE_CHECK_DELAY_MS);
  const every = timers.setInterval(check, UPDATE_CHECK_INTERVAL_MS);

  return {
    consider(moment) {
      const decision = installDecision({
        currentVersion: options.currentVersion,
        downloadedVersion: downloaded,
        unsavedWork: options.hasUnsavedWork(),
        moment,
      });
      if (decision.action === 'install') {
        log(`installing update ${downloaded ?? ''} (${moment})`);
        updater.quitAndInstall(true, decision.restart);
      } else if (decision.action === 'refuse') {
        log(`update ${downloaded ?? ''} refused: ${decision.reason}`);
        downloaded = null;
      }
      return decision;
    },
    stop() {
      timers.clearTimeout(first);
      timers.clearInterval(every);
    },
  };
}
