import { randomUUID } from 'node:crypto';
import type { Engine } from '../db/engine';
import type { Clock } from '../types';

export type SchedulerOptions = {
  readonly engine: Engine;
  readonly clock: Clock;
  /** This instance's name in the lease table (random by default). */
  readonly owner?: string;
  /** How often due jobs are looked for (ms). */
  readonly tickMs?: number;
  /** How long a running task holds its period before another instance may retry it. */
  readonly leaseMs?: number;
  readonly onError?: (name: string, error: unknown) => void;
};

type Job = { readonly name: string; readonly intervalMs: number; readonly task: () => Promise<void>; running: boolean };

type LeaseRow = { owner: string; expires_at: string; last_run_at: string | null };

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Periodic work that runs once per period across every instance sharing the database:
 * no broker, only the `job_leases` row of each job, claimed in a transaction holding the
 * job's lock. Period k of a job is [k·interval, (k+1)·interval) on the server clock.
 *
 * A row says which period was last claimed (`last_run_at` = its start) and its state in
 * `expires_at`: equal to `last_run_at` once the task finished; a later instant while it
 * runs (the lease); an earlier one after it failed. A finished period is never run again;
 * a running one is left alone until its lease ends (an instance that crashed mid-task);
 * a failed one is retried by the next tick of any instance.
 */
export class Scheduler {
  readonly owner: string;
  private readonly jobs = new Map<string, Job>();
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private stopped = false;

  constructor(private readonly options: SchedulerOptions) {
    this.owner = options.owner ?? randomUUID();
  }

  every(name: string, intervalMs: number, task: () => Promise<void>): void {
    if (!(intervalMs > 0)) throw new Error('interval must be positive');
    if (this.jobs.has(name)) throw new Error(`job ${name} already registered`);
    this.jobs.set(name, { name, intervalMs, task, running: false });
  }

  start(): void {
    if (this.timer || this.stopped) return;
    const smallest = Math.min(...[...this.jobs.values()].map((j) => j.intervalMs), 60_000);
    const tickMs = this.options.tickMs ?? Math.max(50, Math.min(1000, Math.floor(smallest / 4)));
    this.timer = setInterval(() => void this.runDue(), tickMs);
    this.timer.unref();
  }

  /** Claims and runs every job whose current period nobody has run; resolves when they finish. */
  async runDue(): Promise<string[]> {
    const ran: string[] = [];
    await Promise.all(
      [...this.jobs.values()].map(async (job) => {
        if (job.running || this.stopped) return;
        job.running = true;
        const run = (async () => {
          try {
            if (await this.runIfDue(job)) ran.push(job.name);
          } catch (error) {
            this.options.onError?.(job.name, error);
          } finally {
            job.running = false;
          }
        })();
        this.inFlight.add(run);
        await run;
        this.inFlight.delete(run);
      }),
    );
    return ran;
  }

  private async runIfDue(job: Job): Promise<boolean> {
    const { engine, clock } = this.options;
    const leaseMs = this.options.leaseMs ?? Math.max(60_000, job.intervalMs);
    const now = clock();
    const period = iso(Math.floor(now / job.intervalMs) * job.intervalMs);
    const claimed = await engine.transaction(
      async (tx) => {
        const [row] = await tx.query<LeaseRow>('SELECT owner, expires_at, last_run_at FROM job_leases WHERE name = $1', [job.name]);
        if (row && row.last_run_at !== null && row.last_run_at > period) return false;
        if (row && row.last_run_at === period) {
          if (row.expires_at === row.last_run_at) return false;
          if (row.expires_at > iso(now)) return false;
        }
        await tx.execute(
          `INSERT INTO job_leases (name, owner, expires_at, last_run_at) VALUES ($1, $2, $3, $4)
           ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at, last_run_at = excluded.last_run_at`,
          [job.name, this.owner, iso(now + leaseMs), period],
        );
        return true;
      },
      { lock: `job:${job.name}` },
    );
    if (!claimed) return false;
    try {
      await job.task();
    } catch (error) {
      await engine.execute('UPDATE job_leases SET expires_at = $1 WHERE name = $2 AND owner = $3 AND last_run_at = $4', [
        iso(Date.parse(period) - 1),
        job.name,
        this.owner,
        period,
      ]);
      throw error;
    }
    await engine.execute('UPDATE job_leases SET expires_at = last_run_at WHERE name = $1 AND owner = $2 AND last_run_at = $3', [
      job.name,
      this.owner,
      period,
    ]);
    return true;
  }

  /** Stops ticking and waits for running tasks. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await Promise.all([...this.inFlight]);
  }
}
