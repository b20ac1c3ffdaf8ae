/* eslint-disable security/detect-non-literal-fs-filename -- temp folders the test creates. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startBrowserModeApp } from './run';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'clinique-bm-policy-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const rendererDir = path.join(tmp, 'renderer');
fs.mkdirSync(rendererDir);
fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');

describe('browser mode and the IT policy', () => {
  it('refuses to start on an invalid policy file, naming the field', async () => {
    const policyFile = path.join(tmp, 'bad.json');
    fs.writeFileSync(policyFile, '{"version":1,"lockDelay":5}');
    await expect(
      startBrowserModeApp({ dataDir: path.join(tmp, 'a'), rendererDir, env: {}, policyFile }),
    ).rejects.toMatchObject({
      code: 'APP_POLICY_INVALID',
      params: { file: policyFile, field: 'lockDelay' },
    });
  });

  it('starts with a valid one (and without any)', async () => {
    const policyFile = path.join(tmp, 'ok.json');
    fs.writeFileSync(policyFile, '{"version":1,"lockDelayMinutes":5}');
    for (const file of [policyFile, path.join(tmp, 'none.json')]) {
      const app = await startBrowserModeApp({
        dataDir: fs.mkdtempSync(path.join(tmp, 'd-')),
        rendererDir,
        env: {},
        policyFile: file,
      });
      expect(app.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+/);
      await app.close();
    }
  });
});
