import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { luhnCheckDigit, luhnValid } from './luhn';
import { parseRpps } from './rpps';

describe('luhn', () => {
  it('matches the textbook example 79927398713', () => {
    expect(luhnValid('79927398713')).toBe(true);
    expect(luhnValid('79927398710')).toBe(false);
  });
});

describe('parseRpps', () => {
  it('accepts 11 digits with a correct Luhn digit, without warning', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 10, maxLength: 10 }),
        (body) => {
          const rpps = body + luhnCheckDigit(body);
          const r = parseRpps(rpps);
          return r.ok && r.value.rpps === rpps && r.warnings === undefined;
        },
      ),
    );
  });

  it('turns a Luhn failure into the RPPS_CHECKSUM warning, not an error', () => {
    const body = '1000123456';
    const good = body + luhnCheckDigit(body);
    const bad = body + String((Number(luhnCheckDigit(body)) + 1) % 10);
    expect(parseRpps(good).warnings).toBeUndefined();
    expect(parseRpps(bad)).toMatchObject({
      ok: true,
      value: { rpps: bad, checksumValid: false },
      warnings: [{ code: 'RPPS_CHECKSUM' }],
    });
  });

  it('refuses wrong lengths and characters', () => {
    expect(parseRpps('')).toMatchObject({ ok: false, error: { code: 'RPPS_REQUIRED' } });
    expect(parseRpps(null)).toMatchObject({ ok: false, error: { code: 'RPPS_REQUIRED' } });
    expect(parseRpps('1234567890')).toMatchObject({ ok: false, error: { code: 'RPPS_FORMAT' } });
    expect(parseRpps('123456789012')).toMatchObject({ ok: false, error: { code: 'RPPS_FORMAT' } });
    expect(parseRpps('1234567890A')).toMatchObject({ ok: false, error: { code: 'RPPS_FORMAT' } });
    expect(parseRpps(10001234567)).toMatchObject({ ok: false, error: { code: 'RPPS_FORMAT' } });
    expect(parseRpps('100 012 345 67').ok).toBe(true);
  });
});
