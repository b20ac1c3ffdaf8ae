/* eslint-disable security/detect-non-literal-fs-filename -- every path here is under the repository's .tmp folder, made by mkdtempSync */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The packaged app runs esbuild bundles under plain Node (Electron), without tsx. This
// builds them with scripts/build-main.mjs, bundles a probe entry the way the main
// entry will be bundled, and runs it in a child process: the probe's createWorkerRxStorage
// must find dist/…/storage-worker.js beside itself and use it on an encrypted file.

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../../../..');
let outdir: string;
let work: string;

const PROBE = `
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { createRxDatabase } from 'rxdb';
import { createWorkerRxStorage, resolveWorkerEntry } from ${JSON.stringify(path.join(root, 'main/src/storage/worker'))};

const filename = path.join(process.argv[2] ?? '.', 'vault.db');
const key = new Uint8Array(randomBytes(32));
const worker = await createWorkerRxStorage({ filename, key });
const db = await createRxDatabase({ name: 'probe', storage: worker.storage, multiInstance: false });
const { notes } = await db.addCollections({
  notes: {
    schema: {
      version: 0,
      primaryKey: 'id',
      type: 'object',
      properties: { id: { type: 'string', maxLength: 20 }, text: { type: 'string' } },
      required: ['id', 'text'],
    },
  },
});
await notes.bulkInsert([{ id: 'a', text: 'Prise de sang à jeun' }, { id: 'b', text: 'Échographie' }]);
const texts = (await notes.find({ sort: [{ id: 'asc' }] }).exec()).map((d) => d.text);
await db.close();
await worker.close();
let wrongKey = 'none';
await createWorkerRxStorage({ filename, key: new Uint8Array(32) }).catch((e) => { wrongKey = e.code; });
process.stdout.write(JSON.stringify({ texts, wrongKey, entry: resolveWorkerEntry() }));
`;

beforeAll(() => {
  const tmp = path.join(root, '.tmp');
  fs.mkdirSync(tmp, { recursive: true });
  // Inside the repository, so the bundle's external native module resolves from node_modules.
  outdir = fs.mkdtempSync(path.join(tmp, 'build-main-'));
  work = fs.mkdtempSync(path.join(tmp, 'bundle-probe-'));
  fs.writeFileSync(path.join(work, 'probe.ts'), PROBE);
});

afterAll(() => {
  fs.rmSync(outdir, { recursive: true, force: true });
  fs.rmSync(work, { recursive: true, force: true });
});

describe('scripts/build-main.mjs', () => {
  it('bundles a worker that the bundled owner finds and runs under plain Node', async () => {
    const built = await run(
      process.execPath,
      ['scripts/build-main.mjs', '--outdir', outdir, '--entry', `index=${path.join(work, 'probe.ts')}`],
      { cwd: root, timeout: 60_000 },
    );
    const files = built.stdout.trim().split('\n').sort();
    // The other default entries (dicom-worker.js…) are built too: this test is about these two.
    expect(files).toEqual(
      expect.arrayContaining([path.relative(root, path.join(outdir, 'index.js')), path.relative(root, path.join(outdir, 'storage-worker.js'))]),
    );
    expect(fs.readFileSync(path.join(outdir, 'storage-worker.js'), 'utf8')).not.toMatch(/from ["']\.\.?\//);

    const { stdout } = await run(process.execPath, [path.join(outdir, 'index.js'), work], {
      cwd: root,
      timeout: 60_000,
    });
    expect(JSON.parse(stdout)).toEqual({
      texts: ['Prise de sang à jeun', 'Échographie'],
      wrongKey: 'STORAGE_WRONG_KEY_OR_CORRUPT',
      entry: { url: pathToFileURL(path.join(outdir, 'storage-worker.js')).href, loader: 'node' },
    });
  });
});
