import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../../shared/src/errors';
import { displayErrorOf } from './viewer-types';

describe('viewport error message', () => {
  it('keeps the catalogue code (and params) of whatever the load threw', () => {
    expect(displayErrorOf(new AppError('IMAGING_STUDY_NOT_FOUND'))).toEqual({
      code: 'IMAGING_STUDY_NOT_FOUND',
    });
    expect(
      displayErrorOf({ code: 'DICOM_REQUIRED_ELEMENT_MISSING', params: { tag: '(7FE0,0010)' } }),
    ).toEqual({
      code: 'DICOM_REQUIRED_ELEMENT_MISSING',
      params: { tag: '(7FE0,0010)' },
    });
    expect(displayErrorOf({ error: { code: 'VAULT_LOCKED' } })).toEqual({ code: 'VAULT_LOCKED' });
  });
  it('falls back to the pipeline’s unreadable-file code for anything else', () => {
    expect(displayErrorOf(new Error('boom'))).toEqual({ code: 'IMAGING_DISPLAY_UNREADABLE' });
    expect(displayErrorOf({ code: 'not a code' })).toEqual({ code: 'IMAGING_DISPLAY_UNREADABLE' });
    expect(displayErrorOf(undefined)).toEqual({ code: 'IMAGING_DISPLAY_UNREADABLE' });
  });
});
