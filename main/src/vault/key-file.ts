import { z } from 'zod';
import type { Result } from '../../../shared/src/errors';
import { err, ok } from '../../../shared/src/errors';
import type { AeadBox, KdfParams } from './key-wrap';
import { DATABASE_KEY_BYTES, GCM_NONCE_BYTES, GCM_TAG_BYTES, kdfWithinLimits, SALT_BYTES } from './key-wrap';

export const KEY_FILE_FORMAT = 'clinic-vault-keys';
export const KEY_FILE_VERSION = 1;
/** A key file is a few hundred bytes; anything far bigger is not ours. */
export const KEY_FILE_MAX_BYTES = 64 * 1024;

export type PassphraseWrap = {
  readonly kind: 'passphrase';
  readonly createdAt: string;
  readonly kdf: KdfParams;
  readonly aead: AeadBox;
};

/**
 * The OS keystore protects a random key-encryption key, and that KEK seals the database key
 * with AES-GCM like the passphrase wrap. The extra layer gives the same AAD binding and
 * integrity check whatever the keystore does (Chromium's Linux backends use AES-CBC
 * without a MAC).
 */
export type KeystoreWrap = {
  readonly kind: 'os-keystore';
  readonly createdAt: string;
  readonly backend: string;
  readonly protectedKek: Uint8Array;
  readonly aead: AeadBox;
};

export type KeyWrap = PassphraseWrap | KeystoreWrap;

export type KeyFile = {
  readonly format: typeof KEY_FILE_FORMAT;
  readonly version: typeof KEY_FILE_VERSION;
  readonly vaultId: string;
  readonly createdAt: string;
  /** Exactly one passphrase wrap (the recovery path), at most one keystore wrap. */
  readonly wraps: readonly KeyWrap[];
};

export type KeyFileErrorCode = 'VAULT_KEYFILE_CORRUPT' | 'VAULT_KEYFILE_UNSUPPORTED_VERSION';

/**
 * Additional authenticated data of every wrap: a wrap copied into another vault's file, into
 * another slot, or under another format version fails to open instead of being misread.
 */
export function wrapAad(vaultId: string, kind: KeyWrap['kind']): Uint8Array {
  return Buffer.from(JSON.stringify([KEY_FILE_FORMAT, KEY_FILE_VERSION, vaultId, kind]), 'utf8');
}

function bytes(length?: { exact?: number; min?: number; max?: number }) {
  return z.base64().transform((s, ctx) => {
    const b = new Uint8Array(Buffer.from(s, 'base64'));
    const bad =
      (length?.exact !== undefined && b.length !== length.exact) ||
      (length?.min !== undefined && b.length < length.min) ||
      (length?.max !== undefined && b.length > length.max);
    if (bad) ctx.addIssue({ code: 'custom', message: 'unexpected length' });
    return b;
  });
}

const isoDate = z.iso.datetime({ offset: false });

const AeadSchema = z.strictObject({
  algorithm: z.literal('aes-256-gcm'),
  nonce: bytes({ exact: GCM_NONCE_BYTES }),
  ciphertext: bytes({ exact: DATABASE_KEY_BYTES }),
  tag: bytes({ exact: GCM_TAG_BYTES }),
});

const KdfSchema = z
  .strictObject({
    algorithm: z.literal('argon2id'),
    version: z.literal(19),
    memoryKiB: z.number().int(),
    iterations: z.number().int(),
    parallelism: z.number().int(),
    salt: bytes({ min: SALT_BYTES, max: 64 }),
  })
  .refine(kdfWithinLimits, 'KDF parameters out of bounds');

const PassphraseWrapSchema = z.strictObject({
  kind: z.literal('passphrase'),
  createdAt: isoDate,
  kdf: KdfSchema,
  aead: AeadSchema,
});

const KeystoreWrapSchema = z.strictObject({
  kind: z.literal('os-keystore'),
  createdAt: isoDate,
  backend: z.string().min(1).max(64),
  protectedKek: bytes({ min: 1, max: 4096 }),
  aead: AeadSchema,
});

const KeyFileSchema = z
  .strictObject({
    format: z.literal(KEY_FILE_FORMAT),
    version: z.literal(KEY_FILE_VERSION),
    vaultId: z.uuid(),
    createdAt: isoDate,
    wraps: z
      .array(z.discriminatedUnion('kind', [PassphraseWrapSchema, KeystoreWrapSchema]))
      .min(1)
      .max(8),
  })
  .refine(
    (f) =>
      f.wraps.filter((w) => w.kind === 'passphrase').length === 1 &&
      f.wraps.filter((w) => w.kind === 'os-keystore').length <= 1,
    'one passphrase wrap and at most one keystore wrap',
  );

/**
 * Parses a decoded key file. The version is checked before anything else, so a file from a
 * newer release is reported as such instead of being half-read or called corrupt.
 */
export function parseKeyFile(input: unknown): Result<KeyFile, KeyFileErrorCode> {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return err('VAULT_KEYFILE_CORRUPT');
  const head = input as { format?: unknown; version?: unknown };
  if (head.format !== KEY_FILE_FORMAT) return err('VAULT_KEYFILE_CORRUPT');
  if (typeof head.version !== 'number' || !Number.isSafeInteger(head.version) || head.version < 1) {
    return err('VAULT_KEYFILE_CORRUPT');
  }
  if (head.version !== KEY_FILE_VERSION)
    return err('VAULT_KEYFILE_UNSUPPORTED_VERSION', { version: head.version });
  const parsed = KeyFileSchema.safeParse(input);
  return parsed.success ? ok(parsed.data) : err('VAULT_KEYFILE_CORRUPT');
}

/** Parses the raw bytes of a key file (size limit, UTF-8, JSON, then the schema). */
export function parseKeyFileBytes(raw: Uint8Array): Result<KeyFile, KeyFileErrorCode> {
  if (raw.length === 0 || raw.length > KEY_FILE_MAX_BYTES) return err('VAULT_KEYFILE_CORRUPT');
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
  } catch {
    return err('VAULT_KEYFILE_CORRUPT');
  }
  return parseKeyFile(json);
}

const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');

function aeadJson(box: AeadBox) {
  return {
    algorithm: box.algorithm,
    nonce: b64(box.nonce),
    ciphertext: b64(box.ciphertext),
    tag: b64(box.tag),
  };
}

function wrapJson(w: KeyWrap) {
  if (w.kind === 'passphrase') {
    const { salt, ...kdf } = w.kdf;
    return {
      kind: w.kind,
      createdAt: w.createdAt,
      kdf: { ...kdf, salt: b64(salt) },
      aead: aeadJson(w.aead),
    };
  }
  return {
    kind: w.kind,
    createdAt: w.createdAt,
    backend: w.backend,
    protectedKek: b64(w.protectedKek),
    aead: aeadJson(w.aead),
  };
}

export function serializeKeyFile(file: KeyFile): string {
  const json = {
    format: file.format,
    version: file.version,
    vaultId: file.vaultId,
    createdAt: file.createdAt,
    wraps: file.wraps.map(wrapJson),
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}
