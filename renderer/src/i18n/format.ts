import { formatParisDate, formatParisDateTime, formatParisTime } from '../../../shared/src/time';
import type { UiLocale } from './locales';
import { languageOf } from './locales';

/**
 * Every date, time and number on screen goes through these, so the UI shows Paris time
 * (the clinics' zone, whatever the workstation's own zone) in the user's language.
 */
export function formatDateTime(instant: string, locale: UiLocale): string {
  return formatParisDateTime(instant, languageOf(locale));
}

export function formatDate(instant: string, locale: UiLocale): string {
  return formatParisDate(instant, languageOf(locale));
}

export function formatTime(instant: string, locale: UiLocale): string {
  return formatParisTime(instant, languageOf(locale));
}

const calendarFormats = new Map<UiLocale, Intl.DateTimeFormat>();

/**
 * A calendar date without time or zone (birth date): never shifted by a time zone. The
 * same output as shared formatCalendarDate, with the formatter cached: the patient list
 * formats a birth date per visible row on every keystroke.
 */
export function formatBirthDate(date: string, locale: UiLocale): string {
  let f = calendarFormats.get(locale);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeZone: 'UTC' });
    calendarFormats.set(locale, f);
  }
  const d = new Date(`${date}T12:00:00.000Z`);
  return Number.isNaN(d.getTime()) ? date : f.format(d);
}

const numberFormats = new Map<string, Intl.NumberFormat>();

export function formatNumber(value: number, locale: UiLocale, maximumFractionDigits = 1): string {
  const key = `${locale}:${maximumFractionDigits}`;
  let f = numberFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, { maximumFractionDigits });
    numberFormats.set(key, f);
  }
  return f.format(value);
}

const UNITS: readonly [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** "il y a 3 minutes" / "vor 3 Minuten" / "3 minutes ago"; under a minute: "now". */
export function formatRelative(instant: string, now: number, locale: UiLocale): string {
  const diff = new Date(instant).getTime() - now;
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  for (const [unit, ms] of UNITS) {
    if (Math.abs(diff) >= ms) return rtf.format(Math.round(diff / ms), unit);
  }
  return rtf.format(0, 'second');
}

/** Age in whole years on a given Paris calendar day (YYYY-MM-DD). */
export function ageOn(birthDate: string, today: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  let age = ty - by;
  if (tm < bm || (tm === bm && td < bd)) age -= 1;
  return age;
}
