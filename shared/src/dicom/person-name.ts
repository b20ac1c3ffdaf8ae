/**
 * DICOM Person Name (PN, PS3.5 §6.2.1): up to three component groups separated by `=`
 * (alphabetic, ideographic, phonetic), each of five components separated by `^`: family
 * name, given name, middle name, prefix, suffix. Input is the already decoded text of one
 * value (see charset.ts).
 */

export type PersonNameGroup = {
  readonly family: string;
  readonly given: string;
  readonly middle: string;
  readonly prefix: string;
  readonly suffix: string;
};

export type PersonName = {
  readonly alphabetic: PersonNameGroup;
  readonly ideographic?: PersonNameGroup;
  readonly phonetic?: PersonNameGroup;
};

const EMPTY: PersonNameGroup = { family: '', given: '', middle: '', prefix: '', suffix: '' };

function parseGroup(group: string): PersonNameGroup {
  const [family = '', given = '', middle = '', prefix = '', suffix = ''] = group.split('^').map((c) => c.trim());
  return { family, given, middle, prefix, suffix };
}

function isEmptyGroup(g: PersonNameGroup): boolean {
  return g.family === '' && g.given === '' && g.middle === '' && g.prefix === '' && g.suffix === '';
}

export function parsePersonName(value: string): PersonName {
  const [alphabetic = '', ideographic, phonetic] = value.split('=');
  const ideo = ideographic === undefined ? undefined : parseGroup(ideographic);
  const phon = phonetic === undefined ? undefined : parseGroup(phonetic);
  return {
    alphabetic: alphabetic === '' ? EMPTY : parseGroup(alphabetic),
    ...(ideo && !isEmptyGroup(ideo) ? { ideographic: ideo } : {}),
    ...(phon && !isEmptyGroup(phon) ? { phonetic: phon } : {}),
  };
}

/** True when no group has any component. */
export function isEmptyPersonName(name: PersonName): boolean {
  return isEmptyGroup(name.alphabetic) && name.ideographic === undefined && name.phonetic === undefined;
}

function formatGroup(g: PersonNameGroup): string {
  const given = [g.given, g.middle].filter((p) => p !== '').join(' ');
  const core = g.family !== '' && given !== '' ? `${g.family}, ${given}` : g.family || given;
  return [g.prefix, core, g.suffix].filter((p) => p !== '').join(' ');
}

/**
 * For display, family name first as on French records: `Buc^Jérôme` → `Buc, Jérôme`,
 * `Doe^John^A^Dr^Jr` → `Dr Doe, John A Jr`. The ideographic group is added in brackets
 * when there is one, so a Japanese or Korean name shows in both forms.
 */
export function formatPersonName(name: PersonName): string {
  const alphabetic = formatGroup(name.alphabetic);
  const ideographic = name.ideographic ? formatGroup(name.ideographic) : '';
  if (alphabetic === '') return ideographic;
  return ideographic === '' ? alphabetic : `${alphabetic} (${ideographic})`;
}
