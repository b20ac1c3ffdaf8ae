import type { ErrorParams, Result } from '../errors/app-error';
import { err, ok } from '../errors/app-error';
import type { InsOid } from '../identifiers/ins';
import { INS_OID, INS_OIDS } from '../identifiers/ins';
import type { IdentityStatus } from '../schemas/identity-status';
import { hl7Date } from './datetime';
import type { Hl7Message, Hl7Repetition, Hl7Segment } from './message';
import { comp, field, segment, value } from './message';

/**
 * The patient identity carried by a PID segment, read after the IHE PAM France
 * conventions (PID-3 INS with the authority's OID, PID-5 birth name "L" and used name
 * "D", PID-11 "BDL" birthplace, PID-32 identity reliability).
 */
export type Hl7PatientIdentity = {
  readonly ins?: { readonly matricule: string; readonly oid: InsOid };
  /** A NIR sent as such (PID-3 type NH/SS, PID-19), not as an INS. */
  readonly nir?: string;
  /** The sender's own patient id (PID-3 type PI or the first other identifier), for the quarantine list. */
  readonly senderId?: string;
  readonly birthName?: string;
  readonly usedName?: string;
  readonly firstNames: readonly string[];
  readonly usedFirstName?: string;
  readonly birthDate?: string;
  readonly sex: 'F' | 'M' | 'U';
  readonly birthplaceCode?: string;
  readonly identityStatus?: IdentityStatus;
  readonly deceasedDate?: string;
  readonly address?: {
    readonly lines: readonly string[];
    readonly postalCode?: string;
    readonly city?: string;
    readonly country?: string;
  };
  readonly phones: readonly {
    readonly kind: 'mobile' | 'home' | 'work' | 'fax' | 'other';
    readonly number: string;
  }[];
  readonly email?: string;
};

export type Hl7ReadErrorCode =
  | 'HL7_SEGMENT_MISSING'
  | 'HL7_FIELD_MISSING'
  | 'HL7_MESSAGE_TYPE_UNSUPPORTED'
  | 'HL7_VERSION_UNSUPPORTED'
  | 'HL7_DATE_INVALID'
  | 'HL7_OBSERVATION_NOT_LOINC'
  | 'HL7_OBSERVATION_LOINC_INVALID'
  | 'HL7_OBSERVATION_TYPE_UNSUPPORTED'
  | 'HL7_OBSERVATION_VALUE_INVALID'
  | 'HL7_OBSERVATION_UNIT_INVALID';

export const HL7_READ_ERROR_CODES: readonly Hl7ReadErrorCode[] = [
  'HL7_SEGMENT_MISSING',
  'HL7_FIELD_MISSING',
  'HL7_MESSAGE_TYPE_UNSUPPORTED',
  'HL7_VERSION_UNSUPPORTED',
  'HL7_DATE_INVALID',
  'HL7_OBSERVATION_NOT_LOINC',
  'HL7_OBSERVATION_LOINC_INVALID',
  'HL7_OBSERVATION_TYPE_UNSUPPORTED',
  'HL7_OBSERVATION_VALUE_INVALID',
  'HL7_OBSERVATION_UNIT_INVALID',
];

export function readFail(code: Hl7ReadErrorCode, params?: ErrorParams): Result<never, Hl7ReadErrorCode> {
  return err(code, params);
}

export type Hl7MessageType = { readonly code: string; readonly event: string; readonly structure: string };

/** MSH-9 (message code, trigger event, structure), MSH-10 control id, MSH-12 version. */
export function messageHeader(message: Hl7Message): {
  type: Hl7MessageType;
  controlId: string;
  version: string;
  sendingApplication: string;
  sendingFacility: string;
  receivingApplication: string;
  receivingFacility: string;
  processingId: string;
} {
  const msh = segment(message, 'MSH');
  return {
    type: { code: value(msh, 9, 1), event: value(msh, 9, 2), structure: value(msh, 9, 3) },
    controlId: value(msh, 10),
    version: value(msh, 12),
    sendingApplication: value(msh, 3),
    sendingFacility: value(msh, 4),
    receivingApplication: value(msh, 5),
    receivingFacility: value(msh, 6),
    processingId: value(msh, 11) || 'P',
  };
}

/** v2.x from 2.3 on: the segments and fields read here have the same place in all of them. */
export function checkVersion(message: Hl7Message): Result<string, Hl7ReadErrorCode> {
  const version = messageHeader(message).version;
  if (!/^2\.(?:3|3\.1|4|5|5\.1|6|7|7\.1|8|8\.1|8\.2|9)$/.test(version)) {
    return readFail('HL7_VERSION_UNSUPPORTED', { version: version.slice(0, 16) || '?' });
  }
  return ok(version);
}

const INS_OID_SET: ReadonlySet<string> = new Set(INS_OIDS);
const NIR_SHAPE = /^[0-9]{5}(?:[0-9]{2}|2A|2B)[0-9]{8}$/;

function identifierOf(rep: Hl7Repetition): {
  id: string;
  authorityOid: string;
  authorityName: string;
  type: string;
} {
  return {
    id: comp(rep, 1).trim(),
    authorityName: comp(rep, 4, 1).trim(),
    authorityOid: comp(rep, 4, 2).trim(),
    type: comp(rep, 5).trim().toUpperCase(),
  };
}

const IDENTITY_STATUS_OF: Readonly<Record<string, IdentityStatus>> = {
  PROV: 'PROV',
  VALI: 'VALI',
  RECUP: 'RECUP',
  QUAL: 'QUAL',
  // Doubtful and fictitious identities of the PAM France table are provisional at best here.
  DOUTE: 'PROV',
  FICTI: 'PROV',
  VIDE: 'PROV',
};

function normaliseName(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

function phoneKind(rep: Hl7Repetition): 'mobile' | 'home' | 'work' | 'fax' | 'other' {
  const use = comp(rep, 2).toUpperCase();
  const equipment = comp(rep, 3).toUpperCase();
  if (equipment === 'CP' || equipment === 'BP') return 'mobile';
  if (equipment === 'FX') return 'fax';
  if (use === 'WPN') return 'work';
  if (use === 'PRN') return 'home';
  return 'other';
}

/** Reads the PID segment; a PID without any name nor identifier is HL7_FIELD_MISSING. */
export function readPatientIdentity(pid: Hl7Segment): Result<Hl7PatientIdentity, Hl7ReadErrorCode> {
  let ins: Hl7PatientIdentity['ins'];
  let nir: string | undefined;
  let senderId: string | undefined;
  for (const rep of field(pid, 3)) {
    const idf = identifierOf(rep);
    if (idf.id === '') continue;
    const compact = idf.id.replace(/\s/g, '');
    if (INS_OID_SET.has(idf.authorityOid) || idf.type === 'INS' || idf.type.startsWith('INS-')) {
      const oid = INS_OID_SET.has(idf.authorityOid) ? (idf.authorityOid as InsOid) : INS_OID.NIR;
      if (ins === undefined && NIR_SHAPE.test(compact)) ins = { matricule: compact, oid };
    } else if ((idf.type === 'NH' || idf.type === 'SS' || idf.type === 'NIR') && NIR_SHAPE.test(compact)) {
      nir ??= compact;
    } else {
      senderId ??= idf.id.slice(0, 64);
    }
  }
  const ssn = value(pid, 19).replace(/\s/g, '');
  if (nir === undefined && NIR_SHAPE.test(ssn)) nir = ssn;

  let birthName: string | undefined;
  let usedName: string | undefined;
  let firstNames: string[] = [];
  let usedFirstName: string | undefined;
  const names = field(pid, 5);
  const legal =
    names.find((r) => comp(r, 7).toUpperCase() === 'L') ?? names.find((r) => comp(r, 7) === '') ?? names[0];
  if (legal !== undefined) {
    birthName = normaliseName(comp(legal, 1)) || undefined;
    const given = normaliseName(comp(legal, 2));
    const further = normaliseName(comp(legal, 3))
      .split(/[\s,]+/)
      .filter((s) => s !== '');
    // PAM France sends the full list of birth first names in XPN.3, starting with the first one; others send only the rest.
    firstNames = further[0] === given ? further : [given, ...further].filter((s) => s !== '');
  }
  const used = names.find((r) => comp(r, 7).toUpperCase() === 'D');
  if (used !== undefined) {
    usedName = normaliseName(comp(used, 1)) || undefined;
    const g = normaliseName(comp(used, 2));
    if (g !== '' && g !== firstNames[0]) usedFirstName = g;
    if (usedName === birthName) usedName = undefined;
  }
  if (birthName === undefined && ins === undefined && nir === undefined) {
    return readFail('HL7_FIELD_MISSING', { segment: 'PID', field: 5 });
  }

  const rawBirth = value(pid, 7);
  const birthDate = rawBirth === '' ? undefined : hl7Date(rawBirth);
  if (rawBirth !== '' && birthDate === undefined)
    return readFail('HL7_DATE_INVALID', { segment: 'PID', field: 7 });
  const sexCode = value(pid, 8).toUpperCase();
  const sex = sexCode === 'F' || sexCode === 'M' ? sexCode : 'U';

  let birthplaceCode: string | undefined;
  let address: Hl7PatientIdentity['address'];
  for (const rep of field(pid, 11)) {
    const type = comp(rep, 7).toUpperCase();
    if (type === 'BDL') {
      const code = comp(rep, 9).trim().toUpperCase();
      if (/^(?:[0-9]{5}|2[AB][0-9]{3})$/.test(code)) birthplaceCode = code;
    } else if (address === undefined && (type === 'H' || type === '' || type === 'HP' || type === 'L')) {
      const lines = [comp(rep, 1), comp(rep, 2)].map((s) => s.trim()).filter((s) => s !== '');
      const postalCode = comp(rep, 5).trim();
      const city = comp(rep, 3).trim();
      const countryRaw = comp(rep, 6).trim().toUpperCase();
      const country =
        countryRaw === 'FRA'
          ? 'FR'
          : countryRaw === 'DEU'
            ? 'DE'
            : /^[A-Z]{2}$/.test(countryRaw)
              ? countryRaw
              : undefined;
      if (lines.length > 0 || postalCode !== '' || city !== '') {
        address = {
          lines: lines.map((l) => l.slice(0, 100)).slice(0, 4),
          ...(postalCode === '' ? {} : { postalCode: postalCode.slice(0, 16) }),
          ...(city === '' ? {} : { city: city.slice(0, 100) }),
          ...(country === undefined ? {} : { country }),
        };
      }
    }
  }
  const phones: { kind: 'mobile' | 'home' | 'work' | 'fax' | 'other'; number: string }[] = [];
  let email: string | undefined;
  for (const rep of [...field(pid, 13), ...field(pid, 14)]) {
    if (comp(rep, 3).toUpperCase() === 'INTERNET' || comp(rep, 2).toUpperCase() === 'NET') {
      const e = comp(rep, 4).trim();
      if (e !== '') email ??= e;
      continue;
    }
    const number = (comp(rep, 12) || comp(rep, 1)).trim();
    if (/^\+?[0-9][0-9 ().-]{2,29}$/.test(number) && phones.length < 10)
      phones.push({ kind: phoneKind(rep), number });
  }
  const rawDeath = value(pid, 29);
  const deceasedDate = rawDeath === '' ? undefined : hl7Date(rawDeath);
  if (rawDeath !== '' && deceasedDate === undefined)
    return readFail('HL7_DATE_INVALID', { segment: 'PID', field: 29 });
  let identityStatus: IdentityStatus | undefined;
  for (const rep of field(pid, 32)) {
    const s = IDENTITY_STATUS_OF[comp(rep, 1).trim().toUpperCase()];
    // The most cautious status wins when several are sent.
    if (s !== undefined && (identityStatus === undefined || s === 'PROV')) identityStatus = s;
  }

  return ok({
    ...(ins === undefined ? {} : { ins }),
    ...(nir === undefined ? {} : { nir }),
    ...(senderId === undefined ? {} : { senderId }),
    ...(birthName === undefined ? {} : { birthName }),
    ...(usedName === undefined ? {} : { usedName }),
    firstNames,
    ...(usedFirstName === undefined ? {} : { usedFirstName }),
    ...(birthDate === undefined ? {} : { birthDate }),
    sex,
    ...(birthplaceCode === undefined ? {} : { birthplaceCode }),
    ...(identityStatus === undefined ? {} : { identityStatus }),
    ...(deceasedDate === undefined ? {} : { deceasedDate }),
    ...(address === undefined ? {} : { address }),
    phones,
    ...(email === undefined ? {} : { email }),
  });
}

export type AdtIdentityMessage = {
  readonly event: 'A28' | 'A31';
  readonly controlId: string;
  readonly sendingApplication: string;
  readonly sendingFacility: string;
  readonly patient: Hl7PatientIdentity;
};

/** ADT^A28 (add person information) and ADT^A31 (update person information). */
export function readAdtIdentity(message: Hl7Message): Result<AdtIdentityMessage, Hl7ReadErrorCode> {
  const header = messageHeader(message);
  const v = checkVersion(message);
  if (!v.ok) return v;
  if (header.type.code !== 'ADT' || (header.type.event !== 'A28' && header.type.event !== 'A31')) {
    return readFail('HL7_MESSAGE_TYPE_UNSUPPORTED', {
      type: `${header.type.code}^${header.type.event}`.slice(0, 16),
    });
  }
  const pid = segment(message, 'PID');
  if (pid === undefined) return readFail('HL7_SEGMENT_MISSING', { segment: 'PID' });
  const patient = readPatientIdentity(pid);
  if (!patient.ok) return patient;
  if (patient.value.birthName === undefined)
    return readFail('HL7_FIELD_MISSING', { segment: 'PID', field: 5 });
  if (patient.value.firstNames.length === 0)
    return readFail('HL7_FIELD_MISSING', { segment: 'PID', field: 5 });
  if (patient.value.birthDate === undefined)
    return readFail('HL7_FIELD_MISSING', { segment: 'PID', field: 7 });
  return ok({
    event: header.type.event,
    controlId: header.controlId,
    sendingApplication: header.sendingApplication,
    sendingFacility: header.sendingFacility,
    patient: patient.value,
  });
}
