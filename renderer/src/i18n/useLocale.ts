import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorPayload } from '../../../shared/src/errors';
import { ApiCallError } from '../api/client';
import { errorText } from './error-text';
import type { UiLocale } from './locales';
import { toUiLocale } from './locales';

export function useLocale(): UiLocale {
  const { i18n } = useTranslation();
  return toUiLocale(i18n.language);
}

/** Turns whatever a call threw into a translated sentence (codes only cross the API). */
export function useErrorText(): (error: unknown) => string {
  const locale = useLocale();
  return useCallback(
    (error: unknown) => {
      const payload: ErrorPayload =
        error instanceof ApiCallError ? error.payload : isPayload(error) ? error : { code: 'UNKNOWN_ERROR' };
      return errorText(payload, locale);
    },
    [locale],
  );
}

function isPayload(value: unknown): value is ErrorPayload {
  return (
    typeof value === 'object' && value !== null && typeof (value as { code?: unknown }).code === 'string'
  );
}
