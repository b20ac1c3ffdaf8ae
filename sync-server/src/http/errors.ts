import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { isAppError } from '../../../shared/src/errors';
import type { ErrorResponse } from '../../../shared/src/sync/protocol';
import { MAX_PUSH_BATCH } from '../../../shared/src/sync/protocol';

const SYNC_STATUS: Readonly<Record<string, number>> = {
  SYNC_BODY_TOO_LARGE: 413,
  SYNC_BATCH_TOO_LARGE: 413,
  SYNC_UNSUPPORTED_MEDIA_TYPE: 415,
  SYNC_NOT_FOUND: 404,
  SYNC_METHOD_NOT_ALLOWED: 405,
  SYNC_SHUTTING_DOWN: 503,
  SYNC_DATABASE_UNAVAILABLE: 503,
  SYNC_TOO_MANY_STREAMS: 503,
  SYNC_UNAUTHENTICATED: 401,
  SYNC_INTERNAL_ERROR: 500,
};

/** Status codes of other modules' codes, supplied by them (identity: AUTH_*, ACCESS_*). */
export type StatusOf = (code: string) => number | undefined;

export function statusOfCode(code: string, others: readonly StatusOf[] = []): number {
  const own = SYNC_STATUS[code];
  if (own !== undefined) return own;
  for (const other of others) {
    const status = other(code);
    if (status !== undefined) return status;
  }
  return 400;
}

function issuePath(path: readonly PropertyKey[] | undefined): string {
  const joined = (path ?? []).map(String).join('.');
  return joined === '' ? '(body)' : joined.slice(0, 200);
}

/**
 * The database cannot answer right now (connection refused or cut, server shutting down,
 * SQLite file locked): the client should retry, nothing was written.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code !== 'string') {
    const message = (error as { message?: unknown } | undefined)?.message;
    return typeof message === 'string' && /Connection terminated|connection timeout|Client has encountered a connection error|Cannot use a pool after calling end/i.test(message);
  }
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'SQLITE_BUSY', 'SQLITE_LOCKED'].includes(code) ||
    code.startsWith('08') ||
    ['57P01', '57P02', '57P03', '53300'].includes(code)
  );
}

/** Maps every error to `{ code, params? }` and a status; never a stack, a message or a value. */
export function toErrorResponse(error: unknown, bodyLimit: number, others: readonly StatusOf[] = []): { status: number; body: ErrorResponse } {
  if (isAppError(error)) {
    return {
      status: statusOfCode(error.code, others),
      body: error.params ? { code: error.code, params: { ...error.params } } : { code: error.code },
    };
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const first = error.validation[0];
    const where = first?.instancePath.replace(/^\//, '').replaceAll('/', '.') ?? '';
    const context = (error as { validationContext?: string }).validationContext ?? 'body';
    if (context === 'body' && where === 'rows' && first?.keyword === 'too_big') {
      return { status: 413, body: { code: 'SYNC_BATCH_TOO_LARGE', params: { limit: MAX_PUSH_BATCH } } };
    }
    if (context === 'params' && where === 'collection') {
      return { status: 404, body: { code: 'SYNC_COLLECTION_UNKNOWN', params: { collection: '?' } } };
    }
    return { status: 400, body: { code: 'SYNC_BODY_INVALID', params: { path: `${context}:${issuePath(where.split('.'))}` } } };
  }
  if (isResponseSerializationError(error)) return { status: 500, body: { code: 'SYNC_INTERNAL_ERROR' } };
  const code = (error as FastifyError | undefined)?.code;
  switch (code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, body: { code: 'SYNC_BODY_TOO_LARGE', params: { limit: bodyLimit } } };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
        ? { status: 415, body: { code: 'SYNC_UNSUPPORTED_MEDIA_TYPE' } }
        : { status: 400, body: { code: 'SYNC_BODY_INVALID', params: { path: '(body)' } } };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_TYPE':
    case 'FST_ERR_CTP_INVALID_TYPE':
      return { status: 400, body: { code: 'SYNC_BODY_INVALID', params: { path: '(body)' } } };
    default:
      break;
  }
  if (isDatabaseUnavailable(error)) return { status: 503, body: { code: 'SYNC_DATABASE_UNAVAILABLE' } };
  const status = (error as { statusCode?: unknown } | undefined)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return { status, body: { code: status === 404 ? 'SYNC_NOT_FOUND' : 'SYNC_BODY_INVALID', params: { path: '(request)' } } };
  }
  return { status: 500, body: { code: 'SYNC_INTERNAL_ERROR' } };
}

export function registerErrorHandling(app: FastifyInstance, bodyLimit: number, others: readonly StatusOf[] = []): void {
  app.setErrorHandler((error, request, reply) => {
    const { status, body } = toErrorResponse(error, bodyLimit, others);
    if (status >= 500) {
      // Only the error's class, code and stack: messages of driver errors can quote values.
      const e = error as { name?: unknown; code?: unknown; stack?: unknown };
      request.log.error({ errName: e.name, errCode: e.code, stack: typeof e.stack === 'string' ? e.stack.split('\n').slice(1).join('\n') : undefined }, 'request failed');
    } else {
      request.log.info({ code: body.code, status }, 'request refused');
    }
    void reply.code(status).type('application/json; charset=utf-8').send(body);
  });
  app.setNotFoundHandler((_request, reply) => {
    void reply.code(404).type('application/json; charset=utf-8').send({ code: 'SYNC_NOT_FOUND' });
  });
}
