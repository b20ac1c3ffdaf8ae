import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';
import { CHROMIUM, CHROMIUM_ARGS, UNDER_CI } from './support/chromium';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// `npm run test:e2e`: the UI in Debian's Chromium through browser mode, against real
// processes (sync server, two workstations). Screenshots of the main screens go to
// test-results/screenshots (README); traces of failures to test-results/e2e.
// eslint-disable-next-line no-restricted-syntax -- Playwright reads the config's default export.
export default defineConfig({
  testDir: '.',
  testMatch: '**/*.e2e.ts',
  outputDir: path.join(root, 'test-results/e2e'),
  globalSetup: './global-setup.ts',
  // Two cores: the two-workstation story and the lock test run side by side, no more.
  workers: 2,
  fullyParallel: false,
  forbidOnly: UNDER_CI,
  retries: 0,
  timeout: 240_000,
  expect: { timeout: 20_000 },
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath: CHROMIUM, args: CHROMIUM_ARGS },
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
    viewport: { width: 1280, height: 860 },
    actionTimeout: 20_000,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
});
