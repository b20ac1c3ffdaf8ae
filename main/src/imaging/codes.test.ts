/* eslint-disable security/detect-non-literal-fs-filename -- the source files of this repository */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isErrorCode } from '../../../shared/src/errors';

// Every code the import can raise or report is in the catalogue (fr/de/en): found in the
// sources of the import and of shared/src/dicom, so a new code cannot be forgotten.
const root = path.resolve(import.meta.dirname, '../../..');
const sources = ['main/src/imaging', 'shared/src/dicom'].flatMap((dir) =>
  fs
    .readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => path.join(root, dir, f)),
);

describe('imaging codes', () => {
  it('are all in the error catalogue', () => {
    const codes = new Set<string>();
    for (const file of sources) {
      for (const m of fs.readFileSync(file, 'utf8').matchAll(/'((?:IMAGING|DICOM|DICOMDIR|PATIENT|ACCESS)_[A-Z0-9_]+)'/g)) {
        codes.add(m[1] as string);
      }
    }
    expect(codes.size).toBeGreaterThan(20);
    for (const code of codes) expect(isErrorCode(code), code).toBe(true);
  });
});
