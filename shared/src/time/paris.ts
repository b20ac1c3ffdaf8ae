import type { Language, Result } from '../errors/app-error';
import { err, ok } from '../errors/app-error';
import type { TimeErrorCode } from './instant';
import { toInstant } from './instant';

/** Every clinic of the product is in metropolitan France: instants are shown in Paris time. */
export const DISPLAY_TIME_ZONE = 'Europe/Paris';

const LOCALES: Readonly<Record<Language, string>> = { fr: 'fr-FR', de: 'de-DE', en: 'en-GB' };

const partsFormatter = new Intl.DateTimeFormat('en-GB', {
  timeZone: DISPLAY_TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

export type ParisLocal = {
  /** Calendar day in Paris, YYYY-MM-DD. */
  readonly date: string;
  /** Wall-clock time in Paris, HH:mm:ss. */
  readonly time: string;
  /** Offset from UTC in minutes (+60 in winter, +120 in summer). */
  readonly offsetMinutes: number;
};

function toDate(instant: string | Date): Date {
  const d = typeof instant === 'string' ? new Date(instant) : instant;
  if (Number.isNaN(d.getTime())) throw new RangeError('invalid instant');
  return d;
}

export function parisLocal(instant: string | Date): ParisLocal {
  const d = toDate(instant);
  const parts: Record<string, string> = {};
  for (const p of partsFormatter.formatToParts(d)) parts[p.type] = p.value;
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  const time = `${parts.hour}:${parts.minute}:${parts.second}`;
  const asUtc = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  const wholeSeconds = Math.floor(d.getTime() / 1000) * 1000;
  return { date, time, offsetMinutes: Math.round((asUtc - wholeSeconds) / 60_000) };
}

/** The calendar day in Paris an instant falls on: what "today's consultations" means. */
export function parisDateOf(instant: string | Date): string {
  return parisLocal(instant).date;
}

type Style = 'dateTime' | 'date' | 'time';
const STYLES: Readonly<Record<Style, Intl.DateTimeFormatOptions>> = {
  dateTime: { dateStyle: 'short', timeStyle: 'short' },
  date: { dateStyle: 'short' },
  time: { timeStyle: 'short' },
};
// Building a DateTimeFormat costs far more than formatting with one; a list of a few
// hundred encounters formats each row.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(language: Language, style: Style): Intl.DateTimeFormat {
  const key = `${language}:${style}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(LOCALES[language], { ...STYLES[style], timeZone: DISPLAY_TIME_ZONE });
    formatters.set(key, f);
  }
  return f;
}

export function formatParisDateTime(instant: string | Date, language: Language): string {
  return formatter(language, 'dateTime').format(toDate(instant));
}

export function formatParisDate(instant: string | Date, language: Language): string {
  return formatter(language, 'date').format(toDate(instant));
}

export function formatParisTime(instant: string | Date, language: Language): string {
  return formatter(language, 'time').format(toDate(instant));
}

/** A calendar date (YYYY-MM-DD, no time, no zone) in the user's language, e.g. a birth date. */
export function formatCalendarDate(date: string, language: Language): string {
  const d = new Date(`${date}T12:00:00.000Z`);
  return new Intl.DateTimeFormat(LOCALES[language], { dateStyle: 'short', timeZone: 'UTC' }).format(
    toDate(d),
  );
}

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// eslint-disable-next-line security/detect-unsafe-regex -- fixed-width digits, one optional group
const LOCAL_TIME = /^(\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * Converts a wall-clock time typed in Paris into the stored UTC instant. The hour skipped
 * when clocks go forward does not exist and is refused (TIME_LOCAL_NONEXISTENT); in the
 * hour repeated when they go back, the first occurrence (summer time) is chosen, which
 * is what a practitioner typing "02:30" that night most often means.
 */
export function parisLocalToInstant(date: string, time: string): Result<string, TimeErrorCode> {
  const dm = LOCAL_DATE.exec(date);
  const tm = LOCAL_TIME.exec(time);
  if (!dm || !tm) return err('TIME_LOCAL_INVALID');
  const [, y, mo, d] = dm;
  const [, h, mi, s = '00'] = tm;
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const check = new Date(wall);
  if (
    check.getUTCFullYear() !== Number(y) ||
    check.getUTCMonth() !== Number(mo) - 1 ||
    check.getUTCDate() !== Number(d) ||
    check.getUTCHours() !== Number(h) ||
    check.getUTCMinutes() !== Number(mi) ||
    check.getUTCSeconds() !== Number(s)
  ) {
    return err('TIME_LOCAL_INVALID');
  }
  const wanted = `${date}T${h}:${mi}:${s}`;
  const offsets = new Set([
    parisLocal(new Date(wall - 86_400_000)).offsetMinutes,
    parisLocal(new Date(wall)).offsetMinutes,
    parisLocal(new Date(wall + 86_400_000)).offsetMinutes,
  ]);
  const candidates: number[] = [];
  for (const offset of offsets) {
    const t = wall - offset * 60_000;
    const local = parisLocal(new Date(t));
    if (`${local.date}T${local.time}` === wanted) candidates.push(t);
  }
  if (candidates.length === 0) return err('TIME_LOCAL_NONEXISTENT');
  return ok(toInstant(Math.min(...candidates)));
}
