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
  const folded = input
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[œæßøđłþðı]/g, (c) => LIGATURES[c] ?? c)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  if (folded.length <= SEARCH_KEY_MAX_LENGTH) return folded;
  let cut = folded.slice(0, SEARCH_KEY_MAX_LENGTH);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return cut.trimEnd();
}

export type PatientNameParts = {
  readonly birthName: string;
  readonly usedName?: string | undefined;
  readonly firstNames: readonly string[];
};

/**
 * The indexed search key of a patient: birth name, used name, then every first name,
 * normalised. Birth name first, so an index range on the key is a prefix search on the
 * name people are filed under. Also takes a free text (what the user typed) so both
 * sides of a search are normalised by the same code.
 */
export function patientSearchKey(input: string | PatientNameParts): string {
  if (typeof input === 'string') return normaliseSearchText(input);
  const parts = [input.birthName];
  if (input.usedName && input.usedName !== input.birthName) parts.push(input.usedName);
  parts.push(...input.firstNames);
  return normaliseSearchText(parts.join(' '));
}
