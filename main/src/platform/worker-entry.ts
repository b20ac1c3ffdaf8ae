import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/** Where a worker's code is: a bundled .js run by Node, or TypeScript sources run through tsx. */
export type WorkerEntry = { readonly url: URL; readonly loader: 'node' | 'tsx' };

/** tsx's ESM API, by its "import" export: the CommonJS build registers hooks that fail in a worker. */
function tsxEsmApiUrl(): string {
  const require = createRequire(import.meta.url);
  const manifestPath = require.resolve('tsx/package.json');
  const manifest = require('tsx/package.json') as { exports: Record<string, { import: { default: string } }> };
  const api = manifest.exports['./esm/api'];
  if (!api) throw new Error('tsx has no ./esm/api export');
  return pathToFileURL(path.join(path.dirname(manifestPath), api.import.default)).href;
}

/** Starts a worker thread from its entry (both the storage and the DICOM workers). */
export function spawnWorkerFrom(entry: WorkerEntry, name: string): Worker {
  if (entry.loader === 'node') return new Worker(entry.url, { name });
  // `--import tsx` in the worker's execArgv does not take effect before the entry loads
  // (Node 20), so the bootstrap registers tsx, then imports the entry.
  const bootstrap = `import(${JSON.stringify(tsxEsmApiUrl())}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.url.href)}); });`;
  return new Worker(bootstrap, { eval: true, name });
}
