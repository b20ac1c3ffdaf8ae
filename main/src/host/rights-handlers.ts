/* eslint-disable security/detect-non-literal-fs-filename -- the path is the one the user chose in the save dialog */
import fs from 'node:fs';
import type { ApiParsedRequest, ApiResponse } from '../../../shared/src/api';
import { AppError } from '../../../shared/src/errors';
import type { UserRole } from '../../../shared/src/sync/protocol';
import type { RightsState } from '../../../shared/src/sync/rights-protocol';
import {
  ErasureRequestListSchema,
  ErasureRequestSchema,
  ExpiredListSchema,
  PatientRightsStatusSchema,
  RectificationListSchema,
  RegisterResponseSchema,
  RestrictionSchema,
  RIGHTS_ENDPOINTS,
} from '../../../shared/src/sync/rights-protocol';
import { readJson } from '../sync/session';
import type { Handlers } from './dispatcher';

/** What the rights channels need from the host. */
export type RightsCore = {
  role(): UserRole | undefined;
  /** A call to the sync server with the session's token (one refresh and retry on 401); non-2xx throws the server's code. */
  serverFetch(pathAndQuery: string, init?: { method?: string; body?: unknown; accept?: string }): Promise<Response>;
  /** The restricted records this workstation enforces. */
  restrictedRecords(): RightsState;
  readonly saveFile?: (suggestedName: string) => Promise<string | undefined>;
};

type RightsChannel =
  | 'rights:status'
  | 'rights:erasure-request'
  | 'rights:erasure-requests'
  | 'rights:restrict'
  | 'rights:lift-restriction'
  | 'rights:hold'
  | 'rights:lift-hold'
  | 'rights:rectify'
  | 'rights:rectifications'
  | 'rights:expired'
  | 'rights:register'
  | 'rights:restricted';

const forPatient = (template: string, patientId: string): string => template.replace(':patientId', encodeURIComponent(patientId));

/**
 * The rights channels: the server decides (requests, restrictions, holds and rectifications
 * are the clinic's shared truth and are audited there); roles are checked here first so a
 * refusal needs no network, and again by the server.
 */
export function createRightsHandlers(core: RightsCore): Pick<Handlers, RightsChannel> {
  const requireRole = (roles: readonly UserRole[]): void => {
    const role = core.role();
    if (role === undefined) throw new AppError('APP_PROFILE_REQUIRED');
    if (!roles.includes(role)) throw new AppError('RIGHTS_FORBIDDEN', { allowed: roles.join(', ') });
  };
  const reason = (r: { reason: string }) => ({ reason: r.reason });
  return {
    'rights:status': async (r: ApiParsedRequest<'rights:status'>) => {
      requireRole(['dpo', 'practitioner', 'secretary']);
      return readJson(await core.serverFetch(forPatient(RIGHTS_ENDPOINTS.status, r.patientId)), PatientRightsStatusSchema, 'rights');
    },
    'rights:erasure-request': async (r) => {
      requireRole(['dpo']);
      return readJson(await core.serverFetch(RIGHTS_ENDPOINTS.erasureRequests, { method: 'POST', body: r }), ErasureRequestSchema, 'rights');
    },
    'rights:erasure-requests': async () => {
      requireRole(['dpo']);
      return readJson(await core.serverFetch(RIGHTS_ENDPOINTS.erasureRequests), ErasureRequestListSchema, 'rights');
    },
    'rights:restrict': async (r) => {
      requireRole(['dpo', 'practitioner']);
      const res = await core.serverFetch(forPatient(RIGHTS_ENDPOINTS.restrictions, r.patientId), { method: 'POST', body: reason(r) });
      return readJson(res, RestrictionSchema, 'rights');
    },
    'rights:lift-restriction': async (r) => {
      requireRole(['dpo', 'practitioner']);
      const res = await core.serverFetch(forPatient(RIGHTS_ENDPOINTS.liftRestriction, r.patientId), { method: 'POST', body: reason(r) });
      return readJson(res, RestrictionSchema, 'rights');
    },
    'rights:hold': async (r) => {
      requireRole(['dpo']);
      return readJson(await core.serverFetch(forPatient(RIGHTS_ENDPOINTS.holds, r.patientId), { method: 'POST', body: reason(r) }), RestrictionSchema, 'rights');
    },
    'rights:lift-hold': async (r) => {
      requireRole(['dpo']);
      const res = await core.serverFetch(forPatient(RIGHTS_ENDPOINTS.liftHold, r.patientId), { method: 'POST', body: reason(r) });
      return readJson(res, RestrictionSchema, 'rights');
    },
    'rights:rectify': async (r) => {
      requireRole(['practitioner', 'secretary']);
      const res = await core.serverFetch(forPatient(RIGHTS_ENDPOINTS.rectifications, r.patientId), {
        method: 'POST',
        body: { changes: r.changes, reason: r.reason },
      });
      return readJson(res, RectificationListSchema, 'rights');
    },
    'rights:rectifications': async (r) => {
      requireRole(['dpo', 'practitioner', 'secretary']);
      return readJson(await core.serverFetch(forPatient(RIGHTS_ENDPOINTS.rectifications, r.patientId)), RectificationListSchema, 'rights');
    },
    'rights:expired': async () => {
      requireRole(['dpo']);
      return readJson(await core.serverFetch(RIGHTS_ENDPOINTS.expired), ExpiredListSchema, 'rights');
    },
    'rights:register': async (r): Promise<ApiResponse<'rights:register'>> => {
      requireRole(['dpo']);
      const register = readJson(await core.serverFetch(`${RIGHTS_ENDPOINTS.register}?language=${r.language}`), RegisterResponseSchema, 'rights');
      const { markdown, generatedAt } = await register;
      const fileName = `registre-traitements-${generatedAt.slice(0, 10)}.md`;
      if (!core.saveFile) return { markdown, generatedAt, fileName };
      const target = await core.saveFile(fileName);
      if (target === undefined) return { markdown, generatedAt, fileName };
      fs.writeFileSync(`${target}.part`, markdown);
      fs.renameSync(`${target}.part`, target);
      return { markdown, generatedAt, fileName, savedTo: target };
    },
    'rights:restricted': async () => core.restrictedRecords(),
  };
}
