import type { ChildProcess } from 'node:child_process';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { connectAgent } from '../main/src/sync/agent-ipc';
import type { SyncAgentCommand, SyncAgentOpen } from './sync-agent';

/** A real RxDB workstation in its own process (see sync-agent.ts). */
export type BenchWorkstation = {
  call<T>(cmd: SyncAgentCommand): Promise<T>;
  /** Resolves with the instant the workstation saw `marker` (after a `watch`). */
  seen(marker: string): Promise<number>;
  close(): Promise<void>;
};

const AGENT = fileURLToPath(new URL('./sync-agent.ts', import.meta.url));

export async function openBenchWorkstation(args: SyncAgentOpen): Promise<BenchWorkstation> {
  // BENCH_AGENT_NODE_ARGS: extra node flags for the workstations (`--cpu-prof` when profiling by hand).
  const extra = process.env.BENCH_AGENT_NODE_ARGS?.split(' ').filter((a) => a !== '') ?? [];
  const child: ChildProcess = fork(AGENT, [], { execArgv: ['--import', 'tsx', ...extra], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const seenAt = new Map<string, number>();
  const waiting = new Map<string, (at: number) => void>();
  const call = await connectAgent<SyncAgentCommand>(child, (raw) => {
    const m = raw as { seen?: string; at?: number };
    if (m.seen === undefined || m.at === undefined) return;
    const w = waiting.get(m.seen);
    if (w) {
      waiting.delete(m.seen);
      w(m.at);
    } else if (!seenAt.has(m.seen)) seenAt.set(m.seen, m.at);
  });
  await call({ op: 'open', args });
  let closed = false;
  return {
    call,
    seen(marker) {
      const at = seenAt.get(marker);
      if (at !== undefined) {
        seenAt.delete(marker);
        return Promise.resolve(at);
      }
      return new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(marker);
          reject(new Error(`edit ${marker} not seen in 30 s`));
        }, 30_000);
        waiting.set(marker, (at2) => {
          clearTimeout(timer);
          resolve(at2);
        });
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      await call({ op: 'close' }).catch(() => undefined);
      const exited = new Promise((r) => child.once('exit', r));
      child.disconnect();
      const timer = setTimeout(() => child.kill(), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
