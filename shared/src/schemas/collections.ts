import type { MigrationStrategies, RxJsonSchema } from 'rxdb';
import type { z } from 'zod';
import type { ErrorParams, Result } from '../errors/app-error';
import { err, ok } from '../errors/app-error';
import type { Allergy } from './allergy';
import { AllergySchema } from './allergy';
import type { AuditEvent } from './audit-event';
import { AuditEventSchema } from './audit-event';
import type { ClinicalDocument } from './document';
import { ClinicalDocumentSchema } from './document';
import type { Encounter } from './encounter';
import { EncounterSchema } from './encounter';
import type { ImagingStudy } from './imaging-study';
import { ImagingStudySchema } from './imaging-study';
import type { CollectionName, DataClass } from './names';
import { COLLECTION_NAMES } from './names';
import type { Observation } from './observation';
import { ObservationSchema } from './observation';
import type { Patient } from './patient';
import { PatientSchema } from './patient';
import type { Prescription } from './prescription';
import { PrescriptionSchema } from './prescription';
import { toRxJsonSchema } from './rx-schema';

export type CollectionDocuments = {
  patient: Patient;
  encounter: Encounter;
  observation: Observation;
  allergy: Allergy;
  prescription: Prescription;
  document: ClinicalDocument;
  imaging_study: ImagingStudy;
  audit_event: AuditEvent;
};
export type DocumentOf<N extends CollectionName> = CollectionDocuments[N];

export const patientRxSchema = toRxJsonSchema(PatientSchema, {
  title: 'patient',
  // firstNames is an array, which RxDB cannot index: searchKey (birth name + first
  // names, normalised) carries the "name + first names" lookup, usedSearchKey the same
  // by used name.
  indexes: [['searchKey'], ['usedSearchKey'], ['birthDate', 'searchKey'], ['nir'], ['updatedAt']],
});
export const encounterRxSchema = toRxJsonSchema(EncounterSchema, {
  title: 'encounter',
  indexes: [['patientId', 'start'], ['authorRpps', 'start'], ['updatedAt']],
});
export const observationRxSchema = toRxJsonSchema(ObservationSchema, {
  title: 'observation',
  indexes: [['patientId', 'effectiveAt'], ['patientId', 'loincCode', 'effectiveAt'], ['updatedAt']],
});
export const allergyRxSchema = toRxJsonSchema(AllergySchema, {
  title: 'allergy',
  indexes: [['patientId', 'recordedAt'], ['updatedAt']],
});
export const prescriptionRxSchema = toRxJsonSchema(PrescriptionSchema, {
  title: 'prescription',
  indexes: [['patientId', 'date'], ['updatedAt']],
});
export const documentRxSchema = toRxJsonSchema(ClinicalDocumentSchema, {
  title: 'document',
  indexes: [['patientId', 'createdAt'], ['patientId', 'category', 'createdAt'], ['updatedAt']],
  attachments: true,
});
export const imagingStudyRxSchema = toRxJsonSchema(ImagingStudySchema, {
  title: 'imaging_study',
  indexes: [['patientId', 'createdAt'], ['studyInstanceUid'], ['updatedAt']],
  attachments: true,
  // 1: optional instance rows/columns/photometric/pixelSpacing/imageOrientation/size, study filePatient and patientMatch.
  version: 1,
});
export const auditEventRxSchema = toRxJsonSchema(AuditEventSchema, {
  title: 'audit_event',
  indexes: [['instant'], ['patientId', 'instant'], ['updatedAt']],
});

export type CollectionEntry<N extends CollectionName> = {
  readonly name: N;
  readonly zodSchema: z.ZodType<DocumentOf<N>>;
  readonly rxSchema: RxJsonSchema<DocumentOf<N>>;
  /** For `document` this is the default; the document's own `category` decides (dataClassOf). */
  readonly dataClass: DataClass;
  /** Local push-only collection: written on the workstation, never pulled back. */
  readonly pushOnly: boolean;
  /**
   * One strategy per schema version above 0 (RxDB runs them when a vault written with an
   * older version opens; attachments move with their documents).
   */
  readonly migrationStrategies?: MigrationStrategies;
};

export const COLLECTIONS: { readonly [N in CollectionName]: CollectionEntry<N> } = {
  patient: {
    name: 'patient',
    zodSchema: PatientSchema,
    rxSchema: patientRxSchema,
    dataClass: 'administrative',
    pushOnly: false,
  },
  encounter: {
    name: 'encounter',
    zodSchema: EncounterSchema,
    rxSchema: encounterRxSchema,
    dataClass: 'clinical',
    pushOnly: false,
  },
  observation: {
    name: 'observation',
    zodSchema: ObservationSchema,
    rxSchema: observationRxSchema,
    dataClass: 'clinical',
    pushOnly: false,
  },
  allergy: {
    name: 'allergy',
    zodSchema: AllergySchema,
    rxSchema: allergyRxSchema,
    dataClass: 'clinical',
    pushOnly: false,
  },
  prescription: {
    name: 'prescription',
    zodSchema: PrescriptionSchema,
    rxSchema: prescriptionRxSchema,
    dataClass: 'clinical',
    pushOnly: false,
  },
  document: {
    name: 'document',
    zodSchema: ClinicalDocumentSchema,
    rxSchema: documentRxSchema,
    // The most restrictive class when the category cannot be read.
    dataClass: 'clinical',
    pushOnly: false,
  },
  imaging_study: {
    name: 'imaging_study',
    zodSchema: ImagingStudySchema,
    rxSchema: imagingStudyRxSchema,
    dataClass: 'clinical',
    pushOnly: false,
    // Version 1 only added optional fields: a version-0 document is a valid version-1 one.
    migrationStrategies: { 1: (doc: unknown) => doc },
  },
  audit_event: {
    name: 'audit_event',
    zodSchema: AuditEventSchema,
    rxSchema: auditEventRxSchema,
    dataClass: 'audit',
    pushOnly: true,
  },
};

export const rxSchemas: { readonly [N in CollectionName]: RxJsonSchema<DocumentOf<N>> } = {
  patient: patientRxSchema,
  encounter: encounterRxSchema,
  observation: observationRxSchema,
  allergy: allergyRxSchema,
  prescription: prescriptionRxSchema,
  document: documentRxSchema,
  imaging_study: imagingStudyRxSchema,
  audit_event: auditEventRxSchema,
};

export function isCollectionName(value: unknown): value is CollectionName {
  return typeof value === 'string' && (COLLECTION_NAMES as readonly string[]).includes(value);
}

/**
 * The data class of one document, which decides who may read it. Fails closed: a
 * `document` whose category is missing or unknown counts as clinical.
 */
export function dataClassOf(collection: CollectionName, doc: unknown): DataClass {
  if (collection === 'document') {
    const category =
      typeof doc === 'object' && doc !== null ? (doc as { category?: unknown }).category : undefined;
    return category === 'administrative' ? 'administrative' : 'clinical';
  }
  return COLLECTIONS[collection].dataClass;
}

export type DocumentErrorCode = 'VALIDATION_DOCUMENT_INVALID' | 'VALIDATION_COLLECTION_UNKNOWN';

/**
 * Parses a document of a collection from untrusted input (IPC, replication push, import).
 * A refinement with a catalogue code (NIR_KEY, ENCOUNTER_…) surfaces with that code;
 * any other problem is VALIDATION_DOCUMENT_INVALID with the collection and field path.
 */
export function parseDocument<N extends CollectionName>(
  collection: N,
  input: unknown,
): Result<DocumentOf<N>> {
  if (!isCollectionName(collection))
    return err('VALIDATION_COLLECTION_UNKNOWN', { collection: String(collection) });
  const entry = COLLECTIONS[collection] as CollectionEntry<N>;
  const parsed = entry.zodSchema.safeParse(input);
  if (parsed.success) return ok(parsed.data);
  const issue = parsed.error.issues[0];
  const path = issue ? issue.path.map(String).join('.') : '';
  if (issue?.code === 'custom') {
    const params = issue.params as { code?: unknown; errorParams?: ErrorParams } | undefined;
    if (typeof params?.code === 'string') return err(params.code, { ...params.errorParams, path });
  }
  return err('VALIDATION_DOCUMENT_INVALID', { collection, path: path || '(document)' });
}

export type ReplicatedDocument<N extends CollectionName> = {
  readonly doc: DocumentOf<N>;
  readonly deleted: boolean;
  /** RxDB's attachment metadata as received, for the caller to check; not part of the domain document. */
  readonly attachments?: unknown;
};

/**
 * Parses a document state as RxDB replication carries it: the domain document plus
 * `_deleted` (and `_attachments`, `_meta`, `_rev` from some transports). Those are split
 * off before the strict domain schema sees the document; any other underscore field is
 * refused by the schema like any unknown field.
 */
export function parseReplicatedDocument<N extends CollectionName>(
  collection: N,
  input: unknown,
): Result<ReplicatedDocument<N>> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return err('VALIDATION_DOCUMENT_INVALID', { collection, path: '(document)' });
  }
  const { _deleted, _attachments, _meta: _m, _rev: _r, ...body } = input as Record<string, unknown>;
  if (_deleted !== undefined && typeof _deleted !== 'boolean') {
    return err('VALIDATION_DOCUMENT_INVALID', { collection, path: '_deleted' });
  }
  const parsed = parseDocument(collection, body);
  if (!parsed.ok) return parsed;
  return ok({
    doc: parsed.value,
    deleted: _deleted === true,
    ...(_attachments === undefined ? {} : { attachments: _attachments }),
  });
}
