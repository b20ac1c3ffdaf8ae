import type { ErrorPayload, Result } from '../errors/app-error';
import { err, ok } from '../errors/app-error';

/**
 * Sex digit of a NIR. 1 and 2 are definitive registrations. 3/4 (foreigners whose
 * registration is in progress) and 7/8 (provisional numbers, e.g. NIA) are accepted
 * with the NIR_PROVISIONAL warning: they identify a person today but may be replaced.
 */
export type NirSexDigit = '1' | '2' | '3' | '4' | '7' | '8';

export type ParsedNir = {
  /** 15 characters, no spaces, Corsican department upper-case ("2A"/"2B"). */
  readonly nir: string;
  readonly sex: 'M' | 'F';
  readonly sexDigit: NirSexDigit;
  /** Two last digits of the birth year; the century is not encoded. */
  readonly birthYear: string;
  /** "01".."12", or an INSEE code for an unknown month (20-42, 50-99). */
  readonly birthMonth: string;
  readonly birthMonthKnown: boolean;
  /** "01".."99", "2A", "2B", or three digits for overseas ("971".."989"). */
  readonly department: string;
  /** INSEE commune code within the department, or the country code when born abroad. */
  readonly commune: string;
  readonly bornAbroad: boolean;
  readonly order: string;
  readonly key: string;
  readonly provisional: boolean;
};

export type ParseNirOptions = {
  /** Reject provisional numbers (3/4/7/8) instead of warning. */
  readonly rejectProvisional?: boolean;
};

export type NirErrorCode =
  | 'NIR_REQUIRED'
  | 'NIR_FORMAT'
  | 'NIR_SEX'
  | 'NIR_MONTH'
  | 'NIR_DEPARTMENT'
  | 'NIR_KEY'
  | 'NIR_PROVISIONAL_REFUSED';
export type NirWarningCode = 'NIR_PROVISIONAL' | 'NIR_MONTH_UNKNOWN';

export const NIR_ERROR_CODES: readonly NirErrorCode[] = [
  'NIR_REQUIRED',
  'NIR_FORMAT',
  'NIR_SEX',
  'NIR_MONTH',
  'NIR_DEPARTMENT',
  'NIR_KEY',
  'NIR_PROVISIONAL_REFUSED',
];
export const NIR_WARNING_CODES: readonly NirWarningCode[] = ['NIR_PROVISIONAL', 'NIR_MONTH_UNKNOWN'];

const SHAPE = /^[0-9]{5}(?:[0-9]{2}|2A|2B)[0-9]{8}$/;
// Spaces, non-breaking spaces, dots and dashes are how people copy NIRs from cards and letters.
const SEPARATORS = /[\s.\u00a0\u202f-]/g;

/**
 * Control key of the first 13 characters: 97 − (n mod 97), Corsica's 2A/2B counted as
 * 19/18. 13 digits stay below 2^53, so plain Number arithmetic is exact.
 */
export function computeNirKey(first13: string): number {
  const numeric = first13.toUpperCase().replace('2A', '19').replace('2B', '18');
  if (!/^[0-9]{13}$/.test(numeric)) {
    throw new RangeError('computeNirKey expects 13 digits (2A/2B allowed at positions 6-7)');
  }
  return 97 - (Number(numeric) % 97);
}

/** Removes separators and upper-cases, without validating: what the parsers compare. */
export function normaliseNirInput(input: string): string {
  return input.replace(SEPARATORS, '').toUpperCase();
}

type ShapeResult = { readonly value: string } | { readonly error: NirErrorCode };

/** Shared by NIR and NIA (INS-NIA): same 15-character shape and the same key. */
export function checkNirShapeAndKey(input: unknown): ShapeResult {
  if (input === undefined || input === null) return { error: 'NIR_REQUIRED' };
  if (typeof input !== 'string') return { error: 'NIR_FORMAT' };
  const value = normaliseNirInput(input);
  if (value.length === 0) return { error: 'NIR_REQUIRED' };
  if (!SHAPE.test(value)) return { error: 'NIR_FORMAT' };
  const key = Number(value.slice(13));
  if (key < 1 || key > 97 || computeNirKey(value.slice(0, 13)) !== key) return { error: 'NIR_KEY' };
  return { value };
}

function decodePlace(value: string): { department: string; commune: string; bornAbroad: boolean } {
  const dep2 = value.slice(5, 7);
  if (dep2 === '97' || dep2 === '98') {
    return { department: value.slice(5, 8), commune: value.slice(8, 10), bornAbroad: false };
  }
  return { department: dep2, commune: value.slice(7, 10), bornAbroad: dep2 === '99' };
}

/**
 * Parses a NIR (numéro de sécurité sociale). The key error never states the expected
 * key: telling it would turn the form into a tool for forging valid-looking numbers.
 */
export function parseNir(
  input: unknown,
  options: ParseNirOptions = {},
): Result<ParsedNir, NirErrorCode | NirWarningCode> {
  if (input === undefined || input === null) return err('NIR_REQUIRED');
  if (typeof input !== 'string') return err('NIR_FORMAT');
  const value = normaliseNirInput(input);
  if (value.length === 0) return err('NIR_REQUIRED');
  if (!SHAPE.test(value)) return err('NIR_FORMAT');

  const warnings: ErrorPayload<NirWarningCode>[] = [];
  const sexDigit = value.charAt(0);
  let provisional = false;
  if (sexDigit === '3' || sexDigit === '4' || sexDigit === '7' || sexDigit === '8') {
    if (options.rejectProvisional) return err('NIR_PROVISIONAL_REFUSED');
    provisional = true;
    warnings.push({ code: 'NIR_PROVISIONAL' });
  } else if (sexDigit !== '1' && sexDigit !== '2') {
    return err('NIR_SEX');
  }

  const month = Number(value.slice(3, 5));
  const monthKnown = month >= 1 && month <= 12;
  if (!monthKnown) {
    if ((month >= 20 && month <= 42) || month >= 50) warnings.push({ code: 'NIR_MONTH_UNKNOWN' });
    else return err('NIR_MONTH');
  }

  const dep2 = value.slice(5, 7);
  if (dep2 === '00') return err('NIR_DEPARTMENT');

  const shape = checkNirShapeAndKey(value);
  if ('error' in shape) return err(shape.error);

  const place = decodePlace(value);
  return ok(
    {
      nir: value,
      sex: sexDigit === '1' || sexDigit === '3' || sexDigit === '7' ? 'M' : 'F',
      sexDigit: sexDigit as NirSexDigit,
      birthYear: value.slice(1, 3),
      birthMonth: value.slice(3, 5),
      birthMonthKnown: monthKnown,
      department: place.department,
      commune: place.commune,
      bornAbroad: place.bornAbroad,
      order: value.slice(10, 13),
      key: value.slice(13),
      provisional,
    },
    warnings,
  );
}
