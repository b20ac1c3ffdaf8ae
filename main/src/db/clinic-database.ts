import type { RxCollection, RxDatabase, RxStorage } from 'rxdb';
import { addRxPlugin, createRxDatabase } from 'rxdb';
import { RxDBAttachmentsPlugin } from 'rxdb/plugins/attachments';
import type { CollectionDocuments, CollectionName } from '../../../shared/src/schemas';
import { COLLECTIONS } from '../../../shared/src/schemas';

export type ClinicCollections = { [N in CollectionName]: RxCollection<CollectionDocuments[N]> };
export type ClinicDatabase = RxDatabase<ClinicCollections>;

export const CLINIC_DATABASE_NAME = 'clinic';

let pluginsAdded = false;
function addPlugins(): void {
  if (pluginsAdded) return;
  // Documents and DICOM instances keep their files as RxDB attachments, stored inside the
  // encrypted database by the SQLCipher storage.
  addRxPlugin(RxDBAttachmentsPlugin);
  pluginsAdded = true;
}

/**
 * The workstation's RxDatabase: one collection per entry of the shared registry, with the
 * RxDB schema derived from its zod schema. Validation of what is written happens in the
 * services (the one choke point that also checks permissions and writes the audit event),
 * so the storage is not wrapped in a second validator.
 */
export async function openClinicDatabase(
  // RxDB's storage types are generic over each storage's internals.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  storage: RxStorage<any, any>,
  options: { readonly name?: string } = {},
): Promise<ClinicDatabase> {
  addPlugins();
  const db = await createRxDatabase<ClinicCollections>({
    name: options.name ?? CLINIC_DATABASE_NAME,
    storage,
    // One process (Electron main) owns the vault; the single-instance lock guarantees it.
    multiInstance: false,
    eventReduce: true,
    ignoreDuplicate: false,
  });
  try {
    const creators = Object.fromEntries(
      Object.values(COLLECTIONS).map((entry) => [entry.name, { schema: entry.rxSchema }]),
    );
    await db.addCollections(creators as Parameters<ClinicDatabase['addCollections']>[0]);
  } catch (cause) {
    await db.close();
    throw cause;
  }
  return db;
}
