import { describe, expect, it } from 'vitest';
import { parseAdeli } from './adeli';

describe('parseAdeli', () => {
  it('accepts 9 digits and Corsican prefixes', () => {
    expect(parseAdeli('751234567')).toMatchObject({
      ok: true,
      value: { adeli: '751234567', department: '75' },
    });
    expect(parseAdeli('2a1234567')).toMatchObject({
      ok: true,
      value: { adeli: '2A1234567', department: '2A' },
    });
    expect(parseAdeli('2B 123 456 7').ok).toBe(true);
  });

  it('refuses other shapes', () => {
    expect(parseAdeli(undefined)).toMatchObject({ ok: false, error: { code: 'ADELI_REQUIRED' } });
    for (const bad of ['75123456', '7512345678', '2C1234567', '75123456A', '001234567']) {
      expect(parseAdeli(bad), bad).toMatchObject({ ok: false, error: { code: 'ADELI_FORMAT' } });
    }
    expect(parseAdeli(751234567)).toMatchObject({ ok: false, error: { code: 'ADELI_FORMAT' } });
  });
});
