import type { EncounterDraft, VitalKind } from '../../../../shared/src/api/contract';
import { VITAL_SIGNS } from '../../../../shared/src/api/contract';
import type { ROUTES } from '../../../../shared/src/schemas/prescription';

/** The vitals the form asks for (BMI is computed by the host from weight and height). */
export const FORM_VITALS = [
  'weight',
  'height',
  'systolic',
  'diastolic',
  'heartRate',
  'temperature',
  'spo2',
  'respiratoryRate',
] as const satisfies readonly VitalKind[];
export type FormVital = (typeof FORM_VITALS)[number];

export type AllergyRow = {
  readonly substance: string;
  readonly reaction: string;
  readonly severity: '' | 'mild' | 'moderate' | 'severe';
  readonly criticality: 'low' | 'high' | 'unable-to-assess';
};

export type Route = (typeof ROUTES)[number];
export type LineRow = {
  readonly medication: string;
  readonly dosage: string;
  readonly quantity: string;
  readonly durationDays: string;
  readonly route: '' | Route;
};

export type ConsultationFormState = {
  readonly reason: string;
  readonly note: string;
  readonly vitals: Readonly<Record<FormVital, string>>;
  readonly allergies: readonly AllergyRow[];
  readonly lines: readonly LineRow[];
  readonly renewals: string;
};

export function emptyConsultation(): ConsultationFormState {
  return {
    reason: '',
    note: '',
    vitals: Object.fromEntries(FORM_VITALS.map((k) => [k, ''])) as Record<FormVital, string>,
    allergies: [],
    lines: [],
    renewals: '0',
  };
}

export function emptyAllergy(): AllergyRow {
  return { substance: '', reaction: '', severity: '', criticality: 'unable-to-assess' };
}

export function emptyLine(): LineRow {
  return { medication: '', dosage: '', quantity: '', durationDays: '', route: '' };
}

/** Accepts the French decimal comma ("72,5") as well as the point; undefined when not a number. */
export function parseDecimal(input: string): number | undefined {
  const v = input.trim().replace(/\s/g, '').replace(',', '.');
  const [whole = '', fraction, ...rest] = v.split('.');
  if (rest.length > 0 || !/^-?\d+$/.test(whole) || (fraction !== undefined && !/^\d+$/.test(fraction)))
    return undefined;
  return Number(v);
}

export type ConsultationProblem =
  | { readonly field: `vitals.${FormVital}`; readonly key: 'number' }
  | {
      readonly field: `vitals.${FormVital}`;
      readonly key: 'range';
      readonly min: number;
      readonly max: number;
    }
  | { readonly field: `allergies.${number}.substance`; readonly key: 'required' }
  | { readonly field: `lines.${number}.medication` | `lines.${number}.dosage`; readonly key: 'required' }
  | {
      readonly field: `lines.${number}.durationDays`;
      readonly key: 'range';
      readonly min: number;
      readonly max: number;
    }
  | { readonly field: 'renewals'; readonly key: 'range'; readonly min: number; readonly max: number }
  | { readonly field: 'empty'; readonly key: 'empty' };

/** Problems of the form, by field path; an empty consultation (nothing typed at all) is one too. */
export function consultationProblems(f: ConsultationFormState): ConsultationProblem[] {
  const out: ConsultationProblem[] = [];
  for (const kind of FORM_VITALS) {
    const raw = f.vitals[kind];
    if (raw.trim() === '') continue;
    const n = parseDecimal(raw);
    const { min, max } = VITAL_SIGNS[kind];
    if (n === undefined) out.push({ field: `vitals.${kind}`, key: 'number' });
    else if (n < min || n > max) out.push({ field: `vitals.${kind}`, key: 'range', min, max });
  }
  f.allergies.forEach((a, i) => {
    if (a.substance.trim() === '') out.push({ field: `allergies.${i}.substance`, key: 'required' });
  });
  f.lines.forEach((l, i) => {
    if (l.medication.trim() === '') out.push({ field: `lines.${i}.medication`, key: 'required' });
    if (l.dosage.trim() === '') out.push({ field: `lines.${i}.dosage`, key: 'required' });
    if (l.durationDays.trim() !== '') {
      const d = Number(l.durationDays.trim());
      if (!Number.isInteger(d) || d < 1 || d > 3650)
        out.push({ field: `lines.${i}.durationDays`, key: 'range', min: 1, max: 3650 });
    }
  });
  const renewals = Number(f.renewals.trim() || '0');
  if (!Number.isInteger(renewals) || renewals < 0 || renewals > 12)
    out.push({ field: 'renewals', key: 'range', min: 0, max: 12 });
  const typedSomething =
    f.reason.trim() !== '' ||
    f.note.trim() !== '' ||
    FORM_VITALS.some((k) => f.vitals[k].trim() !== '') ||
    f.allergies.length > 0 ||
    f.lines.length > 0;
  if (!typedSomething) out.push({ field: 'empty', key: 'empty' });
  return out;
}

/** The encounters:save draft; call only when consultationProblems() is empty. */
export function consultationDraft(patientId: string, f: ConsultationFormState): EncounterDraft {
  const vitals: Partial<Record<FormVital, number>> = {};
  for (const kind of FORM_VITALS) {
    const n = parseDecimal(f.vitals[kind]);
    if (n !== undefined) vitals[kind] = n;
  }
  const draft: EncounterDraft = { patientId, reason: f.reason.trim() };
  if (f.note.trim() !== '') draft.note = f.note.trim();
  if (Object.keys(vitals).length > 0) draft.vitals = vitals;
  if (f.allergies.length > 0) {
    draft.allergies = f.allergies.map((a) => ({
      substance: { system: 'text' as const, display: a.substance.trim() },
      criticality: a.criticality,
      ...(a.reaction.trim() !== '' ? { reaction: a.reaction.trim() } : {}),
      ...(a.severity !== '' ? { severity: a.severity } : {}),
    }));
  }
  if (f.lines.length > 0) {
    draft.prescription = {
      renewals: Number(f.renewals.trim() || '0'),
      lines: f.lines.map((l) => ({
        medication: { system: 'text' as const, display: l.medication.trim() },
        dosageText: l.dosage.trim(),
        ...(l.quantity.trim() !== '' ? { quantity: l.quantity.trim() } : {}),
        ...(l.durationDays.trim() !== '' ? { durationDays: Number(l.durationDays.trim()) } : {}),
        ...(l.route !== '' ? { route: l.route } : {}),
      })),
    };
  }
  return draft;
}
