import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeNirKey, parseNir } from './nir';

function withKey(first13: string): string {
  return first13 + String(computeNirKey(first13)).padStart(2, '0');
}

/** Independent key computation with BigInt, so the Number arithmetic of the parser is checked against exact maths. */
function bigKey(first13: string): number {
  const numeric = first13.replace('2A', '19').replace('2B', '18');
  return Number(97n - (BigInt(numeric) % 97n));
}

const digits = (n: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n });

/** 13 characters that pass every structural rule, Corsica included. */
const validFirst13 = fc
  .tuple(
    fc.constantFrom('1', '2'),
    digits(2),
    fc.integer({ min: 1, max: 12 }).map((m) => String(m).padStart(2, '0')),
    fc.oneof(
      fc.integer({ min: 1, max: 99 }).map((d) => String(d).padStart(2, '0')),
      fc.constantFrom('2A', '2B'),
    ),
    digits(6),
  )
  .map((parts) => parts.join(''));

describe('parseNir: published examples', () => {
  // Examples printed in INSEE / service-public explanations of the NIR; the key is recomputed, not trusted.
  it.each([
    ['1 84 12 76 451 089 46', '1841276451089', 46],
    ['2 55 08 14 168 025 38', '2550814168025', 38],
  ])('%s is valid and its key matches the algorithm', (printed, first13, publishedKey) => {
    expect(computeNirKey(first13)).toBe(publishedKey);
    const r = parseNir(printed);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.nir).toBe(printed.replace(/ /g, ''));
    expect(r.warnings).toBeUndefined();
  });

  it('decodes the parts of 1 84 12 76 451 089 46', () => {
    const r = parseNir('184127645108946');
    expect(r).toMatchObject({
      ok: true,
      value: {
        sex: 'M',
        sexDigit: '1',
        birthYear: '84',
        birthMonth: '12',
        birthMonthKnown: true,
        department: '76',
        commune: '451',
        bornAbroad: false,
        order: '089',
        key: '46',
        provisional: false,
      },
    });
  });
});

describe('parseNir: rules', () => {
  it('uses 19 for 2A and 18 for 2B when computing the key', () => {
    const nir2a = withKey('157082A004089');
    expect(nir2a.slice(13)).toBe(String(97 - (1570819004089 % 97)).padStart(2, '0'));
    const r = parseNir(nir2a.toLowerCase());
    expect(r.ok && r.value.department).toBe('2A');
    expect(r.ok && r.value.nir).toBe(nir2a);
    const nir2b = withKey('257082B004089');
    expect(nir2b.slice(13)).toBe(String(97 - (2570818004089 % 97)).padStart(2, '0'));
    expect(parseNir(nir2b).ok).toBe(true);
    // The same digits with 2A swapped for 2B do not keep the key.
    expect(parseNir(nir2a.replace('2A', '2B'))).toMatchObject({ ok: false, error: { code: 'NIR_KEY' } });
  });

  it('tolerates spaces, non-breaking spaces and dots', () => {
    expect(parseNir('1 84 12 76 451 089 46').ok).toBe(true);
    expect(parseNir('1\u00a084\u00a012.76.451.089\u202f46').ok).toBe(true);
  });

  it('returns NIR_REQUIRED and NIR_FORMAT', () => {
    expect(parseNir(undefined)).toMatchObject({ ok: false, error: { code: 'NIR_REQUIRED' } });
    expect(parseNir('   ')).toMatchObject({ ok: false, error: { code: 'NIR_REQUIRED' } });
    expect(parseNir(184127645108946)).toMatchObject({ ok: false, error: { code: 'NIR_FORMAT' } });
    expect(parseNir('18412764510894')).toMatchObject({ ok: false, error: { code: 'NIR_FORMAT' } });
    expect(parseNir('1841276451089460')).toMatchObject({ ok: false, error: { code: 'NIR_FORMAT' } });
    expect(parseNir('18412764510894X')).toMatchObject({ ok: false, error: { code: 'NIR_FORMAT' } });
    expect(parseNir('18412AB45108946')).toMatchObject({ ok: false, error: { code: 'NIR_FORMAT' } });
  });

  it('checks the sex digit', () => {
    for (const d of ['0', '5', '6', '9']) {
      expect(parseNir(withKey(`${d}841276451089`))).toMatchObject({ ok: false, error: { code: 'NIR_SEX' } });
    }
    for (const d of ['3', '4', '7', '8']) {
      const r = parseNir(withKey(`${d}841276451089`));
      expect(r).toMatchObject({
        ok: true,
        value: { provisional: true },
        warnings: [{ code: 'NIR_PROVISIONAL' }],
      });
      expect(parseNir(withKey(`${d}841276451089`), { rejectProvisional: true })).toMatchObject({
        ok: false,
        error: { code: 'NIR_PROVISIONAL_REFUSED' },
      });
    }
    expect(parseNir(withKey('7841276451089'))).toMatchObject({ ok: true, value: { sex: 'M' } });
    expect(parseNir(withKey('8841276451089'))).toMatchObject({ ok: true, value: { sex: 'F' } });
  });

  it('classifies every month value', () => {
    for (let m = 0; m <= 99; m += 1) {
      const mm = String(m).padStart(2, '0');
      const r = parseNir(withKey(`184${mm}76451089`));
      if (m >= 1 && m <= 12) {
        expect(r.ok && r.warnings === undefined, mm).toBe(true);
      } else if ((m >= 20 && m <= 42) || m >= 50) {
        expect(r, mm).toMatchObject({
          ok: true,
          value: { birthMonthKnown: false },
          warnings: [{ code: 'NIR_MONTH_UNKNOWN' }],
        });
      } else {
        expect(r, mm).toMatchObject({ ok: false, error: { code: 'NIR_MONTH' } });
      }
    }
  });

  it('refuses department 00 and decodes overseas and abroad births', () => {
    expect(parseNir(withKey('1841200451089'))).toMatchObject({
      ok: false,
      error: { code: 'NIR_DEPARTMENT' },
    });
    expect(parseNir(withKey('1841297105089'))).toMatchObject({
      ok: true,
      value: { department: '971', commune: '05', bornAbroad: false },
    });
    expect(parseNir(withKey('1841299350089'))).toMatchObject({
      ok: true,
      value: { department: '99', commune: '350', bornAbroad: true },
    });
  });

  it('never reveals the expected key', () => {
    const r = parseNir('184127645108947');
    expect(r).toEqual({ ok: false, error: { code: 'NIR_KEY' } });
  });

  it('refuses keys 00 and 98/99 whatever the number', () => {
    expect(parseNir('184127645108900').ok).toBe(false);
    expect(parseNir('184127645108998').ok).toBe(false);
  });
});

describe('parseNir: properties', () => {
  it('Number arithmetic agrees with BigInt for every 13-character body', () => {
    fc.assert(
      fc.property(validFirst13, (first13) => computeNirKey(first13) === bigKey(first13)),
      { numRuns: 2000 },
    );
  });

  it('any valid 13-character body with its computed key parses', () => {
    fc.assert(
      fc.property(validFirst13, (first13) => {
        const r = parseNir(withKey(first13));
        return r.ok && r.value.nir === withKey(first13);
      }),
      { numRuns: 2000 },
    );
  });

  it('any 13 digits with their computed key pass the key check; only the structural rules may refuse them', () => {
    fc.assert(
      fc.property(digits(13), (first13) => {
        const r = parseNir(withKey(first13));
        return r.ok || ['NIR_SEX', 'NIR_MONTH', 'NIR_DEPARTMENT'].includes(r.error.code);
      }),
      { numRuns: 2000 },
    );
  });

  it('any single-digit change breaks the key', () => {
    fc.assert(
      fc.property(
        validFirst13,
        fc.integer({ min: 0, max: 14 }),
        fc.integer({ min: 1, max: 9 }),
        (first13, pos, delta) => {
          const nir = withKey(first13);
          const ch = nir.charAt(pos);
          if (!/[0-9]/.test(ch)) return true;
          const changed = nir.slice(0, pos) + String((Number(ch) + delta) % 10) + nir.slice(pos + 1);
          const r = parseNir(changed);
          // A change in the sex, month or department digits may be refused by an earlier rule; it must be refused anyway.
          return !r.ok;
        },
      ),
      { numRuns: 3000 },
    );
  });
});
