#!/usr/bin/env node
// Bundles the Electron main process for packaging, with esbuild, into dist/main/:
//   dist/main/index.js           main/src/electron/main.ts, the Electron main-process entry (ESM)
//   dist/main/preload.cjs        main/src/electron/preload.ts, the preload of every window: CommonJS,
//                                since a sandboxed preload cannot be an ES module (built with the
//                                Electron entry only, not when --entry replaces index)
//   dist/main/storage-worker.js  the storage worker thread (main/src/storage/worker/storage-worker.ts)
//   dist/main/dicom-worker.js    the DICOM import worker thread (main/src/imaging/dicom-worker.ts)
// Each worker must be its own file: worker_threads loads it by path, and
// resolveWorkerEntry() / resolveDicomWorkerEntry() look for it beside the bundle that starts it. Native modules and
// Electron stay external: they load from node_modules at run time (electron-builder
// unpacks the native binaries from app.asar).
//
//   node scripts/build-main.mjs [--outdir dist/main] [--entry name=path ...]
// (--entry adds an entry point; tests use it to bundle a probe that starts the worker.)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { NODE_ESM_BUNDLE } from './node-bundle.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const NATIVE_EXTERNALS = ['better-sqlite3-multiple-ciphers', '@node-rs/argon2', 'electron'];

/** The default entry points, by output name (without .js). */
export function defaultEntryPoints() {
  const entries = {
    'storage-worker': path.join(root, 'main/src/storage/worker/storage-worker.ts'),
    'dicom-worker': path.join(root, 'main/src/imaging/dicom-worker.ts'),
  };
  if (fs.existsSync(ELECTRON_MAIN)) entries.index = ELECTRON_MAIN;
  return entries;
}

export const ELECTRON_MAIN = path.join(root, 'main/src/electron/main.ts');
export const ELECTRON_PRELOAD = path.join(root, 'main/src/electron/preload.ts');

/**
 * The preload: one CommonJS file whose only require is 'electron' (a sandboxed preload gets
 * no other module), and no zod (channel names come from shared/src/api/channels.ts).
 * @param {string} outdir
 */
export async function buildPreload(outdir) {
  await build({
    absWorkingDir: root,
    entryPoints: { preload: ELECTRON_PRELOAD },
    outdir,
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'chrome128',
    sourcemap: true,
    external: ['electron'],
    logLevel: 'warning',
  });
  return path.join(outdir, 'preload.cjs');
}

/**
 * @param {{ outdir?: string, entryPoints?: Record<string, string>, minify?: boolean, alias?: Record<string, string> }} [options]
 * (`alias` replaces modules, e.g. electron by a stand-in in the test of the Electron wiring.)
 * @returns {Promise<string[]>} the files written
 */
export async function buildMain(options = {}) {
  const outdir = path.resolve(root, options.outdir ?? 'dist/main');
  const entryPoints = options.entryPoints ?? defaultEntryPoints();
  const result = await build({
    absWorkingDir: root,
    entryPoints,
    outdir,
    ...NODE_ESM_BUNDLE,
    minify: options.minify ?? false,
    external: options.alias ? NATIVE_EXTERNALS.filter((name) => !(name in options.alias)) : NATIVE_EXTERNALS,
    ...(options.alias ? { alias: options.alias } : {}),
    metafile: true,
  });
  const files = Object.keys(result.metafile.outputs)
    .filter((file) => file.endsWith('.js'))
    .map((file) => path.resolve(root, file));
  if (entryPoints.index === ELECTRON_MAIN && !options.alias) files.push(await buildPreload(outdir));
  return files;
}

function parseArgs(argv) {
  const options = { entryPoints: defaultEntryPoints() };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[i + 1];
    if (arg === '--outdir' && value) {
      options.outdir = value;
      i++;
    } else if (arg === '--entry' && value?.includes('=')) {
      const [name, file] = [value.slice(0, value.indexOf('=')), value.slice(value.indexOf('=') + 1)];
      options.entryPoints[name] = path.resolve(file);
      i++;
    } else {
      throw new Error(`unknown argument: ${arg}`);
    }
  }
  return options;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const files = await buildMain(parseArgs(process.argv.slice(2)));
  for (const file of files) process.stdout.write(`${path.relative(root, file)}\n`);
}
