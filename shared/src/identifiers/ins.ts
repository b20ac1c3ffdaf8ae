import type { ErrorPayload, Result } from '../errors/app-error';
import { err, ok } from '../errors/app-error';
import type { NirErrorCode, NirWarningCode, ParsedNir } from './nir';
import { checkNirShapeAndKey, parseNir } from './nir';

/** OIDs of the INS (Identifiant national de santé) authorities, from the INS referential. */
export const INS_OID = {
  NIR: '1.2.250.1.213.1.4.8',
  NIA: '1.2.250.1.213.1.4.9',
  TEST: '1.2.250.1.213.1.4.10',
  DEMO: '1.2.250.1.213.1.4.11',
} as const;
export type InsOid = (typeof INS_OID)[keyof typeof INS_OID];
export const INS_OIDS: readonly InsOid[] = [INS_OID.NIR, INS_OID.NIA, INS_OID.TEST, INS_OID.DEMO];
const TEST_OIDS: ReadonlySet<string> = new Set([INS_OID.TEST, INS_OID.DEMO]);

export type Ins = { readonly matricule: string; readonly oid: InsOid };

export type ParsedIns = Ins & {
  readonly kind: 'INS-NIR' | 'INS-NIA' | 'TEST' | 'DEMO';
  /** Decoded matricule for INS-NIR and test/demo identities (which are NIR-shaped). */
  readonly nir?: ParsedNir;
};

export type ParseInsOptions = {
  /** Accept the test and demo OIDs (test platforms and training only). */
  readonly testMode?: boolean;
};

export type InsErrorCode =
  | 'INS_REQUIRED'
  | 'INS_FORMAT'
  | 'INS_OID_UNKNOWN'
  | 'INS_TEST_OID_REFUSED'
  | 'INS_OID_MISMATCH'
  | 'INS_NIA_FORMAT'
  | 'INS_NIA_KEY';
export type InsWarningCode = 'INS_TEST_OID';

export const INS_ERROR_CODES: readonly InsErrorCode[] = [
  'INS_REQUIRED',
  'INS_FORMAT',
  'INS_OID_UNKNOWN',
  'INS_TEST_OID_REFUSED',
  'INS_OID_MISMATCH',
  'INS_NIA_FORMAT',
  'INS_NIA_KEY',
];
export const INS_WARNING_CODES: readonly InsWarningCode[] = ['INS_TEST_OID'];

function isInsOid(value: string): value is InsOid {
  return (INS_OIDS as readonly string[]).includes(value);
}

/**
 * Parses an INS (matricule + OID). The matricule of an INS-NIR is a full NIR and gets
 * every NIR check (its error codes are returned as they are); an INS-NIA matricule is
 * checked for shape and key only, since a NIA is built like a NIR but its parts are not
 * guaranteed to carry meaning. A provisional NIR (3/4/7/8) under the INS-NIR OID is
 * INS_OID_MISMATCH: that number belongs under the NIA OID.
 */
export function parseIns(
  input: unknown,
  options: ParseInsOptions = {},
): Result<ParsedIns, InsErrorCode | InsWarningCode | NirErrorCode | NirWarningCode> {
  if (input === undefined || input === null) return err('INS_REQUIRED');
  if (typeof input !== 'object' || Array.isArray(input)) return err('INS_FORMAT');
  const { matricule, oid } = input as { matricule?: unknown; oid?: unknown };
  if (typeof oid !== 'string' || (matricule !== undefined && typeof matricule !== 'string')) {
    return err('INS_FORMAT');
  }
  const trimmedOid = oid.trim();
  if (!isInsOid(trimmedOid)) return err('INS_OID_UNKNOWN');
  const warnings: ErrorPayload<InsWarningCode | NirWarningCode>[] = [];
  if (TEST_OIDS.has(trimmedOid)) {
    if (!options.testMode) return err('INS_TEST_OID_REFUSED');
    warnings.push({ code: 'INS_TEST_OID' });
  }
  if (matricule === undefined) return err('NIR_REQUIRED');

  if (trimmedOid === INS_OID.NIA) {
    const shape = checkNirShapeAndKey(matricule);
    if ('error' in shape) {
      if (shape.error === 'NIR_REQUIRED') return err('NIR_REQUIRED');
      return err(shape.error === 'NIR_KEY' ? 'INS_NIA_KEY' : 'INS_NIA_FORMAT');
    }
    return ok({ matricule: shape.value, oid: trimmedOid, kind: 'INS-NIA' }, warnings);
  }

  const nir = parseNir(matricule);
  if (!nir.ok) return err(nir.error.code, nir.error.params);
  if (trimmedOid === INS_OID.NIR && nir.value.provisional) return err('INS_OID_MISMATCH');
  const kind = trimmedOid === INS_OID.NIR ? 'INS-NIR' : trimmedOid === INS_OID.TEST ? 'TEST' : 'DEMO';
  return ok({ matricule: nir.value.nir, oid: trimmedOid, kind, nir: nir.value }, [
    ...warnings,
    ...(nir.warnings ?? []),
  ]);
}
