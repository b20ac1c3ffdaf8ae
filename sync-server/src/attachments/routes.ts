import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, isAppError } from '../../../shared/src/errors';
import {
  ATTACHMENT_API_PATHS,
  ATTACHMENT_CHUNK_BYTES,
  ATTACHMENT_DIGEST_HEADER,
  AttachmentChunkParamsSchema,
  AttachmentChunkQuerySchema,
  AttachmentChunkResponseSchema,
  AttachmentFileParamsSchema,
  AttachmentStatusRequestSchema,
  AttachmentStatusResponseSchema,
} from '../../../shared/src/sync/attachments-protocol';
import { ErrorResponseSchema } from '../../../shared/src/sync/protocol';
import { SECURITY_HEADERS } from '../http/security';
import type { Principal } from '../types';
import type { AttachmentStore } from './store';

/** HTTP status of the attachment codes (answered by these routes themselves). */
const STATUS: Readonly<Record<string, number>> = {
  SYNC_ATTACHMENT_UNKNOWN: 404,
  SYNC_ATTACHMENT_NOT_UPLOADED: 404,
  SYNC_ATTACHMENT_OFFSET: 409,
  SYNC_ATTACHMENT_TOO_LARGE: 413,
  SYNC_ATTACHMENT_DIGEST: 422,
};

export function attachmentErrorStatus(code: string): number | undefined {
  return STATUS[code];
}

const errors = { 400: ErrorResponseSchema, 401: ErrorResponseSchema, 403: ErrorResponseSchema, 404: ErrorResponseSchema, 409: ErrorResponseSchema, 413: ErrorResponseSchema, 422: ErrorResponseSchema, 500: ErrorResponseSchema };
const security = [{ bearerAuth: [] }];

function principalOf(request: FastifyRequest): Principal {
  const p = (request as { principal?: Principal }).principal;
  if (!p) throw new AppError('SYNC_UNAUTHENTICATED');
  return p;
}

/** Our codes answered here with their status; anything else goes to the server's error handler. */
async function answering<T>(reply: FastifyReply, work: () => Promise<T>): Promise<T | FastifyReply> {
  try {
    return await work();
  } catch (error) {
    const status = isAppError(error) ? STATUS[error.code] : undefined;
    if (isAppError(error) && status !== undefined) {
      return reply.code(status).type('application/json; charset=utf-8').send(error.params ? { code: error.code, params: { ...error.params } } : { code: error.code });
    }
    throw error;
  }
}

/**
 * Upload in chunks (resumable: the status says how many bytes the server holds), download
 * whole as a stream. In their own plugin scope: the raw octet-stream body parser, with the
 * chunk limit as body limit, applies to these routes only.
 */
export async function registerAttachmentRoutes(app: FastifyInstance, options: { readonly store: AttachmentStore; readonly authenticate: preHandlerAsyncHookHandler }): Promise<void> {
  const { store, authenticate } = options;
  await app.register(async (scope) => {
    scope.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: ATTACHMENT_CHUNK_BYTES }, (_request, body, done) => done(null, body));
    const typed = scope.withTypeProvider<ZodTypeProvider>();

    typed.post(
      ATTACHMENT_API_PATHS.status,
      {
        preHandler: authenticate,
        schema: {
          summary: 'Where files of documents stand on the server (complete, partial with the bytes received, missing, refused), before an upload',
          tags: ['attachments'],
          security,
          body: AttachmentStatusRequestSchema,
          response: { 200: AttachmentStatusResponseSchema, ...errors },
        },
      },
      async (request) => ({ items: await store.status(principalOf(request), request.body.items) }),
    );

    typed.put(
      ATTACHMENT_API_PATHS.chunk,
      {
        preHandler: authenticate,
        bodyLimit: ATTACHMENT_CHUNK_BYTES,
        schema: {
          summary: 'One chunk of a file (application/octet-stream) at the offset the server holds; the last one is checked against the digest',
          tags: ['attachments'],
          security,
          params: AttachmentChunkParamsSchema,
          querystring: AttachmentChunkQuerySchema,
          response: { 200: AttachmentChunkResponseSchema, ...errors },
        },
      },
      async (request, reply) =>
        answering(reply, async () => {
          const body = request.body;
          if (!(body instanceof Uint8Array)) throw new AppError('SYNC_UNSUPPORTED_MEDIA_TYPE');
          return store.putChunk(principalOf(request), request.params, request.query, body);
        }),
    );

    typed.get(
      ATTACHMENT_API_PATHS.file,
      {
        preHandler: authenticate,
        schema: {
          summary: 'A complete file, streamed; its digest in x-attachment-digest (the workstation checks it)',
          tags: ['attachments'],
          security,
          params: AttachmentFileParamsSchema,
          produces: ['application/octet-stream'],
          response: { 200: z.string().describe('the file'), ...errors },
        },
      },
      async (request, reply) =>
        answering(reply, async () => {
          const target = await store.openDownload(principalOf(request), request.params);
          reply.hijack();
          const raw = reply.raw;
          raw.writeHead(200, {
            ...SECURITY_HEADERS,
            'content-type': target.contentType,
            'content-length': String(target.length),
            'cache-control': 'no-store',
            [ATTACHMENT_DIGEST_HEADER]: target.digest,
          });
          try {
            for await (const chunk of target.chunks()) {
              if (raw.destroyed) break;
              if (!raw.write(chunk)) await new Promise<void>((resolve) => raw.once('drain', () => resolve()));
            }
            raw.end();
          } catch {
            // Headers are gone: the client sees a short body and checks the digest anyway.
            raw.destroy();
          }
          return reply;
        }),
    );
  });
}
