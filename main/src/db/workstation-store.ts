import type { UnlockedVault } from '../vault';
import type { WorkerEntry, WorkerRxStorage } from '../storage/worker';
import { createWorkerRxStorage } from '../storage/worker';
import type { ClinicDatabase } from './clinic-database';
import { openClinicDatabase } from './clinic-database';

export type WorkstationStore = {
  readonly db: ClinicDatabase;
  readonly vault: UnlockedVault;
  /** Closes the database, then the storage worker once its writes are committed. Idempotent. */
  close(): Promise<void>;
};

/**
 * Opens the clinic database of an unlocked vault: the SQLCipher storage runs in a worker
 * thread (so heavy writes never stall the process that owns the UI) and the RxDatabase on
 * top of it here. Locking the vault closes the store first, then wipes the key.
 */
export async function openWorkstationStore(
  vault: UnlockedVault,
  options: { readonly entry?: WorkerEntry; readonly startTimeoutMs?: number; readonly cacheKiB?: number } = {},
): Promise<WorkstationStore> {
  const worker: WorkerRxStorage = await createWorkerRxStorage({
    engine: 'sqlcipher',
    filename: vault.databasePath,
    key: vault.key,
    mustExist: true,
    ...options,
  });
  let db: ClinicDatabase;
  try {
    db = await openClinicDatabase(worker.storage);
  } catch (cause) {
    await worker.close().catch(() => undefined);
    throw cause;
  }
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      unregister();
      try {
        await db.close();
      } finally {
        await worker.close();
      }
    })());
  const unregister = vault.onLock(close);
  return { db, vault, close };
}
