export type { RxStorageSQLCipher, SQLCipherStorageSettings } from './rx-storage-sqlcipher';
export { getRxStorageSQLCipher, RX_STORAGE_NAME_SQLCIPHER } from './rx-storage-sqlcipher';
export type { SQLCipherInstanceOptions, SQLCipherInternals } from './rx-storage-instance-sqlcipher';
export { RxStorageInstanceSQLCipher } from './rx-storage-instance-sqlcipher';
export { isConnectionOpen } from './connection-pool';
