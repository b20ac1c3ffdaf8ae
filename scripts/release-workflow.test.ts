/* eslint-disable security/detect-non-literal-fs-filename -- reads the repository's own workflow and scripts. */
// .github/workflows/release.yml: parsed and checked for what the release must do (tests
// first, packages on the three OSes, signing from secrets only, checks of the result).
// actionlint is not packaged by Debian (the only registry besides npm here), so the
// workflow's expressions are not linted beyond these checks.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const text = fs.readFileSync(path.join(root, '.github/workflows/release.yml'), 'utf8');

type Step = {
  name?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
  if?: string;
  shell?: string;
};
type Job = {
  needs?: string | string[];
  'runs-on': string;
  steps: Step[];
  strategy?: { matrix: { include: { os: string; platform: string; builder: string }[] } };
  services?: Record<string, unknown>;
};
type Workflow = {
  name: string;
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, Job>;
};

const wf = YAML.parse(text) as Workflow;
const runs = (job: Job) => job.steps.map((s) => s.run ?? '').join('\n');

describe('release workflow', () => {
  it('parses, is triggered by version tags, reads contents only', () => {
    expect(YAML.parseDocument(text).errors).toEqual([]);
    expect(wf.on).toHaveProperty('push.tags', ['v*']);
    expect(wf.on).not.toHaveProperty('pull_request_target');
    expect(wf.permissions).toEqual({ contents: 'read' });
  });

  it('runs the tests (.ci/run with PostgreSQL) before packaging, and checksums after', () => {
    expect(runs(wf.jobs['test'] as Job)).toContain('.ci/run');
    expect(wf.jobs['test']?.services).toHaveProperty('postgres');
    expect(wf.jobs['package']?.needs).toBe('test');
    expect(wf.jobs['checksums']?.needs).toBe('package');
    expect(runs(wf.jobs['checksums'] as Job)).toContain('sha256sum');
  });

  it('packages on Windows, macOS and Linux with the configured targets, after the package check', () => {
    const job = wf.jobs['package'] as Job;
    const matrix = job.strategy?.matrix.include ?? [];
    expect(matrix.map((m) => m.platform).sort()).toEqual(['darwin', 'linux', 'win32']);
    expect(matrix.find((m) => m.platform === 'win32')?.builder).toBe('--win nsis msi');
    expect(matrix.find((m) => m.platform === 'darwin')?.builder).toBe('--mac dmg');
    expect(matrix.find((m) => m.platform === 'linux')?.builder).toBe('--linux deb AppImage');
    const script = runs(job);
    const order = [
      'npm ci',
      'npm run build',
      'node scripts/stage-app.mjs',
      'node scripts/package-check.mjs',
      'electron-builder --config electron-builder.yml',
      'node scripts/verify-packaged-fuses.mjs',
    ];
    let at = -1;
    for (const part of order) {
      const i = script.indexOf(part);
      expect(i, part).toBeGreaterThan(at);
      at = i;
    }
    for (const file of [
      'scripts/stage-app.mjs',
      'scripts/package-check.mjs',
      'scripts/verify-packaged-fuses.mjs',
      'electron-builder.yml',
      '.ci/run',
    ]) {
      expect(fs.existsSync(path.join(root, file)), file).toBe(true);
    }
    // The runtime is downloaded on these runners: no ELECTRON_SKIP_BINARY_DOWNLOAD there.
    expect(text).not.toContain('ELECTRON_SKIP_BINARY_DOWNLOAD');
  });

  it('signing material only from secrets, never literal', () => {
    const job = wf.jobs['package'] as Job;
    const sign = job.steps.find((s) => s.run?.includes('electron-builder --config'));
    const env = sign?.env ?? {};
    for (const name of [
      'WIN_CSC_LINK',
      'WIN_CSC_KEY_PASSWORD',
      'CSC_LINK',
      'CSC_KEY_PASSWORD',
      'APPLE_API_KEY_ID',
      'APPLE_API_ISSUER',
    ]) {
      expect(env[name], name).toMatch(/^\$\{\{ secrets\.[A-Z0-9_]+ \}\}$/);
    }
    const declared = new Set([...text.matchAll(/secrets\.([A-Z0-9_]+)/g)].map((m) => m[1]));
    const header = text.split('\nname:')[0] ?? '';
    for (const name of declared) expect(header, `secret ${name} documented`).toContain(name as string);
    expect(text).not.toMatch(/-----BEGIN|password:\s*['"]?\w/i);
  });

  it('uses released major versions of actions', () => {
    const uses = Object.values(wf.jobs).flatMap((j) =>
      j.steps.map((s) => s.uses).filter(Boolean),
    ) as string[];
    expect(uses.length).toBeGreaterThan(0);
    for (const u of uses) expect(u).toMatch(/^actions\/[a-z-]+@v\d+$/);
  });
});
