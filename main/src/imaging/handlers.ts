import type { z } from 'zod';
import type { IMAGING_API } from '../../../shared/src/api/imaging-contract';
import type { Imaging } from './index';

type ImagingChannel = keyof typeof IMAGING_API;
type Request<C extends ImagingChannel> = z.output<(typeof IMAGING_API)[C]['request']>;
type Response<C extends ImagingChannel> = z.input<(typeof IMAGING_API)[C]['response']>;

export type ImagingHandlers = { readonly [C in ImagingChannel]: (request: Request<C>) => Promise<Response<C>> };

/**
 * One line per imaging channel, for the host's handler map once the entries are merged
 * into the contract. `imaging()` gives the imaging services of the unlocked vault.
 */
export function createImagingHandlers(imaging: () => Imaging): ImagingHandlers {
  return {
    'imaging:import-start': (r) => imaging().imports.start({ paths: r.paths, ...(r.patientId === undefined ? {} : { patientId: r.patientId }) }),
    'imaging:import-status': async (r) => imaging().imports.status(r.importId),
    'imaging:import-cancel': (r) => imaging().imports.cancel(r.importId),
    'imaging:import-confirm': (r) => imaging().imports.confirm(r.importId, r.studyInstanceUid, r.decision),
    'imaging:studies': async (r) => ({ studies: await imaging().studies.list(r.patientId) }),
  };
}
