import type { Result } from '../errors/app-error';
import { err, ok } from '../errors/app-error';

export type ParsedAdeli = { readonly adeli: string; readonly department: string };
export type AdeliErrorCode = 'ADELI_REQUIRED' | 'ADELI_FORMAT';
export const ADELI_ERROR_CODES: readonly AdeliErrorCode[] = ['ADELI_REQUIRED', 'ADELI_FORMAT'];

/**
 * Parses an ADELI number: 9 characters whose first two are the department of
 * registration. Format only: no public check-digit rule is reliable enough to refuse a
 * number. Numbers are digits in practice, but since the prefix is a department code we
 * also accept Corsica's "2A"/"2B" (normalised to upper case) rather than refuse a
 * legitimate number from Ajaccio or Bastia.
 */
export function parseAdeli(input: unknown): Result<ParsedAdeli, AdeliErrorCode> {
  if (input === undefined || input === null) return err('ADELI_REQUIRED');
  if (typeof input !== 'string') return err('ADELI_FORMAT');
  const value = input.replace(/[\s\u00a0\u202f]/g, '').toUpperCase();
  if (value.length === 0) return err('ADELI_REQUIRED');
  if (!/^(?:[0-9]{2}|2A|2B)[0-9]{7}$/.test(value) || value.startsWith('00')) return err('ADELI_FORMAT');
  return ok({ adeli: value, department: value.slice(0, 2) });
}
