/* eslint-disable security/detect-non-literal-fs-filename -- temp folders of this test. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createWorkerRxStorage, resolveWorkerEntry } from '../main/src/storage/worker';
import { workerBundleManifestPath } from '../main/src/storage/worker/worker-bundle';
// @ts-expect-error -- plain JavaScript module without declarations
import { ensureStorageWorkerBundle, STORAGE_WORKER_SOURCE } from './storage-worker-bundle.mjs';

type Ensure = (options?: { bundle?: string; source?: string }) => Promise<{ bundle: string; built: boolean; reason?: string }>;
const ensure = ensureStorageWorkerBundle as Ensure;

// Inside the repository: the bundle's native imports resolve in its node_modules.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
fs.mkdirSync(path.join(root, '.tmp'), { recursive: true });
const dir = fs.mkdtempSync(path.join(root, '.tmp', 'storage-worker-bundle-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('ensureStorageWorkerBundle', () => {
  it('builds the worker with a manifest of its inputs, reuses it while fresh, rebuilds it once stale', async () => {
    const bundle = path.join(dir, 'storage-worker.js');
    const first = await ensure({ bundle });
    expect(first).toMatchObject({ bundle, built: true, reason: 'no bundle' });
    const manifest = JSON.parse(fs.readFileSync(workerBundleManifestPath(bundle), 'utf8')) as { inputs: string[] };
    expect(manifest.inputs).toContain(STORAGE_WORKER_SOURCE as string);
    expect(manifest.inputs.every((input) => path.isAbsolute(input))).toBe(true);

    // The bundle starts a worker that serves a store (memory engine: no key needed).
    const entry = resolveWorkerEntry(new URL('../main/src/storage/worker/worker-storage.ts', import.meta.url).href, { bundle });
    expect(entry.loader).toBe('node');
    const worker = await createWorkerRxStorage({ engine: 'memory', entry });
    await worker.close();

    expect(await ensure({ bundle })).toEqual({ bundle, built: false });

    // A source file of the worker edited: stale, rebuilt. (A copy of an input, so the repository is untouched.)
    const source = path.join(dir, 'entry.ts');
    fs.writeFileSync(source, `import ${JSON.stringify(STORAGE_WORKER_SOURCE)};\n`);
    const other = path.join(dir, 'other.js');
    expect((await ensure({ bundle: other, source })).built).toBe(true);
    const later = new Date(Date.now() + 5_000);
    fs.utimesSync(source, later, later);
    const again = await ensure({ bundle: other, source });
    expect(again.built).toBe(true);
    expect(again.reason).toMatch(/^input changed: .*entry\.ts$/);
  }, 120_000);
});
