/* eslint-disable security/detect-non-literal-fs-filename -- copies the repository's own Electron shell sources into a temp folder. */
// Electronegativity (Doyensec's static checker of Electron apps) over the Electron shell:
// every finding must be explained in electronegativity-allow.json. It misses some
// misconfigurations (nodeIntegration: true in a spread, for one), which is why
// security.test.ts keeps asserting the webPreferences of every window.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');
fs.mkdirSync(path.join(root, '.tmp'), { recursive: true });
const tmp = fs.mkdtempSync(path.join(root, '.tmp', 'electronegativity-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

type Finding = { id: string; file: string; location: { line: number }; description?: string };
type Result = { issues: Finding[]; errors: unknown[] };
type Run = (options: Record<string, unknown>, forCli?: boolean) => Promise<Result>;
type Allowed = { id: string; file: string; reason: string };

/** The shell's modules without their tests (whose fixtures hold insecure settings on purpose). */
function stageShell(dir: string): string[] {
  const files = fs.readdirSync(here).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
  for (const f of files) fs.copyFileSync(path.join(here, f), path.join(dir, f));
  return files;
}

async function scan(dir: string): Promise<Result> {
  // Its CommonJS build sets exports.default; some loaders hand back that function itself.
  const loaded = require('@doyensec/electronegativity/dist/runner.js') as Run | { default: Run };
  const run = typeof loaded === 'function' ? loaded : loaded.default;
  const electron = (require('electron/package.json') as { version: string }).version;
  return run({ input: dir, isRelative: true, electronVersionOverride: electron }, false);
}

const allowList = (
  JSON.parse(fs.readFileSync(path.join(here, 'electronegativity-allow.json'), 'utf8')) as {
    findings: Allowed[];
  }
).findings;
const key = (f: { id: string; file: string }) => `${f.id} ${f.file}`;

describe('Electronegativity on the Electron shell', () => {
  it('every finding is explained in the allow-list, and every entry still matches a finding', async () => {
    const files = stageShell(tmp);
    expect(files).toEqual(expect.arrayContaining(['main.ts', 'preload.ts', 'security.ts']));
    const result = await scan(tmp);
    expect(result.errors).toEqual([]);
    const found = new Set(result.issues.map(key));
    const allowed = new Set(allowList.map(key));
    const unexplained = result.issues
      .filter((i) => !allowed.has(key(i)))
      .map((i) => `${key(i)}:${i.location.line} ${i.description ?? ''}`);
    expect(unexplained).toEqual([]);
    expect(allowList.filter((a) => !found.has(key(a))).map(key)).toEqual([]);
    for (const a of allowList) expect(a.reason.length).toBeGreaterThan(40);
  }, 120_000);

  it('catches an insecure window it can see (the scan is not blind)', async () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'bad-'));
    fs.writeFileSync(
      path.join(dir, 'bad.ts'),
      "import { BrowserWindow } from 'electron';\nexport const w = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false, webSecurity: false } });\n",
    );
    const ids = new Set((await scan(dir)).issues.map((i) => i.id));
    for (const id of ['CONTEXT_ISOLATION_JS_CHECK', 'SANDBOX_JS_CHECK', 'WEB_SECURITY_JS_CHECK'])
      expect(ids).toContain(id);
    // Its known blind spot: nodeIntegration: true is not reported (security.test.ts covers it).
    expect(ids).not.toContain('NODE_INTEGRATION_JS_CHECK');
  }, 120_000);
});
