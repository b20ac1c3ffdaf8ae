/* eslint-disable security/detect-non-literal-fs-filename -- paths are the vault folder and the package folder of electron, never untrusted input. */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import type { Language } from '../../../shared/src/errors';
import { AppError, isAppError, translateError } from '../../../shared/src/errors';
import { COLLECTION_NAMES } from '../../../shared/src/schemas';
import { openWorkstationStore } from '../db/workstation-store';
import { vaultDir } from '../platform/paths';
import type { UnlockedVault, VaultOptions } from '../vault';
import {
  backupVault,
  createVault,
  estimatePassphraseStrength,
  inspectVault,
  PASSPHRASE_MIN_LENGTH,
  restoreVault,
  unlockVault,
  VAULT_FILES,
} from '../vault';
import type { CliMessage } from './cli-messages';
import { cliText, languageFromEnv } from './cli-messages';
import type { Prompter } from './prompt';
import { createPrompter, PromptClosedError } from './prompt';

export type CliIo = {
  readonly stdin: Readable & { isTTY?: boolean };
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Resolves when the user asks to quit (SIGINT/SIGTERM in the real process). */
  readonly untilQuit: () => Promise<void>;
  readonly vaultOptions?: VaultOptions;
};

type Context = {
  readonly io: CliIo;
  readonly lang: Language;
  readonly dir: string;
  readonly prompt: Prompter;
  say(key: CliMessage, params?: Record<string, string | number>): void;
};

/**
 * Whether the Electron runtime binary is installed (it cannot be fetched everywhere).
 * Read from the package's files: requiring 'electron' would try to download the binary.
 */
export function electronRuntimeInstalled(): boolean {
  try {
    const require = createRequire(import.meta.url);
    const dir = path.dirname(require.resolve('electron/package.json'));
    const pathFile = path.join(dir, 'path.txt');
    if (!existsSync(pathFile)) return false;
    return existsSync(path.join(dir, 'dist', readFileSync(pathFile, 'utf8').trim()));
  } catch {
    return false;
  }
}

async function askNewPassphrase(ctx: Context): Promise<string> {
  const first = await ctx.prompt.secret(cliText(ctx.lang, 'promptNewPassphrase'));
  const strength = estimatePassphraseStrength(first);
  ctx.say('strength', { score: strength.score, bits: Math.round(strength.bits) });
  const second = await ctx.prompt.secret(cliText(ctx.lang, 'promptConfirm'));
  if (first !== second) throw new CliFailure('mismatch');
  return first;
}

class CliFailure extends Error {
  constructor(readonly key: CliMessage) {
    super(key);
  }
}

function vaultExists(dir: string): boolean {
  return existsSync(path.join(dir, VAULT_FILES.keyFile)) || existsSync(path.join(dir, VAULT_FILES.database));
}

async function openOrCreate(ctx: Context): Promise<UnlockedVault> {
  if (!vaultExists(ctx.dir)) {
    ctx.say('firstRun', { dir: ctx.dir, min: PASSPHRASE_MIN_LENGTH });
    const passphrase = await askNewPassphrase(ctx);
    const vault = await createVault(ctx.dir, passphrase, ctx.io.vaultOptions);
    ctx.say('created', { id: vault.vaultId });
    return vault;
  }
  return unlock(ctx);
}

async function unlock(ctx: Context): Promise<UnlockedVault> {
  // inspectVault reports a missing or damaged vault before any passphrase is typed.
  const status = inspectVault(ctx.dir);
  if (status.failures > 0) ctx.say('failures', { count: status.failures });
  const passphrase = await ctx.prompt.secret(cliText(ctx.lang, 'promptPassphrase'));
  return unlockVault(ctx.dir, passphrase, ctx.io.vaultOptions);
}

async function start(ctx: Context): Promise<void> {
  if (!electronRuntimeInstalled()) ctx.say('electronMissing');
  const vault = await openOrCreate(ctx);
  try {
    const store = await openWorkstationStore(vault);
    ctx.say('ready', { db: vault.databasePath });
    for (const name of COLLECTION_NAMES) {
      const count = await store.db[name].count().exec();
      ctx.say('count', { collection: name, count });
    }
    ctx.say('waiting');
    await ctx.io.untilQuit();
  } finally {
    await vault.lock();
    ctx.say('locked');
  }
}

function status(ctx: Context): void {
  const s = inspectVault(ctx.dir);
  ctx.say('status', {
    id: s.vaultId,
    created: s.createdAt,
    memory: Math.round(s.kdf.memoryKiB / 1024),
    iterations: s.kdf.iterations,
    keystore: s.keystoreBackend ?? cliText(ctx.lang, 'keystoreNone'),
    failures: s.failures,
    retry: s.retryAfterSeconds > 0 ? cliText(ctx.lang, 'retry', { s: s.retryAfterSeconds }) : '',
  });
}

async function backup(ctx: Context, file: string | undefined): Promise<void> {
  if (!file) throw new CliFailureWith('missingArgument', { name: '<fichier>' });
  const vault = await unlock(ctx);
  try {
    await backupVault(vault, file);
    ctx.say('backupDone', { file: path.resolve(file) });
  } finally {
    await vault.lock();
  }
}

async function restore(ctx: Context, file: string | undefined): Promise<void> {
  if (!file) throw new CliFailureWith('missingArgument', { name: '<fichier>' });
  const passphrase = await ctx.prompt.secret(cliText(ctx.lang, 'promptPassphrase'));
  const result = await restoreVault(file, ctx.dir, passphrase);
  ctx.say('restoreDone', { dir: ctx.dir, id: result.vaultId });
}

async function changePassphrase(ctx: Context): Promise<void> {
  inspectVault(ctx.dir);
  const old = await ctx.prompt.secret(cliText(ctx.lang, 'promptOld'));
  const vault = await unlockVault(ctx.dir, old, ctx.io.vaultOptions);
  try {
    const next = await askNewPassphrase(ctx);
    await vault.changePassphrase(old, next);
    ctx.say('passphraseChanged');
  } finally {
    await vault.lock();
  }
}

class CliFailureWith extends CliFailure {
  constructor(
    key: CliMessage,
    readonly params: Record<string, string | number>,
  ) {
    super(key);
  }
}

/** Runs one command; returns the process exit code. Errors are shown translated with their stable code. */
export async function runWorkstationCli(argv: readonly string[], io: CliIo): Promise<number> {
  const lang = languageFromEnv(io.env);
  const dir = vaultDir({ platform: process.platform, env: io.env, homedir: io.env['HOME'] ?? '' });
  const prompt = createPrompter(io.stdin, io.stdout);
  const ctx: Context = {
    io,
    lang,
    dir,
    prompt,
    say: (key, params) => io.stdout.write(`${cliText(lang, key, params)}\n`),
  };
  const [command = 'start', arg] = argv;
  try {
    switch (command) {
      case 'start':
        await start(ctx);
        return 0;
      case 'status':
        status(ctx);
        return 0;
      case 'backup':
        await backup(ctx, arg);
        return 0;
      case 'restore':
        await restore(ctx, arg);
        return 0;
      case 'change-passphrase':
        await changePassphrase(ctx);
        return 0;
      default:
        io.stdout.write(`${cliText(lang, 'usage', { dir })}\n`);
        return command === 'help' || command === '--help' ? 0 : 2;
    }
  } catch (error) {
    if (error instanceof PromptClosedError) return 130;
    if (error instanceof CliFailure) {
      io.stderr.write(`${cliText(lang, error.key, error instanceof CliFailureWith ? error.params : undefined)}\n`);
      return 1;
    }
    const payload = isAppError(error) ? error.toPayload() : new AppError('UNKNOWN_ERROR').toPayload();
    io.stderr.write(`${cliText(lang, 'error', { code: payload.code, message: translateError(payload, lang) })}\n`);
    return 1;
  } finally {
    prompt.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // Installed before anything runs, so a Ctrl+C during unlock still locks and exits cleanly.
  const quit = new Promise<void>((resolve) => {
    const stop = (): void => {
      resolve();
      // A question still waiting for its answer gives up: nothing was opened yet.
      process.stdin.destroy();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  const untilSignal = (): Promise<void> => quit;
  const code = await runWorkstationCli(process.argv.slice(2), {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    untilQuit: untilSignal,
  });
  process.exit(code);
}
