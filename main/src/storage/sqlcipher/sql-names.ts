import { AppError } from '../../../../shared/src/errors';

/**
 * Names become SQL identifiers. They come from code, not from users, but a table name is
 * built by concatenation, so anything outside this set is refused rather than escaped:
 * '/' is excluded so that the `<database>/<collection>__v<version>` mapping stays injective.
 */
const SAFE_NAME = /^[A-Za-z0-9_$.-]{1,128}$/;

export function assertSafeName(name: string): void {
  if (!SAFE_NAME.test(name)) {
    throw new AppError('STORAGE_INVALID_NAME', { name: name.slice(0, 80) });
  }
}

/** Double-quoted SQL identifier; doubling inner quotes keeps it safe whatever the input. */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export type TableNames = {
  readonly documents: string;
  readonly attachments: string;
};

export function tableNamesFor(
  databaseName: string,
  collectionName: string,
  schemaVersion: number,
): TableNames {
  assertSafeName(databaseName);
  assertSafeName(collectionName);
  if (!Number.isSafeInteger(schemaVersion) || schemaVersion < 0) {
    throw new AppError('STORAGE_INVALID_NAME', { name: `${collectionName} v${String(schemaVersion)}` });
  }
  const documents = `${databaseName}/${collectionName}__v${schemaVersion}`;
  return { documents, attachments: `${documents}/attachments` };
}

/**
 * How a primary key or attachment id is stored in a TEXT column. A JavaScript string may hold
 * lone surrogates, which UTF-8 cannot; what a driver writes for them is its own choice. The JSON
 * form escapes them and keeps every other character as it is, so the mapping is lossless and
 * a lookup of any JavaScript string finds exactly its own row, whatever the driver does.
 */
export function storedId(id: string): string {
  return JSON.stringify(id);
}
