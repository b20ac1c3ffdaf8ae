import { describe, expect, it } from 'vitest';
import { allowedView, canSeeClinical, homeView } from './views';

describe('views by role', () => {
  it('gives practitioners everything, secretaries no clinical screen, DPO and admin the audit view only', () => {
    const record = { name: 'record', patientId: 'p' } as const;
    const consultation = { name: 'consultation', patientId: 'p' } as const;
    expect(allowedView('practitioner', consultation)).toBe(true);
    expect(allowedView('secretary', record)).toBe(true);
    expect(allowedView('secretary', consultation)).toBe(false);
    expect(canSeeClinical('secretary')).toBe(false);
    for (const role of ['dpo', 'admin'] as const) {
      expect(homeView(role)).toEqual({ name: 'audit' });
      expect(allowedView(role, record)).toBe(false);
      expect(allowedView(role, { name: 'conflicts' })).toBe(false);
      expect(allowedView(role, { name: 'settings' })).toBe(true);
    }
    expect(allowedView('practitioner', { name: 'audit' })).toBe(false);
  });
});
