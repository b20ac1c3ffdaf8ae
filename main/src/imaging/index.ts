import type { Access } from '../services/access';
import type { ServiceDeps } from '../services/context';
import type { DicomWorker } from './dicom-worker-client';
import { startDicomWorker } from './dicom-worker-client';
import type { ImagingImportService } from './import-service';
import { createImagingImportService } from './import-service';
import type { ImagingStudyService, RemoteFiles } from './study-service';
import { createImagingStudyService } from './study-service';

export type { DicomWorker, DicomWorkerEntry } from './dicom-worker-client';
export { resolveDicomWorkerEntry, startDicomWorker } from './dicom-worker-client';
export type {
  ConfirmDecision,
  ImagingImportService,
  ImportFileResult,
  ImportProgressEvent,
  ImportSnapshot,
  ImportStudyResult,
} from './import-service';
export { createImagingImportService } from './import-service';
export type { ImagingStudyService } from './study-service';
export { createImagingStudyService } from './study-service';
export { createImagingHandlers } from './handlers';

export type Imaging = {
  readonly imports: ImagingImportService;
  readonly studies: ImagingStudyService;
  /** Cancels running imports (what is stored stays complete) and stops the DICOM worker. */
  close(): Promise<void>;
};

/**
 * The imaging services of one open store, sharing the services' access choke point. The
 * DICOM worker thread starts at the first import and stops with `close` (vault lock).
 */
export function createImaging(deps: ServiceDeps & { readonly access: Access; readonly maxFileBytes?: number; readonly remoteFiles?: RemoteFiles }): Imaging {
  let worker: Promise<DicomWorker> | undefined;
  const imports = createImagingImportService({
    ...deps,
    worker: () =>
      (worker ??= startDicomWorker().catch((e: unknown) => {
        worker = undefined;
        throw e;
      })),
  });
  return {
    imports,
    studies: createImagingStudyService(deps),
    async close() {
      await imports.close();
      const w = await worker?.catch(() => undefined);
      worker = undefined;
      await w?.close();
    },
  };
}
