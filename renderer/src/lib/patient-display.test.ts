import { describe, expect, it } from 'vitest';
import { formatNir, patientMainName, patientUsedNames } from './patient-display';

describe('patient display', () => {
  it('shows the birth name in capitals then the first names', () => {
    expect(patientMainName({ birthName: 'Müller', firstNames: ['Hélène', 'Marie'] })).toBe(
      'MÜLLER Hélène Marie',
    );
  });

  it('shows used names only when they differ', () => {
    expect(
      patientUsedNames({
        birthName: 'Dupont',
        usedName: 'Martin',
        firstNames: ['Anne'],
        usedFirstName: 'Annie',
      }),
    ).toEqual({
      usedName: 'MARTIN',
      usedFirstName: 'Annie',
    });
    expect(patientUsedNames({ birthName: 'Dupont', usedName: 'Dupont', firstNames: ['Anne'] })).toEqual({});
  });

  it('groups a NIR as on the carte Vitale', () => {
    expect(formatNir('284127512345678')).toBe('2 84 12 75 123 456 78');
    expect(formatNir('2 84 12 2A 123 456 78')).toBe('2 84 12 2A 123 456 78');
    expect(formatNir('2841')).toBe('2841');
  });
});
