import { parisLocal, parisLocalToInstant } from '../time/paris';

const DTM =
  // eslint-disable-next-line security/detect-unsafe-regex -- fixed-width digit groups, each optional group introduced by the previous one
  /^(\d{4})(?:(\d{2})(?:(\d{2})(?:(\d{2})(?:(\d{2})(?:(\d{2})(?:\.(\d{1,4}))?)?)?)?)?)?([+-]\d{4})?$/;

/** An HL7 DT/DTM value as a calendar date (YYYY-MM-DD), or undefined when it has no full date or is not a real date. */
export function hl7Date(value: string): string | undefined {
  const m = DTM.exec(value.trim());
  if (!m || m[2] === undefined || m[3] === undefined) return undefined;
  const iso = `${m[1]}-${m[2]}-${m[3]}`;
  const d = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso ? undefined : iso;
}

/**
 * An HL7 DTM as a UTC instant (the stored form, milliseconds). Without a zone offset the
 * time is the lab's wall clock, taken as Paris time; a missing time of day is midnight.
 */
export function hl7Instant(value: string): string | undefined {
  // A message repeats the same few timestamps (MSH-7, OBR-7, every OBX-14); the zone arithmetic costs more than parsing.
  if (INSTANTS.has(value)) return INSTANTS.get(value);
  const result = computeInstant(value);
  if (INSTANTS.size >= 1024) INSTANTS.clear();
  INSTANTS.set(value, result);
  return result;
}

const INSTANTS = new Map<string, string | undefined>();

function computeInstant(value: string): string | undefined {
  const m = DTM.exec(value.trim());
  if (!m) return undefined;
  const date = hl7Date(value);
  if (date === undefined) return undefined;
  const [h = '00', mi = '00', s = '00'] = [m[4], m[5], m[6]];
  const frac = (m[7] ?? '').padEnd(3, '0').slice(0, 3);
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  const zone = m[8];
  if (zone !== undefined) {
    const sign = zone.startsWith('-') ? -1 : 1;
    const offset = sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5)));
    const t = Date.parse(`${date}T${h}:${mi}:${s}.${frac}Z`) - offset * 60_000;
    return Number.isNaN(t) ? undefined : new Date(t).toISOString();
  }
  const local = parisLocalToInstant(date, `${h}:${mi}:${s}`);
  if (!local.ok) {
    // The hour skipped when clocks go forward: read it as standard time rather than lose the result.
    const t = Date.parse(`${date}T${h}:${mi}:${s}.${frac}Z`) - 60 * 60_000;
    return new Date(t).toISOString();
  }
  return new Date(Date.parse(local.value) + Number(frac)).toISOString();
}

/** A UTC instant as an HL7 DTM with the Paris offset (YYYYMMDDHHMMSS+ZZZZ). */
export function toHl7Dtm(instant: string): string {
  const local = parisLocal(instant);
  const off = local.offsetMinutes;
  const sign = off < 0 ? '-' : '+';
  const abs = Math.abs(off);
  const zone = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
  return `${local.date.replaceAll('-', '')}${local.time.replaceAll(':', '')}${zone}`;
}

/** YYYY-MM-DD → YYYYMMDD. */
export function toHl7Date(date: string): string {
  return date.replaceAll('-', '');
}
