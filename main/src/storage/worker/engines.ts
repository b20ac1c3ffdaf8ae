import type { RxStorage } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { openSqlCipher } from '../sqlcipher/connection';
import { getRxStorageSQLCipher } from '../sqlcipher';
import type { EngineSettings } from './protocol';

/** Opens the storage named by the settings, inside the worker. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function openEngine(settings: EngineSettings): Promise<RxStorage<any, any>> {
  switch (settings.engine) {
    case 'memory':
      return getRxStorageMemory();
    case 'sqlcipher': {
      const { filename, key, mustExist, cacheKiB } = settings;
      // The SQLCipher storage opens its file at the first createStorageInstance; opening it
      // once here makes a wrong key or a missing vault fail createWorkerRxStorage itself.
      openSqlCipher(filename, { key, ...(mustExist === undefined ? {} : { mustExist }) }).close();
      const storage = getRxStorageSQLCipher({
        filename,
        key,
        ...(mustExist === undefined ? {} : { mustExist }),
        ...(cacheKiB === undefined ? {} : { cacheKiB }),
      });
      // The storage keeps its own copy; this one came through postMessage and is not needed.
      key.fill(0);
      return storage;
    }
  }
}
