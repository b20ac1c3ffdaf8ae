import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/src/errors';
import { isDatabaseUnavailable, toErrorResponse } from './errors';

describe('error responses', () => {
  it('answers a database outage 503 SYNC_DATABASE_UNAVAILABLE, other failures 500 without details', () => {
    expect(toErrorResponse(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }), 1)).toEqual({
      status: 503,
      body: { code: 'SYNC_DATABASE_UNAVAILABLE' },
    });
    expect(isDatabaseUnavailable(Object.assign(new Error('terminating connection'), { code: '57P01' }))).toBe(true);
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('duplicate key value Key (id)=(p1)'), { code: '23505' }))).toBe(false);
    expect(toErrorResponse(new TypeError('x is undefined at secret place'), 1)).toEqual({ status: 500, body: { code: 'SYNC_INTERNAL_ERROR' } });
  });

  it('keeps an AppError’s code and params and takes other modules’ statuses', () => {
    expect(toErrorResponse(new AppError('SYNC_TOO_MANY_STREAMS', { limit: 3 }), 1)).toEqual({
      status: 503,
      body: { code: 'SYNC_TOO_MANY_STREAMS', params: { limit: 3 } },
    });
    expect(toErrorResponse(new AppError('AUTH_LOCKED'), 1, [(c) => (c === 'AUTH_LOCKED' ? 429 : undefined)]).status).toBe(429);
    expect(toErrorResponse(new AppError('SOMETHING_ELSE'), 1).status).toBe(400);
  });
});
