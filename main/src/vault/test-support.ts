/* eslint-disable security/detect-non-literal-fs-filename -- every path here comes from mkdtempSync */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DecryptStringAsyncReturnValue } from 'electron';
import { MIN_KDF } from './key-wrap';
import type { SafeStorageLike } from './os-keystore';
import type { VaultOptions } from './vault';

/** Shared by the tests of this folder only; nothing in the app imports it. */

export const PASSPHRASE = 'cheval agrafe pile correcte';
export const OTHER_PASSPHRASE = 'lanterne violette sous la pluie';

/** The OWASP floor: the real Argon2id, at the cheapest cost the vault accepts, to keep tests fast. */
export const FAST: VaultOptions = { kdf: MIN_KDF };

export function tempDir(prefix = 'vault-test-'): { readonly dir: string; cleanup(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** sha256 of every file under `dir` (recursively), keyed by relative path: "nothing changed" is an equal map. */
export function snapshotTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else
        out[path.relative(dir, full)] = crypto
          .createHash('sha256')
          .update(fs.readFileSync(full))
          .digest('hex');
    }
  };
  walk(dir);
  return out;
}

export function without(tree: Record<string, string>, ...names: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(tree).filter(([name]) => !names.includes(name)));
}

export type TestSafeStorage = SafeStorageLike & {
  backend: ReturnType<SafeStorageLike['getSelectedStorageBackend']>;
  available: boolean;
  shouldReEncrypt: boolean;
  encryptCalls: number;
};

/**
 * An object with the shape of Electron's `safeStorage`, for tests only (Electron cannot run
 * here). It really encrypts: AES-256-GCM under a key that lives only in this object, the way
 * Chromium's OSCrypt holds the key it got from the OS. Another instance, like another
 * machine or user session, cannot decrypt its blobs.
 */
export function createTestSafeStorage(
  backend: TestSafeStorage['backend'] = 'gnome_libsecret',
): TestSafeStorage {
  const secret = crypto.randomBytes(32);
  const store: TestSafeStorage = {
    backend,
    available: true,
    shouldReEncrypt: false,
    encryptCalls: 0,
    getSelectedStorageBackend: () => store.backend,
    isAsyncEncryptionAvailable: async () => store.available,
    async encryptStringAsync(plainText: string): Promise<Buffer> {
      store.encryptCalls++;
      const nonce = crypto.randomBytes(12);
      const cipher = crypto.createCipheriv('aes-256-gcm', secret, nonce);
      const body = Buffer.concat([cipher.update(plainText, 'utf8'), cipher.final()]);
      return Buffer.concat([Buffer.from('v11'), nonce, cipher.getAuthTag(), body]);
    },
    async decryptStringAsync(encrypted: Buffer): Promise<DecryptStringAsyncReturnValue> {
      if (!encrypted.subarray(0, 3).equals(Buffer.from('v11')))
        throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      const decipher = crypto.createDecipheriv('aes-256-gcm', secret, encrypted.subarray(3, 15));
      decipher.setAuthTag(encrypted.subarray(15, 31));
      const result = Buffer.concat([decipher.update(encrypted.subarray(31)), decipher.final()]).toString(
        'utf8',
      );
      return { result, shouldReEncrypt: store.shouldReEncrypt };
    },
  };
  return store;
}
