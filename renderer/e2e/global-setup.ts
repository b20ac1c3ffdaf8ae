/* eslint-disable security/detect-non-literal-fs-filename -- the screenshots folder of this repository. */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { chromiumMissing, UNDER_CI } from './support/chromium';
import { E2E_RENDERER_DIR, ROOT, SCREENSHOTS_DIR } from './support/processes';

/**
 * Once per run: Chromium must be there (under CI its absence fails the run; elsewhere the
 * tests skip), and the renderer is built for the tests' workstations in its own folder, so
 * two workstations never build at once and dist/renderer is left alone.
 */
async function globalSetup(): Promise<void> {
  const missing = chromiumMissing();
  if (missing) {
    if (UNDER_CI) throw new Error(`${missing} — CI=true: failing instead of skipping`);
    process.stderr.write(`${missing}\n`);
    return;
  }
  fs.mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  await promisify(execFile)(
    process.execPath,
    [path.join(ROOT, 'scripts/build-renderer.mjs'), '--if-stale', '--outdir', E2E_RENDERER_DIR],
    { cwd: ROOT, timeout: 180_000 },
  );
}

// eslint-disable-next-line no-restricted-syntax -- Playwright runs the default export of its globalSetup file.
export default globalSetup;
