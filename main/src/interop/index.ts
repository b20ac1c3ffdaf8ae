import type { Access } from '../services/access';
import type { ServiceDeps } from '../services/context';
import type { PatientService } from '../services/patient-service';
import type { InteropExport } from './export';
import { createInteropExport } from './export';
import type { Hl7Import } from './hl7-import';
import { createHl7Import } from './hl7-import';

export type Interop = { readonly hl7: Hl7Import; readonly exports: InteropExport };

/** HL7 import, quarantine list and exports of one open store, on the services' access choke point. */
export function createInterop(
  deps: ServiceDeps & { readonly access: Access; readonly patients: PatientService },
): Interop {
  return { hl7: createHl7Import(deps), exports: createInteropExport(deps) };
}

export type { ExportFile, InteropExport } from './export';
export type { Hl7Import } from './hl7-import';
export { labObservationId } from './hl7-import';
export { buildPdfSummary, findPdfFonts } from './pdf-summary';
export { HL7_QUARANTINE_COLLECTION } from './quarantine-store';
export { createInteropHandlers } from './handlers';
