/**
 * Patients' rights (GDPR Articles 16, 17, 18): erasure requests, restrictions, legal holds,
 * the history of rectifications, and the ids of erased records (so a workstation that was
 * offline cannot recreate one by pushing its old copy). Conventions of engine.ts: TEXT ids,
 * ISO instants, states as instants (`lifted_at`) rather than booleans.
 *
 * Nothing here is append-only in the database: when a record is erased its rows here
 * (reasons, previous values, the requester's name) are deleted or blanked too. What must
 * outlive the record is in the audit log, which references the patient by its random id only.
 */
const statements = (seqType: string): string[] => [
  `CREATE TABLE erasure_requests (
    id TEXT PRIMARY KEY,
    patient_id TEXT NOT NULL,
    requester_kind TEXT NOT NULL,
    requester_name TEXT,
    received_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('refused', 'completed')),
    retention TEXT,
    legal_basis TEXT NOT NULL,
    completed_at TEXT
  )`,
  'CREATE INDEX erasure_requests_patient ON erasure_requests (patient_id)',
  'CREATE INDEX erasure_requests_recorded ON erasure_requests (recorded_at)',
  `CREATE TABLE patient_restrictions (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('restriction', 'legal_hold')),
    patient_id TEXT NOT NULL,
    reason TEXT NOT NULL,
    set_by TEXT NOT NULL,
    set_at TEXT NOT NULL,
    lifted_by TEXT,
    lifted_at TEXT,
    lift_reason TEXT
  )`,
  'CREATE INDEX patient_restrictions_patient ON patient_restrictions (patient_id, kind)',
  `CREATE TABLE rectifications (
    seq ${seqType},
    id TEXT NOT NULL UNIQUE,
    patient_id TEXT NOT NULL,
    field TEXT NOT NULL,
    previous_value TEXT,
    new_value TEXT,
    reason TEXT NOT NULL,
    rectified_by TEXT NOT NULL,
    rectified_at TEXT NOT NULL
  )`,
  'CREATE INDEX rectifications_patient ON rectifications (patient_id, seq)',
  `CREATE TABLE erased_patients (
    patient_id TEXT PRIMARY KEY,
    erased_at TEXT NOT NULL,
    cause TEXT NOT NULL
  )`,
];

export const migration0006: { readonly id: string; readonly sqlite: string[]; readonly postgres: string[] } = {
  id: '0006-rights',
  sqlite: statements('INTEGER PRIMARY KEY AUTOINCREMENT'),
  postgres: statements('BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY'),
};
