import { parisDateOf } from '../time/paris';

/**
 * The retention clock of a patient record (Code de la santé publique, art. R.1112-7):
 *
 * - kept 20 years after the last encounter ("dernier séjour ou dernière consultation");
 * - if that ends before the patient's 28th birthday, kept until that birthday;
 * - in all cases, if the patient died less than 10 years after the last encounter, kept
 *   10 years after the death (and no longer: this rule replaces the two above);
 * - a legal hold (litigation, request of a court or of the CNIL) suspends any erasure.
 *
 * Every date is a calendar day in Europe/Paris: an encounter at 23:30 UTC on 31 December
 * is on 1 January in Paris, and so is its anniversary. Adding years to 29 February lands on
 * 1 March in a common year (never 28 February): a record is never erasable a day early.
 * A record is kept through the whole `keptUntil` day and erasable from the next day.
 * A death exactly 10 years after the last encounter is not "less than 10 years": the
 * 20-year rule applies.
 *
 * A record without any encounter runs from its creation (the first day the clinic held it).
 */
export type RetentionRules = {
  /** Years kept after the last encounter (20). */
  readonly yearsAfterLastEncounter: number;
  /** Kept at least until this birthday (28); 0 turns the rule off. */
  readonly untilAge: number;
  /** Death rule: kept this many years after death (10)… */
  readonly yearsAfterDeath: number;
  /** …when death came less than this many years after the last encounter (10); 0 turns the rule off. */
  readonly deathWithinYears: number;
};

export const DEFAULT_RETENTION_RULES: RetentionRules = {
  yearsAfterLastEncounter: 20,
  untilAge: 28,
  yearsAfterDeath: 10,
  deathWithinYears: 10,
};

export type RetentionInput = {
  /** YYYY-MM-DD. */
  readonly birthDate: string;
  /** YYYY-MM-DD, when the patient has died. */
  readonly deceasedDate?: string | undefined;
  /** Start (UTC instant) of the patient's latest encounter, if any. */
  readonly lastEncounterAt?: string | undefined;
  /** When the record was created (UTC instant): the anchor when there is no encounter. */
  readonly recordCreatedAt: string;
  /** A legal hold is active on the record. */
  readonly legalHold?: boolean | undefined;
};

export type RetentionBasis = 'last-encounter' | 'record-created' | 'age' | 'death';

export type Retention = {
  /** running: erasure refused; expired: the record may be erased; held: suspended by a legal hold. */
  readonly status: 'running' | 'expired' | 'held';
  /** Last day (Paris) the record must be kept. */
  readonly keptUntil: string;
  /** First day (Paris) the record may be erased, absent a legal hold. */
  readonly erasableFrom: string;
  /** Which rule set `keptUntil`. */
  readonly basis: RetentionBasis;
  /** Paris day the clock runs from (last encounter, or creation of the record). */
  readonly anchor: string;
};

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parts(date: string): [number, number, number] {
  const m = DATE.exec(date);
  if (!m) throw new RangeError(`not a calendar date: ${date}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

function format(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** `date` + `years` calendar years; 29 February in a common year becomes 1 March. */
export function addYears(date: string, years: number): string {
  const [y, m, d] = parts(date);
  const ty = y + years;
  const probe = new Date(Date.UTC(ty, m - 1, d));
  // Date.UTC rolls 29 Feb of a common year over to 1 March, which is the rule wanted here.
  return format(probe.getUTCFullYear(), probe.getUTCMonth() + 1, probe.getUTCDate());
}

export function addDays(date: string, days: number): string {
  const [y, m, d] = parts(date);
  const probe = new Date(Date.UTC(y, m - 1, d + days));
  return format(probe.getUTCFullYear(), probe.getUTCMonth() + 1, probe.getUTCDate());
}

export function computeRetention(
  input: RetentionInput,
  now: string | Date,
  rules: RetentionRules = DEFAULT_RETENTION_RULES,
): Retention {
  parts(input.birthDate);
  const anchor = parisDateOf(input.lastEncounterAt ?? input.recordCreatedAt);
  let keptUntil = addYears(anchor, rules.yearsAfterLastEncounter);
  let basis: RetentionBasis = input.lastEncounterAt !== undefined ? 'last-encounter' : 'record-created';
  if (rules.untilAge > 0) {
    const birthday = addYears(input.birthDate, rules.untilAge);
    if (birthday > keptUntil) {
      keptUntil = birthday;
      basis = 'age';
    }
  }
  if (input.deceasedDate !== undefined && rules.deathWithinYears > 0) {
    parts(input.deceasedDate);
    // A death recorded before the anchor (a record created or an encounter dated after the
    // death: imported archives) is "less than 10 years after" too: 10 years from the death.
    if (input.deceasedDate < addYears(anchor, rules.deathWithinYears)) {
      keptUntil = addYears(input.deceasedDate, rules.yearsAfterDeath);
      basis = 'death';
    }
  }
  const erasableFrom = addDays(keptUntil, 1);
  const today = parisDateOf(now);
  const status = input.legalHold ? 'held' : today >= erasableFrom ? 'expired' : 'running';
  return { status, keptUntil, erasableFrom, basis, anchor };
}

/** Parses rules given as configuration (unknown input): every field a whole number 0..200. */
export function parseRetentionRules(value: unknown): RetentionRules | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const out: Record<string, number> = {};
  for (const key of Object.keys(DEFAULT_RETENTION_RULES) as (keyof RetentionRules)[]) {
    const n = v[key] ?? DEFAULT_RETENTION_RULES[key];
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 200) return undefined;
    out[key] = n;
  }
  if ((out.yearsAfterLastEncounter ?? 0) < 1) return undefined;
  return out as RetentionRules;
}
