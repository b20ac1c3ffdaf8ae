import { z } from 'zod';
import type { ErrorParams, ErrorPayload } from '../errors/app-error';

/**
 * The wire form of every API answer, the same over Electron IPC and the browser-mode
 * WebSocket: `{ ok: true, value }` or `{ ok: false, error }`. The error is a catalogue code
 * with its params (the renderer translates it in the UI language) and, for a form, the
 * field issues (path + code) to show beside each field. Never a stack or a message text.
 */

/** Codes are upper snake case (catalogue.test.ts); params only strings and numbers. */
export const ErrorCodeSchema = z
  .string()
  .min(3)
  .max(64)
  .regex(/^[A-Z][A-Z0-9_]*$/);
export const ErrorParamsSchema = z
  .record(z.string().max(64), z.union([z.string().max(2000), z.number()]))
  .refine((p) => Object.keys(p).length <= 16);

export const ErrorPayloadSchema = z.strictObject({
  code: ErrorCodeSchema,
  params: ErrorParamsSchema.optional(),
});

/** One problem of one field of a request (a form): `path` as in the request's object, `code` a catalogue code. */
export const FieldIssueSchema = z.strictObject({
  path: z.array(z.union([z.string().max(64), z.number().int().min(0)])).max(16),
  code: ErrorCodeSchema,
  params: ErrorParamsSchema.optional(),
});
export type FieldIssue = z.infer<typeof FieldIssueSchema>;

export const ApiErrorSchema = z.strictObject({
  code: ErrorCodeSchema,
  params: ErrorParamsSchema.optional(),
  issues: z.array(FieldIssueSchema).max(200).optional(),
});
export type ApiError = ErrorPayload & { readonly issues?: readonly FieldIssue[] };

export type Envelope<T = unknown> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: ApiError };

/** Envelope schema around a value schema (the renderer's client checks what a transport hands it). */
export function envelopeSchema<T extends z.ZodType>(value: T) {
  return z.discriminatedUnion('ok', [
    z.strictObject({ ok: z.literal(true), value }),
    z.strictObject({ ok: z.literal(false), error: ApiErrorSchema }),
  ]);
}

/** An envelope whose value is not checked (the transport's view: only the shape). */
export const AnyEnvelopeSchema = envelopeSchema(z.unknown());

export function okEnvelope<T>(value: T): Envelope<T> {
  return { ok: true, value };
}

export function errorEnvelope(error: ApiError): Envelope<never> {
  return { ok: false, error };
}

/**
 * Generic codes of the API layer itself (catalogue: shared/src/errors/catalogue/app.ts).
 * APP_INTERNAL_ERROR stands for any exception that is not an AppError: its text never
 * crosses the API.
 */
export const API_ERROR_CODES = {
  channel: 'API_CHANNEL_UNKNOWN',
  request: 'API_REQUEST_INVALID',
  internal: 'APP_INTERNAL_ERROR',
} as const;

/** Codes field issues carry when the zod check is a plain one (not a catalogue code of a refinement). */
export const FIELD_ISSUE_CODES = [
  'VALIDATION_REQUIRED',
  'VALIDATION_TYPE',
  'VALIDATION_TOO_SHORT',
  'VALIDATION_TOO_LONG',
  'VALIDATION_TOO_FEW',
  'VALIDATION_TOO_MANY',
  'VALIDATION_TOO_SMALL',
  'VALIDATION_TOO_BIG',
  'VALIDATION_FORMAT',
  'VALIDATION_DATE',
  'VALIDATION_DATE_TIME',
  'VALIDATION_EMAIL',
  'VALIDATION_URL',
  'VALIDATION_VALUE',
  'VALIDATION_UNKNOWN_FIELD',
  'VALIDATION_INVALID',
] as const;
export type FieldIssueCode = (typeof FIELD_ISSUE_CODES)[number];

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let cur = input;
  for (const key of path) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

function num(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  return undefined;
}

type Issue = z.core.$ZodIssue;

function issueOf(issue: Issue, input: unknown): FieldIssue {
  const path = issue.path.map((p) => (typeof p === 'number' ? p : String(p).slice(0, 64))).slice(0, 16);
  const field = (code: string, params?: ErrorParams): FieldIssue =>
    params === undefined ? { path, code } : { path, code, params };
  // A field the form has not filled yet is "required", whatever check its type would run.
  if (issue.code !== 'custom' && issue.code !== 'unrecognized_keys' && issue.path.length > 0 && valueAt(input, issue.path) === undefined) {
    return field('VALIDATION_REQUIRED');
  }
  switch (issue.code) {
    case 'custom': {
      const params = issue.params as { code?: unknown; errorParams?: ErrorParams } | undefined;
      if (typeof params?.code === 'string' && /^[A-Z][A-Z0-9_]*$/.test(params.code)) {
        return field(params.code, params.errorParams);
      }
      return field('VALIDATION_INVALID');
    }
    case 'invalid_type':
      return field(valueAt(input, issue.path) === undefined ? 'VALIDATION_REQUIRED' : 'VALIDATION_TYPE');
    case 'too_small': {
      const min = num(issue.minimum) ?? 0;
      if (issue.origin === 'string') return min <= 1 ? field('VALIDATION_REQUIRED') : field('VALIDATION_TOO_SHORT', { min });
      if (issue.origin === 'array' || issue.origin === 'set') return field('VALIDATION_TOO_FEW', { min });
      return field('VALIDATION_TOO_SMALL', { min });
    }
    case 'too_big': {
      const max = num(issue.maximum) ?? 0;
      if (issue.origin === 'string') return field('VALIDATION_TOO_LONG', { max });
      if (issue.origin === 'array' || issue.origin === 'set') return field('VALIDATION_TOO_MANY', { max });
      return field('VALIDATION_TOO_BIG', { max });
    }
    case 'invalid_format':
      switch (issue.format) {
        case 'date':
          return field('VALIDATION_DATE');
        case 'datetime':
          return field('VALIDATION_DATE_TIME');
        case 'email':
          return field('VALIDATION_EMAIL');
        case 'url':
          return field('VALIDATION_URL');
        default:
          return field('VALIDATION_FORMAT');
      }
    case 'invalid_value':
      return field('VALIDATION_VALUE');
    case 'unrecognized_keys':
      return { path: [...path, String(issue.keys[0] ?? '').slice(0, 64)].slice(0, 16), code: 'VALIDATION_UNKNOWN_FIELD' };
    case 'invalid_union':
      return field('VALIDATION_FORMAT');
    default:
      return field('VALIDATION_INVALID');
  }
}

/**
 * Field issues of a failed zod parse, as catalogue codes: what a form shows beside each
 * field. `input` is what was parsed (to tell a missing field from a wrong type). At most
 * 200 issues, one per path and code.
 */
export function fieldIssues(error: z.ZodError, input: unknown): FieldIssue[] {
  const seen = new Set<string>();
  const out: FieldIssue[] = [];
  for (const issue of error.issues) {
    const fi = issueOf(issue, input);
    const key = `${fi.path.join('.')}\u0000${fi.code}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(fi);
    if (out.length >= 200) break;
  }
  return out;
}
