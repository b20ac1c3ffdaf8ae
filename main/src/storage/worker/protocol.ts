import type { ErrorParams } from '../../../../shared/src/errors';
import { AppError, isAppError } from '../../../../shared/src/errors';

/**
 * Codes this module raises itself. Their fr/de/en messages belong in
 * shared/src/errors/catalogue/storage.ts.
 */
export const WORKER_ERROR_CODES = {
  crashed: 'STORAGE_WORKER_CRASHED',
  startFailed: 'STORAGE_WORKER_START_FAILED',
  closed: 'STORAGE_CLOSED',
  operationFailed: 'STORAGE_OPERATION_FAILED',
} as const;

/** What the worker opens. `memory` is RxDB's memory storage: tests and benchmarks only. */
export type EngineSettings =
  | {
      readonly engine: 'sqlcipher';
      readonly filename: string;
      readonly key: Uint8Array;
      readonly mustExist?: boolean;
      readonly cacheKiB?: number;
    }
  | { readonly engine: 'memory' };

/** The storage-instance methods that cross the thread boundary. */
export const INSTANCE_METHODS = [
  'bulkWrite',
  'findDocumentsById',
  'query',
  'count',
  'getAttachmentData',
  'getChangedDocumentsSince',
  'cleanup',
  'close',
  'remove',
] as const;
export type InstanceMethod = (typeof INSTANCE_METHODS)[number];

export type OwnerToWorker =
  | { readonly type: 'init'; readonly settings: EngineSettings }
  | { readonly type: 'create'; readonly id: number; readonly params: unknown }
  | {
      readonly type: 'call';
      readonly id: number;
      readonly instanceId: number;
      readonly method: InstanceMethod;
      readonly args: readonly unknown[];
    }
  | { readonly type: 'shutdown' };

export type WorkerToOwner =
  | { readonly type: 'ready' }
  | { readonly type: 'init-failed'; readonly error: WireError }
  | { readonly type: 'result'; readonly id: number; readonly value: unknown }
  | { readonly type: 'failed'; readonly id: number; readonly error: WireError }
  | {
      readonly type: 'changes';
      readonly instanceId: number;
      readonly bulk: ChangeBulkWire;
      /** Events whose document is the one the owner sent: [event index, call id, row index]. */
      readonly refs?: readonly (readonly [number, number, number])[];
    }
  | { readonly type: 'shutdown-done' };

/** The parts of an RxDB EventBulk this module touches; the rest passes through. */
export type ChangeBulkWire = { readonly events: { documentData?: unknown }[] };

/**
 * An error as it crosses the thread boundary: structured clone drops the AppError class,
 * so the code and params travel as data and the owner rebuilds the AppError. `detail`
 * keeps the name and message of a foreign error (SQLite, RxDB) for the logs only.
 */
export type WireError = {
  readonly code: string;
  readonly params?: ErrorParams;
  readonly detail?: { readonly name: string; readonly message: string };
};

const MAX_DETAIL_CHARS = 300;

function looksLikeAppError(error: unknown): error is { code: string; params?: ErrorParams } {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { name?: unknown }).name === 'AppError' &&
    typeof (error as { code?: unknown }).code === 'string'
  );
}

export function toWireError(error: unknown, operation: string): WireError {
  if (isAppError(error) || looksLikeAppError(error)) {
    return error.params ? { code: error.code, params: error.params } : { code: error.code };
  }
  const e = error instanceof Error ? error : new Error(String(error));
  // RxDB messages can embed the parameters of the failed call, i.e. patient documents;
  // only the RxDB error code is kept for those.
  const rxdbCode = (e as { rxdb?: unknown; code?: unknown }).rxdb === true ? (e as { code?: unknown }).code : undefined;
  const message = typeof rxdbCode === 'string' ? `RxDB error ${rxdbCode}` : e.message.slice(0, MAX_DETAIL_CHARS);
  return {
    code: WORKER_ERROR_CODES.operationFailed,
    params: { operation },
    detail: { name: e.name, message },
  };
}

export function fromWireError(wire: WireError): AppError {
  const cause = wire.detail ? Object.assign(new Error(wire.detail.message), { name: wire.detail.name }) : undefined;
  return new AppError(wire.code, wire.params, cause ? { cause } : undefined);
}
