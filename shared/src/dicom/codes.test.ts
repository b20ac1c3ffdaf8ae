import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../errors';
import { isErrorCode } from '../errors';
import { DICOM_ERROR_CODES, DICOM_WARNING_CODES } from './errors';

// Compile-time half: a code missing from the catalogue fails `tsc -b`.
const DECLARED: readonly ErrorCode[] = [...DICOM_ERROR_CODES, ...DICOM_WARNING_CODES];

describe('DICOM codes', () => {
  it('are all in the error catalogue', () => {
    for (const code of DECLARED) expect(isErrorCode(code), code).toBe(true);
  });
});
