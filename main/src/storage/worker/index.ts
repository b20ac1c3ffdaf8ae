export type { CreateWorkerRxStorageOptions, WorkerEntry, WorkerRxStorage, WorkerStorageSettings } from './worker-storage';
export { createWorkerRxStorage, resolveWorkerEntry } from './worker-storage';
export { WORKER_ERROR_CODES } from './protocol';
