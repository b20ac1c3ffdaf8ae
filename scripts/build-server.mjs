#!/usr/bin/env node
// Bundles the sync server's command line (sync-server/src/cli/main.ts: `serve` and the IT
// commands) into dist/sync-server/main.js for production: plain `node`, no tsx and no dev
// dependency. The native modules (SQLite driver, Argon2) stay external and load from the
// production node_modules (`npm ci --omit=dev`); pg's optional native binding is not used.
//   node scripts/build-server.mjs [--outdir dist/sync-server]
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { NODE_ESM_BUNDLE } from './node-bundle.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SERVER_EXTERNALS = ['better-sqlite3-multiple-ciphers', '@node-rs/argon2', 'pg-native'];

/** @param {{ outdir?: string }} [options] @returns {Promise<string>} the bundle */
export async function buildServer(options = {}) {
  const outdir = path.resolve(root, options.outdir ?? 'dist/sync-server');
  await build({
    absWorkingDir: root,
    entryPoints: { main: path.join(root, 'sync-server/src/cli/main.ts') },
    outdir,
    ...NODE_ESM_BUNDLE,
    external: SERVER_EXTERNALS,
  });
  return path.join(outdir, 'main.js');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const i = process.argv.indexOf('--outdir');
  console.log(await buildServer(i >= 0 ? { outdir: process.argv[i + 1] } : {}));
}
