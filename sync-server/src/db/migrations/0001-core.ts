/**
 * Core tables: replicated documents and the leases of the scheduler.
 *
 * `documents.sequence` is one global, strictly increasing number per write, assigned
 * inside a push transaction holding the 'replication' lock, so sequences appear in commit
 * order and a pull that has seen sequence n never misses a row committed later with a
 * smaller one.
 */
export const migration0001: { readonly id: string; readonly sqlite: string[]; readonly postgres: string[] } = {
  id: '0001-core',
  sqlite: [
    `CREATE TABLE documents (
      collection TEXT NOT NULL,
      id TEXT NOT NULL,
      sequence INTEGER NOT NULL UNIQUE,
      patient_id TEXT,
      data_class TEXT NOT NULL,
      deleted INTEGER NOT NULL,
      data TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      updated_by TEXT NOT NULL,
      PRIMARY KEY (collection, id)
    )`,
    'CREATE INDEX documents_collection_sequence ON documents (collection, sequence)',
    'CREATE INDEX documents_patient ON documents (patient_id)',
    `CREATE TABLE job_leases (
      name TEXT PRIMARY KEY,
      owner TEXT NOT NULL,
      expires_at TEXT NOT NULL,
      last_run_at TEXT
    )`,
  ],
  postgres: [
    `CREATE TABLE documents (
      collection TEXT NOT NULL,
      id TEXT NOT NULL,
      sequence BIGINT NOT NULL UNIQUE,
      patient_id TEXT,
      data_class TEXT NOT NULL,
      deleted BOOLEAN NOT NULL,
      data TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      updated_by TEXT NOT NULL,
      PRIMARY KEY (collection, id)
    )`,
    'CREATE INDEX documents_collection_sequence ON documents (collection, sequence)',
    'CREATE INDEX documents_patient ON documents (patient_id)',
    `CREATE TABLE job_leases (
      name TEXT PRIMARY KEY,
      owner TEXT NOT NULL,
      expires_at TEXT NOT NULL,
      last_run_at TEXT
    )`,
  ],
};
