/**
 * fast-check arbitraries producing documents the zod schemas accept, refinements
 * included (valid NIR keys, fresh search keys, addenda pointing at earlier entries…).
 * For property tests across the project; not exported from the barrel so that
 * fast-check never reaches a runtime bundle.
 */
import fc from 'fast-check';
import { INS_OID } from '../identifiers/ins';
import { luhnCheckDigit } from '../identifiers/luhn';
import { computeNirKey } from '../identifiers/nir';
import { toInstant } from '../time/instant';
import type { Allergy } from './allergy';
import type { AuditEvent } from './audit-event';
import { AUDIT_ACTIONS, ROLES } from './audit-event';
import type { CollectionDocuments } from './collections';
import type { ClinicalDocument } from './document';
import type { Encounter } from './encounter';
import { ENCOUNTER_STATUSES } from './encounter';
import { IDENTITY_STATUSES, identityStatusRequiresIns } from './identity-status';
import type { ImagingStudy } from './imaging-study';
import { COLLECTION_NAMES } from './names';
import type { Observation } from './observation';
import type { Patient } from './patient';
import type { Prescription } from './prescription';
import { ean13Valid, ROUTES } from './prescription';
import { patientSearchKeys } from './search-key';

type Loose = Record<string, unknown>;

const DIGITS = [...'0123456789'];
export const digitsArb = (min: number, max = min) =>
  fc.string({ unit: fc.constantFrom(...DIGITS), minLength: min, maxLength: max });

/** Text with French accents, ligatures, other scripts, astral characters and lone combining marks. */
const charArb = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -'.,"),
  },
  { weight: 3, arbitrary: fc.constantFrom(...'éèêëàâäîïôöùûüçÉÈÊÀÇŒœÆæßñØøŁł') },
  { weight: 1, arbitrary: fc.constantFrom('😀', '𝄞', '中', 'Ж', 'Ω', '\u0301', '\u00a0', '"', '\\', '\n') },
);

/** Bounded in UTF-16 code units, which is what zod's max() counts. */
export function textArb(max: number, min = 0): fc.Arbitrary<string> {
  const short = fc.array(charArb, { minLength: min, maxLength: Math.min(max, 40) }).map((chars) => {
    let out = '';
    for (const c of chars) {
      if (out.length + c.length > max) break;
      out += c;
    }
    return out.length >= min ? out : 'x'.repeat(min);
  });
  // Now and then a string right at the bound, where off-by-one disagreements live.
  const atBound = fc.constantFrom('é', 'a', 'Œ').map((c) => c.repeat(max));
  return fc.oneof({ weight: 19, arbitrary: short }, { weight: 1, arbitrary: atBound });
}

const requiredTextArb = (max: number) => textArb(max, 1);

export const idArb: fc.Arbitrary<string> = fc.oneof(
  fc.uuid(),
  fc.string({ unit: fc.constantFrom(...'0123456789ABCDEFGHJKMNPQRSTVWXYZ'), minLength: 26, maxLength: 26 }),
);

const MIN_TIME = Date.UTC(1900, 0, 1);
const MAX_TIME = Date.UTC(2100, 0, 1);
export const instantArb = fc.integer({ min: MIN_TIME, max: MAX_TIME }).map((t) => toInstant(t));
export const isoDateArb = instantArb.map((i) => i.slice(0, 10));
export const rppsArb = digitsArb(11);
const sha256Arb = fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 });

function opt<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.option(arb, { nil: undefined });
}

/** Removes undefined members, so documents look like what JSON transport and RxDB give back. */
function clean<T extends Loose>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

const withKey = (first13: string) => first13 + String(computeNirKey(first13)).padStart(2, '0');

const monthArb = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 1, max: 12 }) },
  { weight: 1, arbitrary: fc.integer({ min: 20, max: 42 }) },
  { weight: 1, arbitrary: fc.integer({ min: 50, max: 99 }) },
);
const departmentArb = fc.oneof(
  fc.integer({ min: 1, max: 99 }).map((d) => String(d).padStart(2, '0')),
  fc.constantFrom('2A', '2B'),
);

export function nirArb(sexDigits: readonly string[] = ['1', '2', '3', '4', '7', '8']): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom(...sexDigits), digitsArb(2), monthArb, departmentArb, digitsArb(6))
    .map(([s, y, m, d, rest]) => withKey(`${s}${y}${String(m).padStart(2, '0')}${d}${rest}`));
}

export const insArb = fc.oneof(
  nirArb(['1', '2']).map((matricule) => ({ matricule, oid: INS_OID.NIR })),
  digitsArb(13).map((body) => ({ matricule: withKey(body), oid: INS_OID.NIA })),
  fc
    .tuple(nirArb(['1', '2']), fc.constantFrom(INS_OID.TEST, INS_OID.DEMO))
    .map(([matricule, oid]) => ({ matricule, oid })),
);

const birthplaceArb = fc.oneof(
  digitsArb(5),
  fc.tuple(fc.constantFrom('2A', '2B'), digitsArb(3)).map(([d, c]) => d + c),
);
const phoneArb = fc.record({
  kind: fc.constantFrom('mobile', 'home', 'work', 'fax', 'other'),
  number: fc
    .tuple(fc.boolean(), digitsArb(1), digitsArb(2, 12))
    .map(([plus, a, b]) => `${plus ? '+33 ' : '0'}${a}${b}`),
});
const emailArb = fc
  .tuple(
    fc.string({
      unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'),
      minLength: 1,
      maxLength: 12,
    }),
    fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'), minLength: 1, maxLength: 12 }),
    fc.constantFrom('fr', 'de', 'com', 'org'),
  )
  .map(([local, domain, tld]) => `${local}@${domain}.${tld}`);

export const patientArb: fc.Arbitrary<Patient> = fc
  .record({
    id: idArb,
    birthName: requiredTextArb(100),
    usedName: opt(requiredTextArb(100)),
    firstNames: fc.array(requiredTextArb(60), { minLength: 1, maxLength: 5 }),
    usedFirstName: opt(requiredTextArb(60)),
    birthDate: isoDateArb,
    sex: fc.constantFrom('F', 'M', 'U'),
    birthplaceCode: opt(birthplaceArb),
    nir: opt(nirArb()),
    ins: opt(insArb),
    identityStatus: fc.constantFrom(...IDENTITY_STATUSES),
    contact: fc.record({
      addressLines: fc.array(requiredTextArb(100), { maxLength: 4 }),
      postalCode: opt(textArb(16)),
      city: opt(textArb(100)),
      country: opt(fc.constantFrom('FR', 'DE', 'BE', 'CH', 'DZ')),
      phones: fc.array(phoneArb, { maxLength: 3 }),
      email: opt(emailArb),
    }),
    treatingPractitionerRpps: opt(rppsArb),
    deceasedDate: opt(isoDateArb),
    createdAt: instantArb,
    updatedAt: instantArb,
  })
  .chain((p) =>
    identityStatusRequiresIns(p.identityStatus) && p.ins === undefined
      ? insArb.map((ins) => ({ ...p, ins }))
      : fc.constant(p),
  )
  .map((p) => {
    const deceasedDate =
      p.deceasedDate !== undefined && p.deceasedDate < p.birthDate ? p.birthDate : p.deceasedDate;
    const doc = clean({ ...p, deceasedDate, contact: clean(p.contact) });
    return { ...doc, ...patientSearchKeys(doc) } as Patient;
  });

type EntrySpec = { kind: 'note' | 'addendum'; target: number; signed: boolean };

export const encounterArb: fc.Arbitrary<Encounter> = fc
  .record({
    id: idArb,
    patientId: idArb,
    authorRpps: rppsArb,
    start: fc.integer({ min: MIN_TIME, max: MAX_TIME - 86_400_000 }),
    durationMs: opt(fc.integer({ min: 0, max: 86_400_000 })),
    reason: textArb(500),
    status: fc.constantFrom(...ENCOUNTER_STATUSES),
    entryIds: fc.uniqueArray(idArb, { maxLength: 6 }),
    specs: fc.array(
      fc.record({ kind: fc.constantFrom('note', 'addendum'), target: fc.nat(), signed: fc.boolean() }),
      { minLength: 6, maxLength: 6 },
    ),
    texts: fc.array(requiredTextArb(2000), { minLength: 6, maxLength: 6 }),
    authors: fc.array(rppsArb, { minLength: 6, maxLength: 6 }),
    hashes: fc.array(sha256Arb, { minLength: 6, maxLength: 6 }),
    createdAt: instantArb,
    updatedAt: instantArb,
  })
  .map((r) => {
    const entries = r.entryIds.map((id, i) => {
      const spec = r.specs[i] as EntrySpec;
      const kind = i === 0 ? 'note' : spec.kind;
      const at = toInstant(r.start + i * 60_000);
      return clean({
        id,
        kind,
        text: r.texts[i] as string,
        authorRpps: r.authors[i] as string,
        createdAt: at,
        signedAt: spec.signed ? at : undefined,
        contentHash: spec.signed ? r.hashes[i] : undefined,
        amends: kind === 'addendum' ? r.entryIds[spec.target % i] : undefined,
      });
    });
    return clean({
      id: r.id,
      patientId: r.patientId,
      authorRpps: r.authorRpps,
      start: toInstant(r.start),
      end: r.durationMs === undefined ? undefined : toInstant(r.start + r.durationMs),
      reason: r.reason,
      status: r.status,
      entries,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
    }) as Encounter;
  });

const loincArb = digitsArb(1, 7).map((body) => `${body}-${luhnCheckDigit(body)}`);
const finiteArb = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 });

export const observationArb: fc.Arbitrary<Observation> = fc
  .record({
    id: idArb,
    patientId: idArb,
    encounterId: opt(idArb),
    loincCode: loincArb,
    display: requiredTextArb(200),
    value: fc.oneof(
      finiteArb.map((value) => ({ type: 'quantity' as const, value })),
      textArb(2000).map((value) => ({ type: 'string' as const, value })),
      fc
        .record({ system: requiredTextArb(200), code: requiredTextArb(64), display: opt(textArb(200)) })
        .map((c) => clean({ type: 'coded' as const, ...c })),
    ),
    unit: opt(fc.constantFrom('mmol/L', 'g/dL', '10*9/L', '{beats}/min', 'mm[Hg]', '%', 'kg')),
    range: opt(fc.record({ a: opt(finiteArb), b: opt(finiteArb), text: opt(textArb(200)) })),
    effectiveAt: instantArb,
    interpretation: opt(fc.constantFrom('N', 'L', 'H', 'LL', 'HH', 'A', 'AA', 'POS', 'NEG')),
    status: fc.constantFrom('registered', 'preliminary', 'final', 'amended', 'cancelled', 'entered-in-error'),
    createdAt: instantArb,
    updatedAt: instantArb,
  })
  .map(({ range, ...o }) => {
    let referenceRange: Loose | undefined;
    if (range) {
      const [low, high] =
        range.a !== undefined && range.b !== undefined && range.a > range.b
          ? [range.b, range.a]
          : [range.a, range.b];
      referenceRange = clean({ low, high, text: range.text });
    }
    return clean({ ...o, referenceRange }) as Observation;
  });

export const allergyArb: fc.Arbitrary<Allergy> = fc
  .record({
    id: idArb,
    patientId: idArb,
    substance: fc.oneof(
      requiredTextArb(200).map((display) => ({ system: 'text' as const, display })),
      fc.record({
        system: fc.constantFrom('ATC', 'SNOMED-CT', 'UCD', 'CIP13', 'UNII', 'local'),
        code: requiredTextArb(64),
        display: requiredTextArb(200),
      }),
    ),
    reaction: opt(textArb(1000)),
    severity: opt(fc.constantFrom('mild', 'moderate', 'severe')),
    criticality: fc.constantFrom('low', 'high', 'unable-to-assess'),
    status: fc.constantFrom('active', 'inactive', 'resolved', 'entered-in-error'),
    recordedAt: instantArb,
    recorderRpps: opt(rppsArb),
    createdAt: instantArb,
    updatedAt: instantArb,
  })
  .map((a) => clean(a) as Allergy);

const cip13Arb = digitsArb(12).map((body) => {
  for (let d = 0; d <= 9; d += 1) if (ean13Valid(body + String(d))) return body + String(d);
  throw new Error('unreachable');
});

export const prescriptionArb: fc.Arbitrary<Prescription> = fc
  .record({
    id: idArb,
    patientId: idArb,
    encounterId: idArb,
    prescriberRpps: rppsArb,
    date: isoDateArb,
    lines: fc.array(
      fc.record({
        medication: fc.oneof(
          fc.record({ system: fc.constant('CIP13' as const), code: cip13Arb, display: requiredTextArb(300) }),
          fc.record({
            system: fc.constant('UCD' as const),
            code: fc.oneof(digitsArb(7), digitsArb(13)),
            display: requiredTextArb(300),
          }),
          fc.record({ system: fc.constant('text' as const), display: requiredTextArb(300) }),
        ),
        dosageText: requiredTextArb(1000),
        quantity: opt(textArb(100)),
        durationDays: opt(fc.integer({ min: 1, max: 3650 })),
        route: opt(fc.constantFrom(...ROUTES)),
      }),
      { minLength: 1, maxLength: 5 },
    ),
    renewals: fc.integer({ min: 0, max: 12 }),
    status: fc.constantFrom('draft', 'active', 'completed', 'cancelled', 'entered-in-error'),
    createdAt: instantArb,
    updatedAt: instantArb,
  })
  .map((p) => clean({ ...p, lines: p.lines.map((l) => clean(l)) }) as Prescription);

const mimeArb = fc.constantFrom(
  'application/pdf',
  'image/jpeg',
  'image/png',
  'text/plain',
  'application/dicom',
);

export const clinicalDocumentArb: fc.Arbitrary<ClinicalDocument> = fc
  .record({
    id: idArb,
    patientId: idArb,
    title: requiredTextArb(200),
    type: fc.oneof(
      fc.record({ system: fc.constant('LOINC' as const), code: loincArb, display: opt(textArb(200)) }),
      fc.record({
        system: fc.constant('local' as const),
        code: requiredTextArb(64),
        display: opt(textArb(200)),
      }),
    ),
    category: fc.constantFrom('administrative', 'clinical'),
    mimeType: mimeArb,
    size: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
    attachmentId: requiredTextArb(64),
    sha256: opt(sha256Arb),
    authorRpps: opt(rppsArb),
    createdAt: instantArb,
    updatedAt: instantArb,
  })
  .map((d) => clean({ ...d, type: clean(d.type) }) as ClinicalDocument);

const uidRootArb = fc
  .array(fc.integer({ min: 0, max: 99999 }), { minLength: 2, maxLength: 5 })
  .map((parts) => `1.2.${parts.join('.')}`);
const modalityArb = fc.constantFrom('CT', 'MR', 'CR', 'DX', 'US', 'MG', 'PT', 'NM', 'OT', 'SR');

export const imagingStudyArb: fc.Arbitrary<ImagingStudy> = fc
  .record({
    id: idArb,
    patientId: idArb,
    root: uidRootArb,
    studyDate: opt(isoDateArb),
    studyTime: opt(fc.constantFrom('08:15', '13:45:12', '23:59:59.123456')),
    description: opt(textArb(64)),
    accessionNumber: opt(textArb(16)),
    filePatient: opt(fc.record({ name: opt(textArb(200)), id: opt(textArb(64)), birthDate: opt(isoDateArb) }).map(clean)),
    patientMatch: opt(fc.constantFrom('ins' as const, 'confirmed' as const)),
    series: fc.array(
      fc.record({
        modality: modalityArb,
        description: opt(textArb(64)),
        bodyPart: opt(fc.constantFrom('CHEST', 'HEAD', 'ABDOMEN', 'KNEE')),
        seriesNumber: opt(fc.integer({ min: 0, max: 2_147_483_647 })),
        instances: fc.array(
          fc.record({
            instanceNumber: opt(fc.integer({ min: 0, max: 2_147_483_647 })),
            imagePosition: opt(fc.array(finiteArb, { minLength: 3, maxLength: 3 })),
            sliceLocation: opt(finiteArb),
            frames: fc.integer({ min: 1, max: 100_000 }),
            attachmentId: requiredTextArb(64),
            rows: opt(fc.integer({ min: 1, max: 65_535 })),
            columns: opt(fc.integer({ min: 1, max: 65_535 })),
            photometric: opt(fc.constantFrom('MONOCHROME1', 'MONOCHROME2', 'RGB', 'YBR_FULL_422', 'PALETTE COLOR')),
            pixelSpacing: opt(fc.tuple(fc.double({ min: 0.01, max: 10, noNaN: true }), fc.double({ min: 0.01, max: 10, noNaN: true }))),
            size: opt(fc.integer({ min: 0, max: 2 ** 40 })),
            imageOrientation: opt(fc.constantFrom([1, 0, 0, 0, 1, 0], [1, 0, 0, 0, 0, -1], [0, 1, 0, 0, 0, -1])),
          }),
          { maxLength: 4 },
        ),
      }),
      { maxLength: 3 },
    ),
    createdAt: instantArb,
    updatedAt: instantArb,
  })
  .map(
    ({ root, series, ...s }) =>
      clean({
        ...s,
        studyInstanceUid: `${root}.1`,
        modalities: [...new Set(series.map((x) => x.modality))],
        series: series.map(({ instances, ...x }, i) =>
          clean({
            ...x,
            seriesInstanceUid: `${root}.2.${i + 1}`,
            instances: instances.map((inst, j) =>
              clean({
                ...inst,
                sopInstanceUid: `${root}.3.${i + 1}.${j + 1}`,
                sopClassUid: '1.2.840.10008.5.1.4.1.1.2',
              }),
            ),
          }),
        ),
      }) as ImagingStudy,
  );

export const auditEventArb: fc.Arbitrary<AuditEvent> = fc
  .record({
    id: idArb,
    userId: requiredTextArb(64),
    role: fc.constantFrom(...ROLES),
    workstation: requiredTextArb(64),
    action: fc.constantFrom(...AUDIT_ACTIONS),
    patientId: opt(idArb),
    object: opt(fc.record({ collection: fc.constantFrom(...COLLECTION_NAMES, 'user', 'backup'), id: idArb })),
    instant: instantArb,
    outcome: fc.constantFrom('success', 'denied', 'error'),
    reason: opt(textArb(1000)),
  })
  .map((e) => {
    const reason = e.action === 'break_glass' && (e.reason ?? '').trim() === '' ? 'Urgence vitale' : e.reason;
    return clean({ ...e, reason, updatedAt: e.instant }) as AuditEvent;
  });

export const documentArbitraries: {
  readonly [N in keyof CollectionDocuments]: fc.Arbitrary<CollectionDocuments[N]>;
} = {
  patient: patientArb,
  encounter: encounterArb,
  observation: observationArb,
  allergy: allergyArb,
  prescription: prescriptionArb,
  document: clinicalDocumentArb,
  imaging_study: imagingStudyArb,
  audit_event: auditEventArb,
};
