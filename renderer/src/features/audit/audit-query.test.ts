import { describe, expect, it } from 'vitest';
import { API } from '../../../../shared/src/api/contract';
import { AUDIT_PAGE_SIZE, auditRequestOf, EMPTY_AUDIT_FILTER, nextDay } from './audit-query';

describe('audit filters', () => {
  it('sends only the page size when nothing is filled in', () => {
    expect(auditRequestOf(EMPTY_AUDIT_FILTER)).toEqual({ ok: true, request: { limit: AUDIT_PAGE_SIZE } });
  });

  it('takes the period as Paris calendar days, both days included (to is exclusive on the wire)', () => {
    // Winter: Paris is UTC+1; summer: UTC+2.
    const r = auditRequestOf({ ...EMPTY_AUDIT_FILTER, from: '15/01/2026', to: '20.07.2026' });
    expect(r).toEqual({
      ok: true,
      request: { limit: AUDIT_PAGE_SIZE, from: '2026-01-14T23:00:00.000Z', to: '2026-07-20T22:00:00.000Z' },
    });
    // A single day, on the night clocks go forward (29 March 2026).
    expect(auditRequestOf({ ...EMPTY_AUDIT_FILTER, from: '2026-03-29', to: '29/03/2026' })).toEqual({
      ok: true,
      request: { limit: AUDIT_PAGE_SIZE, from: '2026-03-28T23:00:00.000Z', to: '2026-03-29T22:00:00.000Z' },
    });
    expect(nextDay('2026-12-31')).toBe('2027-01-01');
    expect(nextDay('2028-02-28')).toBe('2028-02-29');
  });

  it('passes patient, user and action, trimmed; an action that is not one of the contract is ignored', () => {
    const r = auditRequestOf({ patientId: ' p-123 ', userId: ' u1 ', action: 'break_glass', from: '', to: '' }, 10);
    expect(r).toEqual({ ok: true, request: { limit: 10, patientId: 'p-123', userId: 'u1', action: 'break_glass' } });
    expect(auditRequestOf({ ...EMPTY_AUDIT_FILTER, action: 'steal' })).toEqual({ ok: true, request: { limit: AUDIT_PAGE_SIZE } });
  });

  it('every request it builds is one the contract accepts', () => {
    const r = auditRequestOf({ patientId: 'abc', userId: 'dpo-1', action: 'read', from: '01/02/2026', to: '28/02/2026' });
    if (!r.ok) throw new Error('expected a request');
    expect(API['audit:search'].request.safeParse(r.request).success).toBe(true);
  });

  it('names the field of each problem: bad dates, a period that ends before it starts, an id that cannot be one', () => {
    expect(auditRequestOf({ ...EMPTY_AUDIT_FILTER, from: '31/02/2026', to: 'demain' })).toEqual({
      ok: false,
      problems: { from: 'date', to: 'date' },
    });
    expect(auditRequestOf({ ...EMPTY_AUDIT_FILTER, from: '02/03/2026', to: '01/03/2026' })).toEqual({
      ok: false,
      problems: { to: 'range' },
    });
    expect(auditRequestOf({ ...EMPTY_AUDIT_FILTER, patientId: 'Dupont Jean', userId: 'x'.repeat(201) })).toEqual({
      ok: false,
      problems: { patientId: 'patientId', userId: 'userId' },
    });
  });
});
