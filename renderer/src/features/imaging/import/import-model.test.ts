import { describe, expect, it } from 'vitest';
import type { ImportFileResult, ImportStudyResult } from './import-model';
import { countFiles, decisionFor, fileName, parsePathList, progressValue, sortFiles } from './import-model';

function study(over: Partial<ImportStudyResult>): ImportStudyResult {
  return {
    studyInstanceUid: '1.2.3',
    status: 'awaiting-confirmation',
    modalities: ['CT'],
    fileCount: 2,
    filePatient: { name: 'Buc, Jérôme' },
    added: 0,
    alreadyPresent: 0,
    ...over,
  };
}

describe('import model', () => {
  it('progress never goes back between the scan and the store', () => {
    expect(progressValue({ phase: 'scan', done: 0, total: 0 })).toBeUndefined();
    expect(progressValue({ phase: 'scan', done: 5, total: 10 })).toBe(0.25);
    expect(progressValue({ phase: 'scan', done: 10, total: 10 })).toBe(0.5);
    expect(progressValue({ phase: 'store', done: 0, total: 10 })).toBe(0.5);
    expect(progressValue({ phase: 'store', done: 10, total: 10 })).toBe(1);
  });

  it('lists failures first and counts outcomes', () => {
    const files: ImportFileResult[] = [
      { path: '/m/b.dcm', status: 'imported' },
      { path: '/m/bad.dcm', status: 'failed', reason: { code: 'DICOM_TRUNCATED' } },
      { path: '/m/a.dcm', status: 'imported' },
      { path: '/m/x.txt', status: 'skipped', reason: { code: 'DICOM_NOT_DICOM' } },
      { path: '/m/c.dcm', status: 'already-present' },
    ];
    expect(sortFiles(files).map((f) => fileName(f.path))).toEqual([
      'bad.dcm',
      'x.txt',
      'c.dcm',
      'a.dcm',
      'b.dcm',
    ]);
    expect(countFiles(files)).toEqual({
      imported: 2,
      alreadyPresent: 1,
      failed: 1,
      skipped: 1,
      waiting: 0,
      other: 0,
    });
    expect(fileName('C:\\CD\\DICOM\\IM0001')).toBe('IM0001');
  });

  it('offers confirm, mismatch or pick by the reason the import core gives', () => {
    expect(decisionFor(study({ reason: { code: 'IMAGING_PATIENT_CONFIRMATION_REQUIRED' } }), 'p1')).toEqual({
      kind: 'confirm',
      patientId: 'p1',
    });
    expect(
      decisionFor(
        study({ reason: { code: 'IMAGING_PATIENT_CONFIRMATION_REQUIRED' }, patientId: 'p2' }),
        undefined,
      ),
    ).toEqual({ kind: 'confirm', patientId: 'p2' });
    expect(decisionFor(study({ reason: { code: 'IMAGING_PATIENT_MISMATCH' } }), 'p1')).toEqual({
      kind: 'mismatch',
      patientId: 'p1',
    });
    expect(decisionFor(study({ reason: { code: 'IMAGING_PATIENT_NOT_FOUND' } }), undefined)).toEqual({
      kind: 'pick',
    });
    expect(
      decisionFor(study({ status: 'refused', reason: { code: 'IMAGING_PATIENT_INS_MISMATCH' } }), 'p1'),
    ).toEqual({
      kind: 'none',
    });
  });

  it('reads typed paths one per line', () => {
    expect(parsePathList(' /media/cd \n\n"/home/u/IRM genou"\n/media/cd\r\n')).toEqual([
      '/media/cd',
      '/home/u/IRM genou',
    ]);
    expect(parsePathList('  \n ')).toEqual([]);
  });
});
