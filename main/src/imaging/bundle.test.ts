/* eslint-disable security/detect-non-literal-fs-filename -- every path here is under the repository's .tmp folder, made by mkdtempSync */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The packaged app runs esbuild bundles under plain Node (Electron), without tsx. This
// bundles the DICOM worker (main/src/imaging/dicom-worker.ts, to be added to
// scripts/build-main.mjs's default entries as dicom-worker.js) with a probe that starts
// it the way the host will, and runs it in a child process on a file the writer made.

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../../..');
let outdir: string;
let work: string;

const PROBE = `
import fs from 'node:fs';
import path from 'node:path';
import { startDicomWorker, resolveDicomWorkerEntry } from ${JSON.stringify(path.join(root, 'main/src/imaging/dicom-worker-client'))};
import { writeImage } from ${JSON.stringify(path.join(root, 'shared/src/dicom/test-support/writer'))};

const dir = process.argv[2] ?? '.';
fs.writeFileSync(path.join(dir, 'IM1'), writeImage({ patientName: 'Buc^Jérôme' }, { charset: 'ISO_IR 100' }));
fs.writeFileSync(path.join(dir, 'notes.txt'), 'not DICOM');
const worker = await startDicomWorker();
const files = [];
await worker.scan([dir], 2 ** 30, { onFile: (f) => files.push(f) }).done;
await worker.close();
files.sort((a, b) => (a.path < b.path ? -1 : 1));
process.stdout.write(JSON.stringify({
  files: files.map((f) => [path.basename(f.path), f.status, f.status === 'indexed' ? f.index.patient.nameRaw : f.error.code]),
  entry: resolveDicomWorkerEntry(),
}));
`;

beforeAll(() => {
  const tmp = path.join(root, '.tmp');
  fs.mkdirSync(tmp, { recursive: true });
  outdir = fs.mkdtempSync(path.join(tmp, 'build-dicom-'));
  work = fs.mkdtempSync(path.join(tmp, 'dicom-probe-'));
  fs.writeFileSync(path.join(work, 'probe.ts'), PROBE);
});

afterAll(() => {
  fs.rmSync(outdir, { recursive: true, force: true });
  fs.rmSync(work, { recursive: true, force: true });
});

describe('the bundled DICOM worker', () => {
  it('is found beside the bundle that starts it and parses under plain Node', async () => {
    await run(
      process.execPath,
      [
        'scripts/build-main.mjs',
        '--outdir',
        outdir,
        '--entry',
        `index=${path.join(work, 'probe.ts')}`,
        '--entry',
        `dicom-worker=${path.join(root, 'main/src/imaging/dicom-worker.ts')}`,
      ],
      { cwd: root, timeout: 60_000 },
    );
    expect(fs.readFileSync(path.join(outdir, 'dicom-worker.js'), 'utf8')).not.toMatch(/from ["']\.\.?\//);
    const data = path.join(work, 'data');
    fs.mkdirSync(data);
    const { stdout } = await run(process.execPath, [path.join(outdir, 'index.js'), data], { cwd: root, timeout: 60_000 });
    const out = JSON.parse(stdout) as { files: unknown; entry: { url: string; loader: string } };
    expect(out.files).toEqual([
      ['IM1', 'indexed', 'Buc^Jérôme'],
      ['notes.txt', 'skipped', 'DICOM_NOT_DICOM'],
    ]);
    expect(out.entry.loader).toBe('node');
    expect(out.entry.url.endsWith('/dicom-worker.js')).toBe(true);
  });
});
