import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, isAppError } from '../../../shared/src/errors';
import type { UserRole } from '../../../shared/src/sync/protocol';
import type { Principal } from '../types';
import type { AuthService } from './auth-service';

declare module 'fastify' {
  // Module augmentation only works through an interface.
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions
  interface FastifyRequest {
    /** Set by `authenticate` on every authenticated route. */
    principal?: Principal;
  }
}

/** HTTP status of each identity and access code (anything else: 400). */
export const AUTH_ERROR_STATUS: Readonly<Record<string, number>> = {
  AUTH_INVALID_CREDENTIALS: 401,
  AUTH_TOKEN_MISSING: 401,
  AUTH_TOKEN_INVALID: 401,
  AUTH_TOKEN_EXPIRED: 401,
  AUTH_REFRESH_REUSED: 401,
  AUTH_WORKSTATION_MISMATCH: 401,
  AUTH_WORKSTATION_UNKNOWN: 401,
  AUTH_LOCKED: 429,
  AUTH_RATE_LIMITED: 429,
  AUTH_FORBIDDEN: 403,
  ACCESS_NO_GRANT: 403,
  ACCESS_CLINICAL_DENIED: 403,
  ACCESS_ROLE_NO_DOCUMENTS: 403,
  ACCESS_BREAK_GLASS_ROLE: 403,
  AUTH_USER_NOT_FOUND: 404,
  AUTH_WORKSTATION_NOT_FOUND: 404,
  ACCESS_GRANT_NOT_FOUND: 404,
  ACCESS_TEAM_NOT_FOUND: 404,
  AUTH_USERNAME_TAKEN: 409,
  AUTH_WORKSTATION_NAME_TAKEN: 409,
  ACCESS_TEAM_NAME_TAKEN: 409,
};

/** Status of an AUTH_/ACCESS_ code for the application's error handler; undefined for other codes. */
export function authStatusOf(code: string): number | undefined {
  if (AUTH_ERROR_STATUS[code] !== undefined) return AUTH_ERROR_STATUS[code];
  return code.startsWith('AUTH_') || code.startsWith('ACCESS_') || code.startsWith('RPPS_') ? 400 : undefined;
}

/** Fastify preHandler: `Authorization: Bearer <access token>` → `request.principal`, else 401 `{ code }`. */
export function authenticate(auth: AuthService) {
  return async function authenticatePreHandler(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer ([A-Za-z0-9_-]{16,200})$/.exec(header) : null;
    if (!match?.[1]) {
      await reply.code(401).send({ code: header ? 'AUTH_TOKEN_INVALID' : 'AUTH_TOKEN_MISSING' });
      return reply;
    }
    try {
      request.principal = await auth.authenticateToken(match[1]);
    } catch (error) {
      // Only a refused token is a 401; anything else (the database being down) goes to the
      // app's error handler, so the client retries instead of asking the user to sign in again.
      if (!isAppError(error) || !error.code.startsWith('AUTH_')) throw error;
      await reply.code(401).send(error.toPayload());
      return reply;
    }
  };
}

/** Fastify preHandler to place after `authenticate`: 403 AUTH_FORBIDDEN unless the role is one of `roles`. */
export function requireRole(...roles: readonly UserRole[]) {
  return async function requireRolePreHandler(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const principal = request.principal;
    if (!principal) {
      await reply.code(401).send({ code: 'AUTH_TOKEN_MISSING' });
      return reply;
    }
    if (!roles.includes(principal.role)) {
      await reply.code(403).send({ code: 'AUTH_FORBIDDEN' });
      return reply;
    }
  };
}

/** The principal `authenticate` set; throws AUTH_TOKEN_MISSING where a route forgot the hook. */
export function requirePrincipal(request: FastifyRequest): Principal {
  if (!request.principal) throw new AppError('AUTH_TOKEN_MISSING');
  return request.principal;
}
