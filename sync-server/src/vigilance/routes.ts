import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ErrorResponseSchema } from '../../../shared/src/sync/protocol';
import {
  BreakGlassReviewListQuerySchema,
  BreakGlassReviewListResponseSchema,
  BreakGlassReviewParamsSchema,
  BreakGlassReviewRequestSchema,
  MergeListQuerySchema,
  MergeListResponseSchema,
  MergeRequestSchema,
  PatientMergeSchema,
  ReviewedBreakGlassSchema,
  UnmergeParamsSchema,
  VIGILANCE_API_PATHS,
} from '../../../shared/src/sync/vigilance-protocol';
import type { Principal } from '../types';
import type { VigilanceService } from './service';

/** HTTP status of the vigilance codes, for the server's error handler. */
const STATUS: Readonly<Record<string, number>> = {
  IDENTITY_MERGE_SAME_PATIENT: 400,
  IDENTITY_MERGE_PATIENT_NOT_FOUND: 404,
  IDENTITY_MERGE_ALREADY_MERGED: 409,
  IDENTITY_MERGE_FORBIDDEN: 403,
  IDENTITY_MERGE_NOT_FOUND: 404,
  IDENTITY_MERGE_ALREADY_UNDONE: 409,
  BREAK_GLASS_NOT_FOUND: 404,
  BREAK_GLASS_ALREADY_REVIEWED: 409,
};

export function vigilanceErrorStatus(code: string): number | undefined {
  return STATUS[code];
}

const errors = { 400: ErrorResponseSchema, 401: ErrorResponseSchema, 403: ErrorResponseSchema, 404: ErrorResponseSchema, 409: ErrorResponseSchema, 500: ErrorResponseSchema };
const security = [{ bearerAuth: [] }];

function principalOf(request: FastifyRequest): Principal {
  const p = (request as { principal?: Principal }).principal;
  if (!p) throw new Error('authenticate preHandler missing');
  return p;
}

function requireRoles(...roles: Principal['role'][]): preHandlerAsyncHookHandler {
  return async function requireRolesPreHandler(request, reply: FastifyReply) {
    const principal = (request as { principal?: Principal }).principal;
    if (!principal) {
      await reply.code(401).send({ code: 'AUTH_TOKEN_MISSING' });
      return reply;
    }
    if (!roles.includes(principal.role)) {
      await reply.code(403).send({ code: roles.includes('dpo') ? 'AUDIT_FORBIDDEN' : 'IDENTITY_MERGE_FORBIDDEN' });
      return reply;
    }
  };
}

/**
 * Break-the-glass review (DPO) and identity merges (a practitioner with access to both
 * patients, or a secretary). Reads of the review list are recorded by the audit module's
 * conventions: a DPO's review is appended to the log; merges and unmerges too (service).
 */
export function registerVigilanceRoutes(
  app: FastifyInstance,
  deps: { readonly service: VigilanceService; readonly authenticate: preHandlerAsyncHookHandler },
): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const { service, authenticate } = deps;
  const dpo = [authenticate, requireRoles('dpo')];
  const identity = [authenticate, requireRoles('practitioner', 'secretary')];

  typed.get(
    VIGILANCE_API_PATHS.breakGlass,
    {
      preHandler: dpo,
      schema: {
        summary: 'Break-the-glass accesses with their review (DPO); pending ones by default',
        tags: ['audit'],
        security,
        querystring: BreakGlassReviewListQuerySchema,
        response: { 200: BreakGlassReviewListResponseSchema, ...errors },
      },
    },
    async (request) => ({ entries: await service.listBreakGlass(request.query.status, request.query.limit) }),
  );

  typed.post(
    VIGILANCE_API_PATHS.breakGlassReview,
    {
      preHandler: dpo,
      schema: {
        summary: 'Marks a break-the-glass access reviewed, with a comment (DPO; audited)',
        tags: ['audit'],
        security,
        params: BreakGlassReviewParamsSchema,
        body: BreakGlassReviewRequestSchema,
        response: { 200: ReviewedBreakGlassSchema, ...errors },
      },
    },
    async (request) => service.reviewBreakGlass(principalOf(request), request.params.breakGlassId, request.body.comment),
  );

  typed.get(
    VIGILANCE_API_PATHS.merges,
    {
      preHandler: identity,
      schema: {
        summary: 'Identity merges of the patients this user may see (optionally of one patient)',
        tags: ['identity'],
        security,
        querystring: MergeListQuerySchema,
        response: { 200: MergeListResponseSchema, ...errors },
      },
    },
    async (request) => ({ merges: await service.listMerges(principalOf(request), request.query.patientId) }),
  );

  typed.post(
    VIGILANCE_API_PATHS.merges,
    {
      preHandler: identity,
      schema: {
        summary: "Merges two patient identities: the merged patient's documents move to the survivor (audited, reversible)",
        tags: ['identity'],
        security,
        body: MergeRequestSchema,
        response: { 200: PatientMergeSchema, ...errors },
      },
    },
    async (request) => service.merge(principalOf(request), request.body),
  );

  typed.post(
    VIGILANCE_API_PATHS.unmerge,
    {
      preHandler: identity,
      schema: {
        summary: 'Undoes a merge: the moved documents go back, the merged identity is restored (audited)',
        tags: ['identity'],
        security,
        params: UnmergeParamsSchema,
        response: { 200: PatientMergeSchema, ...errors },
      },
    },
    async (request) => service.unmerge(principalOf(request), request.params.mergeId),
  );
}
