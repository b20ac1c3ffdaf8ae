import { parentPort } from 'node:worker_threads';
import { serveDicomWorker } from './dicom-worker-server';

// Entry of the DICOM worker thread (to be bundled as dist/main/dicom-worker.js): parsing
// never runs on the main process's event loop.
if (!parentPort) throw new Error('dicom-worker must run in a worker thread');
serveDicomWorker(parentPort);
