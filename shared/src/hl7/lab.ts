import type { Result } from '../errors/app-error';
import { ok } from '../errors/app-error';
import { luhnValid } from '../identifiers/luhn';
import type { Observation } from '../schemas/observation';
import { hl7Instant } from './datetime';
import type { Hl7PatientIdentity, Hl7ReadErrorCode } from './identity';
import { checkVersion, messageHeader, readFail, readPatientIdentity } from './identity';
import type { Hl7Message, Hl7Segment } from './message';
import { comp, field, value } from './message';

/** One lab result of an ORU^R01, ready to become an `observation` document once its patient is known. */
export type LabObservation = Pick<
  Observation,
  'loincCode' | 'display' | 'value' | 'unit' | 'referenceRange' | 'interpretation' | 'status' | 'effectiveAt'
> & {
  /**
   * Stable key of this result at the sender: facility, filler order number (OBR-3, else
   * placer OBR-2), test (OBX-3) and sub-id (OBX-4). A corrected result sent again has the
   * same key, so it replaces the earlier one instead of duplicating it.
   */
  readonly key: string;
};

export type LabReport = {
  readonly controlId: string;
  readonly sendingApplication: string;
  readonly sendingFacility: string;
  readonly patient: Hl7PatientIdentity;
  readonly observations: readonly LabObservation[];
};

const STATUS: Readonly<Record<string, Observation['status']>> = {
  F: 'final',
  C: 'amended',
  P: 'preliminary',
  S: 'preliminary',
  R: 'registered',
  I: 'registered',
  X: 'cancelled',
  W: 'entered-in-error',
  D: 'entered-in-error',
};

const INTERPRETATIONS: ReadonlySet<string> = new Set(['N', 'L', 'H', 'LL', 'HH', 'A', 'AA', 'POS', 'NEG']);
const UCUM = /^[!-~]{1,50}$/;
const LOINC = /^[0-9]{1,7}-[0-9]$/;
// eslint-disable-next-line security/detect-unsafe-regex -- alternatives start with distinct characters, no nested repetition of one class
const NUMBER = /^[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)(?:[eE][+-]?[0-9]+)?$/;

function num(s: string): number | undefined {
  const t = s.trim();
  if (!NUMBER.test(t)) return undefined;
  const n = Number(t.replace(',', '.'));
  return Number.isFinite(n) ? n : undefined;
}

function loincOf(obx: Hl7Segment): { code: string; display: string } | undefined {
  const id = field(obx, 3)[0];
  const systems = [
    { code: comp(id, 1), text: comp(id, 2), system: comp(id, 3) },
    { code: comp(id, 4), text: comp(id, 5), system: comp(id, 6) },
  ];
  const ln = systems.find((s) => ['LN', 'LOINC', 'HTTP://LOINC.ORG'].includes(s.system.trim().toUpperCase()));
  if (ln === undefined) return undefined;
  const display = (ln.text || systems[0]?.text || ln.code).trim();
  return { code: ln.code.trim(), display };
}

function rangeOf(raw: string): LabObservation['referenceRange'] {
  const t = raw.trim();
  if (t === '') return undefined;
  // eslint-disable-next-line security/detect-unsafe-regex -- two bounded numbers around one dash
  const m = /^([+-]?[0-9]+(?:[.,][0-9]+)?)\s*-\s*([+-]?[0-9]+(?:[.,][0-9]+)?)$/.exec(t);
  if (m) {
    const low = num(m[1] ?? '');
    const high = num(m[2] ?? '');
    if (low !== undefined && high !== undefined && low <= high) return { low, high, text: t.slice(0, 200) };
  }
  const lt = /^<=?\s*([0-9.,]+)$/.exec(t);
  if (lt) {
    const high = num(lt[1] ?? '');
    if (high !== undefined) return { high, text: t.slice(0, 200) };
  }
  const gt = /^>=?\s*([0-9.,]+)$/.exec(t);
  if (gt) {
    const low = num(gt[1] ?? '');
    if (low !== undefined) return { low, text: t.slice(0, 200) };
  }
  return { text: t.slice(0, 200) };
}

function readObx(
  obx: Hl7Segment,
  obr: Hl7Segment | undefined,
  facility: string,
  fallbackAt: string,
  index: number,
): Result<LabObservation, Hl7ReadErrorCode> {
  const where = { segment: 'OBX', index: index + 1 };
  const loinc = loincOf(obx);
  if (loinc === undefined) {
    return readFail('HL7_OBSERVATION_NOT_LOINC', { ...where, code: value(obx, 3, 1).slice(0, 32) || '?' });
  }
  if (!LOINC.test(loinc.code) || !luhnValid(loinc.code.replace('-', ''))) {
    return readFail('HL7_OBSERVATION_LOINC_INVALID', { ...where, code: loinc.code.slice(0, 32) });
  }
  const type = value(obx, 2).trim().toUpperCase();
  const reps = field(obx, 5);
  let v: LabObservation['value'];
  switch (type) {
    case 'NM': {
      const n = num(comp(reps[0], 1));
      if (n === undefined) return readFail('HL7_OBSERVATION_VALUE_INVALID', { ...where, type });
      v = { type: 'quantity', value: n };
      break;
    }
    case 'SN': {
      const [cmp, n1, sep, n2] = [comp(reps[0], 1), comp(reps[0], 2), comp(reps[0], 3), comp(reps[0], 4)];
      const n = num(n1);
      if (n === undefined) return readFail('HL7_OBSERVATION_VALUE_INVALID', { ...where, type });
      v =
        (cmp === '' || cmp === '=') && sep === ''
          ? { type: 'quantity', value: n }
          : { type: 'string', value: `${cmp}${n1}${sep}${n2}`.slice(0, 2000) };
      break;
    }
    case 'ST':
    case 'TX':
    case 'FT': {
      const text = reps.map((r) => r.map((c) => c.join('&')).join('^')).join('\n');
      if (text.length > 2000) return readFail('HL7_OBSERVATION_VALUE_INVALID', { ...where, type });
      v = { type: 'string', value: text };
      break;
    }
    case 'CE':
    case 'CWE': {
      const code = comp(reps[0], 1).trim();
      if (code === '' || code.length > 64)
        return readFail('HL7_OBSERVATION_VALUE_INVALID', { ...where, type });
      const display = comp(reps[0], 2).trim();
      v = {
        type: 'coded',
        system: (comp(reps[0], 3).trim() || 'local').slice(0, 200),
        code,
        ...(display === '' ? {} : { display: display.slice(0, 200) }),
      };
      break;
    }
    default:
      return readFail('HL7_OBSERVATION_TYPE_UNSUPPORTED', { ...where, type: type.slice(0, 8) || '?' });
  }
  const unitRaw = value(obx, 6, 1).trim();
  if (unitRaw !== '' && !UCUM.test(unitRaw)) return readFail('HL7_OBSERVATION_UNIT_INVALID', { ...where });
  const rawAt = value(obx, 14);
  const effectiveAt = rawAt === '' ? fallbackAt : hl7Instant(rawAt);
  if (effectiveAt === undefined) return readFail('HL7_DATE_INVALID', { segment: 'OBX', field: 14 });
  const flag = value(obx, 8).trim().toUpperCase();
  const status = STATUS[value(obx, 11).trim().toUpperCase()] ?? 'final';
  const range = rangeOf(value(obx, 7));
  const order = (value(obr, 3) || value(obr, 2) || value(obr, 1)).trim();
  const key = [facility, order, loinc.code, value(obx, 4).trim()].join('|');
  return ok({
    key,
    loincCode: loinc.code,
    display: (loinc.display || loinc.code).slice(0, 200),
    value: v,
    ...(unitRaw === '' ? {} : { unit: unitRaw }),
    ...(range === undefined ? {} : { referenceRange: range }),
    ...(INTERPRETATIONS.has(flag)
      ? { interpretation: flag as NonNullable<LabObservation['interpretation']> }
      : {}),
    status,
    effectiveAt,
  });
}

/**
 * Reads an ORU^R01 (unsolicited observation result): MSH, PID, then OBR groups each with
 * their OBX. Every OBX must be LOINC-coded (OBX-3 primary or alternate coding system LN)
 * with a value type this record can hold (NM, SN, ST, TX, FT, CE, CWE); one that is not
 * refuses the whole message (it goes to the quarantine list whole, never half imported).
 */
export function readLabReport(message: Hl7Message): Result<LabReport, Hl7ReadErrorCode> {
  const header = messageHeader(message);
  const v = checkVersion(message);
  if (!v.ok) return v;
  if (header.type.code !== 'ORU' || header.type.event !== 'R01') {
    return readFail('HL7_MESSAGE_TYPE_UNSUPPORTED', {
      type: `${header.type.code}^${header.type.event}`.slice(0, 16),
    });
  }
  const pidSeg = message.segments.find((s) => s.name === 'PID');
  if (pidSeg === undefined) return readFail('HL7_SEGMENT_MISSING', { segment: 'PID' });
  const patient = readPatientIdentity(pidSeg);
  if (!patient.ok) return patient;
  if (!message.segments.some((s) => s.name === 'OBR'))
    return readFail('HL7_SEGMENT_MISSING', { segment: 'OBR' });
  if (!message.segments.some((s) => s.name === 'OBX'))
    return readFail('HL7_SEGMENT_MISSING', { segment: 'OBX' });
  const mshAt = hl7Instant(value(message.segments[0], 7));
  const facility = header.sendingFacility || header.sendingApplication;
  const observations: LabObservation[] = [];
  let obr: Hl7Segment | undefined;
  let obrAt: string | undefined;
  let obxIndex = 0;
  for (const seg of message.segments) {
    if (seg.name === 'OBR') {
      obr = seg;
      const raw = value(seg, 7);
      obrAt = raw === '' ? undefined : hl7Instant(raw);
      if (raw !== '' && obrAt === undefined)
        return readFail('HL7_DATE_INVALID', { segment: 'OBR', field: 7 });
    } else if (seg.name === 'OBX') {
      if (obr === undefined) return readFail('HL7_SEGMENT_MISSING', { segment: 'OBR' });
      const at = obrAt ?? mshAt;
      if (at === undefined && value(seg, 14) === '')
        return readFail('HL7_FIELD_MISSING', { segment: 'OBR', field: 7 });
      const o = readObx(seg, obr, facility, at ?? '', obxIndex);
      obxIndex += 1;
      if (!o.ok) return o;
      observations.push(o.value);
    }
  }
  return ok({
    controlId: header.controlId,
    sendingApplication: header.sendingApplication,
    sendingFacility: header.sendingFacility,
    patient: patient.value,
    observations,
  });
}
