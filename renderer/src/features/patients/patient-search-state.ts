import type { PatientRow } from '../../../../shared/src/api/contract';

/** What the patient list shows of a search, and the query on its way. */
export type SearchState = {
  /** The query whose results are shown (pages and total). */
  readonly query: string;
  /** The query asked and not answered yet: the results shown are an earlier query's until then. */
  readonly pending: string | null;
  readonly total: number | null;
  readonly pages: ReadonlyMap<number, readonly PatientRow[]>;
  readonly error: unknown;
};

export const initialSearchState = (query: string): SearchState => ({
  query,
  pending: query,
  total: null,
  pages: new Map(),
  error: null,
});

/** A query asked: the rows shown stay (same state object when nothing changes: no render). */
export function searchAsked(s: SearchState, query: string): SearchState {
  return s.pending === query && s.error === null ? s : { ...s, pending: query, error: null };
}

/**
 * A page answered for the current generation. The first page of a query (`replace`) replaces
 * every row at once; a further page counts only for the query shown.
 */
export function pageAnswered(
  s: SearchState,
  answer: {
    readonly query: string;
    readonly page: number;
    readonly rows: readonly PatientRow[];
    readonly total: number;
  },
  replace: boolean,
): SearchState {
  if (replace) {
    return {
      query: answer.query,
      pending: null,
      total: answer.total,
      pages: new Map([[answer.page, answer.rows]]),
      error: null,
    };
  }
  if (s.query !== answer.query) return s;
  const pages = new Map(s.pages);
  pages.set(answer.page, answer.rows);
  return { ...s, total: answer.total, pages };
}

/** A call failed: the rows shown stay, with the error; a failed first page ends the wait. */
export function searchFailed(s: SearchState, error: unknown, replace: boolean): SearchState {
  return { ...s, pending: replace ? null : s.pending, error };
}
