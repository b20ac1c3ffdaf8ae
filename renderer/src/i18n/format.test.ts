import { describe, expect, it } from 'vitest';
import { formatCalendarDate } from '../../../shared/src/time';
import { ageOn, formatBirthDate, formatDateTime, formatNumber, formatRelative } from './format';
import { toUiLocale } from './locales';

describe('formatters', () => {
  it('shows instants in Paris time whatever the machine zone, in the UI language', () => {
    // 23:30 UTC on 31 December is already New Year in Paris.
    expect(formatDateTime('2025-12-31T23:30:00.000Z', 'fr-FR')).toBe('01/01/2026 00:30');
    expect(formatDateTime('2025-12-31T23:30:00.000Z', 'de-DE')).toBe('01.01.26, 00:30');
    expect(formatDateTime('2025-07-01T10:00:00.000Z', 'en-GB')).toBe('01/07/2025, 12:00');
  });

  it('never shifts a calendar date (birth date), as the shared formatter', () => {
    for (const [locale, lang] of [
      ['fr-FR', 'fr'],
      ['de-DE', 'de'],
      ['en-GB', 'en'],
    ] as const) {
      expect(formatBirthDate('2001-02-28', locale)).toBe(formatCalendarDate('2001-02-28', lang));
    }
    expect(formatBirthDate('1984-12-03', 'fr-FR')).toBe('03/12/1984');
    expect(formatBirthDate('1984-12-03', 'de-DE')).toBe('03.12.84');
  });

  it('formats numbers with the decimal separator of the language', () => {
    expect(formatNumber(72.5, 'fr-FR')).toBe('72,5');
    expect(formatNumber(72.5, 'en-GB')).toBe('72.5');
    expect(formatNumber(1234.56, 'de-DE', 2)).toBe('1.234,56');
  });

  it('says how long ago in words', () => {
    const now = Date.parse('2026-01-01T12:00:00.000Z');
    expect(formatRelative('2026-01-01T11:57:00.000Z', now, 'fr-FR')).toBe('il y a 3 minutes');
    expect(formatRelative('2026-01-01T11:59:50.000Z', now, 'en-GB')).toBe('now');
    expect(formatRelative('2026-01-01T09:00:00.000Z', now, 'de-DE')).toBe('vor 3 Stunden');
  });

  it('computes ages on a calendar day', () => {
    expect(ageOn('1984-12-03', '2026-12-02')).toBe(41);
    expect(ageOn('1984-12-03', '2026-12-03')).toBe(42);
  });

  it('maps stored languages to UI locales, French by default', () => {
    expect(toUiLocale('de')).toBe('de-DE');
    expect(toUiLocale('en-US')).toBe('en-GB');
    expect(toUiLocale('it-IT')).toBe('fr-FR');
    expect(toUiLocale(null)).toBe('fr-FR');
  });
});
