import { computeNirKey } from '../identifiers/nir';
import type { Observation } from '../schemas/observation';
import type { Patient } from '../schemas/patient';
import { patientSearchKeys } from '../schemas/search-key';
import type { PatientRecord } from './bundle';

/**
 * A complete, valid record (every collection represented, French characters, a qualified
 * identity) for the export tests and the interop benchmark. Ids are UUID-like, as the
 * host makes them, except a few that exercise the derived ids.
 */
export const SAMPLE_RPPS = '10003456789';
export const SAMPLE_NIR = '2690549588157' + String(computeNirKey('2690549588157')).padStart(2, '0');

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

export function samplePatient(overrides: Partial<Patient> = {}): Patient {
  const doc = {
    id: uuid(1),
    birthName: 'DE LA FONTAINE',
    usedName: 'MÜLLER',
    firstNames: ['Hélène', 'Marie-Élise'],
    usedFirstName: 'Léna',
    birthDate: '1969-05-12',
    sex: 'F' as const,
    birthplaceCode: '49588',
    nir: SAMPLE_NIR,
    ins: { matricule: SAMPLE_NIR, oid: '1.2.250.1.213.1.4.8' as const },
    identityStatus: 'QUAL' as const,
    contact: {
      addressLines: ['12 rue de l’Église'],
      postalCode: '49000',
      city: 'Angers',
      country: 'FR',
      phones: [{ kind: 'mobile' as const, number: '+33 6 12 34 56 78' }],
      email: 'helene@example.fr',
    },
    treatingPractitionerRpps: SAMPLE_RPPS,
    createdAt: '2024-01-01T09:00:00.000Z',
    updatedAt: '2024-01-01T09:00:00.000Z',
    ...overrides,
  };
  return { ...doc, ...patientSearchKeys(doc) } as Patient;
}

type LabLine = { loincCode: string; display: string; unit: string; low?: number; high?: number };
const LAB: readonly LabLine[] = [
  { loincCode: '2093-3', display: 'Cholestérol total', unit: 'mmol/L', low: 3.5, high: 6.5 },
  { loincCode: '2571-8', display: 'Triglycérides', unit: 'mmol/L', high: 1.7 },
  { loincCode: '718-7', display: 'Hémoglobine', unit: 'g/dL', low: 12, high: 16 },
  { loincCode: '29463-7', display: 'Poids', unit: 'kg' },
  { loincCode: '8867-4', display: 'Fréquence cardiaque', unit: '/min' },
];

export function sampleObservations(patientId: string, n: number, encounterId?: string): Observation[] {
  const out: Observation[] = [];
  for (let i = 0; i < n; i += 1) {
    const lab = LAB[i % LAB.length] as LabLine;
    const at = new Date(Date.UTC(2020, 0, 1) + i * 3_600_000).toISOString();
    out.push({
      id: uuid(10_000 + i),
      patientId,
      ...(encounterId === undefined || i % 2 === 1 ? {} : { encounterId }),
      loincCode: lab.loincCode,
      display: lab.display,
      value: { type: 'quantity', value: 1 + (i % 50) / 10 },
      unit: lab.unit,
      ...(lab.high !== undefined || lab.low !== undefined
        ? {
            referenceRange: {
              ...(lab.low === undefined ? {} : { low: lab.low }),
              ...(lab.high === undefined ? {} : { high: lab.high }),
            },
          }
        : {}),
      effectiveAt: at,
      ...(i % 7 === 0 ? { interpretation: 'H' as const } : {}),
      status: 'final',
      createdAt: at,
      updatedAt: at,
    });
  }
  return out;
}

export function sampleRecord(observationCount = 6): PatientRecord {
  const patient = samplePatient();
  const enc = uuid(2);
  return {
    patient,
    encounters: [
      {
        id: enc,
        patientId: patient.id,
        authorRpps: SAMPLE_RPPS,
        start: '2024-03-01T08:00:00.000Z',
        end: '2024-03-01T08:20:00.000Z',
        reason: 'Fièvre & toux <3 jours>',
        status: 'finished',
        entries: [
          {
            id: uuid(3),
            kind: 'note',
            text: 'Examen : auscultation normale.\nPas d’œdème.',
            authorRpps: SAMPLE_RPPS,
            createdAt: '2024-03-01T08:10:00.000Z',
          },
        ],
        createdAt: '2024-03-01T08:00:00.000Z',
        updatedAt: '2024-03-01T08:20:00.000Z',
      },
    ],
    observations: [
      ...sampleObservations(patient.id, observationCount, enc),
      {
        id: 'obs_text_1',
        patientId: patient.id,
        loincCode: '8251-1',
        display: 'Aspect du sérum',
        value: { type: 'string', value: 'Limpide' },
        effectiveAt: '2024-03-02T08:00:00.000Z',
        status: 'amended',
        createdAt: '2024-03-02T08:00:00.000Z',
        updatedAt: '2024-03-02T08:00:00.000Z',
      },
      {
        id: uuid(4),
        patientId: patient.id,
        loincCode: '883-9',
        display: 'Groupe ABO',
        value: { type: 'coded', system: 'LOCAL', code: 'A', display: 'Groupe A' },
        effectiveAt: '2024-03-02T08:00:00.000Z',
        status: 'final',
        createdAt: '2024-03-02T08:00:00.000Z',
        updatedAt: '2024-03-02T08:00:00.000Z',
      },
    ],
    allergies: [
      {
        id: uuid(5),
        patientId: patient.id,
        substance: { system: 'ATC', code: 'J01CA04', display: 'Amoxicilline' },
        reaction: 'Urticaire généralisée',
        severity: 'moderate',
        criticality: 'high',
        status: 'active',
        recordedAt: '2024-03-01T08:15:00.000Z',
        recorderRpps: SAMPLE_RPPS,
        createdAt: '2024-03-01T08:15:00.000Z',
        updatedAt: '2024-03-01T08:15:00.000Z',
      },
    ],
    prescriptions: [
      {
        id: uuid(6),
        patientId: patient.id,
        encounterId: enc,
        prescriberRpps: SAMPLE_RPPS,
        date: '2024-03-01',
        lines: [
          {
            medication: { system: 'text', display: 'Paracétamol 1 g' },
            dosageText: '1 comprimé 3 fois par jour si fièvre',
            durationDays: 5,
            route: 'oral',
          },
          {
            medication: { system: 'CIP13', code: '3400930000007', display: 'Ibuprofène 400 mg' },
            dosageText: '1 cp matin et soir',
            quantity: '1 boîte',
          },
        ],
        renewals: 0,
        status: 'active',
        createdAt: '2024-03-01T08:18:00.000Z',
        updatedAt: '2024-03-01T08:18:00.000Z',
      },
    ],
    documents: [
      {
        id: uuid(7),
        patientId: patient.id,
        title: 'Compte rendu d’échographie',
        type: { system: 'LOINC', code: '11506-3', display: 'Progress note' },
        category: 'clinical',
        mimeType: 'application/pdf',
        size: 5,
        attachmentId: 'file-1',
        authorRpps: SAMPLE_RPPS,
        createdAt: '2024-03-03T08:00:00.000Z',
        updatedAt: '2024-03-03T08:00:00.000Z',
      },
    ],
    imagingStudies: [
      {
        id: uuid(8),
        patientId: patient.id,
        studyInstanceUid: '1.2.826.0.1.3680043.8.498.1',
        studyDate: '2024-03-03',
        description: 'Échographie abdominale',
        accessionNumber: 'ACC42',
        modalities: ['US'],
        series: [
          {
            seriesInstanceUid: '1.2.826.0.1.3680043.8.498.2',
            modality: 'US',
            seriesNumber: 1,
            instances: [
              {
                sopInstanceUid: '1.2.826.0.1.3680043.8.498.3',
                sopClassUid: '1.2.840.10008.5.1.4.1.1.6.1',
                instanceNumber: 1,
                frames: 1,
                attachmentId: 'dicom-1',
              },
            ],
          },
        ],
        createdAt: '2024-03-03T08:00:00.000Z',
        updatedAt: '2024-03-03T08:00:00.000Z',
      },
    ],
  };
}
