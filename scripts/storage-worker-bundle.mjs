/* eslint-disable security/detect-non-literal-fs-filename -- the output folder is the repository's dist/main or a test's temp folder. */
// The storage worker bundle for runs from source (browser mode through `npm start`), as
// scripts/build-main.mjs builds it for the packaged app (same esbuild options), plus the
// manifest of its inputs that main/src/storage/worker/worker-bundle.ts checks before using
// it: rebuilt only when missing or stale.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { workerBundleManifestPath, workerBundleStaleReason } from '../main/src/storage/worker/worker-bundle.ts';
import { NATIVE_EXTERNALS } from './build-main.mjs';
import { NODE_ESM_BUNDLE } from './node-bundle.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const STORAGE_WORKER_SOURCE = path.join(root, 'main/src/storage/worker/storage-worker.ts');
export const STORAGE_WORKER_BUNDLE = path.join(root, 'dist/main/storage-worker.js');

/** Writes a file through a temporary one and a rename: a worker starting meanwhile never reads half a bundle. */
function writeAtomic(file, contents) {
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, contents);
  fs.renameSync(temp, file);
}

/**
 * Builds the bundle when it is missing or stale; resolves with its path and whether it was built.
 * @param {{ bundle?: string, source?: string }} [options]
 * @returns {Promise<{ bundle: string, built: boolean, reason?: string }>}
 */
export async function ensureStorageWorkerBundle(options = {}) {
  const bundle = options.bundle ?? STORAGE_WORKER_BUNDLE;
  const source = options.source ?? STORAGE_WORKER_SOURCE;
  const reason = workerBundleStaleReason(bundle);
  if (reason === undefined) return { bundle, built: false };
  const builtFrom = Date.now();
  const outdir = path.dirname(bundle);
  const name = path.basename(bundle, '.js');
  const result = await build({
    absWorkingDir: root,
    entryPoints: { [name]: source },
    outdir,
    ...NODE_ESM_BUNDLE,
    external: NATIVE_EXTERNALS,
    metafile: true,
    write: false,
  });
  fs.mkdirSync(outdir, { recursive: true });
  // The map first, the bundle last but one, the manifest last: it vouches for what is there.
  const outputs = [...result.outputFiles].sort((a, b) => Number(a.path.endsWith('.js')) - Number(b.path.endsWith('.js')));
  for (const file of outputs) writeAtomic(file.path, file.contents);
  const inputs = Object.keys(result.metafile.inputs)
    .filter((input) => !input.includes(':'))
    .map((input) => path.resolve(root, input));
  writeAtomic(workerBundleManifestPath(bundle), `${JSON.stringify({ format: 1, builtFrom, inputs })}\n`);
  return { bundle, built: true, reason };
}
