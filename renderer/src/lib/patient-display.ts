import { normaliseNirInput } from '../../../shared/src/identifiers/nir';

type NameParts = {
  readonly birthName: string;
  readonly usedName?: string | undefined;
  readonly firstNames: readonly string[];
  readonly usedFirstName?: string | undefined;
};

/**
 * Identity-vigilance display (RNIV): birth name in capitals, then the first names of the
 * civil-status record; the used name and used first name are shown beside, never in place.
 */
export function patientMainName(p: NameParts): string {
  return `${p.birthName.toLocaleUpperCase('fr-FR')} ${p.firstNames.join(' ')}`.trim();
}

/** "MARTIN" (used name) and "Lili" (used first name) when they differ from the birth identity. */
export function patientUsedNames(p: NameParts): { usedName?: string; usedFirstName?: string } {
  const out: { usedName?: string; usedFirstName?: string } = {};
  if (p.usedName && p.usedName !== p.birthName) out.usedName = p.usedName.toLocaleUpperCase('fr-FR');
  if (p.usedFirstName && p.usedFirstName !== p.firstNames[0]) out.usedFirstName = p.usedFirstName;
  return out;
}

/** "2 84 12 75 123 456 78": the grouping printed on the carte Vitale. Incomplete input is left as typed. */
export function formatNir(nir: string): string {
  const v = normaliseNirInput(nir);
  if (v.length !== 15) return nir;
  return [
    v.slice(0, 1),
    v.slice(1, 3),
    v.slice(3, 5),
    v.slice(5, 7),
    v.slice(7, 10),
    v.slice(10, 13),
    v.slice(13),
  ].join(' ');
}
