/** JSON values of a conflicting field, as the inbox shows and edits them. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export type ValueKind = 'absent' | 'text' | 'json';

export function valueKind(value: unknown): ValueKind {
  if (value === undefined) return 'absent';
  return typeof value === 'string' || typeof value === 'number' ? 'text' : 'json';
}

function isPhone(v: unknown): v is { kind: string; number: string } {
  return typeof v === 'object' && v !== null && typeof (v as { number?: unknown }).number === 'string';
}

/**
 * A readable rendering: text as is, a phone list as "06 12 34 56 78 (mobile)", other
 * structures as indented JSON. `absent` is left to the caller (it is a translated word).
 */
export type ValueWords = {
  readonly phoneKind: (kind: string) => string;
  /** Words for true and false in the UI language (a deletion flag, a yes/no field). */
  readonly yes: string;
  readonly no: string;
};

const PLAIN_WORDS: ValueWords = { phoneKind: (k) => k, yes: 'true', no: 'false' };

export function formatConflictValue(value: unknown, words: ValueWords = PLAIN_WORDS): string {
  const { phoneKind } = words;
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? words.yes : words.no;
  if (typeof value === 'number' || value === null) return String(value);
  if (Array.isArray(value) && value.every(isPhone)) {
    return value.map((p) => `${p.number} (${phoneKind(p.kind)})`).join('\n');
  }
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join('\n');
  // An encounter entry (note, addendum): its text is what the person compares.
  if (typeof value === 'object' && typeof (value as { text?: unknown }).text === 'string') {
    return (value as { text: string }).text;
  }
  return JSON.stringify(value, null, 2);
}

/**
 * The starting text of a combination: both texts on two lines for free text, else the
 * JSON of both sides merged where that is obvious (arrays: union without duplicates),
 * else the local value's JSON for the user to edit.
 */
export function initialCombination(local: unknown, server: unknown): string {
  if (typeof local === 'string' && typeof server === 'string')
    return local === server ? local : `${local}\n${server}`;
  if (Array.isArray(local) && Array.isArray(server)) {
    const seen = new Set<string>();
    const union = [...local, ...server].filter((v) => {
      const k = JSON.stringify(v);
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
    return JSON.stringify(union, null, 2);
  }
  return JSON.stringify(local ?? server ?? null, null, 2);
}

/**
 * Reads the user's combination back: plain text when both sides were text, else JSON
 * (undefined when it does not parse, so the form shows an error instead of sending it).
 */
export function parseCombination(
  text: string,
  local: unknown,
  server: unknown,
): { ok: true; value: Json } | { ok: false } {
  if (typeof local === 'string' || typeof server === 'string') {
    if (typeof local !== 'object' && typeof server !== 'object') return { ok: true, value: text };
  }
  try {
    return { ok: true, value: JSON.parse(text) as Json };
  } catch {
    return { ok: false };
  }
}
