import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Algorithm } from '@node-rs/argon2';
import { hash, verify } from '@node-rs/argon2';

/**
 * OWASP's Argon2id recommendation (m = 19 MiB, t = 2, p = 1). `Algorithm` is a const enum
 * that isolated modules cannot read, hence the literal 2 (= Argon2id).
 */
export const ARGON2_OPTIONS = {
  algorithm: 2 as Algorithm,
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
} as const;

export { MIN_PASSWORD_LENGTH } from '../../../shared/src/sync/admin-protocol';

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * A hash no password matches, verified for unknown or disabled users so a login costs the
 * same time whether the username exists or not.
 */
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(32).toString('base64url'));
  return dummyHash;
}

/** Opaque bearer token: 256 random bits; only its SHA-256 is stored. */
export function newToken(prefix: 'at' | 'rt'): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function newId(): string {
  return randomUUID();
}
