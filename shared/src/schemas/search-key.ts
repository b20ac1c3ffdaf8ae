export const SEARCH_KEY_MAX_LENGTH = 256;

// Letters that NFKD does not decompose into a base letter plus accents.
const LIGATURES: Readonly<Record<string, string>> = {
  œ: 'oe',
  æ: 'ae',
  ß: 'ss',
  ø: 'o',
  đ: 'd',
  ł: 'l',
  þ: 'th',
  ð: 'd',
  ı: 'i',
};

/**
 * Lower-case, accents removed, punctuation as single spaces: 'Hélène Müller' → 'helene
 * muller', "Jean-Pierre d'Œuvray" → 'jean pierre d oeuvray'. Letters of other scripts are
 * kept (lower-cased), so a name typed in Greek or Cyrillic still finds itself.
 */
export function normaliseSearchText(input: string): string {
  // Most names are plain ASCII: no decomposition, accents or ligatures to handle, and
  // letters and digits are [a-z0-9] once lower-cased. The same result as below (property-
  // tested), without the Unicode passes (every pulled patient's keys are checked with it).
  const folded = ASCII.test(input) ? input.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim() : foldUnicode(input);
  if (folded.length <= SEARCH_KEY_MAX_LENGTH) return folded;
  let cut = folded.slice(0, SEARCH_KEY_MAX_LENGTH);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return cut.trimEnd();
}

// eslint-disable-next-line no-control-regex -- the whole ASCII range, controls included, is what the fast path handles
const ASCII = /^[\x00-\x7f]*$/;

/** The general case of normaliseSearchText, before the length cap. */
export function foldUnicode(input: string): string {
  return input
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[œæßøđłþðı]/g, (c) => LIGATURES[c] ?? c)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export type PatientNameParts = {
  readonly birthName: string;
  readonly usedName?: string | undefined;
  readonly firstNames: readonly string[];
};

/**
 * The indexed search key of a patient: birth name then every first name, normalised, so
 * an index range on the key is a prefix search on "name first-names" ('dupont an' finds
 * Anne Dupont). Also takes a free text (what the user typed) so both sides of a search
 * are normalised by the same code.
 */
export function patientSearchKey(input: string | PatientNameParts): string {
  if (typeof input === 'string') return normaliseSearchText(input);
  return normaliseSearchText([input.birthName, ...input.firstNames].join(' '));
}

/**
 * The same with the used name (nom d'usage, e.g. a spouse's name) in place of the birth
 * name, or equal to searchKey when there is none: reception often knows "Mme Martin"
 * born Dupont. A second indexed field rather than one combined key, because a used name
 * between birth name and first names would break the prefix search on either.
 */
export function patientUsedSearchKey(parts: PatientNameParts): string {
  return normaliseSearchText([parts.usedName ?? parts.birthName, ...parts.firstNames].join(' '));
}

/** Both derived keys, to spread into a patient document before it is written. */
export function patientSearchKeys(parts: PatientNameParts): { searchKey: string; usedSearchKey: string } {
  return { searchKey: patientSearchKey(parts), usedSearchKey: patientUsedSearchKey(parts) };
}
