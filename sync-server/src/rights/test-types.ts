import type { z } from 'zod';
import type { RectificationListSchema } from '../../../shared/src/sync/rights-protocol';

export type {
  ErasureRequest,
  PatientRightsStatus,
  Restriction,
  RightsState,
} from '../../../shared/src/sync/rights-protocol';
export type RectificationList = z.infer<typeof RectificationListSchema>;
