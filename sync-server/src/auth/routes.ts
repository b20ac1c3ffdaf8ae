import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AdminUserSchema,
  CreateUserRequestSchema,
  MeResponseSchema,
  RegisterWorkstationRequestSchema,
  RevokeSessionsResponseSchema,
  UserIdParamsSchema,
  UserListResponseSchema,
  WorkstationIdParamsSchema,
  WorkstationListResponseSchema,
  WorkstationSchema,
} from '../../../shared/src/sync/admin-protocol';
import {
  ErrorResponseSchema,
  LoginRequestSchema,
  LogoutRequestSchema,
  RefreshRequestSchema,
  SessionResponseSchema,
  SYNC_API_PREFIX,
} from '../../../shared/src/sync/protocol';
import { AppError } from '../../../shared/src/errors';
import type { AuthService, UserView } from './auth-service';
import { authenticate, requirePrincipal, requireRole } from './authenticate';

export type AuthRoutesDeps = { readonly auth: AuthService };

const errors = {
  400: ErrorResponseSchema,
  401: ErrorResponseSchema,
  403: ErrorResponseSchema,
  404: ErrorResponseSchema,
  409: ErrorResponseSchema,
  413: ErrorResponseSchema,
  429: ErrorResponseSchema,
};

const adminUser = (u: UserView) => ({
  id: u.id,
  username: u.username,
  displayName: u.displayName,
  role: u.role,
  ...(u.rpps ? { rpps: u.rpps } : {}),
  createdAt: u.createdAt,
  disabledAt: u.disabledAt,
});

/**
 * Sessions (login, refresh, logout, me) and the admin's users and workstations. Errors are
 * thrown as AppError; the application's error handler answers `{ code, params? }` with
 * the status from `authStatusOf`.
 */
export function registerAuthRoutes(app: FastifyInstance, deps: AuthRoutesDeps): void {
  const { auth } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const signedIn = authenticate(auth);
  const admin = [signedIn, requireRole('admin')];
  const tags = ['auth'];

  r.post(
    `${SYNC_API_PREFIX}/auth/login`,
    { schema: { tags, body: LoginRequestSchema, response: { 200: SessionResponseSchema, ...errors } } },
    async (request) => auth.login(request.body, { ip: request.ip }),
  );

  // The refresh token is the credential of these two: no bearer, the access token may have expired.
  r.post(
    `${SYNC_API_PREFIX}/auth/refresh`,
    { schema: { tags, body: RefreshRequestSchema, response: { 200: SessionResponseSchema, ...errors } } },
    async (request) => auth.refresh(request.body),
  );

  r.post(
    `${SYNC_API_PREFIX}/auth/logout`,
    { schema: { tags, body: LogoutRequestSchema, response: { 204: z.null(), ...errors } } },
    async (request, reply) => {
      await auth.logout(request.body.refreshToken);
      return reply.code(204).send(null);
    },
  );

  r.get(
    `${SYNC_API_PREFIX}/auth/me`,
    { preHandler: signedIn, schema: { tags, response: { 200: MeResponseSchema, ...errors } } },
    async (request) => {
      const principal = requirePrincipal(request);
      const user = await auth.getUser(principal.userId);
      if (!user) throw new AppError('AUTH_TOKEN_INVALID');
      const { createdAt: _c, disabledAt: _d, ...sessionUser } = user;
      return { user: sessionUser, workstationId: principal.workstationId };
    },
  );

  const adminTags = ['admin'];

  r.get(
    `${SYNC_API_PREFIX}/admin/users`,
    { preHandler: admin, schema: { tags: adminTags, response: { 200: UserListResponseSchema, ...errors } } },
    async () => ({ users: (await auth.listUsers()).map(adminUser) }),
  );

  r.post(
    `${SYNC_API_PREFIX}/admin/users`,
    {
      preHandler: admin,
      schema: { tags: adminTags, body: CreateUserRequestSchema, response: { 201: AdminUserSchema, ...errors } },
    },
    async (request, reply) => {
      const created = await auth.createUser(request.body, requirePrincipal(request));
      return reply.code(201).send(adminUser(created));
    },
  );

  r.post(
    `${SYNC_API_PREFIX}/admin/users/:userId/disable`,
    {
      preHandler: admin,
      schema: { tags: adminTags, params: UserIdParamsSchema, response: { 200: AdminUserSchema, ...errors } },
    },
    async (request) => adminUser(await auth.disableUser(request.params.userId, requirePrincipal(request))),
  );

  r.post(
    `${SYNC_API_PREFIX}/admin/users/:userId/revoke-sessions`,
    {
      preHandler: admin,
      schema: { tags: adminTags, params: UserIdParamsSchema, response: { 200: RevokeSessionsResponseSchema, ...errors } },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      if (!(await auth.getUser(request.params.userId))) {
        throw new AppError('AUTH_USER_NOT_FOUND', { user: request.params.userId });
      }
      return { revoked: await auth.revokeUserSessions(request.params.userId, principal) };
    },
  );

  r.get(
    `${SYNC_API_PREFIX}/admin/workstations`,
    { preHandler: admin, schema: { tags: adminTags, response: { 200: WorkstationListResponseSchema, ...errors } } },
    async () => ({ workstations: await auth.listWorkstations() }),
  );

  r.post(
    `${SYNC_API_PREFIX}/admin/workstations`,
    {
      preHandler: admin,
      schema: {
        tags: adminTags,
        body: RegisterWorkstationRequestSchema,
        response: { 201: WorkstationSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await auth.registerWorkstation(request.body.name, requirePrincipal(request))),
  );

  r.post(
    `${SYNC_API_PREFIX}/admin/workstations/:workstationId/disable`,
    {
      preHandler: admin,
      schema: { tags: adminTags, params: WorkstationIdParamsSchema, response: { 200: WorkstationSchema, ...errors } },
    },
    async (request) => auth.disableWorkstation(request.params.workstationId, requirePrincipal(request)),
  );
}
