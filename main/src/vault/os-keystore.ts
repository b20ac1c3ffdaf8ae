import type { SafeStorage } from 'electron';
import { AppError } from '../../../shared/src/errors';

/**
 * An operating-system secret store that encrypts small blobs for the current user on this
 * machine (DPAPI, macOS Keychain, libsecret, KWallet). The vault never stores its key in
 * it directly: the keystore protects a random key-encryption key (see key-file.ts).
 */
export type OsKeystore = {
  /** Short name of the backend, stored beside the wrap so a failing unlock can be explained. */
  backendName(): string;
  /** False when the keystore cannot encrypt right now or would only pretend to (plaintext backends). */
  isAvailable(): Promise<boolean>;
  encrypt(plaintext: Uint8Array): Promise<Uint8Array>;
  /** Throws when the blob was not made by this keystore for this user. `shouldReEncrypt` asks for a fresh blob. */
  decrypt(blob: Uint8Array): Promise<{ plaintext: Uint8Array; shouldReEncrypt: boolean }>;
};

/** The part of Electron's `safeStorage` the adapter uses (the async API: the sync one is deprecated in the Electron this project uses). */
export type SafeStorageLike = Pick<
  SafeStorage,
  'isAsyncEncryptionAvailable' | 'encryptStringAsync' | 'decryptStringAsync' | 'getSelectedStorageBackend'
>;

/**
 * Backends that do not protect anything: `basic_text` is Chromium's Linux fallback with a
 * hard-coded key, and `unknown` is what Electron answers before `ready`, when it cannot say.
 */
export const INSECURE_BACKENDS: ReadonlySet<string> = new Set(['basic_text', 'unknown']);

export function electronBackendName(safeStorage: SafeStorageLike, platform: NodeJS.Platform): string {
  if (platform === 'win32') return 'dpapi';
  if (platform === 'darwin') return 'keychain';
  return safeStorage.getSelectedStorageBackend();
}

/**
 * Adapts Electron's `safeStorage` (passed in, so this file runs without Electron). Binary
 * data crosses as base64 because safeStorage only takes strings; those intermediate
 * strings cannot be zeroed, which is why only a wrapping key, never the database key, goes
 * through it.
 */
export function createElectronKeystore(
  safeStorage: SafeStorageLike,
  platform: NodeJS.Platform = process.platform,
): OsKeystore {
  const backendName = (): string => electronBackendName(safeStorage, platform);
  const refuseInsecure = (): void => {
    const backend = backendName();
    if (INSECURE_BACKENDS.has(backend)) throw new AppError('VAULT_KEYSTORE_INSECURE', { backend });
  };
  return {
    backendName,
    async isAvailable() {
      if (INSECURE_BACKENDS.has(backendName())) return false;
      try {
        return await safeStorage.isAsyncEncryptionAvailable();
      } catch {
        return false;
      }
    },
    async encrypt(plaintext) {
      refuseInsecure();
      if (!(await safeStorage.isAsyncEncryptionAvailable())) throw new AppError('VAULT_KEYSTORE_UNAVAILABLE');
      const blob = await safeStorage.encryptStringAsync(Buffer.from(plaintext).toString('base64'));
      return new Uint8Array(blob);
    },
    async decrypt(blob) {
      refuseInsecure();
      if (!(await safeStorage.isAsyncEncryptionAvailable())) throw new AppError('VAULT_KEYSTORE_UNAVAILABLE');
      const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(Buffer.from(blob));
      return { plaintext: new Uint8Array(Buffer.from(result, 'base64')), shouldReEncrypt };
    },
  };
}
