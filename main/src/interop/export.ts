import type { ExportFormat } from '../../../shared/src/api';
import type { Language } from '../../../shared/src/errors';
import { AppError } from '../../../shared/src/errors';
import type { PatientRecord } from '../../../shared/src/fhir';
import { patientOnly, recordBundle } from '../../../shared/src/fhir';
import { buildAdtA31 } from '../../../shared/src/hl7';
import type {
  Allergy,
  ClinicalDocument,
  Encounter,
  ImagingStudy,
  Observation,
  Patient,
  Prescription,
} from '../../../shared/src/schemas';
import type { Access } from '../services/access';
import type { ServiceDeps } from '../services/context';
import { defaultNewId, instantOf } from '../services/context';
import { plain } from '../services/plain';
import { buildPdfSummary } from './pdf-summary';

export type ExportFile = { readonly fileName: string; readonly mimeType: string; readonly bytes: Uint8Array };

/**
 * Exports of one patient. The whole record (FHIR Bundle, PDF summary) is clinical:
 * practitioners only; the identity alone (FHIR Patient, ADT^A31) is administrative, so a
 * secretary may send it. Each export is one audited `export` event on the patient.
 */
export type InteropExport = {
  export(patientId: string, format: ExportFormat, language?: Language): Promise<ExportFile>;
  /** The whole record as the Bundle and the PDF read it (no audit event of its own: callers go through `export`). */
  loadRecord(patientId: string): Promise<PatientRecord>;
};

export const SENDING_APPLICATION = 'CLINIQUE';

function safeName(p: Patient): string {
  const base = `${p.birthName}-${p.firstNames[0] ?? ''}`
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9-]+/g, '_')
    .slice(0, 60);
  return `${base}-${p.birthDate}`;
}

export function createInteropExport(deps: ServiceDeps & { readonly access: Access }): InteropExport {
  const { db, access } = deps;
  const newId = deps.newId ?? defaultNewId;

  const loadPatient = async (id: string): Promise<Patient> => {
    const doc = await db.patient.findOne(id).exec();
    if (doc === null) throw new AppError('PATIENT_NOT_FOUND');
    return plain<Patient>(doc.toJSON());
  };

  const loadRecord = async (patientId: string): Promise<PatientRecord> => {
    const patient = await loadPatient(patientId);
    const selector = { selector: { patientId } };
    const [encounters, observations, allergies, prescriptions, documents, imagingStudies] = await Promise.all(
      [
        db.encounter.find({ ...selector, sort: [{ start: 'asc' }] }).exec(),
        db.observation.find({ ...selector, sort: [{ effectiveAt: 'asc' }] }).exec(),
        db.allergy.find(selector).exec(),
        db.prescription.find(selector).exec(),
        db.document.find(selector).exec(),
        db.imaging_study.find(selector).exec(),
      ],
    );
    return {
      patient,
      encounters: encounters.map((d) => plain<Encounter>(d.toJSON())),
      observations: observations.map((d) => plain<Observation>(d.toJSON())),
      allergies: allergies.map((d) => plain<Allergy>(d.toJSON())),
      prescriptions: prescriptions.map((d) => plain<Prescription>(d.toJSON())),
      documents: documents.map((d) => plain<ClinicalDocument>(d.toJSON())),
      imagingStudies: imagingStudies.map((d) => plain<ImagingStudy>(d.toJSON())),
    };
  };

  return {
    loadRecord,
    async export(patientId, format, language = 'fr') {
      const clinical = format === 'fhir-bundle' || format === 'pdf-summary';
      return access.run(
        {
          action: 'export',
          dataClass: clinical ? 'clinical' : 'administrative',
          patientId,
          object: { collection: 'patient', id: patientId },
        },
        async (actor) => {
          const at = instantOf(deps.clock);
          const testMode = deps.insTestMode === true;
          const stamp = at.slice(0, 10);
          if (format === 'fhir-patient' || format === 'hl7-adt-a31') {
            const patient = await loadPatient(patientId);
            if (format === 'fhir-patient') {
              return {
                fileName: `patient-${safeName(patient)}-${stamp}.fhir.json`,
                mimeType: 'application/fhir+json',
                bytes: new TextEncoder().encode(JSON.stringify(patientOnly(patient, { testMode }), null, 2)),
              };
            }
            const text = buildAdtA31(patient, {
              application: SENDING_APPLICATION,
              facility: actor.workstationId.slice(0, 64),
              controlId: newId().replace(/-/g, '').slice(0, 20),
              at,
              processingId: testMode ? 'T' : 'P',
              testMode,
            });
            return {
              fileName: `adt-a31-${safeName(patient)}-${stamp}.hl7`,
              mimeType: 'application/hl7-v2',
              bytes: new TextEncoder().encode(text),
            };
          }
          const record = await loadRecord(patientId);
          const names = new Map<string, string>();
          if (actor.rpps !== undefined) names.set(actor.rpps, actor.displayName);
          if (format === 'fhir-bundle') {
            const documentData = new Map<string, Uint8Array>();
            for (const d of record.documents) {
              const doc = await db.document.findOne(d.id).exec();
              const att = doc?.getAttachment(d.attachmentId);
              if (att) documentData.set(d.id, new Uint8Array(await (await att.getData()).arrayBuffer()));
            }
            const bundle = recordBundle(record, { at, practitionerNames: names, documentData, testMode });
            return {
              fileName: `dossier-${safeName(record.patient)}-${stamp}.fhir.json`,
              mimeType: 'application/fhir+json',
              bytes: new TextEncoder().encode(JSON.stringify(bundle, null, 2)),
            };
          }
          const pdf = await buildPdfSummary(record, { language, at, testMode });
          return {
            fileName: `resume-${safeName(record.patient)}-${stamp}-${language}.pdf`,
            mimeType: 'application/pdf',
            bytes: pdf,
          };
        },
      );
    },
  };
}
