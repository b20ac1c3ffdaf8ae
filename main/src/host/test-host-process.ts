import type { ChildProcess } from 'node:child_process';
import { fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ApiChannel, ApiEvent, ApiEventPayload, ApiRequest, ApiResponse, Envelope } from '../../../shared/src/api';
import { connectAgent } from '../sync/agent-ipc';
import type { HostAgentCommand } from './test-host-agent';

const AGENT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'test-host-agent.ts');

/** For tests only: a host in a child process (test-host-agent.ts), called like an in-process one. */
export type HostProcess = {
  dispatch(channel: string, request: unknown): Promise<Envelope>;
  call<C extends ApiChannel>(channel: C, request: ApiRequest<C>): Promise<ApiResponse<C>>;
  readonly events: { event: ApiEvent; payload: ApiEventPayload<ApiEvent> }[];
  /** host.readImagingInstance in the child: the bytes, or the error payload. */
  readImagingInstance(studyId: string, sopInstanceUid: string): Promise<{ ok: true; bytes: Buffer } | { ok: false; error: { code: string } }>;
  close(): Promise<void>;
};

export async function startHostProcess(dataDir: string): Promise<HostProcess> {
  const child: ChildProcess = fork(AGENT, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const events: HostProcess['events'] = [];
  const send = await connectAgent<HostAgentCommand>(child, (m) => {
    if (typeof m['event'] === 'string') events.push({ event: m['event'] as ApiEvent, payload: m['payload'] as ApiEventPayload<ApiEvent> });
  });
  await send({ op: 'start', dataDir });
  const dispatch = (channel: string, request: unknown): Promise<Envelope> => send<Envelope>({ op: 'dispatch', channel, request });
  return {
    dispatch,
    async call(channel, request) {
      const env = await dispatch(channel, request);
      if (!env.ok) throw Object.assign(new Error(`${channel}: ${env.error.code}`), { envelope: env });
      return env.value as never;
    },
    events,
    async readImagingInstance(studyId, sopInstanceUid) {
      const r = await send<{ ok: true; base64: string } | { ok: false; error: { code: string } }>({ op: 'readImagingInstance', studyId, sopInstanceUid });
      return r.ok ? { ok: true, bytes: Buffer.from(r.base64, 'base64') } : r;
    },
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      await send({ op: 'close' }).catch(() => undefined);
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(t);
    },
  };
}
