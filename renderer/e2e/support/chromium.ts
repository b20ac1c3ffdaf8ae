import fs from 'node:fs';

/** Debian's Chromium: the tests never download a browser (no `npx playwright install`). */
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export const UNDER_CI = process.env['CI'] === 'true';

/** Why the end-to-end tests cannot run here, or undefined when Chromium is installed. */
export function chromiumMissing(): string | undefined {
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- the browser's fixed path (or CHROMIUM_PATH).
  return fs.existsSync(CHROMIUM)
    ? undefined
    : `Chromium not found at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH): end-to-end tests skipped`;
}
