import type { Result } from '../errors/app-error';
import { err, ok } from '../errors/app-error';

/**
 * Identity statuses of the national identity-vigilance referential (RNIV):
 * PROV provisional; VALI identity checked on a high-trust document; RECUP INS retrieved
 * from the INSi teleservice without such a check; QUAL both. Only QUAL identities may
 * carry the INS into documents, exchanges and exports.
 */
export const IDENTITY_STATUSES = ['PROV', 'VALI', 'RECUP', 'QUAL'] as const;
export type IdentityStatus = (typeof IDENTITY_STATUSES)[number];

/**
 * Upgrades follow the two independent checks (document → VALI, INSi → RECUP, both →
 * QUAL, possibly in one step). Downgrades are allowed because an identity can be called
 * into doubt (failed INSi verification, document found to be false); a lateral move
 * VALI ↔ RECUP would claim one check was done while losing the other, so it goes through
 * PROV or QUAL.
 */
const ALLOWED: Readonly<Record<IdentityStatus, readonly IdentityStatus[]>> = {
  PROV: ['VALI', 'RECUP', 'QUAL'],
  VALI: ['PROV', 'QUAL'],
  RECUP: ['PROV', 'QUAL'],
  QUAL: ['PROV', 'VALI', 'RECUP'],
};

export function allowedIdentityTransitions(from: IdentityStatus): readonly IdentityStatus[] {
  return ALLOWED[from];
}

export function checkIdentityTransition(
  from: IdentityStatus,
  to: IdentityStatus,
): Result<IdentityStatus, 'PATIENT_IDENTITY_TRANSITION'> {
  if (from === to || ALLOWED[from].includes(to)) return ok(to);
  return err('PATIENT_IDENTITY_TRANSITION', { from, to });
}

/** Statuses in which an INS must be recorded (it was retrieved from INSi). */
export function identityStatusRequiresIns(status: IdentityStatus): boolean {
  return status === 'RECUP' || status === 'QUAL';
}

/** Whether the INS may be shown as such, printed on documents or exported. */
export function mayExposeIns(status: IdentityStatus): boolean {
  return status === 'QUAL';
}

/** The INS to put on a document or an export, or undefined when the status forbids it. */
export function insForExport<T>(patient: {
  readonly identityStatus: IdentityStatus;
  readonly ins?: T;
}): T | undefined {
  return mayExposeIns(patient.identityStatus) ? patient.ins : undefined;
}
