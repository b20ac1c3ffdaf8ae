/* eslint-disable security/detect-non-literal-fs-filename -- temp folders of this test. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { workerBundleManifestPath, workerBundleStaleReason } from './worker-bundle';
import { resolveWorkerEntry, setStorageWorkerBundle } from './worker-storage';

const SOURCE_MODULE = 'file:///repo/main/src/storage/worker/worker-storage.ts';
const dirs: string[] = [];
afterEach(() => {
  setStorageWorkerBundle(undefined);
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A bundle built from two inputs at `builtFrom` (ms), the files dated before it. */
function fixture(): { bundle: string; inputs: string[]; builtFrom: number } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'worker-bundle-'));
  dirs.push(dir);
  const builtFrom = Date.now() - 60_000;
  const inputs = [path.join(dir, 'a.ts'), path.join(dir, 'b.ts')];
  for (const input of inputs) {
    fs.writeFileSync(input, 'export {};\n');
    fs.utimesSync(input, new Date(builtFrom - 10_000), new Date(builtFrom - 10_000));
  }
  const bundle = path.join(dir, 'storage-worker.js');
  fs.writeFileSync(bundle, '// bundle\n');
  fs.writeFileSync(workerBundleManifestPath(bundle), JSON.stringify({ format: 1, builtFrom, inputs }));
  return { bundle, inputs, builtFrom };
}

describe('workerBundleStaleReason', () => {
  it('is fresh while no input changed since the build started', () => {
    expect(workerBundleStaleReason(fixture().bundle)).toBeUndefined();
  });

  it('is stale when an input changed after the build started, or is gone', () => {
    const a = fixture();
    fs.utimesSync(a.inputs[1] as string, new Date(), new Date());
    expect(workerBundleStaleReason(a.bundle)).toMatch(/^input changed: .*b\.ts$/);
    const b = fixture();
    fs.rmSync(b.inputs[0] as string);
    expect(workerBundleStaleReason(b.bundle)).toMatch(/^input gone: .*a\.ts$/);
  });

  it('is stale without a bundle, without a manifest, or with one it cannot read', () => {
    const a = fixture();
    expect(workerBundleStaleReason(path.join(path.dirname(a.bundle), 'other.js'))).toBe('no bundle');
    fs.rmSync(workerBundleManifestPath(a.bundle));
    expect(workerBundleStaleReason(a.bundle)).toBe('no manifest');
    fs.writeFileSync(workerBundleManifestPath(a.bundle), '{"format":1,"inputs":[]}');
    expect(workerBundleStaleReason(a.bundle)).toBe('manifest unreadable');
  });

  it('is stale when the bundle predates its manifest (an older bundle left in place)', () => {
    const a = fixture();
    fs.utimesSync(a.bundle, new Date(a.builtFrom - 1_000), new Date(a.builtFrom - 1_000));
    expect(workerBundleStaleReason(a.bundle)).toBe('bundle older than its manifest');
  });
});

describe('resolveWorkerEntry with a bundle (running from source)', () => {
  it('uses a fresh bundle instead of the .ts entry', () => {
    const { bundle } = fixture();
    expect(resolveWorkerEntry(SOURCE_MODULE, { bundle })).toEqual({ url: pathToFileURL(bundle), loader: 'node' });
  });

  it('falls back to the sources through tsx when the bundle is stale, and says why', () => {
    const { bundle, inputs } = fixture();
    fs.utimesSync(inputs[0] as string, new Date(), new Date());
    const lines: string[] = [];
    const entry = resolveWorkerEntry(SOURCE_MODULE, { bundle, log: (line) => lines.push(line) });
    expect(entry).toEqual({ url: new URL('./storage-worker.ts', SOURCE_MODULE), loader: 'tsx' });
    expect(lines).toEqual([expect.stringMatching(/^storage worker bundle not used \(input changed: .*a\.ts\)/)]);
  });

  it('follows setStorageWorkerBundle by default, checking freshness at every start', () => {
    const { bundle, inputs } = fixture();
    setStorageWorkerBundle(bundle);
    expect(resolveWorkerEntry(SOURCE_MODULE).loader).toBe('node');
    fs.utimesSync(inputs[0] as string, new Date(), new Date());
    expect(resolveWorkerEntry(SOURCE_MODULE).loader).toBe('tsx');
    setStorageWorkerBundle(undefined);
    expect(resolveWorkerEntry(SOURCE_MODULE).loader).toBe('tsx');
  });

  it('ignores the bundle in the packaged app (the bundle beside it is always used)', () => {
    const { bundle } = fixture();
    expect(resolveWorkerEntry('file:///opt/app/dist/main/index.js', { bundle }).url.href).toBe(
      'file:///opt/app/dist/main/storage-worker.js',
    );
  });
});
