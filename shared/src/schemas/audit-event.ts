import { z } from 'zod';
import { addCodedIssue, DocumentIdSchema, InstantSchema, requiredText, text } from './common';

/** Roles of the sync server's users; 'system' marks events the server itself records. */
export const ROLES = ['practitioner', 'secretary', 'dpo', 'admin', 'system'] as const;
export type Role = (typeof ROLES)[number];

export const AUDIT_ACTIONS = [
  'read',
  'search',
  'create',
  'update',
  'delete',
  'sign',
  'print',
  'export',
  'import',
  'login',
  'logout',
  'login_failed',
  'break_glass',
  'grant',
  'revoke',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AuditEventObjectSchema = z.strictObject({
  id: DocumentIdSchema,
  userId: requiredText(64),
  role: z.enum(ROLES),
  workstation: requiredText(64),
  action: z.enum(AUDIT_ACTIONS),
  patientId: DocumentIdSchema.optional(),
  object: z
    .strictObject({
      /**
       * A collection name (COLLECTION_NAMES) or another kind of object the host audits
       * ("user", "backup"…). Not an enum: an audit event must never be refused because a
       * new kind of object appeared, and widening an RxDB enum needs a schema migration
       * on every workstation.
       */
      collection: z
        .string()
        .min(1)
        .max(64)
        .regex(/^[a-z][a-z0-9_]*$/),
      id: DocumentIdSchema,
    })
    .optional(),
  instant: InstantSchema,
  outcome: z.enum(['success', 'denied', 'error']),
  reason: text(1000).optional(),
  /** Equal to `instant`: audit events are never updated, but every collection replicates by updatedAt. */
  updatedAt: InstantSchema,
});

export const AuditEventSchema = AuditEventObjectSchema.superRefine((e, ctx) => {
  // Emergency access is legal only with its justification on record.
  if (e.action === 'break_glass' && (e.reason === undefined || e.reason.trim() === '')) {
    addCodedIssue(ctx, 'AUDIT_REASON_REQUIRED', ['reason']);
  }
});
export type AuditEvent = z.infer<typeof AuditEventSchema>;
