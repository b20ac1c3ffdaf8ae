import { describe, expect, it } from 'vitest';
import { EncounterDraftSchema } from '../../../../shared/src/api/contract';
import {
  consultationDraft,
  consultationProblems,
  emptyAllergy,
  emptyConsultation,
  emptyLine,
  parseDecimal,
} from './consultation-model';

describe('consultation model', () => {
  it('reads decimal commas and points, refuses the rest', () => {
    expect(parseDecimal('72,5')).toBe(72.5);
    expect(parseDecimal(' 38.2 ')).toBe(38.2);
    expect(parseDecimal('12a')).toBeUndefined();
    expect(parseDecimal('')).toBeUndefined();
  });

  it('refuses an empty consultation, vitals out of range and incomplete lines', () => {
    expect(consultationProblems(emptyConsultation())).toEqual([{ field: 'empty', key: 'empty' }]);
    const f = {
      ...emptyConsultation(),
      vitals: { ...emptyConsultation().vitals, temperature: '60', weight: 'abc' },
      lines: [{ ...emptyLine(), medication: 'Paracétamol 1 g' }],
      allergies: [emptyAllergy()],
    };
    expect(consultationProblems(f)).toEqual([
      { field: 'vitals.weight', key: 'number' },
      { field: 'vitals.temperature', key: 'range', min: 25, max: 45 },
      { field: 'allergies.0.substance', key: 'required' },
      { field: 'lines.0.dosage', key: 'required' },
    ]);
  });

  it('builds a draft the contract accepts', () => {
    const f = {
      ...emptyConsultation(),
      reason: ' Fièvre ',
      note: 'Angine probable.',
      vitals: { ...emptyConsultation().vitals, temperature: '38,6', systolic: '125', diastolic: '80' },
      allergies: [{ ...emptyAllergy(), substance: 'Pénicilline', criticality: 'high' as const }],
      lines: [
        {
          ...emptyLine(),
          medication: 'Paracétamol 1 g',
          dosage: '1 cp x 3/j',
          durationDays: '5',
          route: 'oral' as const,
        },
      ],
      renewals: '0',
    };
    expect(consultationProblems(f)).toEqual([]);
    const draft = consultationDraft('patient-1', f);
    expect(draft).toMatchObject({
      patientId: 'patient-1',
      reason: 'Fièvre',
      vitals: { temperature: 38.6, systolic: 125, diastolic: 80 },
      prescription: { renewals: 0, lines: [{ dosageText: '1 cp x 3/j', durationDays: 5, route: 'oral' }] },
    });
    expect(EncounterDraftSchema.safeParse(draft).success).toBe(true);
  });
});
