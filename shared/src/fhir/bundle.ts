import { insExportable } from '../identity/ins-vigilance';
import { INS_OID } from '../identifiers/ins';
import type { Allergy } from '../schemas/allergy';
import type { ClinicalDocument } from '../schemas/document';
import type { Encounter } from '../schemas/encounter';
import type { ImagingStudy } from '../schemas/imaging-study';
import type { Observation } from '../schemas/observation';
import type { Patient } from '../schemas/patient';
import type { Prescription } from '../schemas/prescription';

/**
 * FHIR R4 export of a patient's record (RGPD access and portability, Art. 15 and 20),
 * following the French core profiles (FR Core, hl7.fr/ig/fhir/core) where FR Core defines
 * one: Patient (FRCorePatient, FRCorePatientINS when the INS may leave: qualified
 * identity, see insExportable), Practitioner (FRCorePractitioner, identified by its
 * IDNPS: "8" + RPPS under urn:oid:1.2.250.1.71.4.2.1), Encounter (FRCoreEncounter) and
 * the vital-sign Observations (FRCoreObservation…). FR Core has no profile for lab
 * observations, AllergyIntolerance, MedicationRequest, DocumentReference or
 * ImagingStudy: those are plain R4 resources. Pure: no Node, no DOM; resources are plain
 * JSON objects (the tests validate them against the R4 definitions).
 */

export type FhirResource = { resourceType: string; id?: string; [key: string]: unknown };
export type FhirBundle = {
  resourceType: 'Bundle';
  id?: string;
  meta?: { lastUpdated?: string; profile?: string[] };
  type: 'collection';
  timestamp: string;
  entry: { fullUrl: string; resource: FhirResource }[];
};

export const FR_CORE = 'https://hl7.fr/ig/fhir/core/StructureDefinition';
export const FR_CORE_PROFILES = {
  patient: `${FR_CORE}/fr-core-patient`,
  patientIns: `${FR_CORE}/fr-core-patient-ins`,
  practitioner: `${FR_CORE}/fr-core-practitioner`,
  encounter: `${FR_CORE}/fr-core-encounter`,
} as const;

/** LOINC code → FR Core vital-sign profile (blood pressure needs one Observation with both components, which this record does not keep). */
export const FR_CORE_VITAL_PROFILES: Readonly<Record<string, string>> = {
  '29463-7': `${FR_CORE}/fr-core-observation-body-weight`,
  '8302-2': `${FR_CORE}/fr-core-observation-body-height`,
  '39156-5': `${FR_CORE}/fr-core-observation-bmi`,
  '8867-4': `${FR_CORE}/fr-core-observation-heartrate`,
  '8310-5': `${FR_CORE}/fr-core-observation-body-temperature`,
  '9279-1': `${FR_CORE}/fr-core-observation-resp-rate`,
};
const VITAL_LOINC: ReadonlySet<string> = new Set([
  ...Object.keys(FR_CORE_VITAL_PROFILES),
  '8480-6',
  '8462-4',
  '59408-5',
]);

export const SYSTEMS = {
  ins: (oid: string) => `urn:oid:${oid}`,
  idnps: 'urn:oid:1.2.250.1.71.4.2.1',
  frIdentifierType: 'https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203',
  identityReliability: `${FR_CORE}/fr-core-identity-reliability`,
  identityStatus: 'https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0445',
  birthPlace: 'http://hl7.org/fhir/StructureDefinition/patient-birthPlace',
  inseeCode: `${FR_CORE}/fr-core-address-insee-code`,
  loinc: 'http://loinc.org',
  ucum: 'http://unitsofmeasure.org',
  observationCategory: 'http://terminology.hl7.org/CodeSystem/observation-category',
  interpretation: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation',
  actCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  allergyClinical: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical',
  allergyVerification: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification',
  atc: 'http://www.whocc.no/atc',
  snomed: 'http://snomed.info/sct',
  cip13: 'https://smt.esante.gouv.fr/terminologie-cip',
  ucd: 'https://smt.esante.gouv.fr/terminologie-ucd',
  dicomUid: 'urn:dicom:uid',
  dicomModality: 'http://dicom.nema.org/resources/ontology/DCM',
} as const;

export type PatientRecord = {
  readonly patient: Patient;
  readonly encounters: readonly Encounter[];
  readonly observations: readonly Observation[];
  readonly allergies: readonly Allergy[];
  readonly prescriptions: readonly Prescription[];
  readonly documents: readonly ClinicalDocument[];
  readonly imagingStudies: readonly ImagingStudy[];
};

export type FhirExportOptions = {
  /** Instant of the export (Bundle.timestamp). */
  readonly at: string;
  /** Names of practitioners known to the workstation, by RPPS (the author's own profile at least). */
  readonly practitionerNames?: ReadonlyMap<string, string>;
  /** File contents of documents to embed (base64), by document id; without it a DocumentReference describes the file. */
  readonly documentData?: ReadonlyMap<string, Uint8Array>;
  /** Test platforms only: lets a test/demo INS out (insExportable's rule). */
  readonly testMode?: boolean;
};

// ---------------------------------------------------------------- ids

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** 32-bit FNV-1a with a seed: four of them give a name-based id that is stable from one export to the next. */
function fnv(s: string, seed: number): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < s.length; i += 1) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * The FHIR id of a document: its own id when it is a UUID (what the host generates),
 * else a UUID-shaped id derived from type and id (FHIR ids allow no underscore, and
 * urn:uuid full URLs need a UUID). Not a security hash: only stability and spread matter.
 */
export function fhirIdOf(type: string, id: string): string {
  if (UUID.test(id)) return id.toLowerCase();
  const key = `${type}/${id}`;
  const hex = [1, 2, 3, 4].map((seed) => fnv(key, seed).toString(16).padStart(8, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const ref = (type: string, id: string) => ({ reference: `urn:uuid:${fhirIdOf(type, id)}` });
const practitionerRef = (rpps: string) => ({ reference: `urn:uuid:${fhirIdOf('Practitioner', rpps)}` });

// ---------------------------------------------------------------- resources

const GENDER = { F: 'female', M: 'male', U: 'unknown' } as const;

export function patientResource(
  patient: Patient,
  options: Pick<FhirExportOptions, 'testMode'> = {},
): FhirResource {
  const ins = insExportable(patient, { testMode: options.testMode === true });
  const identifier =
    ins === undefined
      ? undefined
      : [
          {
            use: 'official',
            type: {
              coding: [
                { system: SYSTEMS.frIdentifierType, code: ins.oid === INS_OID.NIA ? 'INS-NIA' : 'INS-NIR' },
              ],
            },
            system: SYSTEMS.ins(ins.oid),
            value: ins.matricule,
          },
        ];
  const names: Record<string, unknown>[] = [
    { use: 'official', family: patient.birthName, given: [...patient.firstNames] },
  ];
  if (patient.usedName !== undefined || patient.usedFirstName !== undefined) {
    names.push({
      use: 'usual',
      family: patient.usedName ?? patient.birthName,
      given: [patient.usedFirstName ?? patient.firstNames[0]],
    });
  }
  const c = patient.contact;
  const telecom = [
    ...c.phones.map((p) => ({
      system: p.kind === 'fax' ? 'fax' : 'phone',
      value: p.number,
      use: p.kind === 'mobile' ? 'mobile' : p.kind === 'work' ? 'work' : p.kind === 'home' ? 'home' : 'temp',
    })),
    ...(c.email === undefined ? [] : [{ system: 'email', value: c.email }]),
  ];
  const hasAddress = c.addressLines.length > 0 || c.postalCode !== undefined || c.city !== undefined;
  const extension: Record<string, unknown>[] = [
    {
      url: SYSTEMS.identityReliability,
      extension: [
        {
          url: 'identityStatus',
          valueCoding: { system: SYSTEMS.identityStatus, code: patient.identityStatus },
        },
      ],
    },
  ];
  if (patient.birthplaceCode !== undefined) {
    extension.push({
      url: SYSTEMS.birthPlace,
      valueAddress: {
        extension: [{ url: SYSTEMS.inseeCode, valueCoding: { code: patient.birthplaceCode } }],
        ...(patient.birthplaceCode.startsWith('99') ? {} : { country: 'FR' }),
      },
    });
  }
  return {
    resourceType: 'Patient',
    id: fhirIdOf('Patient', patient.id),
    meta: {
      profile: [ins === undefined ? FR_CORE_PROFILES.patient : FR_CORE_PROFILES.patientIns],
      lastUpdated: patient.updatedAt,
    },
    extension,
    ...(identifier === undefined ? {} : { identifier }),
    name: names,
    ...(telecom.length === 0 ? {} : { telecom }),
    gender: GENDER[patient.sex],
    birthDate: patient.birthDate,
    ...(patient.deceasedDate === undefined ? {} : { deceasedDateTime: patient.deceasedDate }),
    ...(hasAddress
      ? {
          address: [
            {
              use: 'home',
              ...(c.addressLines.length === 0 ? {} : { line: [...c.addressLines] }),
              ...(c.city === undefined ? {} : { city: c.city }),
              ...(c.postalCode === undefined ? {} : { postalCode: c.postalCode }),
              ...(c.country === undefined ? {} : { country: c.country }),
            },
          ],
        }
      : {}),
  };
}

export function practitionerResource(rpps: string, name?: string): FhirResource {
  return {
    resourceType: 'Practitioner',
    id: fhirIdOf('Practitioner', rpps),
    meta: { profile: [FR_CORE_PROFILES.practitioner] },
    identifier: [
      {
        use: 'official',
        type: { coding: [{ system: SYSTEMS.frIdentifierType, code: 'IDNPS' }] },
        system: SYSTEMS.idnps,
        // The national id of a health professional registered in the RPPS is "8" followed by the RPPS number.
        value: `8${rpps}`,
      },
    ],
    ...(name === undefined || name.trim() === '' ? {} : { name: [{ text: name }] }),
  };
}

function escapeXhtml(s: string): string {
  return s.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch] ?? ch);
}

export function encounterResource(e: Encounter): FhirResource {
  const notes = e.entries.map(
    (entry) =>
      `<p>${escapeXhtml(entry.kind === 'addendum' ? 'Addendum' : 'Note')} (${escapeXhtml(entry.createdAt)}${entry.signedAt === undefined ? '' : `, signed ${escapeXhtml(entry.signedAt)}`}): ${escapeXhtml(entry.text).replace(/\n/g, '<br/>')}</p>`,
  );
  return {
    resourceType: 'Encounter',
    id: fhirIdOf('Encounter', e.id),
    meta: { profile: [FR_CORE_PROFILES.encounter], lastUpdated: e.updatedAt },
    // The consultation's notes, as written: FHIR's Encounter has no element for free text, the narrative carries it.
    ...(notes.length === 0
      ? {}
      : {
          text: {
            status: 'additional',
            div: `<div xmlns="http://www.w3.org/1999/xhtml">${notes.join('')}</div>`,
          },
        }),
    status: e.status,
    class: { system: SYSTEMS.actCode, code: 'AMB', display: 'ambulatory' },
    subject: ref('Patient', e.patientId),
    participant: [{ individual: practitionerRef(e.authorRpps) }],
    period: { start: e.start, ...(e.end === undefined ? {} : { end: e.end }) },
    ...(e.reason.trim() === '' ? {} : { reasonCode: [{ text: e.reason }] }),
  };
}

export function observationResource(o: Observation): FhirResource {
  const vital = VITAL_LOINC.has(o.loincCode);
  const profile = FR_CORE_VITAL_PROFILES[o.loincCode];
  const quantity = (value: number) => ({
    value,
    ...(o.unit === undefined ? {} : { unit: o.unit, system: SYSTEMS.ucum, code: o.unit }),
  });
  let value: Record<string, unknown>;
  switch (o.value.type) {
    case 'quantity':
      value = { valueQuantity: quantity(o.value.value) };
      break;
    case 'string':
      value = { valueString: o.value.value };
      break;
    case 'coded':
      value = {
        valueCodeableConcept: {
          coding: [
            {
              system: /^[a-z]+:/.test(o.value.system)
                ? o.value.system
                : `urn:hl7v2:${encodeURIComponent(o.value.system)}`,
              code: o.value.code,
              ...(o.value.display === undefined ? {} : { display: o.value.display }),
            },
          ],
          ...(o.value.display === undefined ? {} : { text: o.value.display }),
        },
      };
      break;
  }
  const range = o.referenceRange;
  return {
    resourceType: 'Observation',
    id: fhirIdOf('Observation', o.id),
    meta: { ...(profile === undefined ? {} : { profile: [profile] }), lastUpdated: o.updatedAt },
    status:
      o.status === 'registered' ||
      o.status === 'preliminary' ||
      o.status === 'final' ||
      o.status === 'amended' ||
      o.status === 'cancelled' ||
      o.status === 'entered-in-error'
        ? o.status
        : 'unknown',
    category: [
      {
        coding: [
          vital
            ? { system: SYSTEMS.observationCategory, code: 'vital-signs', display: 'Vital Signs' }
            : { system: SYSTEMS.observationCategory, code: 'laboratory', display: 'Laboratory' },
        ],
      },
    ],
    code: { coding: [{ system: SYSTEMS.loinc, code: o.loincCode, display: o.display }], text: o.display },
    subject: ref('Patient', o.patientId),
    ...(o.encounterId === undefined ? {} : { encounter: ref('Encounter', o.encounterId) }),
    effectiveDateTime: o.effectiveAt,
    ...value,
    ...(o.interpretation === undefined
      ? {}
      : { interpretation: [{ coding: [{ system: SYSTEMS.interpretation, code: o.interpretation }] }] }),
    ...(range === undefined
      ? {}
      : {
          referenceRange: [
            {
              ...(range.low === undefined ? {} : { low: quantity(range.low) }),
              ...(range.high === undefined ? {} : { high: quantity(range.high) }),
              ...(range.text === undefined ? {} : { text: range.text }),
            },
          ],
        }),
  };
}

function substanceConcept(s: Allergy['substance']): Record<string, unknown> {
  if (s.system === 'text') return { text: s.display };
  const system =
    s.system === 'ATC'
      ? SYSTEMS.atc
      : s.system === 'SNOMED-CT'
        ? SYSTEMS.snomed
        : s.system === 'CIP13'
          ? SYSTEMS.cip13
          : s.system === 'UCD'
            ? SYSTEMS.ucd
            : s.system === 'UNII'
              ? 'http://fdasis.nlm.nih.gov'
              : 'urn:clinique:local';
  return { coding: [{ system, code: s.code, display: s.display }], text: s.display };
}

export function allergyResource(a: Allergy): FhirResource {
  const clinical = a.status === 'entered-in-error' ? undefined : a.status;
  return {
    resourceType: 'AllergyIntolerance',
    id: fhirIdOf('AllergyIntolerance', a.id),
    meta: { lastUpdated: a.updatedAt },
    ...(clinical === undefined
      ? {}
      : { clinicalStatus: { coding: [{ system: SYSTEMS.allergyClinical, code: clinical }] } }),
    verificationStatus: {
      coding: [
        {
          system: SYSTEMS.allergyVerification,
          code: a.status === 'entered-in-error' ? 'entered-in-error' : 'confirmed',
        },
      ],
    },
    criticality: a.criticality,
    code: substanceConcept(a.substance),
    patient: ref('Patient', a.patientId),
    recordedDate: a.recordedAt,
    ...(a.recorderRpps === undefined ? {} : { recorder: practitionerRef(a.recorderRpps) }),
    ...(a.reaction === undefined && a.severity === undefined
      ? {}
      : {
          reaction: [
            {
              manifestation: [{ text: a.reaction ?? '—' }],
              ...(a.severity === undefined ? {} : { severity: a.severity }),
            },
          ],
        }),
  };
}

const MR_STATUS = {
  draft: 'draft',
  active: 'active',
  completed: 'completed',
  cancelled: 'cancelled',
  'entered-in-error': 'entered-in-error',
} as const;

/** One MedicationRequest per line of an ordonnance, grouped by the prescription's id (groupIdentifier). */
export function medicationRequestResources(p: Prescription): FhirResource[] {
  return p.lines.map((line, i) => {
    const med = line.medication;
    const concept =
      med.system === 'text'
        ? { text: med.display }
        : {
            coding: [
              {
                system: med.system === 'CIP13' ? SYSTEMS.cip13 : SYSTEMS.ucd,
                code: med.code,
                display: med.display,
              },
            ],
            text: med.display,
          };
    return {
      resourceType: 'MedicationRequest',
      id: fhirIdOf('MedicationRequest', `${p.id}#${i}`),
      meta: { lastUpdated: p.updatedAt },
      groupIdentifier: { system: 'urn:ietf:rfc:3986', value: `urn:uuid:${fhirIdOf('Prescription', p.id)}` },
      status: MR_STATUS[p.status],
      intent: 'order',
      medicationCodeableConcept: concept,
      subject: ref('Patient', p.patientId),
      encounter: ref('Encounter', p.encounterId),
      authoredOn: p.date,
      requester: practitionerRef(p.prescriberRpps),
      dosageInstruction: [
        { text: line.dosageText, ...(line.route === undefined ? {} : { route: { text: line.route } }) },
      ],
      dispenseRequest: {
        numberOfRepeatsAllowed: p.renewals,
        ...(line.durationDays === undefined
          ? {}
          : {
              expectedSupplyDuration: {
                value: line.durationDays,
                unit: 'd',
                system: SYSTEMS.ucum,
                code: 'd',
              },
            }),
      },
      ...(line.quantity === undefined ? {} : { note: [{ text: line.quantity }] }),
    };
  });
}

function base64(bytes: Uint8Array): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i] ?? 0;
    const b = bytes[i + 1];
    const c = bytes[i + 2];
    const n = (a << 16) | ((b ?? 0) << 8) | (c ?? 0);
    out += alphabet.charAt((n >> 18) & 63) + alphabet.charAt((n >> 12) & 63);
    out += b === undefined ? '=' : alphabet.charAt((n >> 6) & 63);
    out += c === undefined ? '=' : alphabet.charAt(n & 63);
  }
  return out;
}

export function documentReferenceResource(d: ClinicalDocument, data?: Uint8Array): FhirResource {
  return {
    resourceType: 'DocumentReference',
    id: fhirIdOf('DocumentReference', d.id),
    meta: { lastUpdated: d.updatedAt },
    status: 'current',
    type:
      d.type.system === 'LOINC'
        ? {
            coding: [
              {
                system: SYSTEMS.loinc,
                code: d.type.code,
                ...(d.type.display === undefined ? {} : { display: d.type.display }),
              },
            ],
          }
        : { text: d.type.display ?? d.type.code },
    category: [{ text: d.category }],
    subject: ref('Patient', d.patientId),
    date: d.createdAt,
    ...(d.authorRpps === undefined ? {} : { author: [practitionerRef(d.authorRpps)] }),
    description: d.title,
    content: [
      {
        attachment: {
          contentType: d.mimeType,
          title: d.title,
          size: d.size,
          creation: d.createdAt,
          ...(data === undefined ? {} : { data: base64(data) }),
        },
      },
    ],
  };
}

export function imagingStudyResource(s: ImagingStudy): FhirResource {
  const instances = s.series.reduce((n, se) => n + se.instances.length, 0);
  return {
    resourceType: 'ImagingStudy',
    id: fhirIdOf('ImagingStudy', s.id),
    meta: { lastUpdated: s.updatedAt },
    identifier: [
      { system: SYSTEMS.dicomUid, value: `urn:oid:${s.studyInstanceUid}` },
      ...(s.accessionNumber === undefined || s.accessionNumber === ''
        ? []
        : [
            {
              type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'ACSN' }] },
              value: s.accessionNumber,
            },
          ]),
    ],
    status: 'available',
    ...(s.modalities.length === 0
      ? {}
      : { modality: s.modalities.map((m) => ({ system: SYSTEMS.dicomModality, code: m })) }),
    subject: ref('Patient', s.patientId),
    ...(s.studyDate === undefined ? {} : { started: s.studyDate }),
    numberOfSeries: s.series.length,
    numberOfInstances: instances,
    ...(s.description === undefined || s.description === '' ? {} : { description: s.description }),
    series: s.series.map((se) => ({
      uid: se.seriesInstanceUid,
      ...(se.seriesNumber === undefined ? {} : { number: se.seriesNumber }),
      modality: { system: SYSTEMS.dicomModality, code: se.modality },
      ...(se.description === undefined || se.description === '' ? {} : { description: se.description }),
      numberOfInstances: se.instances.length,
      ...(se.bodyPart === undefined ? {} : { bodySite: { code: se.bodyPart, display: se.bodyPart } }),
      instance: se.instances.map((inst) => ({
        uid: inst.sopInstanceUid,
        sopClass: { system: 'urn:ietf:rfc:3986', code: `urn:oid:${inst.sopClassUid}` },
        ...(inst.instanceNumber === undefined ? {} : { number: inst.instanceNumber }),
      })),
    })),
  };
}

/** Every practitioner the record names (authors, prescribers, recorders, the treating practitioner). */
export function practitionersOf(record: PatientRecord): string[] {
  const set = new Set<string>();
  if (record.patient.treatingPractitionerRpps !== undefined) set.add(record.patient.treatingPractitionerRpps);
  for (const e of record.encounters) {
    set.add(e.authorRpps);
    for (const entry of e.entries) set.add(entry.authorRpps);
  }
  for (const a of record.allergies) if (a.recorderRpps !== undefined) set.add(a.recorderRpps);
  for (const p of record.prescriptions) set.add(p.prescriberRpps);
  for (const d of record.documents) if (d.authorRpps !== undefined) set.add(d.authorRpps);
  return [...set].sort();
}

/** The whole record as a FHIR R4 Bundle of type collection; entries are addressed by urn:uuid. */
export function recordBundle(record: PatientRecord, options: FhirExportOptions): FhirBundle {
  const resources: FhirResource[] = [
    {
      ...patientResource(record.patient, options),
      ...(record.patient.treatingPractitionerRpps === undefined
        ? {}
        : { generalPractitioner: [practitionerRef(record.patient.treatingPractitionerRpps)] }),
    },
    ...practitionersOf(record).map((rpps) =>
      practitionerResource(rpps, options.practitionerNames?.get(rpps)),
    ),
    ...record.encounters.map(encounterResource),
    ...record.observations.map(observationResource),
    ...record.allergies.map(allergyResource),
    ...record.prescriptions.flatMap(medicationRequestResources),
    ...record.documents.map((d) => documentReferenceResource(d, options.documentData?.get(d.id))),
    ...record.imagingStudies.map(imagingStudyResource),
  ];
  return {
    resourceType: 'Bundle',
    id: fhirIdOf('Bundle', `${record.patient.id}@${options.at}`),
    meta: { lastUpdated: options.at },
    type: 'collection',
    timestamp: options.at,
    entry: resources.map((resource) => ({ fullUrl: `urn:uuid:${resource.id ?? ''}`, resource })),
  };
}

/** The Patient alone (identity exchange, "FHIR Patient" export), same rules as in the Bundle. */
export function patientOnly(
  patient: Patient,
  options: Pick<FhirExportOptions, 'testMode'> = {},
): FhirResource {
  return patientResource(patient, options);
}
