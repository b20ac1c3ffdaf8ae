import { describe, expect, it } from 'vitest';
import { translateError } from '../../../shared/src/errors';
import { createI18n, RESOURCES } from './i18n';
import type { UiLocale } from './locales';
import { UI_LOCALES } from './locales';
import type { Messages } from './resources/messages';

declare global {
  // Vite's import.meta.glob, typed here for this test only (module augmentation needs an interface).
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions
  interface ImportMeta {
    glob(
      pattern: string | string[],
      options: { query: '?raw'; import: 'default'; eager: true },
    ): Record<string, string>;
  }
}

/** Every source file that may use a key: components, hooks, maps of keys. */
const SOURCES = import.meta.glob(['../**/*.ts', '../**/*.tsx', '!../**/*.test.ts', '!./resources/**'], {
  query: '?raw',
  import: 'default',
  eager: true,
});

const CATEGORIES = new Set(['zero', 'one', 'two', 'few', 'many', 'other']);

function flatten(messages: Messages, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(messages)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}

type KeyInfo = { plural: Map<string, string>; plain: string | undefined };

/** Keys grouped by base key: `patients.count_one` and `patients.count_other` are the plural forms of `patients.count`. */
function byBase(messages: Messages): Map<string, KeyInfo> {
  const out = new Map<string, KeyInfo>();
  for (const [key, text] of flatten(messages)) {
    const m = /^(.*)_([a-z]+)$/.exec(key);
    const [base, category] = m && CATEGORIES.has(m[2] ?? '') ? [m[1] ?? key, m[2] ?? ''] : [key, undefined];
    const info = out.get(base) ?? { plural: new Map<string, string>(), plain: undefined };
    if (category) info.plural.set(category, text);
    else info.plain = text;
    out.set(base, info);
  }
  return out;
}

function variables(text: string): string[] {
  return [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1] ?? '').sort();
}

function variablesOf(info: KeyInfo): string {
  const all = new Set<string>();
  for (const text of [...info.plural.values(), ...(info.plain === undefined ? [] : [info.plain])]) {
    for (const v of variables(text)) all.add(v);
  }
  return [...all].sort().join(',');
}

const reference = byBase(RESOURCES['fr-FR']);

describe('i18n resources', () => {
  it('has the reference language with content, and reads the source files without resources or tests', () => {
    expect(reference.size).toBeGreaterThan(100);
    const files = Object.keys(SOURCES);
    expect(files.length).toBeGreaterThan(30);
    expect(files.filter((f) => f.includes('/resources/') || f.endsWith('.test.ts'))).toEqual([]);
  });

  for (const locale of UI_LOCALES) {
    const keys = byBase(RESOURCES[locale]);
    const categories = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;

    it(`${locale}: has exactly the keys of fr-FR (none missing, none extra)`, () => {
      expect([...keys.keys()].filter((k) => !reference.has(k))).toEqual([]);
      expect([...reference.keys()].filter((k) => !keys.has(k))).toEqual([]);
    });

    it(`${locale}: plural keys have exactly the plural forms of the language (${categories.join(', ')})`, () => {
      const problems: string[] = [];
      for (const [base, ref] of reference) {
        const info = keys.get(base);
        if (!info) continue;
        const isPlural = ref.plural.size > 0;
        if (isPlural !== info.plural.size > 0) problems.push(`${base}: plural in one language only`);
        if (isPlural) {
          const have = [...info.plural.keys()].sort().join(',');
          const want = [...categories].sort().join(',');
          if (have !== want) problems.push(`${base}: has ${have}, ${locale} needs ${want}`);
          if (info.plain !== undefined) problems.push(`${base}: plural key also has a plain form`);
          for (const [cat, text] of info.plural) {
            if (!text.includes('{{count}}')) problems.push(`${base}_${cat}: plural form without {{count}}`);
          }
        }
      }
      expect(problems).toEqual([]);
    });

    it(`${locale}: same interpolation variables as fr-FR, no empty text`, () => {
      const problems: string[] = [];
      for (const [base, info] of keys) {
        const ref = reference.get(base);
        if (ref && variablesOf(ref) !== variablesOf(info)) {
          problems.push(`${base}: {${variablesOf(info)}} instead of {${variablesOf(ref)}}`);
        }
        for (const text of [...info.plural.values(), info.plain ?? 'x']) {
          if (text.trim() === '') problems.push(`${base}: empty`);
        }
      }
      expect(problems).toEqual([]);
    });
  }

  it('every key is used in the renderer source (as a literal: no built keys)', () => {
    const literals = new Set<string>();
    for (const source of Object.values(SOURCES)) {
      for (const m of source.matchAll(/['"`]([a-zA-Z][\w.]*)['"`]/g)) literals.add(m[1] ?? '');
    }
    expect([...reference.keys()].filter((k) => !literals.has(k))).toEqual([]);
  });

  it('every key the source passes to t() exists', () => {
    const missing: string[] = [];
    for (const [file, source] of Object.entries(SOURCES)) {
      for (const m of source.matchAll(/\bt\(\s*['"`]([^'"`$]+)['"`]/g)) {
        const key = m[1] ?? '';
        if (!reference.has(key)) missing.push(`${file}: ${key}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('picks the plural form of each language through i18next', async () => {
    const i18n = await createI18n('fr-FR');
    expect(i18n.t('patients.count', { count: 0 })).toBe('0 patient');
    expect(i18n.t('patients.count', { count: 1 })).toBe('1 patient');
    expect(i18n.t('patients.count', { count: 2 })).toBe('2 patients');
    expect(i18n.t('patients.count', { count: 1_000_000 })).toBe('1000000 patients');
    await i18n.changeLanguage('de-DE');
    expect(i18n.t('patients.count', { count: 1 })).toBe('1 Patient');
    expect(i18n.t('patients.count', { count: 0 })).toBe('0 Patienten');
    await i18n.changeLanguage('en-GB');
    expect(i18n.t('sync.pending', { count: 1 })).toBe('1 change waiting to be sent');
    expect(i18n.t('sync.pending', { count: 3 })).toBe('3 changes waiting to be sent');
  });

  it('translates error codes from the shared catalogue in each UI language', () => {
    const langs: Record<UiLocale, 'fr' | 'de' | 'en'> = { 'fr-FR': 'fr', 'de-DE': 'de', 'en-GB': 'en' };
    const texts = UI_LOCALES.map((l) => translateError({ code: 'VAULT_WRONG_PASSPHRASE' }, langs[l]));
    expect(new Set(texts).size).toBe(3);
    expect(translateError({ code: 'RENDERER_HOST_UNREACHABLE' }, 'fr')).toMatch(/liaison/i);
  });
});
