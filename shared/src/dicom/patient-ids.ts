import { INS_OID } from '../identifiers/ins';
import type { InsOid } from '../identifiers/ins';
import { parseNir } from '../identifiers/nir';
import type { DicomPatient, DicomPatientIdentifier } from './extract';

export type DicomInsCandidate = {
  /** The NIR-shaped matricule (15 characters, key included), spaces removed. */
  readonly matricule: string;
  /** The INS OID when the issuer names one; undefined when the issuer only says "NIR". */
  readonly oid?: InsOid;
  /** Where it was found: 0 = Patient ID, n = n-th Other Patient IDs item. */
  readonly index: number;
};

const INS_OIDS_BY_VALUE: ReadonlyMap<string, InsOid> = new Map(Object.values(INS_OID).map((oid) => [oid, oid]));
const NIR_ISSUERS: ReadonlySet<string> = new Set(['NIR', 'INS', 'INS-NIR', 'INS_NIR', 'INS NIR']);

function candidate(identifier: DicomPatientIdentifier, index: number): DicomInsCandidate | undefined {
  const issuers = [identifier.issuer, identifier.universalEntityId].flatMap((v) => (v === undefined ? [] : [v.trim()]));
  const oid = issuers.map((v) => INS_OIDS_BY_VALUE.get(v)).find((v) => v !== undefined);
  const saysNir = issuers.some((v) => NIR_ISSUERS.has(v.toUpperCase()));
  if (oid === undefined && !saysNir) return undefined;
  const matricule = identifier.id.replace(/\s+/g, '').toUpperCase();
  // A number that is not a well-formed NIR (key included) identifies no one: ignore it.
  if (!parseNir(matricule).ok) return undefined;
  return { matricule, ...(oid === undefined ? {} : { oid }), index };
}

/**
 * The INS / NIR the file carries, if any: a Patient ID (or an Other Patient IDs item)
 * whose issuer is an INS OID (1.2.250.1.213.1.4.8 INS-NIR, .9 INS-NIA, test OIDs) —
 * as Issuer of Patient ID or as the Universal Entity ID of its qualifiers — or whose issuer
 * says "NIR"; and whose value is a valid NIR with its key. The first one found wins.
 */
export function insOfDicomPatient(patient: DicomPatient): DicomInsCandidate | undefined {
  for (const [index, identifier] of patient.identifiers.entries()) {
    const c = candidate(identifier, index);
    if (c) return c;
  }
  return undefined;
}
