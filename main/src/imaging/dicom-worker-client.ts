import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { spawnWorkerFrom } from '../platform/worker-entry';
import { AppError } from '../../../shared/src/errors';
import type { ErrorPayload } from '../../../shared/src/errors';
import type { DicomWorkerToOwner, LoadRequest, OwnerToDicomWorker, ScannedFile } from './protocol';

/** Where the worker's code is: the .ts beside this module under tsx/vitest, dicom-worker.js beside the bundle in the app. */
export type DicomWorkerEntry = { readonly url: URL; readonly loader: 'node' | 'tsx' };

export function resolveDicomWorkerEntry(moduleUrl: string = import.meta.url): DicomWorkerEntry {
  if (fileURLToPath(moduleUrl).endsWith('.ts')) return { url: new URL('./dicom-worker.ts', moduleUrl), loader: 'tsx' };
  return { url: new URL('./dicom-worker.js', moduleUrl), loader: 'node' };
}

function spawn(entry: DicomWorkerEntry): Worker {
  return spawnWorkerFrom(entry, 'dicom-worker');
}

export type ScanHandlers = {
  readonly onTotal?: (total: number) => void;
  readonly onFile: (file: ScannedFile) => void;
};

export type DicomWorker = {
  /** Scans the inputs; resolves when the worker has finished or stopped between two files after `cancel`. */
  scan(paths: readonly string[], maxFileBytes: number, handlers: ScanHandlers): { readonly done: Promise<{ cancelled: boolean }>; cancel(): void };
  /** Reads the files again, each checked against its SHA-256 from the scan. */
  load(
    files: readonly LoadRequest[],
    onLoaded: (path: string, result: { bytes: Uint8Array } | { error: ErrorPayload }) => void,
  ): { readonly done: Promise<void>; cancel(): void };
  close(): Promise<void>;
};

type Job = {
  readonly onMessage: (message: DicomWorkerToOwner) => void;
  readonly reject: (error: AppError) => void;
};

const failed = (cause?: unknown): AppError => new AppError('IMAGING_WORKER_FAILED', undefined, { cause });

/** Starts the DICOM worker thread; rejects with IMAGING_WORKER_FAILED if it cannot start. */
export async function startDicomWorker(options: { readonly entry?: DicomWorkerEntry; readonly startTimeoutMs?: number } = {}): Promise<DicomWorker> {
  const worker = spawn(options.entry ?? resolveDicomWorkerEntry());
  const jobs = new Map<number, Job>();
  let nextId = 1;
  let dead: AppError | undefined;
  let closing = false;

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(failed(new Error('dicom worker start timed out')));
    }, options.startTimeoutMs ?? 30_000);
    worker.once('message', (m: DicomWorkerToOwner) => {
      clearTimeout(timer);
      if (m.type === 'ready') resolve();
      else reject(failed(new Error(`unexpected first message ${m.type}`)));
    });
    worker.once('error', (e) => {
      clearTimeout(timer);
      reject(failed(e));
    });
  });

  worker.on('message', (m: DicomWorkerToOwner) => {
    if (m.type === 'ready') return;
    jobs.get(m.id)?.onMessage(m);
  });
  const die = (cause: unknown): void => {
    if (dead) return;
    dead = failed(cause);
    for (const job of jobs.values()) job.reject(dead);
    jobs.clear();
  };
  worker.on('error', die);
  worker.on('exit', (code) => {
    if (!closing) die(new Error(`dicom worker exited with code ${code}`));
  });

  const send = (message: OwnerToDicomWorker): void => {
    if (dead) throw dead;
    worker.postMessage(message);
  };

  return {
    scan(paths, maxFileBytes, handlers) {
      const id = nextId++;
      const done = new Promise<{ cancelled: boolean }>((resolve, reject) => {
        jobs.set(id, {
          reject,
          onMessage(m) {
            if (m.type === 'scan-total') handlers.onTotal?.(m.total);
            else if (m.type === 'scan-file') handlers.onFile(m.file);
            else if (m.type === 'scan-done') {
              jobs.delete(id);
              resolve({ cancelled: m.cancelled });
            } else if (m.type === 'failed') {
              jobs.delete(id);
              reject(new AppError(m.error.code, m.error.params));
            }
          },
        });
        send({ type: 'scan', id, paths: [...paths], maxFileBytes });
      });
      return { done, cancel: () => (dead ? undefined : worker.postMessage({ type: 'cancel', id } satisfies OwnerToDicomWorker)) };
    },
    load(files, onLoaded) {
      const id = nextId++;
      const done = new Promise<void>((resolve, reject) => {
        jobs.set(id, {
          reject,
          onMessage(m) {
            if (m.type === 'loaded') onLoaded(m.path, m.bytes ? { bytes: m.bytes } : { error: m.error ?? { code: 'IMAGING_FILE_UNREADABLE' } });
            else if (m.type === 'load-done') {
              jobs.delete(id);
              resolve();
            } else if (m.type === 'failed') {
              jobs.delete(id);
              reject(new AppError(m.error.code, m.error.params));
            }
          },
        });
        send({ type: 'load', id, files: [...files] });
      });
      return { done, cancel: () => (dead ? undefined : worker.postMessage({ type: 'cancel', id } satisfies OwnerToDicomWorker)) };
    },
    async close() {
      closing = true;
      for (const job of jobs.values()) job.reject(failed(new Error('closed')));
      jobs.clear();
      await worker.terminate();
    },
  };
}
