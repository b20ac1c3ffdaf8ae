import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Patient } from '../shared/src/schemas';
import type { PullResponse, PushResponse, PushRow, SessionResponse } from '../shared/src/sync/protocol';
import { CLI_ACTOR } from '../sync-server/src/auth/auth-service';
import type { Engine, EngineKind } from '../sync-server/src/db/engine';
import { migrate } from '../sync-server/src/db/migrate';
import { openPostgresEngine } from '../sync-server/src/db/postgres-engine';
import { openSqliteEngine } from '../sync-server/src/db/sqlite-engine';
import { makePatient } from '../sync-server/src/testing/documents';
import { probePostgres } from '../sync-server/src/testing/engines';
import type { TestServer } from '../sync-server/src/testing/server';
import { startTestServer } from '../sync-server/src/testing/server';
import type { BenchWorkstation } from './sync-workstation';
import { openBenchWorkstation } from './sync-workstation';

export type SyncBenchLine = {
  readonly bench: 'sync';
  readonly workload: string;
  readonly n: number;
  readonly unit: 'docs/s' | 'ms';
  readonly value: number;
  readonly compare: Record<string, number>;
};

export type SyncBenchOptions = {
  readonly quick: boolean;
  /** Only these engines (figures by hand); the printed lines then compare with nothing. */
  readonly engines?: readonly EngineKind[];
  /** Only the initial sync, of this many documents (for profiling by hand). */
  readonly initialOnly?: number;
  readonly emit: (line: SyncBenchLine) => void;
  readonly note: (text: string) => void;
};

const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const PASSWORD = 'bench password of the sync benchmark';
const ENGINES: readonly EngineKind[] = ['sqlite', 'postgres'];

type Figures = {
  initialSync: number;
  initialSyncMemory: number;
  p50: number;
  p95: number;
  p99: number;
  throughput: number;
};

type Sizes = { initial: number; edits: number; workstations: number; rounds: number; pushBatch: number; pullBatch: number };

const FULL: Sizes = { initial: 50_000, edits: 1_000, workstations: 50, rounds: 4, pushBatch: 50, pullBatch: 100 };
const QUICK: Sizes = { initial: 1_000, edits: 20, workstations: 5, rounds: 2, pushBatch: 50, pullBatch: 50 };

type Db = { engine: Engine; destroy(): Promise<void> };

async function openDatabase(kind: EngineKind): Promise<Db> {
  if (kind === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-sync-sqlite-'));
    const engine = openSqliteEngine({ file: path.join(dir, 'sync.sqlite') });
    await migrate(engine);
    return {
      engine,
      async destroy() {
        await engine.close().catch(() => undefined);
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = `bench_${randomBytes(6).toString('hex')}`;
  const engine = await openPostgresEngine({ connectionString: DATABASE_URL, schema, maxConnections: 10 });
  await migrate(engine);
  return {
    engine,
    async destroy() {
      await engine.dropSchema().catch(() => undefined);
      await engine.close().catch(() => undefined);
    },
  };
}


/**
 * BENCH_SERVER_PROFILE=<folder>: a V8 CPU profile of this process (the server) during each
 * initial sync only, written there (open it in Chrome's DevTools); the seeding is left out.
 */
async function startServerProfile(name: string): Promise<{ stop(note: (t: string) => void): Promise<void> } | undefined> {
  const folder = process.env.BENCH_SERVER_PROFILE;
  if (folder === undefined || folder === '') return undefined;
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async stop(note) {
      const { profile } = await session.post('Profiler.stop');
      // eslint-disable-next-line security/detect-non-literal-fs-filename -- the folder named by whoever runs the benchmark
      fs.mkdirSync(folder, { recursive: true });
      const file = path.join(folder, `server-${name}-${Date.now()}.cpuprofile`);
      // eslint-disable-next-line security/detect-non-literal-fs-filename -- inside that folder
      fs.writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
      note(`server profile: ${file}`);
    },
  };
}

/**
 * CPU time (ms) of every PostgreSQL process on this machine (Linux /proc; 0 elsewhere or for
 * SQLite): the server's own figure leaves out the database's work done on its behalf, and on
 * two cores that work competes with the workstation's. Other databases of the cluster idle.
 */
function postgresCpuMs(): number {
  let total = 0;
  let pids: string[];
  try {
    pids = fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return 0;
  }
  const ticksPerMs = 100 / 1000; // USER_HZ is 100 on Linux
  for (const pid of pids) {
    try {
      // eslint-disable-next-line security/detect-non-literal-fs-filename -- a /proc path built from the process ids /proc lists
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      if (!stat.slice(stat.indexOf('(') + 1, close).startsWith('postgres')) continue;
      const fields = stat.slice(close + 2).split(' ');
      // utime and stime are fields 14 and 15 of stat, 12 and 13 after the command name.
      total += (Number(fields[11]) + Number(fields[12])) / ticksPerMs;
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return total;
}

type Account = { username: string; userId: string; workstationId: string };

async function createAccount(server: TestServer, role: 'practitioner' | 'secretary', username: string, n: number): Promise<Account> {
  const rpps = role === 'practitioner' ? String(10_000_000_000 + n).slice(0, 11) : undefined;
  const user = await server.services.auth.createUser(
    { username, displayName: username, role, ...(rpps ? { rpps } : {}), password: PASSWORD },
    CLI_ACTOR,
  );
  const workstation = await server.services.auth.registerWorkstation(`ws-${username}`, CLI_ACTOR);
  return { username, userId: user.id, workstationId: workstation.id };
}

/** A lightweight workstation: the HTTP protocol with a real session, no RxDB. */
type HttpWorkstation = { readonly token: string; checkpoint: { sequence: number } | null };

async function login(server: TestServer, account: Account): Promise<HttpWorkstation> {
  const res = await fetch(`${server.url}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: account.username, password: PASSWORD, workstationId: account.workstationId }),
  });
  if (!res.ok) throw new Error(`login ${account.username}: ${res.status} ${await res.text()}`);
  const session = (await res.json()) as SessionResponse;
  return { token: session.accessToken, checkpoint: null };
}

async function post<T>(server: TestServer, ws: HttpWorkstation, route: string, body: unknown): Promise<T> {
  const res = await fetch(`${server.url}/v1/replication/${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ws.token}` },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${route}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

function patients(count: number, marker: string): Patient[] {
  return Array.from({ length: count }, (_, i) => makePatient(randomUUID(), `BENCH-${marker}-${i}`));
}

async function pushAll(server: TestServer, ws: HttpWorkstation, docs: readonly Patient[], batch: number): Promise<void> {
  for (let i = 0; i < docs.length; i += batch) {
    const rows: PushRow[] = docs.slice(i, i + batch).map((d) => ({ assumedMasterState: null, newDocumentState: { ...d, _deleted: false } }));
    const res = await post<PushResponse>(server, ws, 'patient/push', { rows });
    if (res.rejected.length > 0 || res.conflicts.length > 0) throw new Error(`seed push refused: ${JSON.stringify(res.rejected[0])}`);
  }
}

function percentile(sorted: readonly number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

const round = (v: number, digits = 1): number => Math.round(v * 10 ** digits) / 10 ** digits;

async function runEngine(kind: EngineKind, sizes: Sizes, note: (t: string) => void, initialOnly: boolean): Promise<Figures> {
  const db = await openDatabase(kind);
  const server = await startTestServer(db.engine);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-sync-ws-'));
  const workstations: BenchWorkstation[] = [];
  try {
    // ---- seed: a secretary's console pushes the clinic's patients over the protocol.
    const reception = await createAccount(server, 'secretary', 'accueil', 1);
    const seeder = await login(server, reception);
    let t = performance.now();
    await pushAll(server, seeder, patients(sizes.initial, 'seed'), 500);
    note(`${kind}: seeded ${sizes.initial} patients in ${Math.round(performance.now() - t)} ms`);
    if (kind === 'postgres') {
      // What autovacuum does to freshly loaded tables (vacuum, planner statistics), done now:
      // a clinic's server is not loaded a moment before a workstation's first sync, and
      // autovacuum waking up in the middle of the measurement took a share of the two cores.
      t = performance.now();
      await db.engine.execute('VACUUM (ANALYZE) documents, audit_log');
      note(`${kind}: VACUUM (ANALYZE) of documents and audit_log after the seed in ${Math.round(performance.now() - t)} ms`);
    }

    // ---- initial sync: one fresh RxDB workstation per process, vault then memory storage.
    const initialSync = async (storage: 'vault' | 'memory', name: string): Promise<number> => {
      const account = await createAccount(server, 'secretary', name, 2);
      const ws = await openBenchWorkstation({
        serverUrl: server.url,
        workstationId: account.workstationId,
        username: account.username,
        password: PASSWORD,
        ...(storage === 'vault' ? { vaultDir: fs.mkdtempSync(path.join(tmp, 'vault-')) } : {}),
      });
      try {
        const profile = await startServerProfile(`${kind}-${storage}`);
        const cpuBefore = process.cpuUsage();
        const pgBefore = kind === 'postgres' ? postgresCpuMs() : 0;
        const r = await ws.call<{ ms: number; stored: number; cpuMs: number; threads: { main: number; worker: number; other: number } }>({
          op: 'initialSync',
          n: sizes.initial,
        });
        const serverCpu = process.cpuUsage(cpuBefore);
        const pgMs = kind === 'postgres' ? postgresCpuMs() - pgBefore : 0;
        await profile?.stop(note);
        if (r.stored !== sizes.initial) throw new Error(`initial sync stored ${r.stored} of ${sizes.initial}`);
        const rate = (sizes.initial / r.ms) * 1000;
        const perDoc = (cpuMs: number): number => Math.round((cpuMs / sizes.initial) * 1000);
        note(
          `${kind}: initial sync on ${storage} storage: ${sizes.initial} in ${Math.round(r.ms)} ms (${Math.round(rate)} docs/s); ` +
            `CPU per document: workstation ${perDoc(r.cpuMs)} us (all its threads), server ${perDoc((serverCpu.user + serverCpu.system) / 1000)} us${kind === 'postgres' ? ` (and PostgreSQL's processes ${perDoc(pgMs)} us)` : ''}; ` +
            `workstation threads: main ${perDoc(r.threads.main)} us, ${storage === 'vault' ? 'storage worker' : 'busiest other'} ${perDoc(r.threads.worker)} us, others ${perDoc(r.threads.other)} us; ` +
            `documents per CPU-second: workstation ${Math.round((sizes.initial / r.cpuMs) * 1000)}, server ${Math.round((sizes.initial / ((serverCpu.user + serverCpu.system) / 1000)) * 1000)}, both ${Math.round((sizes.initial / (r.cpuMs + (serverCpu.user + serverCpu.system) / 1000)) * 1000)}; ` +
            `load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`,
        );
        return rate;
      } finally {
        await ws.close();
      }
    };
    const initialSyncVault = await initialSync('vault', 'poste-vault');
    const initialSyncMemory = await initialSync('memory', 'poste-memory');
    if (initialOnly) return { initialSync: initialSyncVault, initialSyncMemory, p50: 0, p95: 0, p99: 0, throughput: 0 };

    // ---- live propagation: two vault workstations of the same clinic, edits one at a time.
    const a = await createAccount(server, 'secretary', 'secretaire-a', 3);
    const b = await createAccount(server, 'secretary', 'secretaire-b', 4);
    const small = patients(Math.min(sizes.edits, 100), 'live');
    await pushAll(server, seeder, small, 500);
    for (const account of [a, b]) {
      workstations.push(
        await openBenchWorkstation({
          serverUrl: server.url,
          workstationId: account.workstationId,
          username: account.username,
          password: PASSWORD,
          vaultDir: fs.mkdtempSync(path.join(tmp, 'vault-')),
        }),
      );
    }
    const [wa, wb] = workstations as [BenchWorkstation, BenchWorkstation];
    await Promise.all([wa.call({ op: 'start' }), wb.call({ op: 'start' })]);
    await Promise.all([wa.call({ op: 'awaitInSync' }), wb.call({ op: 'awaitInSync' })]);
    await wb.call({ op: 'watch' });
    const latencies: number[] = [];
    for (let i = 0; i < sizes.edits; i++) {
      const target = small[i % small.length] as Patient;
      const marker = `EDIT-${i}`;
      const seen = wb.seen(marker);
      const editedAt = await wa.call<number>({ op: 'edit', id: target.id, marker });
      latencies.push((await seen) - editedAt);
    }
    latencies.sort((x, y) => x - y);
    await Promise.all(workstations.map((w) => w.close()));
    workstations.length = 0;

    // ---- server throughput: 50 simulated workstations (45 practitioners, 5 secretaries),
    // each round a push of new patients then a pull of the patient collection.
    const accounts: Account[] = [];
    for (let i = 0; i < sizes.workstations; i++) {
      const role = i % 10 === 0 ? 'secretary' : 'practitioner';
      accounts.push(await createAccount(server, role, `${role}-${i}`, 100 + i));
    }
    const clients = await Promise.all(accounts.map((acc) => login(server, acc)));
    const batches = clients.map((_, i) =>
      Array.from({ length: sizes.rounds }, (_, r) => patients(sizes.pushBatch, `tp-${i}-${r}`)),
    );
    let moved = 0;
    t = performance.now();
    await Promise.all(
      clients.map(async (ws, i) => {
        for (let r = 0; r < sizes.rounds; r++) {
          const docs = batches[i]?.[r] ?? [];
          const rows: PushRow[] = docs.map((d) => ({ assumedMasterState: null, newDocumentState: { ...d, _deleted: false } }));
          const pushed = await post<PushResponse>(server, ws, 'patient/push', { rows });
          if (pushed.rejected.length > 0) throw new Error(`throughput push refused: ${JSON.stringify(pushed.rejected[0])}`);
          moved += rows.length;
          const pulled = await post<PullResponse>(server, ws, 'patient/pull', { checkpoint: ws.checkpoint, batchSize: sizes.pullBatch });
          ws.checkpoint = pulled.checkpoint;
          moved += pulled.documents.length;
        }
      }),
    );
    const throughput = (moved / (performance.now() - t)) * 1000;
    note(`${kind}: ${sizes.workstations} workstations moved ${moved} documents (push + pull) at ${Math.round(throughput)} docs/s`);

    return {
      initialSync: initialSyncVault,
      initialSyncMemory,
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
      throughput,
    };
  } finally {
    await Promise.all(workstations.map((w) => w.close()));
    await server.close().catch(() => undefined);
    await db.destroy();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

export async function runSyncBench(options: SyncBenchOptions): Promise<void> {
  const sizes = { ...(options.quick ? QUICK : FULL), ...(options.initialOnly ? { initial: options.initialOnly } : {}) };
  const engines = options.engines ?? ENGINES;
  if (engines.includes('postgres')) {
    const unavailable = await probePostgres(DATABASE_URL);
    if (unavailable !== undefined) throw new Error(`PostgreSQL unreachable at ${DATABASE_URL}: ${unavailable}`);
  }
  const figures = new Map<EngineKind, Figures>();
  for (const kind of engines) figures.set(kind, await runEngine(kind, sizes, options.note, options.initialOnly !== undefined));
  const rows: { workload: string; n: number; unit: 'docs/s' | 'ms'; key: keyof Figures; digits: number }[] = [
    { workload: 'initial-sync', n: sizes.initial, unit: 'docs/s', key: 'initialSync', digits: 0 },
    { workload: 'initial-sync-memory-storage', n: sizes.initial, unit: 'docs/s', key: 'initialSyncMemory', digits: 0 },
    { workload: 'propagation-p50', n: sizes.edits, unit: 'ms', key: 'p50', digits: 1 },
    { workload: 'propagation-p95', n: sizes.edits, unit: 'ms', key: 'p95', digits: 1 },
    { workload: 'propagation-p99', n: sizes.edits, unit: 'ms', key: 'p99', digits: 1 },
    { workload: 'push-pull-throughput', n: sizes.workstations, unit: 'docs/s', key: 'throughput', digits: 0 },
  ];
  for (const kind of engines) {
    const other = kind === 'sqlite' ? 'postgres' : 'sqlite';
    const mine = figures.get(kind) as Figures;
    const theirs = figures.get(other);
    // --initial-only measures the initial sync alone: the other figures were not measured and are not printed.
    for (const row of options.initialOnly === undefined ? rows : rows.slice(0, 2)) {
      options.emit({
        bench: 'sync',
        workload: `${row.workload}-${kind}`,
        n: row.n,
        unit: row.unit,
        value: round(mine[row.key], row.digits),
        compare: theirs ? { [other]: round(theirs[row.key], row.digits) } : {},
      });
    }
  }
}
