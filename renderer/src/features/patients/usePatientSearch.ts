import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { PatientRow } from '../../../../shared/src/api/contract';
import { useApi } from '../../api/ApiProvider';
import { useApiEvent } from '../../api/useApiEvent';
import type { SearchState } from './patient-search-state';
import {
  initialSearchState,
  pageAnswered,
  searchAsked,
  searchBusy,
  searchFailed,
} from './patient-search-state';

export const PAGE_SIZE = 100;

/**
 * Search as the user types: each keystroke asks the host for the first page (the host's
 * index does the accent- and case-insensitive matching). The results on screen stay until
 * the new query's first page replaces them in one render (no empty list in between; `busy`
 * says a newer query is on its way); answers to older keystrokes are dropped. Further pages
 * are fetched when the virtual list shows their rows, so 10,000 patients never cross the
 * API at once.
 */
export function usePatientSearch(query: string) {
  const api = useApi();
  const [state, setState] = useState<SearchState>(() => initialSearchState(query));
  const generation = useRef(0);
  const inFlight = useRef(new Set<number>());

  const fetchPage = useCallback(
    async (q: string, page: number, gen: number, replace = false) => {
      inFlight.current.add(page);
      try {
        const r = await api.call('patients:search', { query: q, offset: page * PAGE_SIZE, limit: PAGE_SIZE });
        if (gen !== generation.current) return;
        setState((s) => pageAnswered(s, { query: q, page, rows: r.rows, total: r.total }, replace));
      } catch (error) {
        if (gen === generation.current) setState((s) => searchFailed(s, error, replace));
      } finally {
        if (gen === generation.current) inFlight.current.delete(page);
      }
    },
    [api],
  );

  const reload = useCallback(
    (q: string) => {
      generation.current += 1;
      inFlight.current = new Set();
      const gen = generation.current;
      // Same state for a new query (no render until its answer); see searchAsked.
      setState((s) => searchAsked(s, q));
      void fetchPage(q, 0, gen, true);
    },
    [fetchPage],
  );

  useEffect(() => reload(query), [query, reload]);
  useApiEvent('patients:changed', () => reload(query));

  const rowAt = useCallback(
    (index: number): PatientRow | undefined => {
      const page = Math.floor(index / PAGE_SIZE);
      return state.pages.get(page)?.[index - page * PAGE_SIZE];
    },
    [state.pages],
  );

  const busy = searchBusy(state, query);

  /** Fetches the pages of the rows the list shows (called from an effect, never during render). */
  const ensureRange = useCallback(
    (first: number, last: number) => {
      // While a newer query runs, the rows shown are about to be replaced: no pages of theirs.
      if (busy) return;
      for (let page = Math.floor(first / PAGE_SIZE); page <= Math.floor(last / PAGE_SIZE); page += 1) {
        if (!state.pages.has(page) && !inFlight.current.has(page))
          void fetchPage(state.query, page, generation.current);
      }
    },
    [state.pages, state.query, busy, fetchPage],
  );

  return useMemo(
    () => ({
      /** The query of the results shown. */
      query: state.query,
      total: state.total,
      busy,
      error: state.error,
      rowAt,
      ensureRange,
    }),
    [state.query, state.total, busy, state.error, rowAt, ensureRange],
  );
}
