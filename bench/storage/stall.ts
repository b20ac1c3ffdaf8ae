import { fork } from 'node:child_process';
import { PerformanceObserver } from 'node:perf_hooks';
import type { RxStorage } from 'rxdb';
import { createRxDatabase } from 'rxdb';
import { getRxStorageSQLCipher } from '../../main/src/storage/sqlcipher';
import { createWorkerRxStorage } from '../../main/src/storage/worker';
import type { BenchPatient } from './patients';
import { patientSchema, patientStream } from './patients';

export type StallMode = 'worker' | 'in-process';

export type StallRequest = {
  readonly mode: StallMode;
  readonly filename: string;
  readonly key: Uint8Array;
  readonly count: number;
  readonly batch: number;
};

/**
 * Longest gap between ticks of a 1 ms interval on this thread while an RxDatabase
 * bulkInserts `count` patients, `batch` at a time, generated as they are written (a
 * writer holds one batch, as replication does).
 *
 * A 1 ms interval, not perf_hooks.monitorEventLoopDelay: when a synchronous storage
 * resolves every write in microtasks the loop never reaches its timer phase, and the
 * histogram then records no sample at all instead of one long delay.
 */
export type StallResult = {
  /** Longest gap between ticks, ms. */
  readonly stall: number;
  /** Longest garbage-collection pause of this thread meanwhile, ms: tells GC from blocking work. */
  readonly longestGc: number;
};

export async function measureStall(request: StallRequest): Promise<StallResult> {
  const worker =
    request.mode === 'worker' ? await createWorkerRxStorage({ filename: request.filename, key: request.key }) : undefined;
  const storage = (worker?.storage ?? getRxStorageSQLCipher({ filename: request.filename, key: request.key })) as RxStorage<
    unknown,
    unknown
  >;
  try {
    const db = await createRxDatabase({ name: 'stall', storage, multiInstance: false });
    try {
      const { patients: collection } = await db.addCollections({ patients: { schema: patientSchema } });
      const stream = patientStream(request.count);
      let longestGc = 0;
      const gcObserver = new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) longestGc = Math.max(longestGc, entry.duration);
      });
      gcObserver.observe({ entryTypes: ['gc'] });
      let last = performance.now();
      let longest = 0;
      const ticker = setInterval(() => {
        const now = performance.now();
        longest = Math.max(longest, now - last);
        last = now;
      }, 1);
      try {
        for (;;) {
          const batch: BenchPatient[] = [];
          for (let next = stream.next(); !next.done; next = stream.next()) {
            batch.push(next.value);
            if (batch.length === request.batch) break;
          }
          if (batch.length === 0) break;
          const result = await collection.bulkInsert(batch);
          if (result.error.length > 0) throw new Error(`${result.error.length} write errors`);
        }
        // The last stall is recorded when the delayed tick finally runs: let it run.
        await new Promise((resolve) => setTimeout(resolve, 5));
      } finally {
        clearInterval(ticker);
        gcObserver.disconnect();
      }
      const count = await collection.count().exec();
      if (count !== request.count) throw new Error(`stall workload wrote ${count} of ${request.count}`);
      return { stall: longest, longestGc };
    } finally {
      await db.close();
    }
  } finally {
    await worker?.close();
  }
}

/**
 * Runs measureStall in a fresh process, so the heap the owner's garbage collector walks
 * holds what an app's would (RxDB and the batch in flight), not this benchmark's
 * baselines. The key goes over the IPC channel, never on the command line.
 */
export function measureStallIsolated(request: StallRequest): Promise<StallResult> {
  return new Promise((resolve, reject) => {
    const child = fork(new URL('./stall-child.ts', import.meta.url), [], {
      execArgv: process.execArgv,
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    let settled = false;
    child.on('message', (message: ({ ok: true } & StallResult) | { ok: false; error: string }) => {
      settled = true;
      if (message.ok) resolve({ stall: message.stall, longestGc: message.longestGc });
      else reject(new Error(message.error));
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (!settled) reject(new Error(`stall child exited with code ${code}`));
    });
    child.send({ ...request, key: Array.from(request.key) });
  });
}
