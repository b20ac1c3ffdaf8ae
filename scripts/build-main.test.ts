/* eslint-disable security/detect-non-literal-fs-filename -- a temp build folder the test creates inside the repository. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { buildMain, defaultEntryPoints } from './build-main.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
fs.mkdirSync(path.join(root, '.tmp'), { recursive: true });
const outdir = fs.mkdtempSync(path.join(root, '.tmp', 'build-main-electron-'));

afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

describe('Electron entries of scripts/build-main.mjs', () => {
  it('bundles the Electron main as ESM and the preload as CommonJS needing only electron, without zod', async () => {
    const files = (await buildMain({ outdir, entryPoints: defaultEntryPoints() })).map((f) => path.basename(f)).sort();
    expect(files).toEqual(['dicom-worker.js', 'index.js', 'preload.cjs', 'storage-worker.js']);
    const preload = fs.readFileSync(path.join(outdir, 'preload.cjs'), 'utf8');
    expect([...new Set(preload.match(/require\("[^"]+"\)/g))]).toEqual(['require("electron")']);
    expect(preload).not.toMatch(/\bzod\b|ZodType/);
    expect(preload).toContain('exposeInMainWorld');
    expect(preload).toContain('patients:search');
    const main = fs.readFileSync(path.join(outdir, 'index.js'), 'utf8');
    expect(main).toMatch(/from "electron"/);
    expect(main).toContain('requestSingleInstanceLock');
  }, 120_000);

  it('lists every worker entry in electron-builder.yml (loaded by path beside index.js)', () => {
    const config = fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8');
    const workers = Object.keys(defaultEntryPoints()).filter((name) => name.endsWith('-worker'));
    expect(workers.sort()).toEqual(['dicom-worker', 'storage-worker']);
    for (const name of workers) expect(config).toContain(`- dist/main/${name}.js`);
  });
});
