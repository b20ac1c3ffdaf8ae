import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../../shared/src/errors';
import { COLLECTIONS } from '../../../shared/src/schemas';
import type { PullResponse, StreamEventName } from '../../../shared/src/sync/protocol';
import {
  CollectionNameSchema,
  ErrorResponseSchema,
  PullRequestSchema,
  PullResponseSchema,
  PushRequestSchema,
  PushResponseSchema,
  RevocationsRequestSchema,
  RevocationsResponseSchema,
  SYNC_API_PREFIX,
} from '../../../shared/src/sync/protocol';
import type { Principal } from '../types';
import type { LiveHub } from './live';
import { auditRead } from './read-audit';
import type { ReplicationDeps } from './repository';
import { pullResponseJson, pushRows, readDocumentRows, readRevocations } from './repository';
import { SECURITY_HEADERS } from '../http/security';

export type ReplicationRouteOptions = {
  readonly deps: ReplicationDeps;
  readonly hub: LiveHub;
  readonly authenticate: preHandlerAsyncHookHandler;
  readonly maxStreams: number;
  readonly heartbeatMs: number;
  readonly streamMaxAgeMs: number;
  /**
   * Whether the credentials that opened a stream still hold (checked at every heartbeat),
   * so a logged-out, disabled or expired session stops receiving changes.
   */
  readonly stillValid?: (request: FastifyRequest) => Promise<boolean>;
  /** Patients a user lost since a checkpoint; the access module's when it has one. */
  readonly revocations?: (principal: Principal, after: number) => Promise<{ patientIds: string[]; checkpoint: { sequence: number } }>;
};

export const REPLICATION_PATHS = {
  pull: `${SYNC_API_PREFIX}/replication/:collection/pull`,
  push: `${SYNC_API_PREFIX}/replication/:collection/push`,
  stream: `${SYNC_API_PREFIX}/replication/stream`,
  revocations: `${SYNC_API_PREFIX}/access/revocations`,
} as const;

const CollectionParamsSchema = z.strictObject({ collection: CollectionNameSchema });

const errorResponses = {
  400: ErrorResponseSchema,
  401: ErrorResponseSchema,
  403: ErrorResponseSchema,
  404: ErrorResponseSchema,
  413: ErrorResponseSchema,
  415: ErrorResponseSchema,
  500: ErrorResponseSchema,
  503: ErrorResponseSchema,
};

function principalOf(request: FastifyRequest): Principal {
  const principal = (request as { principal?: Principal }).principal;
  if (!principal) throw new AppError('SYNC_UNAUTHENTICATED');
  return principal;
}

export async function registerReplicationRoutes(app: FastifyInstance, options: ReplicationRouteOptions): Promise<void> {
  const { deps, hub, authenticate } = options;
  const { engine, access, audit, clock } = deps;
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const security = [{ bearerAuth: [] }];

  typed.post(
    REPLICATION_PATHS.pull,
    {
      preHandler: authenticate,
      schema: {
        summary: 'Documents of a collection changed after a checkpoint, filtered by what the user may read',
        tags: ['replication'],
        security,
        params: CollectionParamsSchema,
        body: PullRequestSchema,
        response: { 200: PullResponseSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { collection } = request.params;
      if (COLLECTIONS[collection].pushOnly) throw new AppError('SYNC_COLLECTION_PUSH_ONLY', { collection });
      const scope = access.readScope(principal);
      const nowIso = new Date(clock()).toISOString();
      const after = request.body.checkpoint?.sequence ?? 0;
      const result = await engine.transaction(async (tx) => {
        const read = await readDocumentRows(tx, principal, scope, collection, { after, limit: request.body.batchSize }, nowIso);
        await auditRead(tx, audit, clock, principal, collection, read.rows.length, read.patientIds, 'pull');
        return read;
      });
      // Sent as text built from the stored rows (see pullResponseJson): PullResponseSchema
      // describes it; the documents were checked by their collection's schema when written.
      void reply.type('application/json; charset=utf-8');
      return pullResponseJson(result) as unknown as PullResponse;
    },
  );

  typed.post(
    REPLICATION_PATHS.push,
    {
      preHandler: authenticate,
      schema: {
        summary: 'Writes rows; answers the master state of conflicting rows and the rejected rows with a code',
        tags: ['replication'],
        security,
        params: CollectionParamsSchema,
        body: PushRequestSchema,
        response: { 200: PushResponseSchema, ...errorResponses },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const result = await pushRows(deps, principal, request.params.collection, request.body.rows);
      return { conflicts: result.conflicts, rejected: result.rejected };
    },
  );

  typed.post(
    REPLICATION_PATHS.revocations,
    {
      preHandler: authenticate,
      schema: {
        summary: 'Patients the user lost access to since a checkpoint (the workstation purges its copies)',
        tags: ['replication'],
        security,
        body: RevocationsRequestSchema,
        response: { 200: RevocationsResponseSchema, ...errorResponses },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const after = request.body.checkpoint?.sequence ?? 0;
      if (options.revocations) return options.revocations(principal, after);
      return readRevocations(engine, principal, after, new Date(clock()).toISOString());
    },
  );

  typed.get(
    REPLICATION_PATHS.stream,
    {
      preHandler: authenticate,
      schema: {
        summary:
          'Server-Sent Events: `resync` first on every connection, then `change` (StreamChange) and `access` events',
        tags: ['replication'],
        security,
        produces: ['text/event-stream'],
        response: { 200: z.string().describe('text/event-stream'), ...errorResponses },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      if (hub.size >= options.maxStreams) throw new AppError('SYNC_TOO_MANY_STREAMS', { limit: options.maxStreams });
      openStream(request, reply, principal, options);
      return reply;
    },
  );
}

function openStream(request: FastifyRequest, reply: FastifyReply, principal: Principal, options: ReplicationRouteOptions): void {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    ...SECURITY_HEADERS,
    'content-type': 'text/event-stream; charset=utf-8',
    // The socket ends with the stream, so a shutdown never waits for an idle keep-alive.
    connection: 'close',
    'x-accel-buffering': 'no',
  });
  let open = true;
  const write = (chunk: string) => {
    if (open && !raw.destroyed) raw.write(chunk);
  };
  const send = (event: StreamEventName, data: unknown) => write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  // Tells the client to pull before trusting the stream (RxDB's 'RESYNC'): whatever it
  // missed while disconnected is fetched by checkpoint.
  write('retry: 2000\n\n');
  send('resync', {});
  const heartbeat = setInterval(() => {
    write(': keep-alive\n\n');
    options.stillValid?.(request).then(
      (valid) => {
        if (!valid) close();
      },
      () => close(),
    );
  }, options.heartbeatMs);
  heartbeat.unref();
  const close = () => {
    if (!open) return;
    open = false;
    clearInterval(heartbeat);
    clearTimeout(maxAge);
    remove();
    raw.end();
  };
  const maxAge = setTimeout(close, options.streamMaxAgeMs);
  maxAge.unref();
  const remove = options.hub.add({ principal, send, close });
  request.raw.on('close', close);
  raw.on('error', close);
  request.log.info({ userId: principal.userId }, 'stream opened');
}
