import { useCallback, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { UiLocale } from '../i18n/locales';
import { toUiLocale } from '../i18n/locales';

const STORAGE_KEY = 'clinique.locale';

/** The language shown before the vault is open (the host's settings are inside it). */
export function storedLocale(): UiLocale {
  try {
    return toUiLocale(window.localStorage.getItem(STORAGE_KEY));
  } catch {
    return toUiLocale(navigator.language);
  }
}

/** Keeps <html lang>, the title and the remembered locale in step with i18next. */
export function useUiLocale(): (locale: UiLocale) => void {
  const { i18n, t } = useTranslation();
  useEffect(() => {
    document.documentElement.lang = i18n.language;
    document.title = t('app.title');
  }, [i18n.language, t]);
  return useCallback(
    (locale: UiLocale) => {
      if (i18n.language === locale) return;
      void i18n.changeLanguage(locale);
      try {
        window.localStorage.setItem(STORAGE_KEY, locale);
      } catch {
        // Storage refused (private mode): the language still changes for this session.
      }
    },
    [i18n],
  );
}
