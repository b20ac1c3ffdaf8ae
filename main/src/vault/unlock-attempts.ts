/* eslint-disable security/detect-non-literal-fs-filename -- the counter file is inside the vault directory the caller chose. */
import fs from 'node:fs';
import { readFileIfExists, writeFileAtomic } from './atomic-file';

/**
 * Failed passphrase attempts, kept in a small file of their own so a wrong passphrase never
 * rewrites the key file or touches the database. This is a brake for someone at the
 * keyboard, not a security boundary: whoever can copy the files can also delete this one,
 * and against them only the Argon2id cost counts.
 */
export const ATTEMPTS_FORMAT = 'clinic-vault-unlock-attempts';

export type AttemptsState = { readonly failures: number; readonly lastFailureAt: number };

/** Attempts allowed without any wait; after that the delay doubles from 5 s up to 5 min. */
export const FREE_ATTEMPTS = 3;
const FIRST_DELAY_MS = 5_000;
const MAX_DELAY_MS = 5 * 60_000;

export function delayAfter(failures: number): number {
  if (failures < FREE_ATTEMPTS) return 0;
  return Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.min(failures - FREE_ATTEMPTS, 16));
}

/** Seconds the user must still wait before the next try (0 = may try now). */
export function retryAfterSeconds(state: AttemptsState, now: number): number {
  if (state.failures === 0) return 0;
  const wait = state.lastFailureAt + delayAfter(state.failures) - now;
  return wait > 0 ? Math.ceil(wait / 1000) : 0;
}

/**
 * Reads the counter. A counter file with unreadable content counts as the free attempts used
 * up, dated by its modification time, so scribbling over it does not reset the brake
 * (deleting it does, see above). A counter that cannot be read at all (a folder in its
 * place, no permission) must not lock the user out for good, so it only counts the free
 * attempts as used.
 */
export function readAttempts(file: string, now: number): AttemptsState {
  let raw: Buffer | undefined;
  try {
    raw = readFileIfExists(file);
  } catch {
    return { failures: FREE_ATTEMPTS, lastFailureAt: 0 };
  }
  if (raw === undefined) return { failures: 0, lastFailureAt: 0 };
  try {
    const v = JSON.parse(raw.toString('utf8')) as unknown;
    if (typeof v === 'object' && v !== null) {
      const { format, failures, lastFailureAt } = v as Record<string, unknown>;
      if (
        format === ATTEMPTS_FORMAT &&
        typeof failures === 'number' &&
        Number.isSafeInteger(failures) &&
        failures >= 0 &&
        typeof lastFailureAt === 'number' &&
        Number.isFinite(lastFailureAt)
      ) {
        // A clock set back must not make the wait endless.
        return { failures, lastFailureAt: Math.min(lastFailureAt, now) };
      }
    }
  } catch {
    // Falls through to the conservative answer below.
  }
  let modified = 0;
  try {
    modified = fs.statSync(file).mtimeMs;
  } catch {
    // Gone since the read: nothing to date it by.
  }
  return { failures: FREE_ATTEMPTS, lastFailureAt: Math.min(modified, now) };
}

/**
 * Counts one failure. If the counter cannot be written (read-only folder, full disk) the
 * count is still returned: the user must hear "wrong passphrase", not a disk error.
 */
export function recordFailure(file: string, now: number): AttemptsState {
  const previous = readAttempts(file, now);
  const next = { failures: previous.failures + 1, lastFailureAt: now };
  try {
    writeFileAtomic(file, `${JSON.stringify({ format: ATTEMPTS_FORMAT, ...next })}\n`);
  } catch {
    // Best effort by design, see above.
  }
  return next;
}

export function resetAttempts(file: string): void {
  try {
    fs.rmSync(file, { force: true });
  } catch {
    // A counter that cannot be removed only delays the next wrong attempt; the unlock stands.
  }
}
