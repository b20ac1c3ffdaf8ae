import { describe, expect, it } from 'vitest';
import type { PatientRow } from '../../../../shared/src/api/contract';
import {
  initialSearchState,
  pageAnswered,
  searchAsked,
  searchBusy,
  searchFailed,
} from './patient-search-state';

const row = (id: string): PatientRow => ({
  id,
  birthName: id,
  firstNames: ['Anne'],
  birthDate: '1980-01-01',
  sex: 'F',
  identityStatus: 'PROV',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

describe('patient search state', () => {
  it('keeps the rows shown while a newer query runs, then replaces them in one step', () => {
    let s = pageAnswered(
      initialSearchState(''),
      { query: '', page: 0, rows: [row('a'), row('b')], total: 2 },
      true,
    );
    expect(s).toMatchObject({ query: '', pending: null, total: 2 });
    const shown = s.pages;

    expect(searchBusy(s, '')).toBe(false);

    // A new query: the same state (no render), busy since the rows shown are another query's.
    expect(searchAsked(s, 'm')).toBe(s);
    expect(searchBusy(s, 'm')).toBe(true);
    expect(s.pages).toBe(shown);

    s = pageAnswered(s, { query: 'm', page: 0, rows: [row('m')], total: 1 }, true);
    expect(s).toMatchObject({ query: 'm', pending: null, total: 1 });
    expect(searchBusy(s, 'm')).toBe(false);
    expect([...s.pages.entries()]).toEqual([[0, [row('m')]]]);
  });

  it('a reload of the query shown is pending (busy) until answered; asking it again changes nothing', () => {
    const first = initialSearchState('x');
    expect(searchBusy(first, 'x')).toBe(true);
    let s = pageAnswered(first, { query: 'x', page: 0, rows: [row('x')], total: 1 }, true);
    s = searchAsked(s, 'x');
    expect(s.pending).toBe('x');
    expect(searchBusy(s, 'x')).toBe(true);
    expect(searchAsked(s, 'x')).toBe(s);
  });

  it("adds further pages of the query shown, and ignores another query's", () => {
    let s = pageAnswered(
      initialSearchState('m'),
      { query: 'm', page: 0, rows: [row('a')], total: 150 },
      true,
    );
    s = pageAnswered(s, { query: 'm', page: 1, rows: [row('b')], total: 150 }, false);
    expect([...s.pages.keys()]).toEqual([0, 1]);
    expect(pageAnswered(s, { query: 'mu', page: 2, rows: [row('c')], total: 3 }, false)).toBe(s);
  });

  it('keeps the rows on an error; a failed first page ends the wait', () => {
    let s = pageAnswered(initialSearchState(''), { query: '', page: 0, rows: [row('a')], total: 1 }, true);
    s = searchAsked(s, 'z');
    const failed = searchFailed(s, new Error('offline'), true);
    expect(failed).toMatchObject({ query: '', pending: null, total: 1, error: new Error('offline') });
    expect(failed.pages).toBe(s.pages);
    // The error shows over the rows kept, not a spinner; the next query clears it.
    expect(searchBusy(failed, 'z')).toBe(false);
    expect(searchAsked(failed, 'zo')).toMatchObject({ error: null });
    expect(searchFailed(searchAsked(s, ''), new Error('page'), false).pending).toBe('');
  });
});
