import { describe, expect, it } from 'vitest';
import { computeNirKey } from '../identifiers/nir';
import type { Patient } from '../schemas/patient';
import { patientSearchKeys } from '../schemas/search-key';
import { hl7Date, hl7Instant, toHl7Dtm } from './datetime';
import { readAdtIdentity } from './identity';
import { readLabReport } from './lab';
import type { Hl7Message } from './message';
import {
  DEFAULT_HL7_LIMITS,
  encodeHl7,
  escapeHl7,
  field,
  parseHl7,
  segment,
  serialiseHl7,
  serialiseParsed,
  unescapeHl7,
  value,
  DEFAULT_SEPARATORS,
} from './message';
import { buildAck, buildAdtA31 } from './write';

const withKey = (first13: string) => first13 + String(computeNirKey(first13)).padStart(2, '0');
const NIR = withKey('2690549588157');

export const ORU = [
  'MSH|^~\\&|LABO|BIOMED 75|CLINIQUE|CAB|20240315083000||ORU^R01^ORU_R01|MSG0001|P|2.5|||||FRA|UNICODE UTF-8',
  `PID|1||LAB123^^^BIOMED^PI~${NIR}^^^ASIP-SANTE-INS-NIR&1.2.250.1.213.1.4.8&ISO^INS||MÜLLER^Hélène^Hélène Marie Élise^^^^L||19690512|F`,
  'OBR|1|CMD42|LAB-2024-0042|24331-1^Bilan lipidique^LN|||20240314073000',
  'OBX|1|NM|2093-3^Cholestérol total^LN||5.2|mmol/L|3.5-6.5|N|||F|||20240314073000',
  'OBX|2|NM|2571-8^Triglycérides^LN||2,3|mmol/L|<1.7|H|||F',
  'OBX|3|ST|8251-1^Aspect du sérum^LN||Limpide \\T\\ clair\\.br\\(contrôlé)||||||F',
  'OBX|4|CE|883-9^Groupe ABO^LN||A^Groupe A^LOCAL||||||C',
].join('\r');

function parsed(text: string | Uint8Array): Hl7Message {
  const r = parseHl7(text);
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

describe('parseHl7: encoding rules', () => {
  it('reads fields, repetitions, components and subcomponents with MSH numbering', () => {
    const m = parsed(ORU);
    const msh = segment(m, 'MSH');
    expect(value(msh, 1)).toBe('|');
    expect(value(msh, 2)).toBe('^~\\&');
    expect(value(msh, 9, 1)).toBe('ORU');
    expect(value(msh, 9, 2)).toBe('R01');
    expect(value(msh, 10)).toBe('MSG0001');
    const pid = segment(m, 'PID');
    expect(field(pid, 3)).toHaveLength(2);
    expect(value(pid, 3, 4, 2, 1)).toBe('1.2.250.1.213.1.4.8');
    expect(value(pid, 5, 2)).toBe('Hélène');
    expect(m.segments.map((s) => s.name)).toEqual(['MSH', 'PID', 'OBR', 'OBX', 'OBX', 'OBX', 'OBX']);
  });

  it('decodes every escape sequence', () => {
    const sep = DEFAULT_SEPARATORS;
    expect(unescapeHl7('a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f', sep)).toBe('a|b^c&d~e\\f');
    expect(unescapeHl7('ligne 1\\.br\\ligne 2', sep)).toBe('ligne 1\nligne 2');
    expect(unescapeHl7('\\XC3A9\\t\\XC3A9\\', sep)).toBe('été');
    expect(unescapeHl7('\\XE9\\', sep, 'latin1')).toBe('é');
    expect(unescapeHl7('\\H\\important\\N\\', sep)).toBe('important');
    expect(unescapeHl7('reste \\ seul', sep)).toBe('reste \\ seul');
    expect(unescapeHl7('\\Zinconnu\\', sep)).toBe('\\Zinconnu\\');
  });

  it('escapes and round-trips values holding every separator', () => {
    const hostile = 'a|b^c&d~e\\f\nnouvelle ligne';
    const escaped = escapeHl7(hostile);
    expect(escaped).toBe('a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f\\.br\\nouvelle ligne');
    const text = serialiseHl7([
      ['MSH', 'APP', 'FAC', undefined, undefined, '20240101', undefined, ['ADT', 'A31'], '1', 'P', '2.5'],
      ['NTE', '1', undefined, hostile],
    ]);
    const m = parsed(text);
    expect(value(segment(m, 'NTE'), 3)).toBe(hostile);
    expect(serialiseParsed(m)).toBe(text);
  });

  it('uses the separators MSH declares, not the usual ones', () => {
    const custom = ORU.replace(/\|/g, '#')
      .replace('^~\\&', '*!/$')
      .replace(/\^/g, '*')
      .replace(/~/g, '!')
      .replace(/&/g, '$')
      .replace(/\\/g, '/');
    const m = parsed(custom);
    expect(m.separators).toEqual({
      field: '#',
      component: '*',
      repetition: '!',
      escape: '/',
      subcomponent: '$',
    });
    expect(value(segment(m, 'PID'), 5, 1)).toBe('MÜLLER');
    // \\T\\ stands for this message's subcomponent separator.
    expect(value(m.segments[5], 5)).toBe('Limpide $ clair\n(contrôlé)');
    expect(readLabReport(m).ok).toBe(true);
  });

  it('decodes bytes in the character set MSH-18 names (UTF-8, 8859/1, 8859/15)', () => {
    const text = ORU.replace('UNICODE UTF-8', '8859/1');
    const latin1 = encodeHl7(text, 'latin1');
    expect(latin1.length).toBe(text.length);
    expect(value(segment(parsed(latin1), 'PID'), 5, 1)).toBe('MÜLLER');
    const utf8 = encodeHl7(ORU, 'utf-8');
    expect(value(segment(parsed(utf8), 'PID'), 5, 2)).toBe('Hélène');
    const l9 = encodeHl7(ORU.replace('UNICODE UTF-8', '8859/15').replace('MÜLLER', 'CŒUR'), 'latin9');
    expect(value(segment(parsed(l9), 'PID'), 5, 1)).toBe('CŒUR');
    // UTF-8 bytes announced as 8859/1 read as Latin-1 (what the sender said), never as an error.
    expect(value(segment(parsed(encodeHl7(text, 'utf-8')), 'PID'), 5, 1)).toBe('MÃ\u009cLLER');
  });

  it('accepts LF, CRLF and MLLP framing', () => {
    expect(parsed(ORU.replace(/\r/g, '\n')).segments).toHaveLength(7);
    expect(parsed(ORU.replace(/\r/g, '\r\n')).segments).toHaveLength(7);
    expect(parsed(`\u000b${ORU}\r\u001c\r`).segments).toHaveLength(7);
  });
});

describe('parseHl7: hostile input', () => {
  const code = (input: unknown, limits = DEFAULT_HL7_LIMITS) => {
    const r = parseHl7(input, limits);
    return r.ok ? 'ok' : r.error.code;
  };
  it('refuses what is not a message', () => {
    expect(code('')).toBe('HL7_EMPTY');
    expect(code('   \r\n')).toBe('HL7_EMPTY');
    expect(code(new Uint8Array())).toBe('HL7_EMPTY');
    expect(code(42)).toBe('HL7_NOT_TEXT');
    expect(code(null)).toBe('HL7_NOT_TEXT');
    expect(code('PID|1||123')).toBe('HL7_MSH_MISSING');
    expect(code('{"resourceType":"Patient"}')).toBe('HL7_MSH_MISSING');
  });
  it('refuses wrong separators', () => {
    expect(code('MSH|^~\\|APP')).toBe('HL7_SEPARATORS_INVALID');
    expect(code('MSH|^^\\&|APP')).toBe('HL7_SEPARATORS_INVALID');
    expect(code('MSHA^~\\&AAPP')).toBe('HL7_SEPARATORS_INVALID');
    expect(code('MSH ^~\\& APP')).toBe('HL7_SEPARATORS_INVALID');
    expect(code('MSH|^~\\&')).toBe('HL7_SEPARATORS_INVALID');
    expect(code('MSH|^~\\&x|APP')).toBe('HL7_SEPARATORS_INVALID');
    // A segment separated with another character than MSH declared.
    expect(code(ORU.replace('PID|1|', 'PID#1#'))).toBe('HL7_SEGMENT_INVALID');
  });
  it('refuses bad segments, unknown charsets and broken encodings', () => {
    expect(code(`${ORU}\rpid|x`)).toBe('HL7_SEGMENT_INVALID');
    expect(code(`${ORU}\r<script>`)).toBe('HL7_SEGMENT_INVALID');
    expect(code(ORU.replace('UNICODE UTF-8', 'KLINGON'))).toBe('HL7_CHARSET_UNSUPPORTED');
    const bad = encodeHl7(ORU, 'latin1'); // é as one byte: invalid UTF-8 under UNICODE UTF-8
    expect(code(bad)).toBe('HL7_ENCODING_INVALID');
    expect(code(`${ORU}\u0000`)).toBe('HL7_ENCODING_INVALID');
  });
  it('enforces the size limits', () => {
    const limits = { ...DEFAULT_HL7_LIMITS, maxMessageLength: 2000, maxSegments: 10, maxFieldLength: 100 };
    expect(code('MSH|^~\\&|' + 'x'.repeat(3000), limits)).toBe('HL7_TOO_LARGE');
    expect(code(new Uint8Array(3000).fill(65), limits)).toBe('HL7_TOO_LARGE');
    expect(code(ORU + '\rNTE|1'.repeat(20), limits)).toBe('HL7_TOO_MANY_SEGMENTS');
    expect(code(ORU.replace('Limpide', 'L'.repeat(200)), limits)).toBe('HL7_FIELD_TOO_LONG');
    expect(code(`${ORU}\rNTE${'|'.repeat(300)}`)).toBe('HL7_TOO_MANY_FIELDS');
    expect(code(`${ORU}\rNTE|1||${'a~'.repeat(300)}`)).toBe('HL7_FIELD_TOO_LONG');
    expect(code('MSH|^~\\&|' + 'x'.repeat(DEFAULT_HL7_LIMITS.maxMessageLength))).toBe('HL7_TOO_LARGE');
    // A huge field under the message limit
    expect(code(`${ORU}\rNTE|1||${'x'.repeat(DEFAULT_HL7_LIMITS.maxFieldLength + 1)}`)).toBe(
      'HL7_FIELD_TOO_LONG',
    );
  });
  it('never throws on random input', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const alphabet = 'MSH|^~\\&PIDOBX\r\n0123ABC\u00e9\u0000';
    for (let i = 0; i < 2000; i += 1) {
      let s = i % 2 === 0 ? 'MSH|^~\\&|' : '';
      const n = Math.floor(rnd() * 200);
      for (let k = 0; k < n; k += 1) s += alphabet.charAt(Math.floor(rnd() * alphabet.length));
      const r = parseHl7(s);
      if (r.ok) {
        readLabReport(r.value);
        readAdtIdentity(r.value);
      }
    }
  });
});

describe('readLabReport (ORU^R01)', () => {
  it('reads the patient and LOINC-coded results with values, units, ranges, flags and statuses', () => {
    const r = readLabReport(parsed(ORU));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.patient).toMatchObject({
      ins: { matricule: NIR, oid: '1.2.250.1.213.1.4.8' },
      senderId: 'LAB123',
      birthName: 'MÜLLER',
      firstNames: ['Hélène', 'Marie', 'Élise'],
      birthDate: '1969-05-12',
      sex: 'F',
    });
    const [chol, tg, aspect, abo] = r.value.observations;
    expect(chol).toMatchObject({
      loincCode: '2093-3',
      display: 'Cholestérol total',
      value: { type: 'quantity', value: 5.2 },
      unit: 'mmol/L',
      referenceRange: { low: 3.5, high: 6.5 },
      interpretation: 'N',
      status: 'final',
      effectiveAt: '2024-03-14T06:30:00.000Z',
    });
    expect(tg).toMatchObject({
      value: { type: 'quantity', value: 2.3 },
      referenceRange: { high: 1.7 },
      interpretation: 'H',
    });
    expect(aspect?.value).toEqual({ type: 'string', value: 'Limpide & clair\n(contrôlé)' });
    expect(abo).toMatchObject({
      value: { type: 'coded', system: 'LOCAL', code: 'A', display: 'Groupe A' },
      status: 'amended',
    });
    expect(chol?.key).toBe('BIOMED 75|LAB-2024-0042|2093-3|');
  });

  it('refuses missing segments and unusable results with a reason', () => {
    const c = (text: string) => {
      const r = readLabReport(parsed(text));
      return r.ok ? 'ok' : r.error.code;
    };
    const lines = ORU.split('\r');
    expect(c(lines.filter((l) => !l.startsWith('PID')).join('\r'))).toBe('HL7_SEGMENT_MISSING');
    expect(c(lines.filter((l) => !l.startsWith('OBR')).join('\r'))).toBe('HL7_SEGMENT_MISSING');
    expect(c(lines.filter((l) => !l.startsWith('OBX')).join('\r'))).toBe('HL7_SEGMENT_MISSING');
    expect(c(ORU.replace('2093-3^Cholestérol total^LN', 'CHOL^Cholestérol^L'))).toBe(
      'HL7_OBSERVATION_NOT_LOINC',
    );
    expect(c(ORU.replace('2093-3^', '2093-4^'))).toBe('HL7_OBSERVATION_LOINC_INVALID');
    expect(c(ORU.replace('||5.2|', '||cinq|'))).toBe('HL7_OBSERVATION_VALUE_INVALID');
    expect(c(ORU.replace('OBX|1|NM', 'OBX|1|ED'))).toBe('HL7_OBSERVATION_TYPE_UNSUPPORTED');
    expect(c(ORU.replace('mmol/L|3.5', 'mmol par L|3.5'))).toBe('HL7_OBSERVATION_UNIT_INVALID');
    expect(c(ORU.replace('ORU^R01^ORU_R01', 'ORM^O01'))).toBe('HL7_MESSAGE_TYPE_UNSUPPORTED');
    expect(c(ORU.replace('|P|2.5|', '|P|2.1|'))).toBe('HL7_VERSION_UNSUPPORTED');
    expect(c(ORU.replace('||19690512|', '||19691312|'))).toBe('HL7_DATE_INVALID');
    // Alternate coding system LN in OBX-3.4-6 is enough.
    expect(c(ORU.replace('2093-3^Cholestérol total^LN', 'CHOL^Cholestérol^L^2093-3^Cholesterol^LN'))).toBe(
      'ok',
    );
  });
});

describe('ADT identity', () => {
  const patient: Patient = (() => {
    const doc = {
      id: 'pat-1',
      birthName: 'DE LA FONTAINE',
      usedName: 'MARTIN',
      firstNames: ['Anne-Sophie', 'Éloïse'],
      usedFirstName: 'Sophie',
      birthDate: '1969-05-12',
      sex: 'F' as const,
      birthplaceCode: '49588',
      nir: NIR,
      ins: { matricule: NIR, oid: '1.2.250.1.213.1.4.8' as const },
      identityStatus: 'QUAL' as const,
      contact: {
        addressLines: ['12 rue de l’Église', 'Bât. B | porte 3'],
        postalCode: '75002',
        city: 'Paris',
        country: 'FR',
        phones: [{ kind: 'mobile' as const, number: '+33 6 12 34 56 78' }],
        email: 'anne@example.fr',
      },
      createdAt: '2024-01-01T09:00:00.000Z',
      updatedAt: '2024-01-01T09:00:00.000Z',
    };
    return { ...doc, ...patientSearchKeys(doc) } as Patient;
  })();
  const sender = {
    application: 'CLINIQUE',
    facility: 'CAB',
    controlId: 'C1',
    at: '2024-07-01T10:00:00.000Z',
  };

  it('ADT^A31 export reads back as the same identity (INS only when QUAL)', () => {
    const text = buildAdtA31(patient, sender);
    expect(text).toContain(
      'MSH|^~\\&|CLINIQUE|CAB|||20240701120000+0200||ADT^A31^ADT_A05|C1|P|2.5|||||FRA|UNICODE UTF-8\r',
    );
    const r = readAdtIdentity(parsed(text));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.event).toBe('A31');
    expect(r.value.patient).toEqual({
      ins: patient.ins,
      senderId: 'pat-1',
      birthName: 'DE LA FONTAINE',
      usedName: 'MARTIN',
      firstNames: ['Anne-Sophie', 'Éloïse'],
      usedFirstName: 'Sophie',
      birthDate: '1969-05-12',
      sex: 'F',
      birthplaceCode: '49588',
      identityStatus: 'QUAL',
      address: {
        lines: ['12 rue de l’Église', 'Bât. B | porte 3'],
        postalCode: '75002',
        city: 'Paris',
        country: 'FR',
      },
      phones: [{ kind: 'mobile', number: '+33 6 12 34 56 78' }],
      email: 'anne@example.fr',
    });
    for (const status of ['PROV', 'VALI', 'RECUP'] as const) {
      const t = buildAdtA31({ ...patient, identityStatus: status }, sender);
      expect(t).not.toContain('1.2.250.1.213.1.4.8');
      expect(t).not.toContain(NIR);
    }
    // A test OID never leaves outside test mode.
    const test = buildAdtA31({ ...patient, ins: { matricule: NIR, oid: '1.2.250.1.213.1.4.10' } }, sender);
    expect(test).not.toContain('1.2.250.1.213.1.4.10');
    expect(
      buildAdtA31(
        { ...patient, ins: { matricule: NIR, oid: '1.2.250.1.213.1.4.10' } },
        { ...sender, testMode: true },
      ),
    ).toContain('1.2.250.1.213.1.4.10');
  });

  it('reads A28 and refuses an identity without birth date', () => {
    const a28 = buildAdtA31(patient, sender).replace('ADT^A31', 'ADT^A28');
    const r = readAdtIdentity(parsed(a28));
    expect(r.ok && r.value.event).toBe('A28');
    const noBirth = a28.replace('|19690512|', '||');
    const r2 = readAdtIdentity(parsed(noBirth));
    expect(r2.ok ? 'ok' : r2.error).toEqual({
      code: 'HL7_FIELD_MISSING',
      params: { segment: 'PID', field: 7 },
    });
    const noPid = a28
      .split('\r')
      .filter((l) => !l.startsWith('PID'))
      .join('\r');
    const r3 = readAdtIdentity(parsed(noPid));
    expect(r3.ok ? 'ok' : r3.error.code).toBe('HL7_SEGMENT_MISSING');
  });

  it('builds ACK/AA, AE and AR answers naming the received control id', () => {
    const m = parsed(ORU);
    const aa = parsed(buildAck(m, 'AA', sender));
    expect(value(segment(aa, 'MSA'), 1)).toBe('AA');
    expect(value(segment(aa, 'MSA'), 2)).toBe('MSG0001');
    expect(value(segment(aa, 'MSH'), 5)).toBe('LABO');
    expect(value(segment(aa, 'MSH'), 9, 1)).toBe('ACK');
    const ae = parsed(buildAck(m, 'AE', sender, { code: 'HL7_PATIENT_UNMATCHED' }));
    expect(value(segment(ae, 'MSA'), 1)).toBe('AE');
    expect(value(segment(ae, 'ERR'), 8)).toBe('HL7_PATIENT_UNMATCHED');
    const ar = parsed(buildAck(undefined, 'AR', sender, { code: 'HL7_SEPARATORS_INVALID' }));
    expect(value(segment(ar, 'MSA'), 1)).toBe('AR');
    expect(value(segment(ar, 'ERR'), 3)).toBe('207');
  });
});

describe('HL7 dates', () => {
  it('reads DT/DTM with and without zone (Paris time by default)', () => {
    expect(hl7Date('19690512')).toBe('1969-05-12');
    expect(hl7Date('1969')).toBeUndefined();
    expect(hl7Date('19690230')).toBeUndefined();
    expect(hl7Instant('20240115083000')).toBe('2024-01-15T07:30:00.000Z');
    expect(hl7Instant('20240715083000')).toBe('2024-07-15T06:30:00.000Z');
    expect(hl7Instant('20240715083000.25+0000')).toBe('2024-07-15T08:30:00.250Z');
    expect(hl7Instant('20240715083000-0500')).toBe('2024-07-15T13:30:00.000Z');
    expect(hl7Instant('20240715')).toBe('2024-07-14T22:00:00.000Z');
    expect(hl7Instant('20240715256000')).toBeUndefined();
    expect(toHl7Dtm('2024-01-15T07:30:00.000Z')).toBe('20240115083000+0100');
  });
});
