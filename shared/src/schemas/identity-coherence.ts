import type { ErrorPayload } from '../errors/app-error';
import { INS_OID } from '../identifiers/ins';
import { parseNir } from '../identifiers/nir';
import type { Patient } from './patient';

export type IdentityWarningCode =
  | 'PATIENT_NIR_SEX_MISMATCH'
  | 'PATIENT_NIR_BIRTH_DATE_MISMATCH'
  | 'PATIENT_NIR_BIRTHPLACE_MISMATCH'
  | 'PATIENT_INS_NIR_MISMATCH';
export const IDENTITY_WARNING_CODES: readonly IdentityWarningCode[] = [
  'PATIENT_NIR_SEX_MISMATCH',
  'PATIENT_NIR_BIRTH_DATE_MISMATCH',
  'PATIENT_NIR_BIRTHPLACE_MISMATCH',
  'PATIENT_INS_NIR_MISMATCH',
];

type IdentityFields = Pick<Patient, 'sex' | 'birthDate' | 'birthplaceCode' | 'nir' | 'ins'>;

/**
 * Identity-vigilance warnings: the NIR encodes sex, birth year and month and birthplace,
 * so disagreement with the typed identity usually means a typing error or the NIR of
 * someone else (the card holder's instead of the child's). Warnings, not errors: the NIR
 * keeps the commune code in force at birth, while birthplaceCode may be today's, and a
 * change of sex on the civil-status record changes the NIR only later.
 */
export function identityCoherenceWarnings(patient: IdentityFields): ErrorPayload<IdentityWarningCode>[] {
  const warnings: ErrorPayload<IdentityWarningCode>[] = [];
  if (patient.nir === undefined) return warnings;
  const parsed = parseNir(patient.nir);
  if (!parsed.ok) return warnings;
  const nir = parsed.value;
  if (patient.sex !== 'U' && patient.sex !== nir.sex) warnings.push({ code: 'PATIENT_NIR_SEX_MISMATCH' });
  const yearMatches = patient.birthDate.slice(2, 4) === nir.birthYear;
  const monthMatches = !nir.birthMonthKnown || patient.birthDate.slice(5, 7) === nir.birthMonth;
  if (!yearMatches || !monthMatches) warnings.push({ code: 'PATIENT_NIR_BIRTH_DATE_MISMATCH' });
  if (patient.birthplaceCode !== undefined && patient.birthplaceCode !== nir.nir.slice(5, 10)) {
    warnings.push({ code: 'PATIENT_NIR_BIRTHPLACE_MISMATCH' });
  }
  if (patient.ins?.oid === INS_OID.NIR && patient.ins.matricule !== nir.nir) {
    warnings.push({ code: 'PATIENT_INS_NIR_MISMATCH' });
  }
  return warnings;
}
