/* eslint-disable security/detect-non-literal-fs-filename -- the profile file name comes from the person running the benchmark (PULL_PROFILE) */
/**
 * The server's side of an initial sync, alone: a secretary pulls every patient of the
 * clinic in batches through the real HTTP route (read, per-patient audit, response), no
 * workstation storage. `npx tsx bench/sync/pull-server.bench.ts [--engine=sqlite|postgres] [--n=20000] [--batch=1000]`
 * prints one JSON line per engine (documents/s) and the median milliseconds of one pull.
 * Profile it with `node --import tsx --cpu-prof bench/sync/pull-server.bench.ts`.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Session } from 'node:inspector/promises';
import type { PullResponse, SessionResponse } from '../../shared/src/sync/protocol';
import { CLI_ACTOR } from '../../sync-server/src/auth/auth-service';
import type { Engine, EngineKind } from '../../sync-server/src/db/engine';
import { migrate } from '../../sync-server/src/db/migrate';
import { openPostgresEngine } from '../../sync-server/src/db/postgres-engine';
import { openSqliteEngine } from '../../sync-server/src/db/sqlite-engine';
import { makePatient } from '../../sync-server/src/testing/documents';
import { startTestServer } from '../../sync-server/src/testing/server';

const arg = (name: string): string | undefined => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const n = Number(arg('n') ?? 20_000);
const batch = Number(arg('batch') ?? 1000);
const engines = (arg('engine') ? [arg('engine')] : ['sqlite', 'postgres']) as EngineKind[];
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const PASSWORD = 'bench password of the pull benchmark';

async function open(kind: EngineKind): Promise<{ engine: Engine; destroy(): Promise<void> }> {
  if (kind === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-pull-'));
    const engine = openSqliteEngine({ file: path.join(dir, 'sync.sqlite') });
    await migrate(engine);
    return { engine, destroy: async () => { await engine.close(); fs.rmSync(dir, { recursive: true, force: true }); } };
  }
  const engine = await openPostgresEngine({ connectionString: DATABASE_URL, schema: `bench_${randomBytes(6).toString('hex')}`, maxConnections: 10 });
  await migrate(engine);
  return { engine, destroy: async () => { await engine.dropSchema(); await engine.close(); } };
}

for (const kind of engines) {
  const db = await open(kind);
  const server = await startTestServer(db.engine);
  try {
    await server.services.auth.createUser({ username: 'accueil', displayName: 'accueil', role: 'secretary', password: PASSWORD }, CLI_ACTOR);
    const ws = await server.services.auth.registerWorkstation('ws-accueil', CLI_ACTOR);
    const login = async (): Promise<string> => {
      const res = await fetch(`${server.url}/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'accueil', password: PASSWORD, workstationId: ws.id }),
      });
      return ((await res.json()) as SessionResponse).accessToken;
    };
    const token = await login();
    const post = async (route: string, body: unknown): Promise<unknown> => {
      const res = await fetch(`${server.url}/v1/replication/${route}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`${route}: ${res.status} ${await res.text()}`);
      return res.json();
    };
    for (let i = 0; i < n; i += 500) {
      const rows = Array.from({ length: Math.min(500, n - i) }, (_, k) => ({
        assumedMasterState: null,
        newDocumentState: { ...makePatient(randomUUID(), `PULL-${i + k}`), _deleted: false },
      }));
      await post('patient/push', { rows });
    }
    // PULL_PROFILE=file.cpuprofile: a CPU profile of the pulls only (not the seeding).
    const profileFile = process.env.PULL_PROFILE;
    const session = profileFile ? new Session() : undefined;
    if (session) {
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
    }
    const times: number[] = [];
    let checkpoint: { sequence: number } | null = null;
    let pulled = 0;
    const started = performance.now();
    for (;;) {
      const t = performance.now();
      const res = (await post('patient/pull', { checkpoint, batchSize: batch })) as PullResponse;
      times.push(performance.now() - t);
      pulled += res.documents.length;
      checkpoint = res.checkpoint;
      if (res.documents.length < batch) break;
    }
    const ms = performance.now() - started;
    if (session && profileFile) {
      const { profile } = await session.post('Profiler.stop');
      fs.writeFileSync(`${profileFile}.${kind}.cpuprofile`, JSON.stringify(profile));
      session.disconnect();
    }
    times.sort((a, b) => a - b);
    process.stdout.write(
      `${JSON.stringify({ bench: 'sync', workload: `server-pull-${kind}`, n: pulled, unit: 'docs/s', value: Math.round((pulled / ms) * 1000), compare: {}, medianPullMs: Math.round((times[Math.floor(times.length / 2)] ?? 0) * 10) / 10, batch })}\n`,
    );
  } finally {
    await server.close();
    await db.destroy();
  }
}
