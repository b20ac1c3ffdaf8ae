import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INSTANT_PATTERN, parseInstant, toInstant } from './instant';
import {
  formatCalendarDate,
  formatParisDateTime,
  formatParisTime,
  parisDateOf,
  parisLocal,
  parisLocalToInstant,
} from './paris';

describe('instants', () => {
  it('stores fixed-width UTC instants whose string order is chronological', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2200, 0, 1) }),
        fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2200, 0, 1) }),
        (a, b) => {
          const ia = toInstant(a);
          const ib = toInstant(b);
          return INSTANT_PATTERN.test(ia) && Math.sign(a - b) === Math.sign(ia.localeCompare(ib, 'en'));
        },
      ),
    );
  });

  it('parses zoned ISO strings into the stored form and refuses the rest', () => {
    expect(parseInstant('2024-03-31T03:30:00+02:00')).toEqual({
      ok: true,
      value: '2024-03-31T01:30:00.000Z',
    });
    expect(parseInstant('2024-01-15T10:00Z')).toEqual({ ok: true, value: '2024-01-15T10:00:00.000Z' });
    expect(parseInstant('2024-01-15T10:00:00.123456Z')).toEqual({
      ok: true,
      value: '2024-01-15T10:00:00.123Z',
    });
    for (const bad of [
      '2024-02-30T10:00:00Z',
      '2024-01-15T10:00:00',
      '2024-01-15',
      'yesterday',
      '2024-01-15T24:00:00Z',
      42,
    ]) {
      expect(parseInstant(bad), String(bad)).toEqual({ ok: false, error: { code: 'TIME_INSTANT_INVALID' } });
    }
  });
});

describe('Europe/Paris display across DST changes', () => {
  it('switches from +01:00 to +02:00 on the last Sunday of March at 01:00 UTC', () => {
    expect(parisLocal('2024-03-31T00:59:59.000Z')).toEqual({
      date: '2024-03-31',
      time: '01:59:59',
      offsetMinutes: 60,
    });
    expect(parisLocal('2024-03-31T01:00:00.000Z')).toEqual({
      date: '2024-03-31',
      time: '03:00:00',
      offsetMinutes: 120,
    });
  });

  it('switches back on the last Sunday of October, showing 02:30 twice', () => {
    expect(parisLocal('2024-10-27T00:30:00.000Z')).toEqual({
      date: '2024-10-27',
      time: '02:30:00',
      offsetMinutes: 120,
    });
    expect(parisLocal('2024-10-27T01:30:00.000Z')).toEqual({
      date: '2024-10-27',
      time: '02:30:00',
      offsetMinutes: 60,
    });
  });

  it('formats in fr, de and en with Paris wall-clock time', () => {
    const summer = '2024-07-14T08:05:00.000Z';
    expect(formatParisDateTime(summer, 'fr')).toContain('14/07/2024');
    expect(formatParisDateTime(summer, 'fr')).toContain('10:05');
    expect(formatParisDateTime(summer, 'de')).toContain('14.07.24');
    expect(formatParisTime(summer, 'en')).toBe('10:05');
    expect(formatParisTime('2024-01-14T08:05:00.000Z', 'fr')).toBe('09:05');
  });

  it('puts late-evening UTC instants on the next Paris day', () => {
    expect(parisDateOf('2024-06-30T22:30:00.000Z')).toBe('2024-07-01');
    expect(parisDateOf('2024-12-31T22:59:59.999Z')).toBe('2024-12-31');
    expect(parisDateOf('2024-12-31T23:00:00.000Z')).toBe('2025-01-01');
  });

  it('formats calendar dates without shifting them by the time zone', () => {
    expect(formatCalendarDate('1984-12-01', 'fr')).toBe('01/12/1984');
  });
});

describe('parisLocalToInstant', () => {
  it('refuses the hour skipped in spring and picks summer time in the repeated autumn hour', () => {
    expect(parisLocalToInstant('2024-03-31', '02:30')).toEqual({
      ok: false,
      error: { code: 'TIME_LOCAL_NONEXISTENT' },
    });
    expect(parisLocalToInstant('2024-03-31', '03:00')).toEqual({
      ok: true,
      value: '2024-03-31T01:00:00.000Z',
    });
    expect(parisLocalToInstant('2024-10-27', '02:30')).toEqual({
      ok: true,
      value: '2024-10-27T00:30:00.000Z',
    });
    expect(parisLocalToInstant('2024-10-27', '03:30')).toEqual({
      ok: true,
      value: '2024-10-27T02:30:00.000Z',
    });
    expect(parisLocalToInstant('2024-02-30', '10:00')).toEqual({
      ok: false,
      error: { code: 'TIME_LOCAL_INVALID' },
    });
    expect(parisLocalToInstant('2024-02-10', '25:00')).toEqual({
      ok: false,
      error: { code: 'TIME_LOCAL_INVALID' },
    });
  });

  it('round-trips every instant through its Paris wall-clock time', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1980, 0, 1) / 1000, max: Date.UTC(2100, 0, 1) / 1000 }),
        (seconds) => {
          const instant = toInstant(seconds * 1000);
          const local = parisLocal(instant);
          const back = parisLocalToInstant(local.date, local.time);
          if (!back.ok) return false;
          if (back.value === instant) return true;
          // Only the second pass of the repeated autumn hour maps back to its first pass, one hour earlier.
          return Date.parse(instant) - Date.parse(back.value) === 3_600_000 && local.offsetMinutes === 60;
        },
      ),
      { numRuns: 3000 },
    );
  });
});
