/* eslint-disable security/detect-non-literal-fs-filename -- temp folders made by the test. */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { FAST } from '../vault/test-support';
import { runWorkstationCli } from './workstation';

const PASS = 'lanterne violette sous la pluie';
const temps: string[] = [];
afterEach(() => {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'clinic-cli-'));
  temps.push(d);
  return d;
}

type Run = { code: number; out: string; err: string };

async function run(
  argv: string[],
  dataDir: string,
  answers: string[],
  options: { lang?: string; quitWhen?: RegExp } = {},
): Promise<Run> {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  let quit: () => void = () => undefined;
  const quitting = new Promise<void>((r) => (quit = r));
  stdout.on('data', (c: Buffer) => {
    out += c.toString();
    if (options.quitWhen?.test(out)) quit();
  });
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  stdin.end(answers.map((a) => `${a}\n`).join(''));
  const code = await runWorkstationCli(argv, {
    stdin,
    stdout,
    stderr,
    env: { CLINIQUE_DATA_DIR: dataDir, LANG: options.lang ?? 'fr_FR.UTF-8' },
    untilQuit: () => quitting,
    vaultOptions: FAST,
  });
  return { code, out, err };
}

describe('workstation command line', () => {
  it('creates the vault on first start, opens the store, and locks it on quit', async () => {
    const data = tempDir();
    const first = await run(['start'], data, [PASS, PASS], { quitWhen: /Prêt\./ });
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/Première utilisation/);
    expect(first.out).toMatch(/Coffre créé/);
    expect(first.out).toMatch(/patient : 0/);
    expect(first.out).toMatch(/Coffre verrouillé\./);
    expect(first.out).not.toContain(PASS);

    const again = await run(['start'], data, [PASS], { quitWhen: /Prêt\./ });
    expect(again.code).toBe(0);
    expect(again.out).not.toMatch(/Première utilisation/);

    const status = await run(['status'], data, []);
    expect(status.code).toBe(0);
    expect(status.out).toMatch(/Argon2id/);
    expect(status.out).toMatch(/Tentatives échouées : 0/);
  });

  it('refuses a wrong passphrase with its code and a translated message, and counts it', async () => {
    const data = tempDir();
    await run(['start'], data, [PASS, PASS], { quitWhen: /Prêt\./ });
    const wrong = await run(['start'], data, ['pas la bonne phrase du tout'], { quitWhen: /Prêt\./ });
    expect(wrong.code).toBe(1);
    expect(wrong.err).toMatch(/^Erreur \[VAULT_WRONG_PASSPHRASE\] : /);
    const de = await run(['status'], data, [], { lang: 'de_DE.UTF-8' });
    expect(de.out).toMatch(/Fehlversuche: 1/);
  });

  it('creates nothing when the confirmation differs', async () => {
    const data = tempDir();
    const r = await run(['start'], data, [PASS, `${PASS}!`]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/Les deux saisies diffèrent/);
    expect(existsSync(path.join(data, 'vault'))).toBe(false);
  });

  it('backs up and restores into another workstation folder', async () => {
    const data = tempDir();
    await run(['start'], data, [PASS, PASS], { quitWhen: /Prêt\./ });
    const file = path.join(tempDir(), 'clinique.backup');
    const b = await run(['backup', file], data, [PASS], { lang: 'en_GB.UTF-8' });
    expect(b.err).toBe('');
    expect(b.out).toMatch(/Encrypted backup written/);
    const other = tempDir();
    const r = await run(['restore', file], other, [PASS]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const opened = await run(['start'], other, [PASS], { quitWhen: /Prêt\./ });
    expect(opened.code).toBe(0);
  });

  it('prints usage in the user’s language for an unknown command', async () => {
    const r = await run(['frobnicate'], tempDir(), [], { lang: 'de_DE.UTF-8' });
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/^Aufruf: clinique/);
  });

  it('runs as a process: npm start’s entry point creates the vault and locks it on SIGINT', async () => {
    const data = tempDir();
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'workstation.ts'), 'start'], {
      env: { ...process.env, CLINIQUE_DATA_DIR: data, LANG: 'en_GB.UTF-8' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const ready = new Promise<void>((resolve) =>
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        if (/Ready\./.test(out)) resolve();
      }),
    );
    child.stdin.end(`${PASS}\n${PASS}\n`);
    await ready;
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toMatch(/Vault locked\./);
    expect(existsSync(path.join(data, 'vault', 'vault-keys.json'))).toBe(true);
  });
});

describe('workstation command line, cancelled', () => {
  it('exits on Ctrl+C while it waits for the passphrase, creating nothing', async () => {
    const data = tempDir();
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'workstation.ts'), 'start'], {
      env: { ...process.env, CLINIQUE_DATA_DIR: data, LANG: 'en_GB.UTF-8' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    const asked = new Promise<void>((resolve) =>
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        if (/New passphrase: /.test(out)) resolve();
      }),
    );
    await asked;
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(130);
    expect(existsSync(path.join(data, 'vault'))).toBe(false);
  });

  it('gives up quietly when the input closes before the passphrase is given', async () => {
    const data = tempDir();
    const r = await run(['start'], data, []);
    expect(r.code).toBe(130);
    expect(r.err).toBe('');
    expect(existsSync(path.join(data, 'vault'))).toBe(false);
  });
});
