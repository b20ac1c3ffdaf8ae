import type { ErrorPayload } from '../../../shared/src/errors';
import { translateError } from '../../../shared/src/errors';
import type { UiLocale } from './locales';
import { languageOf } from './locales';

/**
 * Errors cross the API as codes; the text comes from the shared catalogue in the UI's
 * language (not the host's), so switching language re-translates errors already shown.
 * Unknown codes give the catalogue's generic message, never the raw code.
 */
export function errorText(error: ErrorPayload, locale: UiLocale): string {
  return translateError(error, languageOf(locale));
}
