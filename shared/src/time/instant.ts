import type { Result } from '../errors/app-error';
import { err, ok } from '../errors/app-error';

/**
 * Instants are stored as `YYYY-MM-DDTHH:mm:ss.sssZ`, exactly what `Date.toISOString()`
 * gives. One fixed width in UTC keeps the lexicographic order of an indexed string equal
 * to the chronological order, which is what RxDB indexes and the sync checkpoints compare.
 */
export const INSTANT_LENGTH = 24;
export const INSTANT_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export type TimeErrorCode = 'TIME_INSTANT_INVALID' | 'TIME_LOCAL_INVALID' | 'TIME_LOCAL_NONEXISTENT';
export const TIME_ERROR_CODES: readonly TimeErrorCode[] = [
  'TIME_INSTANT_INVALID',
  'TIME_LOCAL_INVALID',
  'TIME_LOCAL_NONEXISTENT',
];

export function toInstant(date: Date | number): string {
  const d = typeof date === 'number' ? new Date(date) : date;
  if (Number.isNaN(d.getTime())) throw new RangeError('toInstant: invalid date');
  const iso = d.toISOString();
  // Years outside 0000-9999 come out as ±YYYYYY, which would break the fixed width.
  if (!INSTANT_PATTERN.test(iso)) throw new RangeError('toInstant: year out of range');
  return iso;
}

export function nowInstant(): string {
  return toInstant(new Date());
}

// Strict ISO 8601 with an explicit zone: a time without zone is ambiguous and refused.
// Bounded quantifiers only; optional parts start with distinct literals.
const ISO_WITH_ZONE =
  // eslint-disable-next-line security/detect-unsafe-regex -- see above: no ambiguous backtracking
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Parses an instant from untrusted input (IPC, HTTP, HL7 conversions) and returns it in
 * the stored form. Calendar fields are checked, so `2024-02-30T…` is refused rather than
 * rolled over into March.
 */
export function parseInstant(input: unknown): Result<string, TimeErrorCode> {
  if (typeof input !== 'string') return err('TIME_INSTANT_INVALID');
  const m = ISO_WITH_ZONE.exec(input.trim());
  if (!m) return err('TIME_INSTANT_INVALID');
  const [, y, mo, d, h, mi, s = '00', frac = '', zone = 'Z'] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) {
    return err('TIME_INSTANT_INVALID');
  }
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return err('TIME_INSTANT_INVALID');
  let offsetMinutes = 0;
  if (zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(4, 6));
    if (oh > 14 || om > 59) return err('TIME_INSTANT_INVALID');
    offsetMinutes = sign * (oh * 60 + om);
  }
  const ms = Number(frac.padEnd(3, '0').slice(0, 3));
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMinutes * 60_000;
  // Date.UTC maps years 0-99 to 1900-1999; setUTCFullYear undoes that.
  const date = new Date(utc);
  if (year < 100) date.setUTCFullYear(date.getUTCFullYear() - 1900);
  try {
    return ok(toInstant(date));
  } catch {
    return err('TIME_INSTANT_INVALID');
  }
}
