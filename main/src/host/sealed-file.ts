/* eslint-disable security/detect-non-literal-fs-filename -- the sealed file's path is computed by the host from its data folder */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { z } from 'zod';
import { AppError } from '../../../shared/src/errors';
import { writeFileAtomic } from '../vault/atomic-file';

/**
 * A small JSON file of the host sealed with a key derived from the vault's database key
 * (HKDF-SHA256, AES-256-GCM, the vault id and the file's purpose as associated data): it
 * can be read only while the vault is unlocked, and a file from another vault or for
 * another purpose does not open. Used for the workstation's profile and the sync server's
 * rotating refresh token, which must survive a restart but is a credential.
 */

const FORMAT = 'clinic-host-sealed';
const VERSION = 1;

const SealedSchema = z.strictObject({
  format: z.literal(FORMAT),
  version: z.literal(VERSION),
  nonce: z.base64().max(32),
  ciphertext: z.base64().max(1_000_000),
  tag: z.base64().max(32),
});

export type SealingKey = { readonly key: Uint8Array; readonly vaultId: string };

function derive(k: SealingKey, purpose: string): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', k.key, Buffer.from(k.vaultId, 'utf8'), `clinic-host-sealed/${VERSION}/${purpose}`, 32));
}

function aad(k: SealingKey, purpose: string): Buffer {
  return Buffer.from(JSON.stringify([FORMAT, VERSION, k.vaultId, purpose]), 'utf8');
}

export function writeSealed(file: string, k: SealingKey, purpose: string, value: unknown): void {
  const key = derive(k, purpose);
  const nonce = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(aad(k, purpose));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  const body = {
    format: FORMAT,
    version: VERSION,
    nonce: nonce.toString('base64'),
    ciphertext: ciphertext.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
  };
  key.fill(0);
  writeFileAtomic(file, `${JSON.stringify(body)}\n`, 0o600);
}

/** undefined when the file does not exist; `corruptCode` when it does not open or its content fails `schema`. */
export function readSealed<T>(file: string, k: SealingKey, purpose: string, schema: z.ZodType<T>, corruptCode: string): T | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new AppError(corruptCode, undefined, { cause });
  }
  try {
    const sealed = SealedSchema.parse(JSON.parse(text));
    const key = derive(k, purpose);
    const decipher = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.nonce, 'base64'));
    decipher.setAAD(aad(k, purpose));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    const plain = Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]).toString('utf8');
    key.fill(0);
    return schema.parse(JSON.parse(plain));
  } catch (cause) {
    throw new AppError(corruptCode, undefined, { cause });
  }
}
