/* eslint-disable security/detect-non-literal-fs-filename -- every path here comes from mkdtempSync */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from './main';

function capture(): { stream: Writable; text(): string } {
  let out = '';
  return {
    stream: new Writable({
      write(chunk: Buffer, _e, done) {
        out += chunk.toString('utf8');
        done();
      },
    }),
    text: () => out,
  };
}

async function cli(args: string[], env: Record<string, string | undefined>) {
  const stdout = capture();
  const stderr = capture();
  const code = await runCli(args, { stdout: stdout.stream, stderr: stderr.stream, env });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

describe('server CLI: rights', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });
  const tempDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sync-cli-rights-'));
    dirs.push(dir);
    return dir;
  };

  it('writes the register of processing, lists expired records, refuses a purge without --yes', async () => {
    const dir = tempDir();
    const env = { DATA_DIR: dir, CLINIC_NAME: 'Cabinet du Parc', RETENTION_POLICY: 'purge', RETENTION_RULES: '{"yearsAfterLastEncounter":30}' };
    const out = path.join(dir, 'registre.md');
    const reg = await cli(['rights', 'register', '--out', out], env);
    expect(reg).toMatchObject({ code: 0, stderr: '' });
    const markdown = fs.readFileSync(out, 'utf8');
    expect(markdown).toContain('**Responsable du traitement** : Cabinet du Parc');
    expect(markdown).toContain('30 ans après la dernière consultation');
    expect(markdown).toContain('effacés automatiquement');
    expect(markdown).toContain(`SQLite, ${dir}/sync.sqlite`);
    const en = await cli(['rights', 'register', '--language', 'en'], { DATA_DIR: dir });
    expect(en.stdout).toContain('# Record of processing activities (GDPR Article 30)');
    expect(await cli(['rights', 'expired'], { DATA_DIR: dir })).toMatchObject({ code: 0, stdout: '0 record(s) past retention\n' });
    const refused = await cli(['rights', 'purge-expired'], { DATA_DIR: dir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('--yes');
    expect(await cli(['rights', 'purge-expired', '--yes'], { DATA_DIR: dir })).toMatchObject({ code: 0, stdout: '0 record(s) erased of 0 past retention\n' });
    expect((await cli(['rights', 'register'], { DATA_DIR: dir, RETENTION_POLICY: 'never' })).code).toBe(1);
  });
});
