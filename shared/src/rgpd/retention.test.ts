import { describe, expect, it } from 'vitest';
import { addYears, computeRetention, DEFAULT_RETENTION_RULES, parseRetentionRules } from './retention';

const created = '2000-01-01T10:00:00.000Z';

describe('retention clock', () => {
  it('keeps an adult record 20 years after the last encounter, erasable the next day', () => {
    const input = { birthDate: '1950-06-01', lastEncounterAt: '2006-03-15T09:00:00.000Z', recordCreatedAt: created };
    const r = computeRetention(input, '2026-03-15T12:00:00.000Z');
    expect(r).toEqual({ status: 'running', keptUntil: '2026-03-15', erasableFrom: '2026-03-16', basis: 'last-encounter', anchor: '2006-03-15' });
    // The first Paris minute of 16 March 2026 is 23:00 UTC on the 15th (UTC+1 in winter).
    expect(computeRetention(input, '2026-03-15T22:59:59.999Z').status).toBe('running');
    expect(computeRetention(input, '2026-03-15T23:00:00.000Z').status).toBe('expired');
  });

  it('reads the last encounter as a Paris day (late evening UTC is the next day in Paris)', () => {
    const r = computeRetention(
      { birthDate: '1950-06-01', lastEncounterAt: '2005-12-31T23:30:00.000Z', recordCreatedAt: created },
      '2026-01-01T00:00:00.000Z',
    );
    expect(r.anchor).toBe('2006-01-01');
    expect(r.keptUntil).toBe('2026-01-01');
  });

  it('29 February + 20 years in a common year is 1 March, never 28 February', () => {
    expect(addYears('2004-02-29', 20)).toBe('2024-02-29');
    expect(addYears('2004-02-29', 21)).toBe('2025-03-01');
    const r = computeRetention(
      { birthDate: '1960-01-01', lastEncounterAt: '2005-02-28T23:30:00.000Z', recordCreatedAt: created },
      '2025-03-01T12:00:00.000Z',
    );
    // 23:30 UTC on 28 Feb 2005 is 00:30 on 1 March in Paris.
    expect(r.anchor).toBe('2005-03-01');
    const leap = computeRetention(
      { birthDate: '1960-01-01', lastEncounterAt: '2008-02-29T10:00:00.000Z', recordCreatedAt: created },
      '2028-02-29T12:00:00.000Z',
    );
    expect(leap.keptUntil).toBe('2028-02-29');
    expect(leap.status).toBe('running');
    expect(computeRetention(
      { birthDate: '1960-01-01', lastEncounterAt: '2008-02-29T10:00:00.000Z', recordCreatedAt: created },
      '2028-03-01T12:00:00.000Z',
    ).status).toBe('expired');
  });

  it('a minor is kept until the 28th birthday when that comes later', () => {
    const r = computeRetention(
      { birthDate: '2000-09-10', lastEncounterAt: '2001-05-02T08:00:00.000Z', recordCreatedAt: created },
      '2021-05-03T12:00:00.000Z',
    );
    expect(r).toMatchObject({ status: 'running', keptUntil: '2028-09-10', erasableFrom: '2028-09-11', basis: 'age' });
    // An encounter at 15 is 20 years later past the 28th birthday: the 20-year rule wins.
    const teen = computeRetention(
      { birthDate: '2000-09-10', lastEncounterAt: '2015-09-10T08:00:00.000Z', recordCreatedAt: created },
      '2030-01-01T12:00:00.000Z',
    );
    expect(teen).toMatchObject({ keptUntil: '2035-09-10', basis: 'last-encounter' });
  });

  it('a patient born on 29 February reaches 28 on 1 March of a common year', () => {
    const r = computeRetention(
      { birthDate: '2004-02-29', lastEncounterAt: '2004-03-10T08:00:00.000Z', recordCreatedAt: created },
      '2032-02-29T12:00:00.000Z',
    );
    expect(r).toMatchObject({ keptUntil: '2032-02-29', basis: 'age', status: 'running' });
    const common = computeRetention(
      { birthDate: '2003-02-28', lastEncounterAt: '2003-03-10T08:00:00.000Z', recordCreatedAt: created },
      '2031-03-01T12:00:00.000Z',
    );
    expect(common).toMatchObject({ keptUntil: '2031-02-28', status: 'expired' });
    expect(addYears('2004-02-29', 27)).toBe('2031-03-01');
  });

  it('a death less than 10 years after the last encounter keeps the record 10 years after death', () => {
    const r = computeRetention(
      { birthDate: '1940-01-01', deceasedDate: '2012-07-01', lastEncounterAt: '2010-07-01T08:00:00.000Z', recordCreatedAt: created },
      '2022-07-02T12:00:00.000Z',
    );
    expect(r).toMatchObject({ keptUntil: '2022-07-01', erasableFrom: '2022-07-02', basis: 'death', status: 'expired' });
  });

  it('a death exactly 10 years after the last encounter is not "within": the 20-year rule applies', () => {
    const exactly = computeRetention(
      { birthDate: '1940-01-01', deceasedDate: '2020-07-01', lastEncounterAt: '2010-07-01T08:00:00.000Z', recordCreatedAt: created },
      '2030-07-02T12:00:00.000Z',
    );
    expect(exactly).toMatchObject({ keptUntil: '2030-07-01', basis: 'last-encounter', status: 'expired' });
    const dayBefore = computeRetention(
      { birthDate: '1940-01-01', deceasedDate: '2020-06-30', lastEncounterAt: '2010-07-01T08:00:00.000Z', recordCreatedAt: created },
      '2030-07-01T12:00:00.000Z',
    );
    expect(dayBefore).toMatchObject({ keptUntil: '2030-06-30', basis: 'death', status: 'expired' });
  });

  it('the death rule applies to a minor too ("dans tous les cas")', () => {
    const r = computeRetention(
      { birthDate: '2010-01-01', deceasedDate: '2012-01-01', lastEncounterAt: '2011-06-01T08:00:00.000Z', recordCreatedAt: created },
      '2023-01-01T12:00:00.000Z',
    );
    expect(r).toMatchObject({ keptUntil: '2022-01-01', basis: 'death', status: 'expired' });
  });

  it('a death recorded before the record was created (imported archive) keeps it 10 years from the death', () => {
    const r = computeRetention(
      { birthDate: '1930-01-01', deceasedDate: '2010-05-04', recordCreatedAt: '2026-11-28T10:00:00.000Z' },
      '2026-11-28T12:00:00.000Z',
    );
    expect(r).toMatchObject({ keptUntil: '2020-05-04', basis: 'death', status: 'expired', anchor: '2026-11-28' });
  });

  it('a record without encounter runs from its creation', () => {
    const r = computeRetention({ birthDate: '1970-01-01', recordCreatedAt: '2003-04-05T21:59:00.000Z' }, '2023-04-05T12:00:00.000Z');
    // 21:59 UTC is 23:59 in Paris (summer time): still 5 April.
    expect(r).toMatchObject({ anchor: '2003-04-05', keptUntil: '2023-04-05', basis: 'record-created', status: 'running' });
  });

  it('a legal hold suspends erasure even after expiry', () => {
    const input = { birthDate: '1940-01-01', lastEncounterAt: '1990-01-01T08:00:00.000Z', recordCreatedAt: created };
    expect(computeRetention(input, '2026-01-01T00:00:00.000Z').status).toBe('expired');
    const held = computeRetention({ ...input, legalHold: true }, '2026-01-01T00:00:00.000Z');
    expect(held).toMatchObject({ status: 'held', keptUntil: '2010-01-01' });
  });

  it('rules are configurable and validated', () => {
    const rules = parseRetentionRules({ yearsAfterLastEncounter: 10, untilAge: 0 });
    expect(rules).toEqual({ ...DEFAULT_RETENTION_RULES, yearsAfterLastEncounter: 10, untilAge: 0 });
    const r = computeRetention(
      { birthDate: '2015-01-01', lastEncounterAt: '2016-01-01T08:00:00.000Z', recordCreatedAt: created },
      '2026-01-02T12:00:00.000Z',
      rules,
    );
    expect(r).toMatchObject({ keptUntil: '2026-01-01', status: 'expired' });
    expect(parseRetentionRules({ yearsAfterLastEncounter: -1 })).toBeUndefined();
    expect(parseRetentionRules({ untilAge: 1.5 })).toBeUndefined();
    expect(parseRetentionRules(null)).toBeUndefined();
  });

  it('refuses a malformed birth date', () => {
    expect(() => computeRetention({ birthDate: '01/02/2000', recordCreatedAt: created }, created)).toThrow(RangeError);
  });
});
