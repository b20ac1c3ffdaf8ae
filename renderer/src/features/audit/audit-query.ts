import type { ApiRequest } from '../../../../shared/src/api/contract';
import { DocumentIdSchema } from '../../../../shared/src/schemas/common';
import type { AuditAction } from '../../../../shared/src/schemas/audit-event';
import { AUDIT_ACTIONS } from '../../../../shared/src/schemas/audit-event';
import { parisLocalToInstant } from '../../../../shared/src/time';
import { parseDateInput } from '../../lib/date-input';

/** Entries per page: enough to read a day of a small clinic, small enough to answer fast. */
export const AUDIT_PAGE_SIZE = 50;

export type AuditSearchRequest = ApiRequest<'audit:search'>;

/** The filter fields as typed; the period is in Paris calendar days, both days included. */
export type AuditFilterInput = {
  readonly patientId: string;
  readonly userId: string;
  readonly action: string;
  readonly from: string;
  readonly to: string;
};

export const EMPTY_AUDIT_FILTER: AuditFilterInput = { patientId: '', userId: '', action: '', from: '', to: '' };

export type AuditFilterProblem = 'patientId' | 'userId' | 'date' | 'range';

export type AuditFilterResult =
  | { readonly ok: true; readonly request: AuditSearchRequest }
  | {
      readonly ok: false;
      readonly problems: Partial<Record<'patientId' | 'userId' | 'from' | 'to', AuditFilterProblem>>;
    };

export function isAuditAction(value: string): value is AuditAction {
  return (AUDIT_ACTIONS as readonly string[]).includes(value);
}

/** The calendar day after an ISO date (YYYY-MM-DD), for an end of period that is exclusive on the wire. */
export function nextDay(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/** Midnight in Paris starting that day, as a stored instant (the day a clock change happens included). */
function parisMidnight(date: string): string | undefined {
  const r = parisLocalToInstant(date, '00:00');
  return r.ok ? r.value : undefined;
}

/**
 * Turns the typed filters into an `audit:search` request: empty fields are left out;
 * "from" is the start of that Paris day, "to" the start of the day after (the server's
 * range is from inclusive, to exclusive), so both days typed are in the period.
 */
export function auditRequestOf(input: AuditFilterInput, limit = AUDIT_PAGE_SIZE): AuditFilterResult {
  const problems: Partial<Record<'patientId' | 'userId' | 'from' | 'to', AuditFilterProblem>> = {};
  const request: { -readonly [K in keyof AuditSearchRequest]: AuditSearchRequest[K] } = { limit };
  const patientId = input.patientId.trim();
  if (patientId !== '') {
    if (DocumentIdSchema.safeParse(patientId).success) request.patientId = patientId;
    else problems.patientId = 'patientId';
  }
  const userId = input.userId.trim();
  if (userId !== '') {
    if (userId.length <= 200) request.userId = userId;
    else problems.userId = 'userId';
  }
  if (isAuditAction(input.action)) request.action = input.action;
  let fromDate: string | undefined;
  let toDate: string | undefined;
  if (input.from.trim() !== '') {
    fromDate = parseDateInput(input.from);
    const instant = fromDate === undefined ? undefined : parisMidnight(fromDate);
    if (instant === undefined) problems.from = 'date';
    else request.from = instant;
  }
  if (input.to.trim() !== '') {
    toDate = parseDateInput(input.to);
    const instant = toDate === undefined ? undefined : parisMidnight(nextDay(toDate));
    if (instant === undefined) problems.to = 'date';
    else request.to = instant;
  }
  if (fromDate !== undefined && toDate !== undefined && problems.from === undefined && problems.to === undefined && fromDate > toDate) {
    problems.to = 'range';
  }
  return Object.keys(problems).length > 0 ? { ok: false, problems } : { ok: true, request };
}

/** An instant as the server sent it may be anything: only a parseable one is formatted. */
export function isInstant(value: string): boolean {
  return !Number.isNaN(new Date(value).getTime());
}
