import type { ErrorPayload } from '../errors/app-error';
import { insExportable } from '../identity/ins-vigilance';
import { INS_OID } from '../identifiers/ins';
import type { Patient } from '../schemas/patient';
import { toHl7Date, toHl7Dtm } from './datetime';
import { messageHeader } from './identity';
import type { Hl7FieldInput, Hl7Message, Hl7SegmentInput } from './message';
import { serialiseHl7 } from './message';

export type Hl7Sender = {
  readonly application: string;
  readonly facility: string;
  /** MSH-10, unique per message sent. */
  readonly controlId: string;
  /** UTC instant of the message (MSH-7, EVN-2). */
  readonly at: string;
  /** MSH-11: P production, T training/test. */
  readonly processingId?: 'P' | 'T' | 'D';
  /** Test platforms only: lets a QUAL identity's test/demo INS out (insExportable's rule). */
  readonly testMode?: boolean;
};

const INS_AUTHORITY: Readonly<Record<string, string>> = {
  [INS_OID.NIR]: 'ASIP-SANTE-INS-NIR',
  [INS_OID.NIA]: 'ASIP-SANTE-INS-NIA',
  [INS_OID.TEST]: 'ASIP-SANTE-INS-TEST',
  [INS_OID.DEMO]: 'ASIP-SANTE-INS-DEMO',
};

const PHONE_USE: Readonly<Record<string, [string, string]>> = {
  mobile: ['PRN', 'CP'],
  home: ['PRN', 'PH'],
  work: ['WPN', 'PH'],
  fax: ['PRN', 'FX'],
  other: ['ORN', 'PH'],
};

const COUNTRY3: Readonly<Record<string, string>> = {
  FR: 'FRA',
  DE: 'DEU',
  BE: 'BEL',
  CH: 'CHE',
  LU: 'LUX',
  IT: 'ITA',
  ES: 'ESP',
  GB: 'GBR',
};

/**
 * PID of a patient after IHE PAM France: the local id, the INS only when the identity is
 * qualified (insExportable), birth name (L) with every birth first name, used name (D),
 * birthplace as a BDL address, PID-32 identity reliability.
 */
export function pidOf(patient: Patient, sender: Hl7Sender): Hl7SegmentInput {
  const ids: (string | readonly (string | readonly string[] | undefined)[])[] = [
    [patient.id, undefined, undefined, [sender.application], 'PI'],
  ];
  const ins = insExportable(patient, { testMode: sender.testMode === true });
  if (ins !== undefined) {
    ids.push([ins.matricule, undefined, undefined, [INS_AUTHORITY[ins.oid] ?? 'INS', ins.oid, 'ISO'], 'INS']);
  }
  const names: (readonly (string | undefined)[])[] = [
    [
      patient.birthName,
      patient.firstNames[0],
      patient.firstNames.join(' '),
      undefined,
      undefined,
      undefined,
      'L',
    ],
  ];
  if (patient.usedName !== undefined || patient.usedFirstName !== undefined) {
    names.push([
      patient.usedName ?? patient.birthName,
      patient.usedFirstName ?? patient.firstNames[0],
      undefined,
      undefined,
      undefined,
      undefined,
      'D',
    ]);
  }
  const addresses: (readonly (string | undefined)[])[] = [];
  const c = patient.contact;
  if (c.addressLines.length > 0 || c.postalCode !== undefined || c.city !== undefined) {
    addresses.push([
      c.addressLines[0],
      c.addressLines.slice(1).join(', ') || undefined,
      c.city,
      undefined,
      c.postalCode,
      c.country === undefined ? undefined : (COUNTRY3[c.country] ?? c.country),
      'H',
    ]);
  }
  if (patient.birthplaceCode !== undefined) {
    addresses.push([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      'BDL',
      undefined,
      patient.birthplaceCode,
    ]);
  }
  const phones: (readonly (string | undefined)[])[] = c.phones.map((p) => {
    const [use, equipment] = PHONE_USE[p.kind] ?? ['ORN', 'PH'];
    return [p.number, use, equipment];
  });
  if (c.email !== undefined) phones.push([undefined, 'NET', 'Internet', c.email]);
  const fields: Hl7FieldInput[] = [];
  fields[0] = '1';
  fields[2] = { repeat: ids };
  fields[4] = { repeat: names };
  fields[6] = toHl7Date(patient.birthDate);
  fields[7] = patient.sex;
  fields[10] = addresses.length === 0 ? undefined : { repeat: addresses };
  fields[12] = phones.length === 0 ? undefined : { repeat: phones };
  fields[28] = patient.deceasedDate === undefined ? undefined : toHl7Date(patient.deceasedDate);
  fields[29] = patient.deceasedDate === undefined ? undefined : 'Y';
  fields[31] = patient.identityStatus;
  return ['PID', ...Array.from({ length: 32 }, (_, i) => fields[i])];
}

function msh(sender: Hl7Sender, type: readonly string[]): Hl7SegmentInput {
  return [
    'MSH',
    sender.application,
    sender.facility,
    undefined,
    undefined,
    toHl7Dtm(sender.at),
    undefined,
    type,
    sender.controlId,
    sender.processingId ?? 'P',
    '2.5',
    undefined,
    undefined,
    undefined,
    undefined,
    'FRA',
    'UNICODE UTF-8',
  ];
}

/** ADT^A31 (update person information) for one patient, UTF-8, as PAM France expects it. */
export function buildAdtA31(patient: Patient, sender: Hl7Sender): string {
  return serialiseHl7([
    msh(sender, ['ADT', 'A31', 'ADT_A05']),
    ['EVN', undefined, toHl7Dtm(sender.at)],
    pidOf(patient, sender),
    ['PV1', '1', 'N'],
  ]);
}

export type AckCode = 'AA' | 'AE' | 'AR';

/**
 * The acknowledgement of a received message (original mode): AA accepted, AE error in
 * the content (kept in quarantine, the sender need not resend), AR rejected (could not be
 * read or stored: the sender should resend or fix it). The error's catalogue code goes
 * in ERR-8 (user message) for the lab's logs; no patient data is echoed.
 */
export function buildAck(
  received: Hl7Message | undefined,
  code: AckCode,
  sender: Omit<Hl7Sender, 'testMode'>,
  error?: ErrorPayload,
): string {
  const h = received === undefined ? undefined : messageHeader(received);
  const segments: Hl7SegmentInput[] = [
    [
      'MSH',
      sender.application,
      sender.facility,
      h?.sendingApplication,
      h?.sendingFacility,
      toHl7Dtm(sender.at),
      undefined,
      ['ACK', h?.type.event, 'ACK'],
      sender.controlId,
      h?.processingId ?? sender.processingId ?? 'P',
      '2.5',
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      'UNICODE UTF-8',
    ],
    ['MSA', code, h?.controlId ?? ''],
  ];
  if (error !== undefined) {
    // HL7 table 0357: 100 segment sequence error, 101 required field missing, 102 data type error, 207 application internal error.
    const hl7Code = error.code.includes('MISSING')
      ? '101'
      : error.code === 'HL7_SEGMENT_INVALID'
        ? '100'
        : code === 'AR'
          ? '207'
          : '102';
    segments.push([
      'ERR',
      undefined,
      undefined,
      [hl7Code, undefined, 'HL70357'],
      'E',
      undefined,
      undefined,
      undefined,
      error.code,
    ]);
  }
  return serialiseHl7(segments);
}
