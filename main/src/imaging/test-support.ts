/* eslint-disable security/detect-non-literal-fs-filename -- temp folders made by the tests, and the shared fixtures folder */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { computeNirKey } from '../../../shared/src/identifiers';
import type { AuditEvent, Patient } from '../../../shared/src/schemas';
import { PatientSchema, patientSearchKeys } from '../../../shared/src/schemas';
import type { WorkstationStore } from '../db/workstation-store';
import { openWorkstationStore } from '../db/workstation-store';
import { createAccess } from '../services/access';
import type { Access } from '../services/access';
import type { Actor } from '../services/context';
import type { UnlockedVault } from '../vault';
import { createVault } from '../vault';
import { FAST } from '../vault/test-support';
import type { DicomWorker } from './dicom-worker-client';
import { startDicomWorker } from './dicom-worker-client';
import type { ImagingImportService } from './import-service';
import { createImagingImportService } from './import-service';
import type { ImagingStudyService } from './study-service';
import { createImagingStudyService } from './study-service';

/** Shared by the tests of this folder only; nothing in the app imports it. */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** `../shared/fixtures/dicom` from the repository root (never copied into it). */
export const FIXTURES = path.resolve(ROOT, '../shared/fixtures/dicom');
export const fixturesPresent = fs.existsSync(path.join(FIXTURES, 'CT_small.dcm'));
/** Under CI=true a missing fixture folder fails the run instead of skipping. */
export const fixturesRequired = process.env.CI === 'true';

export const nir = (first13: string): string => `${first13}${String(computeNirKey(first13)).padStart(2, '0')}`;

export const PRACTITIONER: Actor = { userId: 'u-doc', role: 'practitioner', displayName: 'Dr Martin', workstationId: 'ws-1' };

export type Testbed = {
  readonly dir: string;
  readonly vault: UnlockedVault;
  readonly store: WorkstationStore;
  readonly access: Access;
  readonly imports: ImagingImportService;
  readonly studies: ImagingStudyService;
  actor: Actor;
  /** A folder for files the test writes. */
  folder(name: string, files?: Record<string, Uint8Array | string>): string;
  addPatient(p: Partial<Patient> & Pick<Patient, 'birthName' | 'firstNames' | 'birthDate'>): Promise<Patient>;
  audits(): Promise<AuditEvent[]>;
  close(): Promise<void>;
};

export async function openTestbed(options: { readonly progressIntervalMs?: number; readonly chunkBytes?: number } = {}): Promise<Testbed> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clinic-imaging-'));
  const vault = await createVault(path.join(dir, 'vault'), 'cheval agrafe pile correcte', FAST);
  const store = await openWorkstationStore(vault);
  let worker: Promise<DicomWorker> | undefined;
  let n = 0;
  const bed = {
    dir,
    vault,
    store,
    actor: PRACTITIONER,
  } as Testbed;
  const deps = { db: store.db, clock: { now: () => Date.now() }, actor: () => bed.actor };
  const access = createAccess(deps);
  Object.assign(bed, {
    access,
    imports: createImagingImportService({ ...deps, ...options, access, worker: () => (worker ??= startDicomWorker()) }),
    studies: createImagingStudyService({ ...deps, access }),
    folder(name: string, files: Record<string, Uint8Array | string> = {}) {
      const folder = path.join(dir, 'in', name);
      fs.mkdirSync(folder, { recursive: true });
      for (const [rel, content] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(folder, rel)), { recursive: true });
        fs.writeFileSync(path.join(folder, rel), content);
      }
      return folder;
    },
    async addPatient(p: Partial<Patient> & Pick<Patient, 'birthName' | 'firstNames' | 'birthDate'>) {
      const now = new Date().toISOString();
      const base = {
        id: `p-${++n}-${Math.random().toString(36).slice(2, 8)}`,
        sex: 'U' as const,
        identityStatus: 'PROV' as const,
        contact: { addressLines: [], phones: [] },
        createdAt: now,
        updatedAt: now,
        ...p,
      };
      const patient = PatientSchema.parse({ ...base, ...patientSearchKeys(base) });
      await store.db.patient.insert(patient);
      return patient;
    },
    async audits() {
      return (await store.db.audit_event.find().exec()).map((d) => {
        const { _meta, _rev, _deleted, _attachments, ...e } = d.toJSON(true) as unknown as Record<string, unknown>;
        return e as unknown as AuditEvent;
      });
    },
    async close() {
      await bed.imports.close();
      if (worker) await (await worker).close();
      await vault.lock();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  });
  return bed;
}
