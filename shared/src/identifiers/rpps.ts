import type { ErrorPayload, Result } from '../errors/app-error';
import { err, ok } from '../errors/app-error';
import { luhnValid } from './luhn';

export type ParsedRpps = { readonly rpps: string; readonly checksumValid: boolean };
export type RppsErrorCode = 'RPPS_REQUIRED' | 'RPPS_FORMAT';
export type RppsWarningCode = 'RPPS_CHECKSUM';
export const RPPS_ERROR_CODES: readonly RppsErrorCode[] = ['RPPS_REQUIRED', 'RPPS_FORMAT'];
export const RPPS_WARNING_CODES: readonly RppsWarningCode[] = ['RPPS_CHECKSUM'];

/**
 * Parses an RPPS number: 11 digits, the last a Luhn check digit. A Luhn failure is only a
 * warning: the RPPS directory is the authority, and refusing a number it issued would
 * block a practitioner; the warning lets the screen ask for a second look.
 */
export function parseRpps(input: unknown): Result<ParsedRpps, RppsErrorCode | RppsWarningCode> {
  if (input === undefined || input === null) return err('RPPS_REQUIRED');
  if (typeof input !== 'string') return err('RPPS_FORMAT');
  const value = input.replace(/[\s\u00a0\u202f]/g, '');
  if (value.length === 0) return err('RPPS_REQUIRED');
  if (!/^[0-9]{11}$/.test(value)) return err('RPPS_FORMAT');
  const checksumValid = luhnValid(value);
  const warnings: ErrorPayload<RppsWarningCode>[] = checksumValid ? [] : [{ code: 'RPPS_CHECKSUM' }];
  return ok({ rpps: value, checksumValid }, warnings);
}
