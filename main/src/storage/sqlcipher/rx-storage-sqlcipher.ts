import type { RxStorage, RxStorageInstanceCreationParams } from 'rxdb';
import { ensureRxStorageInstanceParamsAreCorrect, RXDB_VERSION } from 'rxdb';
import type { OpenSettings } from './connection-pool';
import { acquireConnection, releaseConnection } from './connection-pool';
import type { SQLCipherInstanceOptions, SQLCipherInternals } from './rx-storage-instance-sqlcipher';
import { RxStorageInstanceSQLCipher } from './rx-storage-instance-sqlcipher';
import { tableNamesFor } from './sql-names';
import { toStorageError } from './sqlite-errors';
import { buildLayout, ensureTables } from './table-layout';

export const RX_STORAGE_NAME_SQLCIPHER = 'sqlcipher';

export type SQLCipherStorageSettings = {
  /** The vault's database file: every collection of the vault lives in it. */
  readonly filename: string;
  /** Raw 256-bit key (32 bytes), derived by the vault. */
  readonly key: Uint8Array;
  /** Refuse to create the file: opening an existing vault must never start an empty one. */
  readonly mustExist?: boolean;
  /** SQLite page cache in KiB. */
  readonly cacheKiB?: number;
};

export type RxStorageSQLCipher = RxStorage<SQLCipherInternals, SQLCipherInstanceOptions> & {
  readonly settings: Readonly<Omit<SQLCipherStorageSettings, 'key'>>;
};

export function getRxStorageSQLCipher(settings: SQLCipherStorageSettings): RxStorageSQLCipher {
  // A copy, so a caller that wipes its key buffer after handing it over does not break later opens.
  const open: OpenSettings = { ...settings, key: new Uint8Array(settings.key) };
  return {
    name: RX_STORAGE_NAME_SQLCIPHER,
    rxdbVersion: RXDB_VERSION,
    settings: {
      filename: settings.filename,
      ...(settings.mustExist === undefined ? {} : { mustExist: settings.mustExist }),
      ...(settings.cacheKiB === undefined ? {} : { cacheKiB: settings.cacheKiB }),
    },
    async createStorageInstance<RxDocType>(
      params: RxStorageInstanceCreationParams<RxDocType, SQLCipherInstanceOptions>,
    ) {
      ensureRxStorageInstanceParamsAreCorrect(params);
      const tables = tableNamesFor(params.databaseName, params.collectionName, params.schema.version);
      const layout = buildLayout(params.schema, tables);
      const connection = acquireConnection(open);
      try {
        ensureTables(connection.db, layout);
        connection.removedTables.delete(tables.documents);
        return new RxStorageInstanceSQLCipher<RxDocType>(
          params.databaseName,
          params.collectionName,
          params.schema,
          params.options,
          connection,
          layout,
        );
      } catch (cause) {
        releaseConnection(connection);
        throw toStorageError(cause, 'STORAGE_OPEN_FAILED');
      }
    },
  };
}
