import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RxStorage } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { getRxStorageSQLCipher } from '../../main/src/storage/sqlcipher';
import { createWorkerRxStorage } from '../../main/src/storage/worker';
import type { BenchPatient } from './patients';
import { BIRTH_DAYS, FIRST_BIRTH_DAY, generatePatients, isoDay, seededRandom } from './patients';
import type { StallMode, StallResult } from './stall';
import { measureStallIsolated } from './stall';
import type { BenchStore } from './stores';
import { rawSqlCipherStore, rxStorageStore } from './stores';

/** One benchmark figure, the shape every benchmark of the project prints (DESIGN.md). */
export type BenchLine = {
  readonly bench: 'storage';
  readonly workload: string;
  readonly n: number;
  readonly unit: 'ms';
  readonly value: number;
  readonly compare: Readonly<Record<string, number>>;
};

export type BenchOptions = {
  readonly quick: boolean;
  readonly emit: (line: BenchLine) => void;
  /** Human-readable notes (ratios, what was measured); never on stdout. */
  readonly note: (text: string) => void;
};

type Sizes = {
  readonly small: number;
  readonly large: number;
  readonly byId: number;
  readonly queryLimit: number;
  readonly repeats: number;
  readonly stall: number;
};

const FULL: Sizes = { small: 10_000, large: 100_000, byId: 1_000, queryLimit: 100, repeats: 15, stall: 100_000 };
const QUICK: Sizes = { small: 1_000, large: 5_000, byId: 200, queryLimit: 100, repeats: 3, stall: 5_000 };

/** Runs of the small bulk-insert (the large one is long enough to be measured once). */
const SMALL_INSERT_RUNS = 3;

/** Patients each store writes, untimed, to a throwaway file before the first timed insert. */
const WARM_UP_INSERT = 2_000;

/** bulkInsert size while measuring the owner's event loop: a replication or import batch. */
const STALL_BATCH = 1_000;

const THIS = 'sqlcipher';
const BASELINES = ['raw-sqlcipher', 'rxdb-memory'] as const;
type StoreName = typeof THIS | (typeof BASELINES)[number];
const STORE_NAMES: readonly StoreName[] = [THIS, ...BASELINES];

function round(ms: number): number {
  return ms >= 100 ? Math.round(ms) : Number(ms.toPrecision(3));
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const at = (i: number): number => sorted[i] ?? Number.NaN;
  return sorted.length % 2 === 1 ? at(mid) : (at(mid - 1) + at(mid)) / 2;
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

type Figures = Record<StoreName, number>;

function line(workload: string, n: number, figures: Figures): BenchLine {
  return {
    bench: 'storage',
    workload,
    n,
    unit: 'ms',
    value: round(figures[THIS]),
    compare: { 'raw-sqlcipher': round(figures['raw-sqlcipher']), 'rxdb-memory': round(figures['rxdb-memory']) },
  };
}

function ratioNote(l: BenchLine): string {
  const raw = l.compare['raw-sqlcipher'];
  const ratio = raw ? (l.value / raw).toFixed(2) : 'n/a';
  return `${l.workload} n=${l.n}: ${THIS} ${l.value} ms, ${ratio}× raw SQLCipher`;
}

type Stores = Record<StoreName, BenchStore>;

function makeStores(dir: string, key: Uint8Array, memory: RxStorage<unknown, unknown>, tag: string): Stores {
  return {
    sqlcipher: rxStorageStore(
      getRxStorageSQLCipher({ filename: path.join(dir, `storage-${tag}.db`), key }) as RxStorage<unknown, unknown>,
      `bench${tag}`,
    ),
    'raw-sqlcipher': rawSqlCipherStore(path.join(dir, `raw-${tag}.db`), key),
    'rxdb-memory': rxStorageStore(memory, `bench${tag}`),
  };
}

/** Runs `work` on each store, in the same order every time, and checks they agree. */
async function onEach<T>(
  stores: Stores,
  work: (store: BenchStore) => Promise<T>,
  check: (result: T, name: StoreName) => void,
): Promise<Figures> {
  const figures = {} as Figures;
  for (const name of STORE_NAMES) {
    let result: T | undefined;
    figures[name] = await time(async () => {
      result = await work(stores[name]);
    });
    check(result as T, name);
  }
  return figures;
}

async function repeated(
  stores: Stores,
  repeats: number,
  work: (store: BenchStore, round: number) => Promise<unknown>,
  check: (result: unknown, name: StoreName, round: number) => void,
): Promise<Figures> {
  const samples: Record<StoreName, number[]> = { sqlcipher: [], 'raw-sqlcipher': [], 'rxdb-memory': [] };
  // Round 0 warms statement caches and JIT and is not counted.
  for (let r = 0; r <= repeats; r++) {
    for (const name of STORE_NAMES) {
      let result: unknown;
      const ms = await time(async () => {
        result = await work(stores[name], r);
      });
      check(result, name, r);
      if (r > 0) samples[name].push(ms);
    }
  }
  return {
    sqlcipher: median(samples.sqlcipher),
    'raw-sqlcipher': median(samples['raw-sqlcipher']),
    'rxdb-memory': median(samples['rxdb-memory']),
  };
}

function expectEqual(actual: unknown, expected: unknown, what: string): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(`${what}: stores disagree (${JSON.stringify(actual).slice(0, 200)} vs ${JSON.stringify(expected).slice(0, 200)})`);
  }
}

async function bulkInsert(
  opts: BenchOptions,
  dir: string,
  key: Uint8Array,
  patients: readonly BenchPatient[],
  tag: string,
  runs = 1,
): Promise<{ stores: Stores; figures: Figures }> {
  const samples: Record<StoreName, number[]> = { sqlcipher: [], 'raw-sqlcipher': [], 'rxdb-memory': [] };
  let stores: Stores | undefined;
  // Each run writes into fresh, empty stores; the stores of the last run are returned.
  for (let r = 0; r < runs; r++) {
    if (stores) for (const name of STORE_NAMES) await stores[name].close();
    const memory = getRxStorageMemory() as RxStorage<unknown, unknown>;
    stores = makeStores(dir, key, memory, runs === 1 ? tag : `${tag}${r}`);
    for (const name of STORE_NAMES) await stores[name].open();
    for (const name of STORE_NAMES) {
      const write = stores[name].prepareInsert(patients);
      samples[name].push(await time(write));
    }
  }
  if (!stores) throw new Error('bulk-insert needs at least one run');
  const figures: Figures = {
    sqlcipher: median(samples.sqlcipher),
    'raw-sqlcipher': median(samples['raw-sqlcipher']),
    'rxdb-memory': median(samples['rxdb-memory']),
  };
  const l = line('bulk-insert', patients.length, figures);
  opts.emit(l);
  opts.note(runs === 1 ? ratioNote(l) : `${ratioNote(l)} (median of ${runs} runs into fresh stores)`);
  return { stores, figures };
}

async function warmUp(dir: string, key: Uint8Array): Promise<Figures> {
  const stores = makeStores(dir, key, getRxStorageMemory() as RxStorage<unknown, unknown>, 'warm');
  const patients = generatePatients(WARM_UP_INSERT, 1);
  const figures = {} as Figures;
  for (const name of STORE_NAMES) {
    await stores[name].open();
    figures[name] = await time(stores[name].prepareInsert(patients));
    await stores[name].close();
  }
  return figures;
}

/** Birth-date windows wide enough to hold more than `limit` patients out of `n`. */
function dateWindows(n: number, limit: number, count: number): [string, string][] {
  const random = seededRandom(7);
  const days = Math.ceil(((limit * BIRTH_DAYS) / n) * 2);
  return Array.from({ length: count }, () => {
    const start = FIRST_BIRTH_DAY + Math.floor(random() * (BIRTH_DAYS - days));
    return [isoDay(start), isoDay(start + days)];
  });
}

export async function runStorageBench(opts: BenchOptions): Promise<void> {
  const sizes = opts.quick ? QUICK : FULL;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'storage-bench-'));
  const key = new Uint8Array(randomBytes(32));
  try {
    const large = generatePatients(sizes.large);
    opts.note(`machine: ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    opts.note(
      `storage bench: ${THIS} = SQLCipher RxStorage at the storage-instance level (rxdb-memory likewise), in-process; writes in batches of 10,000`,
    );
    opts.note(
      'bulk-insert: each store gets its input ready before the clock starts (RxStorage stores: the storage documents and write rows RxDB\'s collection would build; raw: the patients); serialising, indexing and committing are timed',
    );

    // The other workloads drop a warm-up round (see repeated()); bulk-insert runs once, so each
    // store first writes a few patients to a throwaway file: otherwise the first store in the
    // order would pay, within the 10,000 figure, the JIT and first-use costs of code paths the
    // stores share (better-sqlite3, SQLCipher, JSON), and of its own.
    const warm = await warmUp(dir, key);
    opts.note(
      `warm-up (untimed in the figures): first insert of ${WARM_UP_INSERT} patients in the process: ${STORE_NAMES.map((name) => `${name} ${round(warm[name])} ms`).join(', ')}`,
    );

    // A single write of this size lasts a few hundred ms: on a shared machine one run is mostly
    // noise, so it is the median of a few, like the other short workloads.
    const small = await bulkInsert(opts, dir, key, large.slice(0, sizes.small), 'small', SMALL_INSERT_RUNS);
    for (const name of STORE_NAMES) await small.stores[name].close();

    const { stores, figures: largeInsert } = await bulkInsert(opts, dir, key, large, 'large');

    const idRandom = seededRandom(11);
    const idSets = Array.from({ length: sizes.repeats + 1 }, () => {
      const ids = new Set<string>();
      while (ids.size < sizes.byId) ids.add(large[Math.floor(idRandom() * large.length)]?.id ?? '');
      return [...ids];
    });
    const byId = await repeated(
      stores,
      sizes.repeats,
      (s, r) => s.findByIds(idSets[r] ?? []),
      (result, name, r) => {
        const ids = (result as BenchPatient[]).map((p) => p.id).sort();
        expectEqual(ids, [...(idSets[r] ?? [])].sort(), `find-by-id (${name})`);
      },
    );
    opts.emit(line('find-by-id', sizes.byId, byId));

    const windows = dateWindows(large.length, sizes.queryLimit, sizes.repeats + 1);
    const expectedWindows = windows.map(([from, to]) =>
      large
        .filter((p) => p.birthDate >= from && p.birthDate < to)
        .sort((a, b) => (a.birthDate === b.birthDate ? (a.id < b.id ? -1 : 1) : a.birthDate < b.birthDate ? -1 : 1))
        .slice(0, sizes.queryLimit)
        .map((p) => p.id),
    );
    const query = await repeated(
      stores,
      sizes.repeats,
      (s, r) => {
        const [from, to] = windows[r] ?? ['', ''];
        return s.bornBetween(from, to, sizes.queryLimit);
      },
      (result, name, r) => {
        const ids = (result as BenchPatient[]).map((p) => p.id);
        expectEqual(ids, expectedWindows[r], `indexed-query (${name})`);
        expectEqual(ids.length, sizes.queryLimit, `indexed-query size (${name})`);
      },
    );
    const queryLine = line('indexed-query', sizes.queryLimit, query);
    opts.emit(queryLine);
    opts.note(ratioNote(queryLine));

    const count = await repeated(
      stores,
      sizes.repeats,
      (s) => s.count(),
      (result, name) => expectEqual(result, large.length, `count (${name})`),
    );
    opts.emit(line('count', large.length, count));

    for (const name of STORE_NAMES) await stores[name].close();
    const [from, to] = windows[0] ?? ['', ''];
    const reopen = await onEach(
      stores,
      async (s) => {
        await s.open();
        return s.bornBetween(from, to, sizes.queryLimit);
      },
      (result, name) =>
        expectEqual(
          result.map((p) => p.id),
          expectedWindows[0],
          `reopen-first-query (${name})`,
        ),
    );
    opts.emit(line('reopen-first-query', large.length, reopen));
    opts.note('reopen-first-query: rxdb-memory keeps its data in the process, so its reopen loads nothing');
    for (const name of STORE_NAMES) await stores[name].close();

    // The app reaches the storage through the worker: the same storage and workloads, plus
    // the structured clone of every call and result, against the baselines measured above.
    const worker = await createWorkerRxStorage({ filename: path.join(dir, 'worker-large.db'), key });
    try {
      const viaWorker = rxStorageStore(worker.storage as RxStorage<unknown, unknown>, 'benchworker');
      await viaWorker.open();
      const insertMs = await time(viaWorker.prepareInsert(large));
      const insertLine = line('bulk-insert-worker', large.length, { ...largeInsert, sqlcipher: insertMs });
      opts.emit(insertLine);
      opts.note(
        `${ratioNote(insertLine)}; through the worker the indexes a bulk load leaves out are built after the clock stops, when the vault is idle (in process, bulk-insert times them)`,
      );
      const samples: number[] = [];
      for (let r = 0; r <= sizes.repeats; r++) {
        const [from, to] = windows[r] ?? ['', ''];
        let ids: string[] = [];
        const ms = await time(async () => {
          ids = (await viaWorker.bornBetween(from, to, sizes.queryLimit)).map((p) => p.id);
        });
        expectEqual(ids, expectedWindows[r], 'indexed-query-worker');
        if (r > 0) samples.push(ms);
      }
      const workerQueryLine = line('indexed-query-worker', sizes.queryLimit, { ...query, sqlcipher: median(samples) });
      opts.emit(workerQueryLine);
      opts.note(ratioNote(workerQueryLine));
      await viaWorker.close();
    } finally {
      await worker.close();
    }

    const stall = (mode: StallMode): Promise<StallResult> =>
      measureStallIsolated({ mode, filename: path.join(dir, `stall-${mode}.db`), key, count: sizes.stall, batch: STALL_BATCH });
    const workerStall = await stall('worker');
    const inProcessStall = await stall('in-process');
    opts.emit({
      bench: 'storage',
      workload: 'event-loop-stall',
      n: sizes.stall,
      unit: 'ms',
      value: round(workerStall.stall),
      compare: { 'sqlcipher-in-process': round(inProcessStall.stall) },
    });
    opts.note(
      `event-loop-stall: longest owner event-loop delay (1 ms interval, fresh process) while an RxDatabase bulkInserts ${sizes.stall} patients in batches of ${STALL_BATCH}, SQLCipher in the worker vs on the owning thread (goal < 50 ms); longest GC pause on the owner: ${round(workerStall.longestGc)} ms with the worker, ${round(inProcessStall.longestGc)} ms in-process`,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
