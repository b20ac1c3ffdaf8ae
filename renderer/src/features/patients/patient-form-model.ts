import type { FieldIssue } from '../../../../shared/src/api/envelope';
import type { PatientDraft, PatientView } from '../../../../shared/src/api/contract';
import type { ErrorPayload } from '../../../../shared/src/errors';
import { INS_OID, parseIns } from '../../../../shared/src/identifiers/ins';
import { normaliseNirInput, parseNir } from '../../../../shared/src/identifiers/nir';
import { parseRpps } from '../../../../shared/src/identifiers/rpps';
import { identityCoherenceWarnings } from '../../../../shared/src/schemas/identity-coherence';
import type { IdentityStatus } from '../../../../shared/src/schemas/identity-status';
import { identityStatusRequiresIns } from '../../../../shared/src/schemas/identity-status';
import { dateInputText, parseDateInput } from '../../lib/date-input';

export const PHONE_KINDS = ['mobile', 'home', 'work', 'fax', 'other'] as const;
export type PhoneKind = (typeof PHONE_KINDS)[number];

/** What the form holds: strings as typed, converted to a draft only on check and save. */
export type PatientFormState = {
  readonly birthName: string;
  readonly usedName: string;
  /** All first names of the civil-status record, separated by spaces or commas. */
  readonly firstNames: string;
  readonly usedFirstName: string;
  /** As typed (dd/mm/yyyy…); parseDateInput gives the ISO date. */
  readonly birthDate: string;
  readonly sex: 'F' | 'M' | 'U' | '';
  readonly birthplaceCode: string;
  readonly nir: string;
  readonly insMatricule: string;
  readonly insOid: string;
  readonly identityStatus: IdentityStatus;
  readonly phones: readonly { readonly kind: PhoneKind; readonly number: string }[];
  readonly email: string;
  readonly addressLines: string;
  readonly postalCode: string;
  readonly city: string;
  readonly country: string;
  readonly treatingPractitionerRpps: string;
  /** As typed, like birthDate. */
  readonly deceasedDate: string;
};

export type FormField =
  | 'birthName'
  | 'usedName'
  | 'firstNames'
  | 'usedFirstName'
  | 'birthDate'
  | 'sex'
  | 'birthplaceCode'
  | 'nir'
  | 'ins'
  | 'identityStatus'
  | 'phones'
  | 'email'
  | 'address'
  | 'treatingPractitionerRpps'
  | 'deceasedDate';

/** A problem to show beside a field: a catalogue code, or a UI-only check (`ui:` codes, translated from resources). */
export type FieldProblem = ErrorPayload;
export type FieldProblems = Partial<Record<FormField, FieldProblem>>;
export type FieldWarnings = Partial<Record<FormField, readonly ErrorPayload[]>>;

export function emptyPatientForm(): PatientFormState {
  return {
    birthName: '',
    usedName: '',
    firstNames: '',
    usedFirstName: '',
    birthDate: '',
    sex: '',
    birthplaceCode: '',
    nir: '',
    insMatricule: '',
    insOid: INS_OID.NIR,
    identityStatus: 'PROV',
    phones: [{ kind: 'mobile', number: '' }],
    email: '',
    addressLines: '',
    postalCode: '',
    city: '',
    country: 'FR',
    treatingPractitionerRpps: '',
    deceasedDate: '',
  };
}

export function patientFormFrom(p: PatientView, dateSeparator: '/' | '.' = '/'): PatientFormState {
  return {
    birthName: p.birthName,
    usedName: p.usedName ?? '',
    firstNames: p.firstNames.join(' '),
    usedFirstName: p.usedFirstName ?? '',
    birthDate: dateInputText(p.birthDate, dateSeparator),
    sex: p.sex,
    birthplaceCode: p.birthplaceCode ?? '',
    nir: p.nir ?? '',
    insMatricule: p.ins?.matricule ?? '',
    insOid: p.ins?.oid ?? INS_OID.NIR,
    identityStatus: p.identityStatus,
    phones:
      p.contact.phones.length > 0
        ? p.contact.phones.map((ph) => ({ ...ph }))
        : [{ kind: 'mobile', number: '' }],
    email: p.contact.email ?? '',
    addressLines: p.contact.addressLines.join('\n'),
    postalCode: p.contact.postalCode ?? '',
    city: p.contact.city ?? '',
    country: p.contact.country ?? '',
    treatingPractitionerRpps: p.treatingPractitionerRpps ?? '',
    deceasedDate: p.deceasedDate ? dateInputText(p.deceasedDate, dateSeparator) : '',
  };
}

export function splitFirstNames(value: string): string[] {
  return value
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function opt(value: string): string | undefined {
  const v = value.trim();
  return v === '' ? undefined : v;
}

/** The request's draft: trimmed, empty optional fields left out, NIR and INS without spaces. */
export function draftFromForm(f: PatientFormState, id?: string): PatientDraft {
  const nir = opt(f.nir);
  const insMatricule = opt(f.insMatricule);
  const draft: Record<string, unknown> = {
    birthName: f.birthName.trim(),
    firstNames: splitFirstNames(f.firstNames),
    birthDate: parseDateInput(f.birthDate) ?? f.birthDate,
    sex: f.sex === '' ? 'U' : f.sex,
    identityStatus: f.identityStatus,
    contact: {
      addressLines: f.addressLines
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l.length > 0),
      phones: f.phones
        .filter((p) => p.number.trim() !== '')
        .map((p) => ({ kind: p.kind, number: p.number.trim() })),
      ...(opt(f.postalCode) ? { postalCode: opt(f.postalCode) } : {}),
      ...(opt(f.city) ? { city: opt(f.city) } : {}),
      ...(opt(f.country) ? { country: f.country.trim().toUpperCase() } : {}),
      ...(opt(f.email) ? { email: opt(f.email) } : {}),
    },
  };
  if (id) draft.id = id;
  if (opt(f.usedName)) draft.usedName = opt(f.usedName);
  if (opt(f.usedFirstName)) draft.usedFirstName = opt(f.usedFirstName);
  if (opt(f.birthplaceCode)) draft.birthplaceCode = f.birthplaceCode.trim().toUpperCase();
  if (nir) draft.nir = normaliseNirInput(nir);
  if (insMatricule) draft.ins = { matricule: normaliseNirInput(insMatricule), oid: f.insOid };
  if (opt(f.treatingPractitionerRpps))
    draft.treatingPractitionerRpps = f.treatingPractitionerRpps.replace(/\s/g, '');
  if (opt(f.deceasedDate)) draft.deceasedDate = parseDateInput(f.deceasedDate) ?? f.deceasedDate;
  return draft as PatientDraft;
}

/**
 * Checks done as the user types, with the shared parsers the host also runs: required
 * traits, birth date (a real day, not in the future, not before 1880), NIR key, INS and
 * its OID, the INS a status requires. `today` is the Paris calendar day.
 */
export function localProblems(f: PatientFormState, today: string): FieldProblems {
  const out: FieldProblems = {};
  if (f.birthName.trim() === '') out.birthName = { code: 'ui:required' };
  if (splitFirstNames(f.firstNames).length === 0) out.firstNames = { code: 'ui:required' };
  if (f.sex === '') out.sex = { code: 'ui:required' };
  const birthDate = parseDateInput(f.birthDate);
  if (f.birthDate.trim() === '') out.birthDate = { code: 'ui:required' };
  else if (birthDate === undefined || birthDate < '1880-01-01') out.birthDate = { code: 'ui:dateInvalid' };
  else if (birthDate > today) out.birthDate = { code: 'ui:birthDateFuture' };
  if (f.nir.trim() !== '') {
    const nir = parseNir(f.nir);
    if (!nir.ok) out.nir = nir.error;
  }
  if (f.insMatricule.trim() !== '') {
    const ins = parseIns({ matricule: f.insMatricule, oid: f.insOid });
    if (!ins.ok) out.ins = ins.error;
  } else if (identityStatusRequiresIns(f.identityStatus)) {
    out.ins = { code: 'PATIENT_INS_REQUIRED', params: { status: f.identityStatus } };
  }
  if (f.birthplaceCode.trim() !== '' && !/^(?:[0-9]{5}|2[AB][0-9]{3})$/i.test(f.birthplaceCode.trim())) {
    out.birthplaceCode = { code: 'ui:birthplaceFormat' };
  }
  if (f.email.trim() !== '' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(f.email.trim()))
    out.email = { code: 'VALIDATION_EMAIL' };
  if (f.phones.some((p) => p.number.trim() !== '' && !/^\+?[0-9][0-9 ().-]{2,29}$/.test(p.number.trim()))) {
    out.phones = { code: 'ui:phoneFormat' };
  }
  if (f.treatingPractitionerRpps.trim() !== '') {
    const rpps = parseRpps(f.treatingPractitionerRpps);
    if (!rpps.ok) out.treatingPractitionerRpps = rpps.error;
  }
  if (f.deceasedDate.trim() !== '') {
    const deceased = parseDateInput(f.deceasedDate);
    if (deceased === undefined) out.deceasedDate = { code: 'ui:dateInvalid' };
    else if (birthDate !== undefined && deceased < birthDate)
      out.deceasedDate = { code: 'PATIENT_DECEASED_BEFORE_BIRTH' };
  }
  return out;
}

/** Warnings that do not block saving: provisional NIR, unknown birth month, NIR/identity disagreements. */
export function localWarnings(f: PatientFormState): FieldWarnings {
  const out: { -readonly [K in FormField]?: ErrorPayload[] } = {};
  const nir = f.nir.trim() === '' ? undefined : parseNir(f.nir);
  if (nir?.ok && nir.warnings) out.nir = [...nir.warnings];
  const birthDate = parseDateInput(f.birthDate);
  if (nir?.ok && f.sex !== '' && birthDate !== undefined) {
    const ins =
      f.insMatricule.trim() === '' ? undefined : parseIns({ matricule: f.insMatricule, oid: f.insOid });
    const coherence = identityCoherenceWarnings({
      sex: f.sex,
      birthDate,
      birthplaceCode: f.birthplaceCode.trim() === '' ? undefined : f.birthplaceCode.trim().toUpperCase(),
      nir: nir.value.nir,
      ins: ins?.ok ? { matricule: ins.value.matricule, oid: ins.value.oid } : undefined,
    });
    for (const w of coherence) {
      const field: FormField =
        w.code === 'PATIENT_NIR_SEX_MISMATCH'
          ? 'sex'
          : w.code === 'PATIENT_NIR_BIRTH_DATE_MISMATCH'
            ? 'birthDate'
            : w.code === 'PATIENT_NIR_BIRTHPLACE_MISMATCH'
              ? 'birthplaceCode'
              : 'ins';
      (out[field] ??= []).push(w);
    }
  }
  const rpps = f.treatingPractitionerRpps.trim() === '' ? undefined : parseRpps(f.treatingPractitionerRpps);
  if (rpps?.ok && rpps.warnings) out.treatingPractitionerRpps = [...rpps.warnings];
  return out;
}

const PATH_FIELDS: Readonly<Record<string, FormField>> = {
  birthName: 'birthName',
  usedName: 'usedName',
  firstNames: 'firstNames',
  usedFirstName: 'usedFirstName',
  birthDate: 'birthDate',
  sex: 'sex',
  birthplaceCode: 'birthplaceCode',
  nir: 'nir',
  ins: 'ins',
  identityStatus: 'identityStatus',
  treatingPractitionerRpps: 'treatingPractitionerRpps',
  deceasedDate: 'deceasedDate',
};

/** The host's field issues (paths of the draft) placed on the form's fields; the first issue of a field wins. */
export function problemsFromIssues(issues: readonly FieldIssue[]): FieldProblems {
  const out: FieldProblems = {};
  for (const issue of issues) {
    // Issues of patients:save are under the request's `draft`; those of patients:check are not.
    const path = issue.path[0] === 'draft' ? issue.path.slice(1) : issue.path;
    const [head, second] = path;
    let field: FormField | undefined;
    if (head === 'contact') {
      field = second === 'phones' ? 'phones' : second === 'email' ? 'email' : 'address';
    } else if (typeof head === 'string') {
      field = PATH_FIELDS[head];
    }
    if (field && !out[field])
      out[field] = issue.params ? { code: issue.code, params: issue.params } : { code: issue.code };
  }
  return out;
}
