import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/src/errors';
import { createElectronKeystore } from './os-keystore';
import { createTestSafeStorage } from './test-support';

/*
 * Electron cannot run here: these tests drive the adapter over an object with safeStorage's
 * shape (test-support.ts) and check only the adapter's own logic.
 */
describe('createElectronKeystore', () => {
  it('round-trips bytes through safeStorage and names the Linux backend', async () => {
    const keystore = createElectronKeystore(createTestSafeStorage('gnome_libsecret'), 'linux');
    expect(keystore.backendName()).toBe('gnome_libsecret');
    expect(await keystore.isAvailable()).toBe(true);
    const secret = crypto.randomBytes(32);
    const blob = await keystore.encrypt(secret);
    expect(Buffer.from(blob).includes(secret)).toBe(false);
    expect(Buffer.from(blob).includes(Buffer.from(secret.toString('base64')))).toBe(false);
    const { plaintext, shouldReEncrypt } = await keystore.decrypt(blob);
    expect(Buffer.from(plaintext).equals(secret)).toBe(true);
    expect(shouldReEncrypt).toBe(false);
  });

  it.each(['basic_text', 'unknown'] as const)(
    'refuses the %s backend: unavailable, and encrypt/decrypt throw VAULT_KEYSTORE_INSECURE',
    async (backend) => {
      const safeStorage = createTestSafeStorage(backend);
      const keystore = createElectronKeystore(safeStorage, 'linux');
      expect(await keystore.isAvailable()).toBe(false);
      await expect(keystore.encrypt(new Uint8Array(32))).rejects.toMatchObject({
        code: 'VAULT_KEYSTORE_INSECURE',
        params: { backend },
      });
      await expect(keystore.decrypt(new Uint8Array(40))).rejects.toBeInstanceOf(AppError);
      expect(safeStorage.encryptCalls).toBe(0);
    },
  );

  it('refuses when safeStorage says encryption is unavailable', async () => {
    const safeStorage = createTestSafeStorage('kwallet5');
    safeStorage.available = false;
    const keystore = createElectronKeystore(safeStorage, 'linux');
    expect(await keystore.isAvailable()).toBe(false);
    await expect(keystore.encrypt(new Uint8Array(32))).rejects.toMatchObject({
      code: 'VAULT_KEYSTORE_UNAVAILABLE',
    });
    expect(safeStorage.encryptCalls).toBe(0);
  });

  it('on Windows and macOS names DPAPI / Keychain without asking for the Linux backend', async () => {
    const safeStorage = createTestSafeStorage('basic_text');
    safeStorage.getSelectedStorageBackend = () => {
      throw new Error('Linux only');
    };
    expect(createElectronKeystore(safeStorage, 'win32').backendName()).toBe('dpapi');
    expect(createElectronKeystore(safeStorage, 'darwin').backendName()).toBe('keychain');
    expect(await createElectronKeystore(safeStorage, 'win32').isAvailable()).toBe(true);
  });

  it('passes shouldReEncrypt through, and a blob from another keystore fails', async () => {
    const safeStorage = createTestSafeStorage();
    const keystore = createElectronKeystore(safeStorage, 'linux');
    const blob = await keystore.encrypt(new Uint8Array([1, 2, 3]));
    safeStorage.shouldReEncrypt = true;
    expect((await keystore.decrypt(blob)).shouldReEncrypt).toBe(true);
    await expect(createElectronKeystore(createTestSafeStorage(), 'linux').decrypt(blob)).rejects.toThrow();
  });
});
