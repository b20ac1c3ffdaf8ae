import type { Interop } from '../interop';
import { createInterop } from '../interop';
import type { Access } from './access';
import { createAccess } from './access';
import type { ConflictService } from './conflict-service';
import { createConflictService } from './conflict-service';
import type { ServiceDeps } from './context';
import type { EncounterService } from './encounter-service';
import { createEncounterService } from './encounter-service';
import type { PatientService } from './patient-service';
import { createPatientService } from './patient-service';

export type Services = {
  readonly access: Access;
  readonly patients: PatientService;
  readonly encounters: EncounterService;
  readonly conflicts: ConflictService;
  /** HL7 import, quarantine list and patient exports (../interop). */
  readonly interop: Interop;
  close(): void;
};

/** The services of one open store (one unlocked vault), sharing its access choke point. */
export function createServices(deps: ServiceDeps): Services {
  const access = createAccess(deps);
  const patients = createPatientService({ ...deps, access });
  const encounters = createEncounterService({ ...deps, access });
  const conflicts = createConflictService({ ...deps, access, label: (id) => patients.label(id) });
  return {
    access,
    patients,
    encounters,
    conflicts,
    interop: createInterop({ ...deps, access, patients }),
    close: () => patients.close(),
  };
}
