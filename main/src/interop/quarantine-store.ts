import type { RxCollection, RxJsonSchema } from 'rxdb';
import type { ClinicDatabase } from '../db/clinic-database';

/**
 * The HL7 quarantine list: every message the import could not apply on its own
 * (malformed, unmatched, needing a person's confirmation) is kept here whole, in the
 * encrypted vault, until a person attaches or rejects it — and after that too, with the
 * decision. Local to the workstation that received the message (never replicated: its
 * content may be someone else's results, and a person on this workstation must decide).
 */
export const HL7_QUARANTINE_COLLECTION = 'hl7_quarantine';

export type QuarantineDoc = {
  readonly id: string;
  readonly receivedAt: string;
  readonly source: 'file' | 'paste' | 'mllp';
  readonly sourceName?: string;
  readonly messageType: string;
  /** lab: ORU (clinical); identity: ADT (administrative); unreadable: could not be read (treated as clinical). */
  readonly kind: 'lab' | 'identity' | 'unreadable';
  readonly reasonCode: string;
  /** JSON of the reason's params. */
  readonly reasonParams?: string;
  /** The message exactly as received, base64 of its bytes. */
  readonly rawBase64: string;
  readonly candidates: readonly string[];
  readonly status: 'open' | 'attached' | 'rejected';
  readonly resolvedAt?: string;
  readonly resolvedBy?: string;
  readonly resolvedPatientId?: string;
  readonly rejectReason?: string;
  readonly updatedAt: string;
};

const quarantineRxSchema: RxJsonSchema<QuarantineDoc> = {
  title: HL7_QUARANTINE_COLLECTION,
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    id: { type: 'string', maxLength: 64 },
    receivedAt: { type: 'string', maxLength: 24 },
    source: { type: 'string', enum: ['file', 'paste', 'mllp'] },
    sourceName: { type: 'string', maxLength: 255 },
    messageType: { type: 'string', maxLength: 32 },
    kind: { type: 'string', enum: ['lab', 'identity', 'unreadable'] },
    reasonCode: { type: 'string', maxLength: 64 },
    reasonParams: { type: 'string', maxLength: 2000 },
    rawBase64: { type: 'string', maxLength: 1_500_000 },
    candidates: { type: 'array', items: { type: 'string', maxLength: 64 }, maxItems: 20 },
    status: { type: 'string', enum: ['open', 'attached', 'rejected'], maxLength: 16 },
    resolvedAt: { type: 'string', maxLength: 24 },
    resolvedBy: { type: 'string', maxLength: 64 },
    resolvedPatientId: { type: 'string', maxLength: 64 },
    rejectReason: { type: 'string', maxLength: 500 },
    updatedAt: { type: 'string', maxLength: 24 },
  },
  required: [
    'id',
    'receivedAt',
    'source',
    'messageType',
    'kind',
    'reasonCode',
    'rawBase64',
    'candidates',
    'status',
    'updatedAt',
  ],
  indexes: [['status', 'receivedAt']],
};

/** Adds the collection to an open clinic database (idempotent; one more of RxDB's 16 collections per database). */
export async function quarantineCollection(db: ClinicDatabase): Promise<RxCollection<QuarantineDoc>> {
  const existing = (db.collections as unknown as Record<string, RxCollection<QuarantineDoc> | undefined>)[
    HL7_QUARANTINE_COLLECTION
  ];
  if (existing !== undefined) return existing;
  const added = await db.addCollections({
    [HL7_QUARANTINE_COLLECTION]: { schema: quarantineRxSchema },
  } as never);
  return (added as unknown as Record<string, RxCollection<QuarantineDoc>>)[
    HL7_QUARANTINE_COLLECTION
  ] as RxCollection<QuarantineDoc>;
}
