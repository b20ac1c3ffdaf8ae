export type { CreateWorkerRxStorageOptions, WorkerEntry, WorkerRxStorage, WorkerStorageSettings } from './worker-storage';
export { createWorkerRxStorage, resolveWorkerEntry, setStorageWorkerBundle } from './worker-storage';
export type { WorkerBundleManifest } from './worker-bundle';
export { STORAGE_WORKER_BUNDLE_ENV, workerBundleManifestPath, workerBundleStaleReason } from './worker-bundle';
export { WORKER_ERROR_CODES } from './protocol';
