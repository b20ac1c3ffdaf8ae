import type { ClinicalDocument, Encounter, Patient } from '../../../shared/src/schemas';
import { patientSearchKeys } from '../../../shared/src/schemas/search-key';

const T0 = '2026-03-02T08:00:00.000Z';

/** A valid patient document (administrative data only). */
export function makePatient(id: string, birthName: string, overrides: Partial<Patient> = {}): Patient {
  const base = {
    id,
    birthName,
    firstNames: ['Camille'],
    birthDate: '1980-05-17',
    sex: 'F' as const,
    identityStatus: 'PROV' as const,
    contact: { addressLines: ['1 rue de la Paix'], city: 'Lyon', phones: [] },
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
  return { ...base, ...patientSearchKeys(base) } as Patient;
}

/** A valid encounter (clinical). */
export function makeEncounter(id: string, patientId: string, authorRpps: string, reason = 'Consultation'): Encounter {
  return {
    id,
    patientId,
    authorRpps,
    start: T0,
    reason,
    status: 'in-progress',
    entries: [],
    createdAt: T0,
    updatedAt: T0,
  };
}

/** A valid document of a category (administrative: an ID card scan; clinical: a letter). */
export function makeDocument(id: string, patientId: string, category: 'administrative' | 'clinical'): ClinicalDocument {
  return {
    id,
    patientId,
    title: category === 'clinical' ? 'Compte rendu' : 'Carte d’identité',
    type: { system: 'local', code: category === 'clinical' ? 'letter' : 'id-card' },
    category,
    mimeType: 'application/pdf',
    size: 10,
    attachmentId: `att-${id}`,
    createdAt: T0,
    updatedAt: T0,
  };
}
