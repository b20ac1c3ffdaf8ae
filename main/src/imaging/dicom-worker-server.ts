import type { MessagePort } from 'node:worker_threads';
import type { DicomWorkerToOwner, OwnerToDicomWorker } from './protocol';
import { expandInputs, loadVerified, scanFile } from './scan';

type Port = Pick<MessagePort, 'on' | 'postMessage'>;

/** The worker's side: scans (cancellable between files) and loads of verified bytes, one message at a time each. */
export function serveDicomWorker(port: Port): void {
  const cancelled = new Set<number>();
  const post = (message: DicomWorkerToOwner, transfer?: ArrayBuffer[]): void => port.postMessage(message, transfer);

  async function scan(message: Extract<OwnerToDicomWorker, { type: 'scan' }>): Promise<void> {
    const { id } = message;
    const isCancelled = (): boolean => cancelled.has(id);
    const candidates = await expandInputs(message.paths, isCancelled);
    post({ type: 'scan-total', id, total: candidates.length });
    for (const candidate of candidates) {
      // Checked between files: a file being read is finished, the next one is not started.
      if (isCancelled()) break;
      post({ type: 'scan-file', id, file: await scanFile(candidate, message.maxFileBytes) });
    }
    post({ type: 'scan-done', id, cancelled: isCancelled() });
    cancelled.delete(id);
  }

  async function load(message: Extract<OwnerToDicomWorker, { type: 'load' }>): Promise<void> {
    const { id } = message;
    for (const file of message.files) {
      if (cancelled.has(id)) break;
      const loaded = await loadVerified(file);
      if ('bytes' in loaded) {
        post({ type: 'loaded', id, path: file.path, bytes: loaded.bytes }, [loaded.bytes.buffer as ArrayBuffer]);
      } else {
        post({ type: 'loaded', id, path: file.path, error: loaded.error });
      }
    }
    post({ type: 'load-done', id });
    cancelled.delete(id);
  }

  port.on('message', (message: OwnerToDicomWorker) => {
    const run = (work: Promise<void>): void => {
      work.catch(() => post({ type: 'failed', id: message.id, error: { code: 'IMAGING_WORKER_FAILED' } }));
    };
    switch (message.type) {
      case 'scan':
        run(scan(message));
        break;
      case 'load':
        run(load(message));
        break;
      case 'cancel':
        cancelled.add(message.id);
        break;
    }
  });
  post({ type: 'ready' });
}
