/* eslint-disable security/detect-non-literal-fs-filename -- the policy file is at the OS's fixed machine-wide location (policyFilePath) and the CA bundle at the path IT wrote in it. */
// Managed configuration: a machine-wide policy file written by clinic IT (docs/it-policy.md).
// Values it sets lock the matching settings (the settings screen shows them as "set by your
// IT department"); a file that is not valid stops the app with APP_POLICY_INVALID rather
// than running with a half-applied policy.
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Locale, Settings } from '../../../shared/src/api';
import { LocaleSchema, ServerUrlSchema } from '../../../shared/src/api';
import { AppError } from '../../../shared/src/errors';
import type { PlatformEnv } from './paths';
import { APP_DIR_NAME } from './paths';

export const POLICY_FILE = 'policy.json';
export const UPDATE_CHANNELS = ['stable', 'beta'] as const;
export type UpdateChannel = (typeof UPDATE_CHANNELS)[number];

/** Largest accepted policy file and CA bundle: both are small text files. */
const MAX_POLICY_BYTES = 64 * 1024;
const MAX_CA_BYTES = 1024 * 1024;

export const PolicySchema = z.strictObject({
  /** Format version of the file; only 1 exists. */
  version: z.literal(1),
  /** The clinic's sync server (https in production). Locks the "sync server" setting. */
  syncServerUrl: ServerUrlSchema.optional(),
  /** PEM file of the CA(s) that sign the sync and update servers' certificates, if not in the OS store. */
  caBundlePath: z.string().min(1).max(1024).optional(),
  /** Idle minutes before the vault locks. Locks the setting. */
  lockDelayMinutes: z.number().int().min(1).max(480).optional(),
  /** The UI languages users may choose; the first is the default. */
  allowedLanguages: z.array(LocaleSchema).min(1).max(3).optional(),
  /** The clinic's update server (electron-updater generic provider); no update check without it. */
  updateUrl: z
    .url({ protocol: /^https$/ })
    .max(2048)
    .optional(),
  /** stable (default) or beta. */
  updateChannel: z.enum(UPDATE_CHANNELS).optional(),
});
export type Policy = z.infer<typeof PolicySchema>;

/** What the host runs with: the parsed policy, the file it came from, and the CA certificates it names. */
export type LoadedPolicy = {
  readonly file: string;
  readonly policy: Policy;
  /** PEM text of the CA bundle (caBundlePath), checked to hold at least one certificate. */
  readonly caPem: string | undefined;
};

/** The machine-wide location of the policy file on each OS (not under the user's control). */
export function policyFilePath(p: Pick<PlatformEnv, 'platform' | 'env'>): string {
  switch (p.platform) {
    case 'win32':
      return path.win32.join(
        p.env['ProgramData'] ?? p.env['PROGRAMDATA'] ?? 'C:\\ProgramData',
        APP_DIR_NAME,
        POLICY_FILE,
      );
    case 'darwin':
      return path.posix.join('/Library/Application Support', APP_DIR_NAME, POLICY_FILE);
    default:
      return path.posix.join('/etc', APP_DIR_NAME.toLowerCase(), POLICY_FILE);
  }
}

function invalid(file: string, field: string, cause?: unknown): AppError<'APP_POLICY_INVALID'> {
  return new AppError('APP_POLICY_INVALID', { file, field }, cause === undefined ? undefined : { cause });
}

/** Parses the text of a policy file (untrusted input): the policy, or APP_POLICY_INVALID naming the first wrong field. */
export function parsePolicy(text: string, file: string): Policy {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw invalid(file, 'json', cause);
  }
  const parsed = PolicySchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue && issue.code === 'unrecognized_keys' ? issue.keys[0] : issue?.path[0];
    throw invalid(file, typeof key === 'string' ? key : 'json');
  }
  return parsed.data;
}

/** Reads and checks a CA bundle: PEM with at least one parseable certificate, nothing else. */
export function readCaBundle(file: string, policyFile: string): string {
  let text: string;
  try {
    if (!path.isAbsolute(file)) throw new Error('relative path');
    if (fs.statSync(file).size > MAX_CA_BYTES) throw new Error('too large');
    text = fs.readFileSync(file, 'utf8');
  } catch (cause) {
    throw invalid(policyFile, 'caBundlePath', cause);
  }
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw invalid(policyFile, 'caBundlePath');
  for (const block of blocks) {
    try {
      if (!new X509Certificate(block).ca) throw new Error('not a CA certificate');
    } catch (cause) {
      throw invalid(policyFile, 'caBundlePath', cause);
    }
  }
  return blocks.join('\n');
}

/**
 * Loads the policy at `file`: undefined when there is none (the usual case outside clinics
 * managed by IT); APP_POLICY_INVALID when it cannot be read or is not valid.
 */
export function loadPolicy(file: string): LoadedPolicy | undefined {
  let text: string;
  try {
    const size = fs.statSync(file).size;
    if (size > MAX_POLICY_BYTES) throw invalid(file, 'size');
    text = fs.readFileSync(file, 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    if (cause instanceof AppError) throw cause;
    throw invalid(file, 'file', cause);
  }
  const policy = parsePolicy(text.replace(/^\uFEFF/, ''), file);
  const caPem = policy.caBundlePath === undefined ? undefined : readCaBundle(policy.caBundlePath, file);
  return { file, policy, caPem };
}

/** Settings the policy fixes, and the languages it allows (undefined: all). */
export type SettingsLocks = {
  readonly values: Partial<Pick<Settings, 'serverUrl' | 'lockDelayMinutes'>>;
  readonly allowedLanguages: readonly Locale[] | undefined;
};

export function settingsLocks(policy: Policy | undefined): SettingsLocks {
  const values: { serverUrl?: string; lockDelayMinutes?: number } = {};
  if (policy?.syncServerUrl !== undefined) values.serverUrl = policy.syncServerUrl;
  if (policy?.lockDelayMinutes !== undefined) values.lockDelayMinutes = policy.lockDelayMinutes;
  return { values, allowedLanguages: policy?.allowedLanguages };
}
