import type { FastifyInstance, preHandlerAsyncHookHandler } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ErrorResponseSchema } from '../../../shared/src/sync/protocol';
import {
  ErasureRequestInputSchema,
  ErasureRequestListSchema,
  ErasureRequestSchema,
  ExpiredListSchema,
  PatientParamsSchema,
  PatientRightsStatusSchema,
  ReasonSchema,
  RectificationInputSchema,
  RectificationListSchema,
  RegisterQuerySchema,
  RegisterResponseSchema,
  RestrictionSchema,
  RIGHTS_ENDPOINTS,
  RightsStateSchema,
} from '../../../shared/src/sync/rights-protocol';
import { requirePrincipal, requireRole } from '../auth/authenticate';
import type { RightsService } from './rights-service';

export const RIGHTS_ERROR_STATUS: Readonly<Record<string, number>> = {
  RIGHTS_FORBIDDEN: 403,
  RIGHTS_NOT_FOUND: 404,
  RIGHTS_PATIENT_UNKNOWN: 404,
  RIGHTS_PATIENT_ERASED: 410,
  RIGHTS_ALREADY_ACTIVE: 409,
  RIGHTS_PATIENT_RESTRICTED: 409,
  RIGHTS_RECTIFICATION_FIELD: 400,
  RIGHTS_RECTIFICATION_INVALID: 400,
};

export function rightsErrorStatus(code: string): number | undefined {
  return RIGHTS_ERROR_STATUS[code];
}

const errors = {
  400: ErrorResponseSchema,
  401: ErrorResponseSchema,
  403: ErrorResponseSchema,
  404: ErrorResponseSchema,
  409: ErrorResponseSchema,
  410: ErrorResponseSchema,
};

export type RightsRouteDeps = {
  readonly rights: RightsService;
  readonly authenticate: preHandlerAsyncHookHandler;
  /** The Art. 30 register as Markdown, from the running server's configuration. */
  readonly register: (language: 'fr' | 'de' | 'en') => Promise<string>;
  readonly clock: () => number;
};

/**
 * Patients' rights: the DPO records erasure requests (refused with the legal basis while the
 * retention runs, erased once it has expired), sets legal holds, reads expired records and
 * the register of processing; a practitioner (with access) or the DPO restricts a record; a
 * practitioner or secretary rectifies identity with the history kept.
 */
export function registerRightsRoutes(app: FastifyInstance, deps: RightsRouteDeps): void {
  const { rights } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const signedIn = deps.authenticate;
  const dpo = [signedIn, requireRole('dpo')];
  const tags = ['rights'];

  r.post(
    RIGHTS_ENDPOINTS.erasureRequests,
    { preHandler: dpo, schema: { tags, body: ErasureRequestInputSchema, response: { 201: ErasureRequestSchema, ...errors } } },
    async (request, reply) => reply.code(201).send(await rights.requestErasure(requirePrincipal(request), request.body)),
  );
  r.get(
    RIGHTS_ENDPOINTS.erasureRequests,
    { preHandler: dpo, schema: { tags, response: { 200: ErasureRequestListSchema, ...errors } } },
    async () => ({ requests: await rights.listErasureRequests() }),
  );
  r.get(
    RIGHTS_ENDPOINTS.status,
    { preHandler: [signedIn], schema: { tags, params: PatientParamsSchema, response: { 200: PatientRightsStatusSchema, ...errors } } },
    async (request) => rights.status(requirePrincipal(request), request.params.patientId),
  );
  r.post(
    RIGHTS_ENDPOINTS.restrictions,
    { preHandler: [signedIn], schema: { tags, params: PatientParamsSchema, body: ReasonSchema, response: { 201: RestrictionSchema, ...errors } } },
    async (request, reply) =>
      reply.code(201).send(await rights.setRestriction(requirePrincipal(request), request.params.patientId, 'restriction', request.body.reason)),
  );
  r.post(
    RIGHTS_ENDPOINTS.liftRestriction,
    { preHandler: [signedIn], schema: { tags, params: PatientParamsSchema, body: ReasonSchema, response: { 200: RestrictionSchema, ...errors } } },
    async (request) => rights.liftRestriction(requirePrincipal(request), request.params.patientId, 'restriction', request.body.reason),
  );
  r.post(
    RIGHTS_ENDPOINTS.holds,
    { preHandler: dpo, schema: { tags, params: PatientParamsSchema, body: ReasonSchema, response: { 201: RestrictionSchema, ...errors } } },
    async (request, reply) =>
      reply.code(201).send(await rights.setRestriction(requirePrincipal(request), request.params.patientId, 'legal_hold', request.body.reason)),
  );
  r.post(
    RIGHTS_ENDPOINTS.liftHold,
    { preHandler: dpo, schema: { tags, params: PatientParamsSchema, body: ReasonSchema, response: { 200: RestrictionSchema, ...errors } } },
    async (request) => rights.liftRestriction(requirePrincipal(request), request.params.patientId, 'legal_hold', request.body.reason),
  );
  r.post(
    RIGHTS_ENDPOINTS.rectifications,
    {
      preHandler: [signedIn],
      schema: { tags, params: PatientParamsSchema, body: RectificationInputSchema, response: { 200: RectificationListSchema, ...errors } },
    },
    async (request) => ({ rectifications: await rights.rectify(requirePrincipal(request), request.params.patientId, request.body) }),
  );
  r.get(
    RIGHTS_ENDPOINTS.rectifications,
    { preHandler: [signedIn], schema: { tags, params: PatientParamsSchema, response: { 200: RectificationListSchema, ...errors } } },
    async (request) => ({ rectifications: await rights.rectifications(requirePrincipal(request), request.params.patientId) }),
  );
  r.get(
    RIGHTS_ENDPOINTS.state,
    { preHandler: [signedIn], schema: { tags, response: { 200: RightsStateSchema, ...errors } } },
    async () => rights.state(),
  );
  r.get(
    RIGHTS_ENDPOINTS.expired,
    { preHandler: dpo, schema: { tags, response: { 200: ExpiredListSchema, ...errors } } },
    async () => ({ records: await rights.listExpired() }),
  );
  r.get(
    RIGHTS_ENDPOINTS.register,
    { preHandler: dpo, schema: { tags, querystring: RegisterQuerySchema, response: { 200: RegisterResponseSchema, ...errors } } },
    async (request) => ({
      markdown: await deps.register(request.query.language ?? 'fr'),
      generatedAt: new Date(deps.clock()).toISOString(),
    }),
  );
}
