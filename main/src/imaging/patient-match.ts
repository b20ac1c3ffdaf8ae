import type { DicomPatient } from '../../../shared/src/dicom';
import { insOfDicomPatient } from '../../../shared/src/dicom';
import type { Patient } from '../../../shared/src/schemas';
import { normaliseSearchText } from '../../../shared/src/schemas/search-key';

/**
 * How the patient named in DICOM files relates to a patient of the record (identity
 * vigilance): the INS/NIR decides when both sides have one; otherwise name and birth date
 * can only make a proposal that a person confirms.
 */
export type PatientMatch =
  | { readonly kind: 'ins' }
  /** Both have an INS/NIR and they differ: another person, whatever the names say. */
  | { readonly kind: 'ins-mismatch' }
  /** Family name, first given name and birth date agree: a proposal to confirm. */
  | { readonly kind: 'traits' }
  | { readonly kind: 'mismatch'; readonly differs: readonly ('name' | 'birthDate')[] };

const words = (s: string | undefined): string[] => (s === undefined ? [] : normaliseSearchText(s).split(' ').filter((w) => w !== ''));

export function matchPatient(file: DicomPatient, patient: Patient): PatientMatch {
  const ins = insOfDicomPatient(file);
  const recorded = patient.ins?.matricule ?? patient.nir;
  if (ins && recorded !== undefined) return ins.matricule === recorded.toUpperCase() ? { kind: 'ins' } : { kind: 'ins-mismatch' };

  const differs: ('name' | 'birthDate')[] = [];
  const group = file.name?.alphabetic;
  const family = words(group?.family).join(' ');
  const families = [patient.birthName, patient.usedName].map((n) => words(n).join(' '));
  const given = words([group?.given, group?.middle].filter(Boolean).join(' '));
  const firstNames = new Set([...patient.firstNames, patient.usedFirstName ?? ''].flatMap((n) => words(n)));
  const nameOk = family !== '' && families.includes(family) && given.length > 0 && firstNames.has(given[0] as string);
  if (!nameOk) differs.push('name');
  if (file.birthDate === undefined || file.birthDate !== patient.birthDate) differs.push('birthDate');
  return differs.length === 0 ? { kind: 'traits' } : { kind: 'mismatch', differs };
}

/** The label of the file's patient for messages: `Buc, Jérôme (né(e) 1984-12-03)` without decoration, as the file says. */
export function filePatientLabel(file: DicomPatient): string {
  const name = file.displayName ?? file.nameRaw ?? '?';
  return file.birthDate ? `${name} (${file.birthDate})` : name;
}

/** A key that differs when two files name different patients (birth dates are compared apart: one may be missing). */
export function filePatientKey(file: DicomPatient): string {
  return JSON.stringify([normaliseSearchText(file.nameRaw ?? ''), file.identifiers[0]?.id ?? '']);
}
