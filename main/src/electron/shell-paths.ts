import path from 'node:path';

export const PRELOAD_FILE = 'preload.cjs';

/**
 * Where the packaged (or built) shell finds its pieces, from the folder of the main bundle
 * (dist/main): the preload beside it, the renderer build in dist/renderer.
 */
export function shellPaths(mainBundleDir: string): { readonly preload: string; readonly rendererDir: string } {
  return {
    preload: path.join(mainBundleDir, PRELOAD_FILE),
    rendererDir: path.resolve(mainBundleDir, '..', 'renderer'),
  };
}
