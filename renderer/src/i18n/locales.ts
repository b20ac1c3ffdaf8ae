import type { Language } from '../../../shared/src/errors';

/** UI locales: French first; German and English (British formats) complete. */
export const UI_LOCALES = ['fr-FR', 'de-DE', 'en-GB'] as const;
export type UiLocale = (typeof UI_LOCALES)[number];
export const DEFAULT_LOCALE: UiLocale = 'fr-FR';

const LANGUAGE_OF: Readonly<Record<UiLocale, Language>> = { 'fr-FR': 'fr', 'de-DE': 'de', 'en-GB': 'en' };

/** The language of the shared error catalogue and time formatters for a UI locale. */
export function languageOf(locale: UiLocale): Language {
  return LANGUAGE_OF[locale];
}

export function isUiLocale(value: unknown): value is UiLocale {
  return typeof value === 'string' && (UI_LOCALES as readonly string[]).includes(value);
}

/**
 * A stored or host-given language setting, which may be a locale ('de-DE') or a bare
 * language ('de'); anything else falls back to French, the product's default.
 */
export function toUiLocale(value: unknown): UiLocale {
  if (isUiLocale(value)) return value;
  if (typeof value === 'string') {
    const lang = value.slice(0, 2).toLowerCase();
    const match = UI_LOCALES.find((l) => l.startsWith(`${lang}-`));
    if (match) return match;
  }
  return DEFAULT_LOCALE;
}
