import { describe, expect, it } from 'vitest';
import { resolveDicomWorkerEntry } from './dicom-worker-client';

// As resolveWorkerEntry for the storage worker: scripts/build-main.mjs writes dicom-worker.js
// beside dist/main/index.js, and the bundled client looks for it there (inside app.asar too).
describe('resolveDicomWorkerEntry', () => {
  it('runs the .ts entry through tsx when this module is TypeScript', () => {
    expect(resolveDicomWorkerEntry('file:///repo/main/src/imaging/dicom-worker-client.ts')).toEqual({
      url: new URL('file:///repo/main/src/imaging/dicom-worker.ts'),
      loader: 'tsx',
    });
  });

  it('picks the bundled worker beside the bundle, inside app.asar too', () => {
    expect(resolveDicomWorkerEntry('file:///opt/app/dist/main/index.js')).toEqual({
      url: new URL('file:///opt/app/dist/main/dicom-worker.js'),
      loader: 'node',
    });
    expect(resolveDicomWorkerEntry('file:///opt/Clinique/resources/app.asar/dist/main/index.js').url.href).toBe(
      'file:///opt/Clinique/resources/app.asar/dist/main/dicom-worker.js',
    );
  });
});
