import { parentPort } from 'node:worker_threads';
import { openEngine } from './engines';
import type { OwnerToWorker } from './protocol';
import { serveStorage } from './worker-server';

// Test-only worker entry: the real server, plus a fault injector that kills the thread
// when a bulkWrite carries the context 'crash-exit' or 'crash-throw', so the owner's
// handling of a dying worker is tested against a real thread death.
if (!parentPort) throw new Error('must run in a worker thread');
parentPort.on('message', (message: OwnerToWorker) => {
  if (message.type !== 'call' || message.method !== 'bulkWrite') return;
  if (message.args[1] === 'crash-exit') process.exit(70);
  // Thrown from the listener that runs first, so the server never answers this call.
  if (message.args[1] === 'crash-throw') throw new Error('injected failure');
});
serveStorage(parentPort, openEngine);
