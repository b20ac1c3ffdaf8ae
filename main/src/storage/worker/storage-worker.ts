import { parentPort } from 'node:worker_threads';
import { openEngine } from './engines';
import { serveStorage } from './worker-server';

// Entry of the storage worker thread (bundled to dist/main/storage-worker.js).
if (!parentPort) throw new Error('storage-worker must run in a worker thread');
serveStorage(parentPort, openEngine);
