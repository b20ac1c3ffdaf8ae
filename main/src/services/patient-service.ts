import type { ZodError } from 'zod';
import type { Duplicate, FieldIssue, PatientDraft, PatientRow, PatientView } from '../../../shared/src/api';
import { fieldIssues, PatientDraftSchema } from '../../../shared/src/api';
import type { ErrorPayload } from '../../../shared/src/errors';
import { AppError } from '../../../shared/src/errors';
import type { Patient } from '../../../shared/src/schemas';
import { checkIdentityTransition, identityCoherenceWarnings, patientSearchKeys } from '../../../shared/src/schemas';
import type { Access } from './access';
import type { ServiceDeps } from './context';
import { defaultNewId, instantOf } from './context';
import type { PatientIndex } from './patient-index';
import { createPatientIndex, parseSearchQuery } from './patient-index';
import { plain, validDocument } from './plain';
import { checkInsOidAllowed } from '../../../shared/src/identity/ins-vigilance';

/** A refused form: the code of the whole and each field's issues (shown beside the fields). */
export class FieldIssuesError extends AppError {
  readonly issues: readonly FieldIssue[];
  constructor(code: string, issues: readonly FieldIssue[]) {
    super(code);
    this.issues = issues;
  }
}

export function issuesError(error: ZodError, input: unknown): FieldIssuesError {
  return new FieldIssuesError('API_REQUEST_INVALID', fieldIssues(error, input));
}

export type PatientService = {
  readonly index: PatientIndex;
  search(query: string, offset?: number, limit?: number): Promise<{ rows: PatientRow[]; total: number }>;
  get(id: string): Promise<{ patient: PatientView; warnings: ErrorPayload[] }>;
  save(draft: PatientDraft, expectedUpdatedAt?: string): Promise<{ patient: PatientView; warnings: ErrorPayload[]; duplicates: Duplicate[] }>;
  check(draft: Record<string, unknown>): Promise<{ issues: FieldIssue[]; warnings: ErrorPayload[]; duplicates: Duplicate[] }>;
  /** The label of a patient for lists (conflicts inbox), without an audit event of its own. */
  label(id: string): string | undefined;
  close(): void;
};

/** Duplicates of a (possibly partial) identity among the other patients: same NIR, or same birth name, first name, birth date and sex. */
function duplicatesOf(index: PatientIndex, p: Partial<Patient>, selfId: string | undefined): Duplicate[] {
  const out = new Map<string, Duplicate>();
  if (typeof p.nir === 'string') {
    for (const id of index.byNir(p.nir)) {
      const row = index.row(id);
      if (id !== selfId && row) out.set(id, { patient: row, match: 'nir' });
    }
  }
  if (typeof p.birthName === 'string' && Array.isArray(p.firstNames) && typeof p.firstNames[0] === 'string' && typeof p.birthDate === 'string' && typeof p.sex === 'string') {
    for (const id of index.byTraits({ birthName: p.birthName, firstNames: p.firstNames, birthDate: p.birthDate, sex: p.sex })) {
      const row = index.row(id);
      if (id !== selfId && row && !out.has(id)) out.set(id, { patient: row, match: 'traits' });
    }
  }
  return [...out.values()];
}

function duplicateWarnings(duplicates: readonly Duplicate[]): ErrorPayload[] {
  const w: ErrorPayload[] = [];
  if (duplicates.some((d) => d.match === 'nir')) w.push({ code: 'PATIENT_DUPLICATE_NIR' });
  if (duplicates.some((d) => d.match === 'traits')) w.push({ code: 'PATIENT_DUPLICATE_TRAITS' });
  return w;
}

const SEARCH_AUDIT_ID = 'patient_search';

export function createPatientService(deps: ServiceDeps & { readonly access: Access }): PatientService {
  const { db, access } = deps;
  const newId = deps.newId ?? defaultNewId;
  const index = createPatientIndex(db);

  const load = async (id: string): Promise<Patient> => {
    const doc = await db.patient.findOne(id).exec();
    if (doc === null) throw new AppError('PATIENT_NOT_FOUND');
    return plain<Patient>(doc.toJSON());
  };

  return {
    index,
    async search(text, offset = 0, limit = 100) {
      return access.run({ action: 'search', dataClass: 'administrative', object: { collection: 'patient', id: SEARCH_AUDIT_ID } }, async () => {
        return index.answer(parseSearchQuery(text), offset, limit);
      });
    },

    async get(id) {
      return access.run({ action: 'read', dataClass: 'administrative', patientId: id, object: { collection: 'patient', id } }, async () => {
        const patient = await load(id);
        return { patient, warnings: identityCoherenceWarnings(patient) };
      });
    },

    async save(input, expectedUpdatedAt) {
      const parsed = PatientDraftSchema.safeParse(input);
      if (!parsed.success) throw issuesError(parsed.error, input);
      const draft = parsed.data;
      const oid = checkInsOidAllowed(draft.ins, { testMode: deps.insTestMode === true });
      if (!oid.ok) throw new FieldIssuesError('API_REQUEST_INVALID', [{ path: ['ins', 'oid'], code: oid.code }]);
      const creating = draft.id === undefined;
      const id = draft.id ?? newId();
      return access.run(
        { action: creating ? 'create' : 'update', dataClass: 'administrative', patientId: id, object: { collection: 'patient', id } },
        async () => {
          const now = instantOf(deps.clock);
          await index.ready;
          const { id: _ignored, ...fields } = draft;
          void _ignored;
          let saved: Patient;
          if (creating) {
            saved = validDocument('patient', { ...fields, id, ...patientSearchKeys(fields), createdAt: now, updatedAt: now });
            await db.patient.insert(saved);
          } else {
            const doc = await db.patient.findOne(id).exec();
            if (doc === null) throw new AppError('PATIENT_NOT_FOUND');
            const before = plain<Patient>(doc.toJSON());
            if (expectedUpdatedAt !== undefined && before.updatedAt !== expectedUpdatedAt) throw new AppError('PATIENT_CHANGED_ELSEWHERE');
            const transition = checkIdentityTransition(before.identityStatus, fields.identityStatus);
            if (!transition.ok) throw new AppError(transition.error.code, transition.error.params);
            // updatedAt strictly increases: the replication merges by it.
            const updatedAt = now > before.updatedAt ? now : new Date(Date.parse(before.updatedAt) + 1).toISOString();
            saved = validDocument('patient', { ...fields, id, ...patientSearchKeys(fields), createdAt: before.createdAt, updatedAt });
            await doc.incrementalModify(() => saved as never);
          }
          const duplicates = duplicatesOf(index, saved, id);
          return { patient: saved, warnings: [...identityCoherenceWarnings(saved), ...duplicateWarnings(duplicates)], duplicates };
        },
      );
    },

    async check(input) {
      // Validation of a form being typed reads other patients' identities (duplicates): audited as a search.
      return access.run({ action: 'search', dataClass: 'administrative', object: { collection: 'patient', id: 'duplicate_check' } }, async () => {
        await index.ready;
        const parsed = PatientDraftSchema.safeParse(input);
        const issues = parsed.success ? [] : fieldIssues(parsed.error, input);
        const insInput = input['ins'];
        if (typeof insInput === 'object' && insInput !== null && typeof (insInput as { oid?: unknown }).oid === 'string') {
          const oid = checkInsOidAllowed(insInput as { oid: string }, { testMode: deps.insTestMode === true });
          if (!oid.ok) issues.push({ path: ['ins', 'oid'], code: oid.code });
        }
        const selfId = typeof input['id'] === 'string' ? input['id'] : undefined;
        const partial = input as Partial<Patient>;
        const duplicates = duplicatesOf(index, partial, selfId);
        const warnings = parsed.success ? identityCoherenceWarnings(parsed.data) : [];
        return { issues, warnings: [...warnings, ...duplicateWarnings(duplicates)], duplicates };
      });
    },

    label(id) {
      const row = index.row(id);
      if (!row) return undefined;
      const [y, m, d] = row.birthDate.split('-');
      return `${(row.usedName ?? row.birthName).toUpperCase()} ${row.usedFirstName ?? row.firstNames[0] ?? ''} (${d}/${m}/${y})`;
    },

    close() {
      index.close();
    },
  };
}
