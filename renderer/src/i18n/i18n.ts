import type { i18n as I18n } from 'i18next';
import { createInstance } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { de } from './resources/de';
import { en } from './resources/en';
import { fr } from './resources/fr';
import type { UiLocale } from './locales';
import { DEFAULT_LOCALE } from './locales';

export const RESOURCES = { 'fr-FR': fr, 'de-DE': de, 'en-GB': en } as const;

/**
 * One i18next instance for the app. No fallback language: a missing German string would
 * otherwise show French on a German screen; the resource test makes every key exist in
 * every language instead.
 */
export async function createI18n(locale: UiLocale = DEFAULT_LOCALE): Promise<I18n> {
  const instance = createInstance();
  await instance.use(initReactI18next).init({
    lng: locale,
    fallbackLng: false,
    supportedLngs: Object.keys(RESOURCES),
    resources: {
      'fr-FR': { translation: fr },
      'de-DE': { translation: de },
      'en-GB': { translation: en },
    },
    // React escapes what it renders; escaping here would show &amp; in names.
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return instance;
}
