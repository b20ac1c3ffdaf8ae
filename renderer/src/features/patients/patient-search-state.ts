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

/**
 * A query asked: the rows shown stay. A new query changes nothing here (the same state
 * object: no render; the list knows it is busy from its query differing from the one shown),
 * except clearing an error; asking the query shown again (a reload) marks it pending.
 */
export function searchAsked(s: SearchState, query: string): SearchState {
  if (query === s.query)
    return s.pending === query && s.error === null ? s : { ...s, pending: query, error: null };
  return s.error === null ? s : { ...s, error: null };
}

/** Whether the rows shown are not yet those of `query` (the text in the field). */
export const searchBusy = (s: SearchState, query: string): boolean =>
  s.pending !== null || (s.query !== query && s.error === null);

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
