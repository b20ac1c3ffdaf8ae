import type { Ins, InsOid } from '../identifiers/ins';
import { INS_OID } from '../identifiers/ins';
import type { IdentityStatus } from '../schemas/identity-status';

/**
 * Identity vigilance rules (RNIV, "référentiel national d'identitovigilance") for the INS:
 * what a workstation may show and export given the identity status.
 *
 * - PROV: provisional identity; an INS, if one was typed, is not trustworthy.
 * - VALI: identity checked on a high-trust document, INS not retrieved/verified by INSi.
 * - RECUP: INS retrieved from INSi, identity not checked on a document.
 * - QUAL: both. Only a QUAL identity may carry the INS into a document, an exchange
 *   (HL7, FHIR, DMP) or an export, and be shown as "INS qualifié".
 */
export type InsPatient = {
  readonly identityStatus: IdentityStatus;
  readonly ins?: { readonly matricule: string; readonly oid: InsOid | string } | undefined;
};

const TEST_OIDS: ReadonlySet<string> = new Set([INS_OID.TEST, INS_OID.DEMO]);

/** True for the test and demo OIDs of the INS referential (test platforms and training only). */
export function isTestInsOid(oid: string): boolean {
  return TEST_OIDS.has(oid.trim());
}

export type InsExportOptions = {
  /** Test mode (test platform, training): the test and demo OIDs may be exported. Off in production. */
  readonly testMode?: boolean;
};

/**
 * The INS to put in an export (FHIR Patient.identifier with system `urn:oid:<oid>`, HL7
 * PID-3, a PDF), or undefined when it must not leave the workstation: status other than
 * QUAL, no INS recorded, or a test/demo OID outside test mode.
 */
export function insExportable(patient: InsPatient, options: InsExportOptions = {}): Ins | undefined {
  if (patient.identityStatus !== 'QUAL' || patient.ins === undefined) return undefined;
  if (isTestInsOid(patient.ins.oid) && options.testMode !== true) return undefined;
  return { matricule: patient.ins.matricule, oid: patient.ins.oid as InsOid };
}

/**
 * How the identity shows on screen. `qualified`: the INS may be shown as "INS qualifié"
 * with its matricule and OID. `unqualified`: an INS is recorded but the status (VALI,
 * RECUP, PROV) does not allow using it as INS: the UI says "INS non qualifié" and shows no
 * matricule as INS (the NIR field stays what it is). `none`: no INS recorded.
 * `testOid`: QUAL but with a test/demo OID outside test mode (never shown as a real INS).
 */
export type InsDisplay =
  | { readonly kind: 'qualified'; readonly matricule: string; readonly oid: string; readonly test: boolean }
  | { readonly kind: 'unqualified'; readonly status: IdentityStatus }
  | { readonly kind: 'testOid'; readonly oid: string }
  | { readonly kind: 'none'; readonly status: IdentityStatus };

export function insDisplay(patient: InsPatient, options: InsExportOptions = {}): InsDisplay {
  if (patient.ins === undefined) return { kind: 'none', status: patient.identityStatus };
  if (patient.identityStatus !== 'QUAL') return { kind: 'unqualified', status: patient.identityStatus };
  const test = isTestInsOid(patient.ins.oid);
  if (test && options.testMode !== true) return { kind: 'testOid', oid: patient.ins.oid };
  return { kind: 'qualified', matricule: patient.ins.matricule, oid: patient.ins.oid, test };
}

/**
 * Refuses a test or demo OID outside test mode: the input boundaries (patient form, HL7
 * ADT, pushes on the server) call it with their configured test mode.
 */
export function checkInsOidAllowed(
  ins: { readonly oid: string } | undefined,
  options: InsExportOptions = {},
): { ok: true } | { ok: false; code: 'INS_TEST_OID_REFUSED' } {
  if (ins !== undefined && isTestInsOid(ins.oid) && options.testMode !== true) return { ok: false, code: 'INS_TEST_OID_REFUSED' };
  return { ok: true };
}
