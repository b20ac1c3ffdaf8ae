export type { BackupHeader, BackupInfo, RestoreResult } from './backup';
export { backupVault, parseBackupHeader, restoreVault } from './backup';
export type { KeyFile, KeyWrap } from './key-file';
export { parseKeyFile } from './key-file';
export type { Argon2idParams } from './key-wrap';
export { DEFAULT_KDF, MIN_KDF } from './key-wrap';
export type { OsKeystore, SafeStorageLike } from './os-keystore';
export { createElectronKeystore } from './os-keystore';
export type { PassphraseStrength } from '../../../shared/src/security/passphrase-policy';
export {
  assertPassphraseAcceptable,
  estimatePassphraseStrength,
  PASSPHRASE_MIN_LENGTH,
} from '../../../shared/src/security/passphrase-policy';
export type { CreateVaultOptions, VaultOptions, VaultPaths, VaultStatus } from './vault';
export {
  createVault,
  inspectVault,
  unlockVault,
  unlockVaultWithKeystore,
  UnlockedVault,
  VAULT_FILES,
  vaultPaths,
} from './vault';
