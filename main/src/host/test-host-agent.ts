/**
 * For tests only: one host (vault, store, services, replication) in its own process,
 * driven over IPC. RxDB's open-source build allows 16 collections per process and a
 * workstation database has 10, so a second workstation needs a second process, as in a
 * real clinic. Messages: `{ id, cmd }` → `{ id, ok, result | error }`; host events are
 * sent as `{ event, payload }`.
 */
import { MIN_KDF } from '../vault';
import type { Host } from './host';
import { createHost } from './host';

export type HostAgentCommand =
  | { op: 'start'; dataDir: string }
  | { op: 'dispatch'; channel: string; request: unknown }
  | { op: 'readImagingInstance'; studyId: string; sopInstanceUid: string }
  | { op: 'close' };

let host: Host | undefined;

async function handle(cmd: HostAgentCommand): Promise<unknown> {
  switch (cmd.op) {
    case 'start':
      host = createHost({ dataDir: cmd.dataDir, mode: 'browser', kdf: MIN_KDF, syncBackoff: { baseMs: 200, maxMs: 2_000 }, attachmentUploadIntervalMs: 1_000, log: (message, error) => console.error('[host agent]', message, error) });
      host.events.on((event, payload) => process.send?.({ event, payload }));
      return null;
    case 'dispatch':
      if (host === undefined) throw new Error('host not started');
      return host.dispatch(cmd.channel, cmd.request);
    case 'readImagingInstance': {
      if (host === undefined) throw new Error('host not started');
      // Bytes as base64: the IPC channel carries JSON.
      const read = await host.readImagingInstance(cmd.studyId, cmd.sopInstanceUid);
      return read.ok ? { ok: true, base64: Buffer.from(read.bytes).toString('base64') } : read;
    }
    case 'close':
      await host?.close();
      setImmediate(() => process.exit(0));
      return null;
  }
}

process.on('message', (raw: unknown) => {
  const { id, cmd } = raw as { id: number; cmd: HostAgentCommand };
  handle(cmd).then(
    (result) => process.send?.({ id, ok: true, result }),
    (e: unknown) => process.send?.({ id, ok: false, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) }),
  );
});
process.send?.({ ready: true });
