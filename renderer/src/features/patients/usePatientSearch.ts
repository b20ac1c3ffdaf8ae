import { useCallback, useEffect, useRef, useState } from 'react';
import type { PatientRow } from '../../../../shared/src/api/contract';
import { useApi } from '../../api/ApiProvider';
import { useApiEvent } from '../../api/useApiEvent';

export const PAGE_SIZE = 100;

type SearchState = {
  readonly query: string;
  readonly total: number | null;
  readonly pages: ReadonlyMap<number, readonly PatientRow[]>;
  readonly error: unknown;
};

/**
 * Search as the user types: each keystroke asks the host for the first page (the host's
 * index does the accent- and case-insensitive matching), answers to older keystrokes are
 * dropped. Further pages are fetched when the virtual list shows their rows, so 10,000
 * patients never cross the API at once.
 */
export function usePatientSearch(query: string) {
  const api = useApi();
  const [state, setState] = useState<SearchState>({ query, total: null, pages: new Map(), error: null });
  const generation = useRef(0);
  const inFlight = useRef(new Set<number>());

  const fetchPage = useCallback(
    async (q: string, page: number, gen: number, replace = false) => {
      inFlight.current.add(page);
      try {
        const r = await api.call('patients:search', { query: q, offset: page * PAGE_SIZE, limit: PAGE_SIZE });
        if (gen !== generation.current) return;
        setState((s) => {
          // A reload keeps the old rows on screen until its first page is there, then drops them all.
          const pages = replace ? new Map<number, readonly PatientRow[]>() : new Map(s.pages);
          pages.set(page, r.rows);
          return { query: q, total: r.total, pages, error: null };
        });
      } catch (error) {
        if (gen === generation.current) setState((s) => ({ ...s, error }));
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
      setState((s) => ({
        query: q,
        total: s.query === q ? s.total : null,
        pages: s.query === q ? s.pages : new Map(),
        error: null,
      }));
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

  /** Fetches the pages of the rows the list shows (called from an effect, never during render). */
  const ensureRange = useCallback(
    (first: number, last: number) => {
      for (let page = Math.floor(first / PAGE_SIZE); page <= Math.floor(last / PAGE_SIZE); page += 1) {
        if (!state.pages.has(page) && !inFlight.current.has(page))
          void fetchPage(state.query, page, generation.current);
      }
    },
    [state.pages, state.query, fetchPage],
  );

  return { total: state.total, error: state.error, rowAt, ensureRange };
}
