import type { ChildProcess } from 'node:child_process';

export type AgentCaller<Cmd> = <T>(cmd: Cmd) => Promise<T>;

/**
 * Request/response over a forked workstation agent's IPC channel (tests and benchmarks run
 * each RxDB workstation in its own process: the open-source build allows 16 collections
 * per process). Waits for the agent's first message (it is ready), then answers each
 * `{ id, cmd }` with its `{ id, ok, result | error }`; messages without a known id go to
 * `onOther`. Every pending call fails when the agent exits.
 */
export async function connectAgent<Cmd>(
  child: ChildProcess,
  onOther: (message: Record<string, unknown>) => void = () => undefined,
): Promise<AgentCaller<Cmd>> {
  let next = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`workstation agent exited (${code})`)));
  });
  child.on('message', (raw: unknown) => {
    const m = raw as { id?: number; ok?: boolean; result?: unknown; error?: string };
    const p = m.id === undefined ? undefined : pending.get(m.id);
    if (!p || m.id === undefined) {
      onOther(raw as Record<string, unknown>);
      return;
    }
    pending.delete(m.id);
    if (m.ok) p.resolve(m.result);
    else p.reject(new Error(m.error));
  });
  child.on('exit', () => {
    for (const p of pending.values()) p.reject(new Error('workstation agent exited'));
    pending.clear();
  });
  return <T>(cmd: Cmd): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ id, cmd });
    });
}
