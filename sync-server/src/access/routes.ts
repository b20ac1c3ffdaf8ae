import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  BreakGlassListQuerySchema,
  BreakGlassListResponseSchema,
  CareTeamListResponseSchema,
  CareTeamMemberParamsSchema,
  CareTeamMemberRequestSchema,
  CareTeamParamsSchema,
  CareTeamPatientParamsSchema,
  CareTeamPatientRequestSchema,
  CareTeamSchema,
  CreateCareTeamRequestSchema,
  CreateGrantRequestSchema,
  GrantListQuerySchema,
  GrantListResponseSchema,
  GrantSchema,
  RevokeGrantRequestSchema,
} from '../../../shared/src/sync/admin-protocol';
import {
  BreakGlassRequestSchema,
  BreakGlassResponseSchema,
  ErrorResponseSchema,
  SYNC_API_PREFIX,
} from '../../../shared/src/sync/protocol';
import type { AuthService } from '../auth/auth-service';
import { authenticate, requirePrincipal, requireRole } from '../auth/authenticate';
import type { AccessAdmin } from './access-service';

export type AccessRoutesDeps = { readonly auth: AuthService; readonly access: AccessAdmin };

const errors = {
  400: ErrorResponseSchema,
  401: ErrorResponseSchema,
  403: ErrorResponseSchema,
  404: ErrorResponseSchema,
  409: ErrorResponseSchema,
  413: ErrorResponseSchema,
};

/**
 * Grants and care teams (admin), break-the-glass (a practitioner opens, the DPO reviews).
 * Patients appear by id only: nothing here reads a document.
 */
export function registerAccessRoutes(app: FastifyInstance, deps: AccessRoutesDeps): void {
  const { auth, access } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const signedIn = authenticate(auth);
  const admin = [signedIn, requireRole('admin')];
  const tags = ['access'];
  const base = `${SYNC_API_PREFIX}/admin`;

  r.get(
    `${base}/grants`,
    { preHandler: admin, schema: { tags, querystring: GrantListQuerySchema, response: { 200: GrantListResponseSchema, ...errors } } },
    async (request) => ({ grants: await access.listGrants(request.query) }),
  );

  r.post(
    `${base}/grants`,
    { preHandler: admin, schema: { tags, body: CreateGrantRequestSchema, response: { 201: GrantSchema, ...errors } } },
    async (request, reply) => reply.code(201).send(await access.grant(requirePrincipal(request), request.body)),
  );

  r.post(
    `${base}/grants/revoke`,
    { preHandler: admin, schema: { tags, body: RevokeGrantRequestSchema, response: { 204: z.null(), ...errors } } },
    async (request, reply) => {
      await access.revoke(requirePrincipal(request), request.body);
      return reply.code(204).send(null);
    },
  );

  r.get(
    `${base}/care-teams`,
    { preHandler: admin, schema: { tags, response: { 200: CareTeamListResponseSchema, ...errors } } },
    async () => ({ teams: await access.listTeams() }),
  );

  r.post(
    `${base}/care-teams`,
    { preHandler: admin, schema: { tags, body: CreateCareTeamRequestSchema, response: { 201: CareTeamSchema, ...errors } } },
    async (request, reply) => reply.code(201).send(await access.createTeam(requirePrincipal(request), request.body.name)),
  );

  r.post(
    `${base}/care-teams/:teamId/members`,
    {
      preHandler: admin,
      schema: { tags, params: CareTeamParamsSchema, body: CareTeamMemberRequestSchema, response: { 200: CareTeamSchema, ...errors } },
    },
    async (request) => access.addTeamMember(requirePrincipal(request), request.params.teamId, request.body.userId),
  );

  r.delete(
    `${base}/care-teams/:teamId/members/:userId`,
    { preHandler: admin, schema: { tags, params: CareTeamMemberParamsSchema, response: { 200: CareTeamSchema, ...errors } } },
    async (request) => access.removeTeamMember(requirePrincipal(request), request.params.teamId, request.params.userId),
  );

  r.post(
    `${base}/care-teams/:teamId/patients`,
    {
      preHandler: admin,
      schema: { tags, params: CareTeamParamsSchema, body: CareTeamPatientRequestSchema, response: { 200: CareTeamSchema, ...errors } },
    },
    async (request) =>
      access.sharePatientWithTeam(requirePrincipal(request), request.params.teamId, request.body.patientId),
  );

  r.delete(
    `${base}/care-teams/:teamId/patients/:patientId`,
    { preHandler: admin, schema: { tags, params: CareTeamPatientParamsSchema, response: { 200: CareTeamSchema, ...errors } } },
    async (request) =>
      access.unsharePatientFromTeam(requirePrincipal(request), request.params.teamId, request.params.patientId),
  );

  r.post(
    `${SYNC_API_PREFIX}/access/break-glass`,
    {
      preHandler: [signedIn, requireRole('practitioner')],
      schema: { tags, body: BreakGlassRequestSchema, response: { 200: BreakGlassResponseSchema, ...errors } },
    },
    async (request) => access.breakGlass(requirePrincipal(request), request.body),
  );

  r.get(
    `${SYNC_API_PREFIX}/access/break-glass`,
    {
      preHandler: [signedIn, requireRole('dpo')],
      schema: { tags, querystring: BreakGlassListQuerySchema, response: { 200: BreakGlassListResponseSchema, ...errors } },
    },
    async (request) => ({ entries: await access.listBreakGlass(request.query) }),
  );
}
