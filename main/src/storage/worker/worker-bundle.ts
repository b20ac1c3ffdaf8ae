/* eslint-disable security/detect-non-literal-fs-filename -- the bundle, its manifest and its inputs are paths the launcher chose. */
// A bundled storage worker used while running from source (browser mode through the
// launcher): starting the worker from the TypeScript sources makes tsx compile its whole
// import graph in the worker at every unlock (about a second on a loaded machine), while
// the bundle built by esbuild loads in a fraction of that. A bundle is only used while it
// is fresh: beside it, `<bundle>.inputs.json` lists every file esbuild read and when the
// build started; a listed file changed (or gone) since means the bundle is stale and the
// worker starts from source again until the launcher rebuilds it.
import fs from 'node:fs';

/** Set by the launcher (scripts/start.mjs) to the fresh bundle it built; read by browser mode. */
export const STORAGE_WORKER_BUNDLE_ENV = 'CLINIQUE_STORAGE_WORKER_BUNDLE';

export type WorkerBundleManifest = {
  readonly format: 1;
  /** Date.now() when the build started: an input modified after it may not be in the bundle. */
  readonly builtFrom: number;
  /** Absolute paths of every file the bundle was built from. */
  readonly inputs: readonly string[];
};

export function workerBundleManifestPath(bundle: string): string {
  return `${bundle}.inputs.json`;
}

function parseManifest(text: string): WorkerBundleManifest | undefined {
  try {
    const value = JSON.parse(text) as Partial<WorkerBundleManifest>;
    if (
      value.format !== 1 ||
      typeof value.builtFrom !== 'number' ||
      !Array.isArray(value.inputs) ||
      value.inputs.length === 0 ||
      !value.inputs.every((i) => typeof i === 'string')
    ) {
      return undefined;
    }
    return value as WorkerBundleManifest;
  } catch {
    return undefined;
  }
}

/**
 * Why this bundle must not be used (missing, no manifest, an input changed since the build
 * started), or undefined when it is fresh. Stats every input (a few hundred files: a few ms).
 */
export function workerBundleStaleReason(bundle: string): string | undefined {
  let builtAt: number;
  try {
    builtAt = fs.statSync(bundle).mtimeMs;
  } catch {
    return 'no bundle';
  }
  let text: string;
  try {
    text = fs.readFileSync(workerBundleManifestPath(bundle), 'utf8');
  } catch {
    return 'no manifest';
  }
  const manifest = parseManifest(text);
  if (!manifest) return 'manifest unreadable';
  if (builtAt < manifest.builtFrom) return 'bundle older than its manifest';
  for (const input of manifest.inputs) {
    let mtime: number;
    try {
      mtime = fs.statSync(input).mtimeMs;
    } catch {
      return `input gone: ${input}`;
    }
    if (mtime > manifest.builtFrom) return `input changed: ${input}`;
  }
  return undefined;
}
