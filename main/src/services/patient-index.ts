import type { MangoQuery } from 'rxdb';
import type { Subscription } from 'rxjs';
import type { PatientRow } from '../../../shared/src/api';
import type { Patient } from '../../../shared/src/schemas';
import { normaliseSearchText } from '../../../shared/src/schemas';
import type { ClinicDatabase } from '../db/clinic-database';

/**
 * An in-memory index of the vault's patients, for the search-as-you-type of the patient
 * list (10,000 patients: every keystroke scans plain arrays, no database round trip and no
 * decryption) and for duplicate detection. Built once from the collection when the store
 * opens and kept in step with it through the collection's change stream, which also
 * carries what the replication pulls. Holds identity fields only, like the list rows.
 */

type Entry = {
  readonly row: PatientRow;
  /** Distinct words of both search keys (birth and used name + first names), normalised. */
  readonly words: readonly string[];
  readonly sortKey: string;
  readonly nir: string | undefined;
  readonly traits: string;
};

export type SearchQuery = {
  /** Name words (normalised), each the prefix of some word of the patient's names. */
  readonly words: readonly string[];
  readonly birthDate?: string;
  /** yyyy (a year typed alone) or yyyy-mm (mm/yyyy typed). */
  readonly birthYear?: string;
  /** -mm-dd (dd/mm typed without the year). */
  readonly birthDaySuffix?: string;
  /** Upper-case NIR prefix without spaces. */
  readonly nirPrefix?: string;
};

export type PatientIndex = {
  /** Resolves once the initial load is done. */
  readonly ready: Promise<void>;
  /** Searches the loaded index (before `ready`, only what is loaded so far). */
  search(query: SearchQuery, offset: number, limit: number): { rows: PatientRow[]; total: number };
  /**
   * The answer of `search` once the index is loaded. While it loads, the first pages of the
   * whole list (empty query, what the list shows right after the unlock) are read from the
   * database's usedSearchKey index instead of waiting for the load: same rows, same order.
   */
  answer(query: SearchQuery, offset: number, limit: number): Promise<{ rows: PatientRow[]; total: number }>;
  /** Ids of other patients with this NIR / these traits. */
  byNir(nir: string): readonly string[];
  byTraits(p: TraitsInput): readonly string[];
  row(id: string): PatientRow | undefined;
  readonly size: number;
  close(): void;
};

export type TraitsInput = Pick<Patient, 'birthName' | 'firstNames' | 'birthDate' | 'sex'>;

export function traitsKey(p: TraitsInput): string {
  return [normaliseSearchText(p.birthName), normaliseSearchText(p.firstNames[0] ?? ''), p.birthDate, p.sex].join('|');
}

export function rowOf(p: Patient): PatientRow {
  return {
    id: p.id,
    birthName: p.birthName,
    ...(p.usedName === undefined ? {} : { usedName: p.usedName }),
    firstNames: [...p.firstNames],
    ...(p.usedFirstName === undefined ? {} : { usedFirstName: p.usedFirstName }),
    birthDate: p.birthDate,
    sex: p.sex,
    ...(p.nir === undefined ? {} : { nir: p.nir }),
    identityStatus: p.identityStatus,
    ...(p.deceasedDate === undefined ? {} : { deceasedDate: p.deceasedDate }),
    updatedAt: p.updatedAt,
  };
}

const compareSortKeys = (a: Entry, b: Entry): number => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0);

const isEmptyQuery = (query: SearchQuery): boolean =>
  query.words.length === 0 &&
  query.nirPrefix === undefined &&
  query.birthDate === undefined &&
  query.birthYear === undefined &&
  query.birthDaySuffix === undefined;

/** Documents per storage query while the index loads (a few tens of ms of the worker each). */
const LOAD_CHUNK = 500;
/** The list's first page (renderer and service ask 100 rows at a time), prefetched while the index loads. */
const FIRST_PAGE_ROWS = 100;
/** The deepest page answered from the database while the index loads (further ones wait for it). */
const EARLY_ANSWER_MAX_ROWS = 1000;

function entryOf(p: Patient): Entry {
  const words = new Set<string>();
  for (const key of [p.searchKey, p.usedSearchKey, normaliseSearchText(p.usedFirstName ?? '')]) {
    for (const w of key.split(' ')) if (w !== '') words.add(w);
  }
  return {
    row: rowOf(p),
    words: [...words],
    sortKey: `${p.usedSearchKey}\u0000${p.birthDate}\u0000${p.id}`,
    nir: p.nir,
    traits: traitsKey(p),
  };
}

const DATE_FR = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;
const DATE_ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH_YEAR = /^(\d{1,2})[/.-](\d{4})$/;
const DAY_MONTH = /^(\d{1,2})[/.](\d{1,2})$/;

/**
 * Reads what the user typed: a NIR (or its beginning: digits, 2A/2B, spaces allowed), a
 * birth date (dd/mm/yyyy or yyyy-mm-dd) or a birth year among name words, and name words.
 */
export function parseSearchQuery(text: string): SearchQuery {
  const trimmed = text.trim();
  const compact = trimmed.replace(/\s/g, '').toUpperCase();
  if (/^[0-9](?:[0-9]|2A|2B){4,}/.test(compact) && /^[0-9AB]{5,15}$/.test(compact) && !/^\d{4}$/.test(compact)) {
    return { words: [], nirPrefix: compact };
  }
  const words: string[] = [];
  let birthDate: string | undefined;
  let birthYear: string | undefined;
  let birthDaySuffix: string | undefined;
  for (const token of trimmed.split(/\s+/).filter((t) => t.length > 0)) {
    const fr = DATE_FR.exec(token);
    const iso = DATE_ISO.exec(token);
    if (fr) {
      birthDate = `${fr[3]}-${(fr[2] as string).padStart(2, '0')}-${(fr[1] as string).padStart(2, '0')}`;
    } else if (iso) {
      birthDate = token;
    } else if (/^\d{4}$/.test(token)) {
      birthYear = token;
    } else if (MONTH_YEAR.test(token)) {
      const m = MONTH_YEAR.exec(token) as RegExpExecArray;
      birthYear = `${m[2]}-${(m[1] as string).padStart(2, '0')}`;
    } else if (DAY_MONTH.test(token)) {
      const m = DAY_MONTH.exec(token) as RegExpExecArray;
      birthDaySuffix = `-${(m[2] as string).padStart(2, '0')}-${(m[1] as string).padStart(2, '0')}`;
    } else {
      for (const w of normaliseSearchText(token).split(' ')) if (w !== '') words.push(w);
    }
  }
  return {
    words,
    ...(birthDate === undefined ? {} : { birthDate }),
    ...(birthYear === undefined ? {} : { birthYear }),
    ...(birthDaySuffix === undefined ? {} : { birthDaySuffix }),
  };
}

function matches(e: Entry, q: SearchQuery): boolean {
  if (q.nirPrefix !== undefined) return e.nir !== undefined && e.nir.startsWith(q.nirPrefix);
  if (q.birthDate !== undefined && e.row.birthDate !== q.birthDate) return false;
  if (q.birthYear !== undefined && !e.row.birthDate.startsWith(q.birthYear)) return false;
  if (q.birthDaySuffix !== undefined && !e.row.birthDate.endsWith(q.birthDaySuffix)) return false;
  for (const w of q.words) {
    let found = false;
    for (const x of e.words) {
      if (x.startsWith(w)) {
        found = true;
        break;
      }
    }
    if (!found) return false;
  }
  return true;
}

function addTo(map: Map<string, Set<string>>, key: string | undefined, id: string): void {
  if (key === undefined) return;
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(id);
}

function removeFrom(map: Map<string, Set<string>>, key: string | undefined, id: string): void {
  if (key === undefined) return;
  const set = map.get(key);
  set?.delete(id);
  if (set?.size === 0) map.delete(key);
}

export function createPatientIndex(db: ClinicDatabase): PatientIndex {
  const entries = new Map<string, Entry>();
  const nirs = new Map<string, Set<string>>();
  const traits = new Map<string, Set<string>>();
  let sorted: Entry[] | undefined;
  let loading = true;
  const changedWhileLoading = new Set<string>();

  const put = (p: Patient): void => {
    remove(p.id);
    const e = entryOf(p);
    entries.set(p.id, e);
    addTo(nirs, e.nir, p.id);
    addTo(traits, e.traits, p.id);
    sorted = undefined;
  };
  const remove = (id: string): void => {
    const old = entries.get(id);
    if (!old) return;
    entries.delete(id);
    removeFrom(nirs, old.nir, id);
    removeFrom(traits, old.traits, id);
    sorted = undefined;
  };

  const subscription: Subscription = db.patient.$.subscribe((event) => {
    if (loading) {
      changedWhileLoading.add(event.documentId);
      // The prefetched first page may no longer be the list's.
      firstPage = undefined;
      return;
    }
    if (event.operation === 'DELETE') remove(event.documentId);
    else put(event.documentData as unknown as Patient);
  });

  /**
   * Stored documents straight from the storage instance: no RxDocument per patient (10,000
   * of them, each copied again by toJSON), and the documents were validated when written.
   * (Ranges of an index only: this planner serves `id > x` or an offset with a full scan.)
   */
  const stored = async (query: MangoQuery<Patient>): Promise<Patient[]> => {
    const prepared = db.patient.find(query).getPreparedQuery();
    const result = await db.patient.storageInstance.query(prepared);
    return result.documents as unknown as Patient[];
  };

  /**
   * Rows offset..offset+limit of the whole list, ordered as the index orders them (usedSearchKey,
   * birthDate, id), from the database: the usedSearchKey index gives the first offset+limit
   * documents (ordered by usedSearchKey, then id); all those sharing the last one's
   * usedSearchKey are read too, since birthDate orders them; sorted here, then cut.
   */
  const pageFromDatabase = async (offset: number, limit: number): Promise<{ rows: PatientRow[]; total: number }> => {
    const [head, total] = await Promise.all([
      stored({ selector: {}, sort: [{ usedSearchKey: 'asc' }, { id: 'asc' }], limit: offset + limit }),
      db.patient.count().exec(),
    ]);
    const last = head[head.length - 1];
    const byId = new Map(head.map((p) => [p.id, p]));
    if (last !== undefined && head.length === offset + limit) {
      for (const p of await stored({ selector: { usedSearchKey: last.usedSearchKey }, sort: [{ usedSearchKey: 'asc' }, { id: 'asc' }] })) {
        byId.set(p.id, p);
      }
    }
    const page = [...byId.values()].map(entryOf).sort(compareSortKeys).slice(offset, offset + limit);
    return { rows: page.map((e) => e.row), total };
  };

  // The first page of the whole list (what the list asks right after an unlock), read before
  // the load: the store's worker answers calls in turn, and the load is its longest one.
  // (Its second query, the namesakes of its last row, depends on the first: the load waits for both.)
  const prefetch = pageFromDatabase(0, FIRST_PAGE_ROWS);
  let firstPage: Promise<{ rows: PatientRow[]; total: number }> | undefined = prefetch;

  const ready = (async () => {
    try {
      await prefetch.catch(() => undefined);
      // In chunks along the usedSearchKey index (each a range of it, not a scan): the worker
      // serves the calls of the list (the search, its audit event) between two chunks.
      const order: MangoQuery<Patient>['sort'] = [{ usedSearchKey: 'asc' }, { id: 'asc' }];
      let from: { $gte: string } | { $gt: string } | undefined;
      for (;;) {
        const chunk = await stored({ selector: from === undefined ? {} : { usedSearchKey: from }, sort: order, limit: LOAD_CHUNK });
        for (const p of chunk) put(p);
        if (chunk.length < LOAD_CHUNK) break;
        const last = (chunk[chunk.length - 1] as Patient).usedSearchKey;
        if (from !== undefined && '$gte' in from && from.$gte === last) {
          // More namesakes than a chunk holds: all of them at once, then past them.
          for (const p of await stored({ selector: { usedSearchKey: last } })) put(p);
          from = { $gt: last };
        } else {
          // From the last key again: its namesakes may go on in the next chunk (read twice, put once).
          from = { $gte: last };
        }
      }
      // Changes seen during the load: their current state, read again (the load may hold an older or newer one).
      while (changedWhileLoading.size > 0) {
        const ids = [...changedWhileLoading];
        changedWhileLoading.clear();
        const now = await db.patient.findByIds(ids).exec();
        for (const id of ids) {
          const doc = now.get(id);
          if (doc) put(doc.toJSON() as unknown as Patient);
          else remove(id);
        }
      }
      // Sorted now rather than at the first keystroke.
      sorted = [...entries.values()].sort(compareSortKeys);
    } finally {
      loading = false;
      firstPage = undefined;
    }
  })();

  const ordered = (): Entry[] => {
    if (!sorted) sorted = [...entries.values()].sort(compareSortKeys);
    return sorted;
  };

  const search = (query: SearchQuery, offset: number, limit: number): { rows: PatientRow[]; total: number } => {
    const all = ordered();
    const rows: PatientRow[] = [];
    let total = 0;
    if (isEmptyQuery(query)) {
      return { rows: all.slice(offset, offset + limit).map((e) => e.row), total: all.length };
    }
    for (const e of all) {
      if (!matches(e, query)) continue;
      if (total >= offset && rows.length < limit) rows.push(e.row);
      total++;
    }
    return { rows, total };
  };

  return {
    ready,
    search,
    async answer(query, offset, limit) {
      if (loading && isEmptyQuery(query) && offset + limit <= EARLY_ANSWER_MAX_ROWS) {
        const prefetched = offset === 0 && limit === FIRST_PAGE_ROWS ? firstPage : undefined;
        if (prefetched) return prefetched.catch(() => pageFromDatabase(offset, limit));
        return pageFromDatabase(offset, limit);
      }
      await ready;
      return search(query, offset, limit);
    },
    byNir: (nir) => [...(nirs.get(nir) ?? [])],
    byTraits: (p) => [...(traits.get(traitsKey(p)) ?? [])],
    row: (id) => entries.get(id)?.row,
    get size() {
      return entries.size;
    },
    close() {
      subscription.unsubscribe();
    },
  };
}
