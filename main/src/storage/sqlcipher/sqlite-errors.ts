import { AppError } from '../../../../shared/src/errors';

/**
 * Turns a SQLite failure into the error a user can meet. An AppError passes through; a
 * failure that is not from SQLite (a bug of ours or RxDB's) is rethrown unchanged, so that it
 * is not disguised as a disk problem.
 */
export function toStorageError(
  cause: unknown,
  fallback: 'STORAGE_WRITE_FAILED' | 'STORAGE_READ_FAILED' | 'STORAGE_OPEN_FAILED',
): unknown {
  if (cause instanceof AppError) return cause;
  const code = (cause as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return cause;
  if (code === 'SQLITE_FULL') return new AppError('STORAGE_DISK_FULL', undefined, { cause });
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new AppError('STORAGE_BUSY', undefined, { cause });
  }
  if (code.startsWith('SQLITE_READONLY')) return new AppError('STORAGE_READ_ONLY', undefined, { cause });
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') {
    return new AppError('STORAGE_WRONG_KEY_OR_CORRUPT', undefined, { cause });
  }
  if (code.startsWith('SQLITE_IOERR')) return new AppError('STORAGE_IO_ERROR', undefined, { cause });
  return new AppError(fallback, undefined, { cause });
}
