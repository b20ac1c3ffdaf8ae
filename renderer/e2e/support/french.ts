// "No French left on the screen": every French string of the UI resources and of the
// error catalogue, matched against what a German screen shows. A string that German uses
// too (Clinique, NIR, Audit…) proves nothing and is left out, as are strings whose fixed
// part is too short to tell (a lone "{{count}} h").
import type { Page } from '@playwright/test';
import { ERROR_MESSAGES } from '../../../shared/src/errors';
import { de } from '../../src/i18n/resources/de';
import { en } from '../../src/i18n/resources/en';
import { fr } from '../../src/i18n/resources/fr';

type Tree = { readonly [key: string]: string | Tree };

function leaves(tree: Tree, prefix = ''): [string, string][] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'string'
      ? [[`${prefix}${key}`, value] as [string, string]]
      : leaves(value, `${prefix}${key}.`),
  );
}

const PLACEHOLDER = /\{\{[^}]+\}\}/g;
const MIN_FIXED_CHARS = 4;
const NUMERIC = new Set(['count', 'n', 'min', 'max', 'total', 'step', 'failures', 'retryAfterSeconds']);

export type FrenchString = { readonly key: string; readonly text: string; readonly pattern: RegExp };

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const normalise = (text: string): string => text.replace(/\s+/g, ' ').trim();

function frenchStrings(): FrenchString[] {
  const other = new Set(
    [
      ...leaves(de as Tree),
      ...leaves(en as Tree),
      ...Object.values(ERROR_MESSAGES).flatMap(
        (m) =>
          [
            ['', m.de],
            ['', m.en],
          ] as [string, string][],
      ),
    ].map(([, text]) => normalise(text)),
  );
  const french: [string, string][] = [
    ...leaves(fr as Tree),
    ...Object.entries(ERROR_MESSAGES).map(([code, m]) => [`errors.${code}`, m.fr] as [string, string]),
  ];
  const out: FrenchString[] = [];
  for (const [key, raw] of french) {
    const text = normalise(raw);
    if (other.has(text)) continue;
    const fixed = text.split(PLACEHOLDER).map((part) => part.trim());
    if (fixed.join('').replace(/[\s\p{P}]/gu, '').length < MIN_FIXED_CHARS) continue;
    // A number stands for a count ("{{count}} jours" is not the user's "dix jours"); anything else for some text.
    const holes = (text.match(PLACEHOLDER) ?? []).map((p) =>
      NUMERIC.has(p.slice(2, -2).trim()) ? '\\s*\\d[\\d\\s.,\u202f]*' : '.+?',
    );
    // Whole words only: French "Patient" is not found in German "Patienten", nor "Adresse" in "E-Mail-Adresse".
    const body = fixed.map((part, i) => escape(part) + (holes[i] ?? '')).join('');
    // eslint-disable-next-line security/detect-non-literal-regexp -- built from the app's own resource strings, escaped.
    out.push({ key, text, pattern: new RegExp(`(?<![\\p{L}\\p{N}-])${body}(?![\\p{L}\\p{N}-])`, 'u') });
  }
  return out;
}

export const FRENCH_STRINGS: readonly FrenchString[] = frenchStrings();

/**
 * Everything a user can read on the page: the rendered text (innerText, so hidden
 * elements are left out), the document title, and the texts carried by attributes that
 * are shown or announced (aria-label, title, placeholder, alt) of visible elements.
 */
export async function visibleTexts(page: Page): Promise<string> {
  return page.evaluate(() => {
    const texts = [document.title, document.body.innerText];
    for (const el of Array.from(
      document.querySelectorAll<HTMLElement>('[aria-label], [title], [placeholder], [alt]'),
    )) {
      if (el.getClientRects().length === 0) continue;
      for (const name of ['aria-label', 'title', 'placeholder', 'alt']) {
        const value = el.getAttribute(name);
        if (value) texts.push(value);
      }
    }
    return texts.join('\n');
  });
}

/** French UI strings found in the page's text, with their resource keys. */
export function frenchLeftovers(pageText: string): string[] {
  const lines = pageText.split('\n').map(normalise).filter(Boolean);
  const found = new Set<string>();
  for (const s of FRENCH_STRINGS) {
    if (lines.some((line) => s.pattern.test(line))) found.add(`${s.key}: "${s.text}"`);
  }
  return [...found];
}
