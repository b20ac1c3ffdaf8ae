import type { ErrorPayload, Language, Messages } from './app-error';
import { interpolate } from './app-error';
import { IDENTIFIERS_MESSAGES } from './catalogue/identifiers';
import { STORAGE_MESSAGES } from './catalogue/storage';
import { VALIDATION_MESSAGES } from './catalogue/validation';
import { VAULT_MESSAGES } from './catalogue/vault';
import { AUDIT_MESSAGES } from './catalogue/audit';
import { AUTH_MESSAGES } from './catalogue/auth';
import { SYNC_MESSAGES } from './catalogue/sync';
import { SYNC_CLIENT_MESSAGES } from './catalogue/sync-client';
import { APP_MESSAGES } from './catalogue/app';
import { PATIENTS_MESSAGES } from './catalogue/patients';
import { RENDERER_MESSAGES } from './catalogue/renderer';
import { IMAGING_MESSAGES } from './catalogue/imaging';
import { INTEROP_MESSAGES } from './catalogue/interop';
import { ATTACHMENTS_MESSAGES } from './catalogue/attachments';
import { RIGHTS_MESSAGES } from './catalogue/rights';
import { VIGILANCE_MESSAGES } from './catalogue/vigilance';

export * from './app-error';

/** Every error and warning code a user can meet, with its fr/de/en message. Codes are stable: never rename one. */
export const ERROR_MESSAGES = {
  ...IDENTIFIERS_MESSAGES,
  ...VALIDATION_MESSAGES,
  ...STORAGE_MESSAGES,
  ...VAULT_MESSAGES,
  ...SYNC_MESSAGES,
  ...SYNC_CLIENT_MESSAGES,
  ...AUTH_MESSAGES,
  ...AUDIT_MESSAGES,
  ...APP_MESSAGES,
  ...PATIENTS_MESSAGES,
  ...RENDERER_MESSAGES,
  ...IMAGING_MESSAGES,
  ...INTEROP_MESSAGES,
  ...ATTACHMENTS_MESSAGES,
  ...RIGHTS_MESSAGES,
  ...VIGILANCE_MESSAGES,
  UNKNOWN_ERROR: {
    fr: 'Une erreur inattendue est survenue. Aucune donnée n’a été modifiée.',
    de: 'Ein unerwarteter Fehler ist aufgetreten. Es wurden keine Daten geändert.',
    en: 'An unexpected error occurred. No data was changed.',
  },
} as const satisfies Record<string, Messages>;

export type ErrorCode = keyof typeof ERROR_MESSAGES;

export function isErrorCode(code: string): code is ErrorCode {
  return Object.prototype.hasOwnProperty.call(ERROR_MESSAGES, code);
}

export function translateError(error: ErrorPayload, language: Language): string {
  const messages: Messages = isErrorCode(error.code) ? ERROR_MESSAGES[error.code] : ERROR_MESSAGES.UNKNOWN_ERROR;
  return interpolate(messages[language], error.params);
}
