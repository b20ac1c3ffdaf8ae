/** RxDB collection names (snake_case, as RxDB and the sync server's tables want them). */
export const COLLECTION_NAMES = [
  'patient',
  'encounter',
  'observation',
  'allergy',
  'prescription',
  'document',
  'imaging_study',
  'audit_event',
] as const;
export type CollectionName = (typeof COLLECTION_NAMES)[number];

export type DataClass = 'administrative' | 'clinical' | 'audit';
