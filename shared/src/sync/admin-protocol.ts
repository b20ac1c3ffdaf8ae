import { z } from 'zod';
import { DocumentIdSchema, InstantSchema } from '../schemas/common';
import { SessionUserSchema, UserRoleSchema, UsernameSchema, WorkstationIdSchema } from './protocol';

/**
 * HTTP contract of the sync server's identity and access administration (prefix `/v1`):
 * users, workstations, per-patient grants, care teams (admin role), break-the-glass
 * (practitioners open, the DPO reviews). None of these answers carries clinical content:
 * patients appear by id only.
 */

export const MIN_PASSWORD_LENGTH = 12;

export const MeResponseSchema = z.strictObject({
  user: SessionUserSchema,
  workstationId: WorkstationIdSchema,
});
export type MeResponse = z.infer<typeof MeResponseSchema>;

export const AdminUserSchema = SessionUserSchema.extend({
  createdAt: InstantSchema,
  disabledAt: InstantSchema.nullable(),
});
export type AdminUser = z.infer<typeof AdminUserSchema>;

export const CreateUserRequestSchema = z.strictObject({
  username: UsernameSchema,
  displayName: z.string().trim().min(1).max(200),
  role: UserRoleSchema,
  /** Required for a practitioner (11 digits, spaces allowed), refused for other roles. */
  rpps: z.string().max(20).optional(),
  /** At least MIN_PASSWORD_LENGTH characters, checked by the server (AUTH_PASSWORD_WEAK). */
  password: z.string().min(1).max(1024),
});
export type CreateUserRequest = z.infer<typeof CreateUserRequestSchema>;

export const UserListResponseSchema = z.strictObject({ users: z.array(AdminUserSchema) });

export const UserIdParamsSchema = z.strictObject({ userId: DocumentIdSchema });

export const RevokeSessionsResponseSchema = z.strictObject({ revoked: z.number().int().nonnegative() });

export const WorkstationSchema = z.strictObject({
  id: WorkstationIdSchema,
  name: z.string().min(1).max(100),
  createdAt: InstantSchema,
  disabledAt: InstantSchema.nullable(),
});
export type Workstation = z.infer<typeof WorkstationSchema>;

export const RegisterWorkstationRequestSchema = z.strictObject({ name: z.string().trim().min(1).max(100) });
export const WorkstationListResponseSchema = z.strictObject({ workstations: z.array(WorkstationSchema) });
export const WorkstationIdParamsSchema = z.strictObject({ workstationId: WorkstationIdSchema });

export const GrantSchema = z.strictObject({
  id: DocumentIdSchema,
  userId: DocumentIdSchema,
  patientId: DocumentIdSchema,
  grantedBy: z.string().min(1).max(64),
  grantedAt: InstantSchema,
  expiresAt: InstantSchema.nullable(),
});
export type Grant = z.infer<typeof GrantSchema>;

export const CreateGrantRequestSchema = z.strictObject({
  userId: DocumentIdSchema,
  patientId: DocumentIdSchema,
  expiresAt: InstantSchema.nullable().optional(),
});
export const RevokeGrantRequestSchema = z.strictObject({
  userId: DocumentIdSchema,
  patientId: DocumentIdSchema,
});
export const GrantListQuerySchema = z
  .strictObject({ userId: DocumentIdSchema.optional(), patientId: DocumentIdSchema.optional() })
  .refine((q) => q.userId !== undefined || q.patientId !== undefined, { message: 'userId or patientId' });
export const GrantListResponseSchema = z.strictObject({ grants: z.array(GrantSchema) });

export const CareTeamSchema = z.strictObject({
  id: DocumentIdSchema,
  name: z.string().min(1).max(100),
  createdAt: InstantSchema,
  memberIds: z.array(DocumentIdSchema),
  patientIds: z.array(DocumentIdSchema),
});
export type CareTeam = z.infer<typeof CareTeamSchema>;

export const CreateCareTeamRequestSchema = z.strictObject({ name: z.string().trim().min(1).max(100) });
export const CareTeamListResponseSchema = z.strictObject({ teams: z.array(CareTeamSchema) });
export const CareTeamParamsSchema = z.strictObject({ teamId: DocumentIdSchema });
export const CareTeamMemberRequestSchema = z.strictObject({ userId: DocumentIdSchema });
export const CareTeamMemberParamsSchema = z.strictObject({ teamId: DocumentIdSchema, userId: DocumentIdSchema });
export const CareTeamPatientRequestSchema = z.strictObject({ patientId: DocumentIdSchema });
export const CareTeamPatientParamsSchema = z.strictObject({ teamId: DocumentIdSchema, patientId: DocumentIdSchema });

export const BreakGlassEntrySchema = z.strictObject({
  id: DocumentIdSchema,
  userId: DocumentIdSchema,
  username: UsernameSchema,
  displayName: z.string().min(1).max(200),
  patientId: DocumentIdSchema,
  workstationId: WorkstationIdSchema,
  reason: z.string().min(1).max(1000),
  openedAt: InstantSchema,
  expiresAt: InstantSchema,
  endedAt: InstantSchema.nullable(),
});
export type BreakGlassEntry = z.infer<typeof BreakGlassEntrySchema>;

export const BreakGlassListQuerySchema = z.strictObject({
  since: InstantSchema.optional(),
  until: InstantSchema.optional(),
  userId: DocumentIdSchema.optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});
export const BreakGlassListResponseSchema = z.strictObject({ entries: z.array(BreakGlassEntrySchema) });
