import { describe, expect, it } from 'vitest';
import { computeNirKey } from '../../../../shared/src/identifiers/nir';
import { INS_OID } from '../../../../shared/src/identifiers/ins';
import {
  draftFromForm,
  emptyPatientForm,
  localProblems,
  localWarnings,
  problemsFromIssues,
  splitFirstNames,
} from './patient-form-model';

const first13 = '2841275123456';
const NIR = `${first13}${String(computeNirKey(first13)).padStart(2, '0')}`;
const WRONG_KEY_NIR = `${first13}${String((computeNirKey(first13) % 97) + 1).padStart(2, '0')}`;
const TODAY = '2026-11-28';

const base = {
  ...emptyPatientForm(),
  birthName: 'Dupont',
  firstNames: 'Hélène Marie',
  birthDate: '1984-12-03',
  sex: 'F' as const,
};

describe('patient form model', () => {
  it('splits first names on spaces and commas, keeping compound names', () => {
    expect(splitFirstNames(' Jean-Pierre,  Marie ')).toEqual(['Jean-Pierre', 'Marie']);
  });

  it('requires the identity traits and refuses impossible or future birth dates', () => {
    expect(localProblems(emptyPatientForm(), TODAY)).toMatchObject({
      birthName: { code: 'ui:required' },
      firstNames: { code: 'ui:required' },
      sex: { code: 'ui:required' },
      birthDate: { code: 'ui:required' },
    });
    expect(localProblems({ ...base, birthDate: '30/02/1984' }, TODAY).birthDate).toEqual({
      code: 'ui:dateInvalid',
    });
    expect(localProblems({ ...base, birthDate: '01/01/2027' }, TODAY).birthDate).toEqual({
      code: 'ui:birthDateFuture',
    });
    expect(localProblems(base, TODAY)).toEqual({});
  });

  it('checks the NIR key live with the shared parser (spaces allowed)', () => {
    expect(localProblems({ ...base, nir: WRONG_KEY_NIR }, TODAY).nir).toEqual({ code: 'NIR_KEY' });
    expect(localProblems({ ...base, nir: NIR.replace(/(.{5})/g, '$1 ') }, TODAY).nir).toBeUndefined();
  });

  it('requires an INS for RECUP and QUAL and checks its OID', () => {
    expect(localProblems({ ...base, identityStatus: 'QUAL' }, TODAY).ins).toEqual({
      code: 'PATIENT_INS_REQUIRED',
      params: { status: 'QUAL' },
    });
    expect(
      localProblems({ ...base, identityStatus: 'QUAL', insMatricule: NIR, insOid: '1.2.3' }, TODAY).ins,
    ).toEqual({
      code: 'INS_OID_UNKNOWN',
    });
    expect(
      localProblems({ ...base, identityStatus: 'QUAL', insMatricule: NIR, insOid: INS_OID.NIR }, TODAY).ins,
    ).toBeUndefined();
  });

  it('warns when the NIR disagrees with sex or birth date', () => {
    const w = localWarnings({ ...base, nir: NIR, sex: 'M', birthDate: '1990-12-03' });
    expect(w.sex).toEqual([{ code: 'PATIENT_NIR_SEX_MISMATCH' }]);
    expect(w.birthDate).toEqual([{ code: 'PATIENT_NIR_BIRTH_DATE_MISMATCH' }]);
    expect(localWarnings({ ...base, nir: NIR })).toEqual({});
  });

  it('builds a draft without empty optional fields, NIR without spaces', () => {
    const draft = draftFromForm({
      ...base,
      nir: NIR.replace(/(.{5})/g, '$1 '),
      email: ' ',
      phones: [{ kind: 'mobile', number: '' }],
    });
    expect(draft).toEqual({
      birthName: 'Dupont',
      firstNames: ['Hélène', 'Marie'],
      birthDate: '1984-12-03',
      sex: 'F',
      identityStatus: 'PROV',
      nir: NIR,
      contact: { addressLines: [], phones: [], country: 'FR' },
    });
    expect(draftFromForm(base, 'p1').id).toBe('p1');
  });

  it('places host field issues on form fields, with or without the draft prefix', () => {
    expect(
      problemsFromIssues([
        { path: ['draft', 'nir'], code: 'NIR_KEY' },
        { path: ['contact', 'phones', 0, 'number'], code: 'VALIDATION_FORMAT' },
        { path: ['birthName'], code: 'VALIDATION_REQUIRED' },
        { path: ['birthName'], code: 'VALIDATION_TOO_LONG', params: { max: 100 } },
      ]),
    ).toEqual({
      nir: { code: 'NIR_KEY' },
      phones: { code: 'VALIDATION_FORMAT' },
      birthName: { code: 'VALIDATION_REQUIRED' },
    });
  });

  it('reads typed dates (dd/mm/yyyy) for checks and the draft', () => {
    const typed = { ...base, birthDate: '03/12/1984', deceasedDate: '01.01.1980' };
    expect(localProblems(typed, TODAY).deceasedDate).toEqual({ code: 'PATIENT_DECEASED_BEFORE_BIRTH' });
    expect(draftFromForm({ ...typed, deceasedDate: '' }).birthDate).toBe('1984-12-03');
  });
});
