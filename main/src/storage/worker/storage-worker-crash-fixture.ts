import { parentPort } from 'node:worker_threads';
import { openEngine } from './engines';
import type { OwnerToWorker } from './protocol';
import { serveStorage } from './worker-server';

// Test-only worker entry: the real server, plus a fault injector that kills the thread
// when a bulkWrite carries the context, or a document with the id, 'crash-exit' or
// 'crash-throw', so the owner's handling of a dying worker is tested against a real
// thread death.
if (!parentPort) throw new Error('must run in a worker thread');

function marker(message: OwnerToWorker): string | undefined {
  if (message.type !== 'call' || message.method !== 'bulkWrite') return undefined;
  const rows = message.args[0] as { document: { id?: unknown } }[];
  const ids = rows.map((row) => row.document.id);
  return [message.args[1], ...ids].find((v): v is string => v === 'crash-exit' || v === 'crash-throw');
}

parentPort.on('message', (message: OwnerToWorker) => {
  const fault = marker(message);
  if (fault === 'crash-exit') process.exit(70);
  // Thrown from the listener that runs first, so the server never answers this call.
  if (fault === 'crash-throw') throw new Error('injected failure');
});
serveStorage(parentPort, openEngine);
