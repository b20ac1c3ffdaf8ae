import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useUiLocale } from '../../app/useUiLocale';
import type { UiLocale } from '../../i18n/locales';
import { toUiLocale, UI_LOCALES } from '../../i18n/locales';

export const LOCALE_NAME_KEYS = {
  'fr-FR': 'settings.languages.fr',
  'de-DE': 'settings.languages.de',
  'en-GB': 'settings.languages.en',
} as const satisfies Record<UiLocale, string>;

/** The language before unlock (remembered on this machine); once unlocked, Settings stores it in the vault. */
export function LanguagePicker(props: {
  readonly onChange?: (locale: UiLocale) => void;
  /** The languages the IT policy allows (all when absent). */
  readonly allowed?: readonly UiLocale[] | null | undefined;
}) {
  const { t, i18n } = useTranslation();
  const apply = useUiLocale();
  const id = useId();
  return (
    <div className="field field-inline">
      <label htmlFor={id}>{t('settings.language')}</label>
      <select
        id={id}
        value={toUiLocale(i18n.language)}
        onChange={(e) => {
          const locale = toUiLocale(e.target.value);
          apply(locale);
          props.onChange?.(locale);
        }}
      >
        {UI_LOCALES.filter((l) => !props.allowed || props.allowed.includes(l)).map((l) => (
          <option key={l} value={l}>
            {t(LOCALE_NAME_KEYS[l])}
          </option>
        ))}
      </select>
    </div>
  );
}
