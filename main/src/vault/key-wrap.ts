import { hashRaw } from '@node-rs/argon2';
import type { Algorithm, Version } from '@node-rs/argon2';
import crypto from 'node:crypto';
import { AppError } from '../../../shared/src/errors';

export const DATABASE_KEY_BYTES = 32;
export const KEK_BYTES = 32;
export const GCM_NONCE_BYTES = 12;
export const GCM_TAG_BYTES = 16;
export const SALT_BYTES = 16;

/** @node-rs/argon2 declares these as ambient const enums, which isolatedModules cannot read. */
const ARGON2ID = 2 as Algorithm;
const ARGON2_VERSION_0X13 = 1 as Version;

export type Argon2idParams = {
  readonly algorithm: 'argon2id';
  /** Argon2 version 0x13 = 19, the only one RFC 9106 defines. */
  readonly version: 19;
  readonly memoryKiB: number;
  readonly iterations: number;
  readonly parallelism: number;
};

export type KdfParams = Argon2idParams & { readonly salt: Uint8Array };

/** RFC 9106 §4 second recommended option (64 MiB, 3 passes); p=1 keeps unlock time flat on 2-core clinic PCs. */
export const DEFAULT_KDF: Argon2idParams = {
  algorithm: 'argon2id',
  version: 19,
  memoryKiB: 64 * 1024,
  iterations: 3,
  parallelism: 1,
};

/** OWASP Password Storage Cheat Sheet floor for Argon2id (m=19 MiB, t=2, p=1): nothing weaker is written or accepted. */
export const MIN_KDF: Argon2idParams = {
  algorithm: 'argon2id',
  version: 19,
  memoryKiB: 19 * 1024,
  iterations: 2,
  parallelism: 1,
};

/** Upper bounds so a hostile key file cannot make unlock allocate gigabytes or spin for minutes. */
export const MAX_KDF = { memoryKiB: 1024 * 1024, iterations: 64, parallelism: 16 } as const;

export function kdfWithinLimits(
  p: Pick<Argon2idParams, 'memoryKiB' | 'iterations' | 'parallelism'>,
): boolean {
  const ints = [p.memoryKiB, p.iterations, p.parallelism].every((n) => Number.isSafeInteger(n));
  return (
    ints &&
    p.memoryKiB >= MIN_KDF.memoryKiB &&
    p.memoryKiB <= MAX_KDF.memoryKiB &&
    p.iterations >= MIN_KDF.iterations &&
    p.iterations <= MAX_KDF.iterations &&
    p.parallelism >= MIN_KDF.parallelism &&
    p.parallelism <= MAX_KDF.parallelism &&
    // Argon2 requires at least 8 KiB of memory per lane.
    p.memoryKiB >= 8 * p.parallelism
  );
}

/** True when `stored` costs less than `wanted` on any axis, so the wrap should be redone. */
export function kdfWeakerThan(stored: Argon2idParams, wanted: Argon2idParams): boolean {
  return stored.memoryKiB < wanted.memoryKiB || stored.iterations < wanted.iterations;
}

export function newKdfParams(base: Argon2idParams): KdfParams {
  if (!kdfWithinLimits(base)) throw new AppError('VAULT_KDF_PARAMS_INVALID');
  return {
    ...DEFAULT_KDF,
    ...base,
    algorithm: 'argon2id',
    version: 19,
    salt: crypto.randomBytes(SALT_BYTES),
  };
}

/** Derives the key-encryption key from the passphrase. The caller zeroes the result. */
export async function deriveKek(passphrase: string, params: KdfParams): Promise<Buffer> {
  return hashRaw(passphrase.normalize('NFC'), {
    algorithm: ARGON2ID,
    version: ARGON2_VERSION_0X13,
    memoryCost: params.memoryKiB,
    timeCost: params.iterations,
    parallelism: params.parallelism,
    outputLen: KEK_BYTES,
    salt: params.salt,
  });
}

export type AeadBox = {
  readonly algorithm: 'aes-256-gcm';
  readonly nonce: Uint8Array;
  readonly ciphertext: Uint8Array;
  readonly tag: Uint8Array;
};

export function seal(kek: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): AeadBox {
  const nonce = crypto.randomBytes(GCM_NONCE_BYTES);
  const cipher = crypto.createCipheriv('aes-256-gcm', kek, nonce, { authTagLength: GCM_TAG_BYTES });
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { algorithm: 'aes-256-gcm', nonce, ciphertext, tag: cipher.getAuthTag() };
}

/**
 * Opens an AEAD box; `undefined` when the tag does not verify (wrong key, other vault,
 * or tampered bytes: GCM cannot tell these apart, and neither should the caller).
 * The returned array is owned by the caller, who zeroes it.
 */
export function open(kek: Uint8Array, box: AeadBox, aad: Uint8Array): Uint8Array | undefined {
  const decipher = crypto.createDecipheriv('aes-256-gcm', kek, box.nonce, { authTagLength: GCM_TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(box.tag);
  const head = decipher.update(box.ciphertext);
  try {
    const tail = decipher.final();
    const out = new Uint8Array(head.length + tail.length);
    out.set(head, 0);
    out.set(tail, head.length);
    tail.fill(0);
    return out;
  } catch {
    return undefined;
  } finally {
    head.fill(0);
  }
}

export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}
