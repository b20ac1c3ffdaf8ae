/**
 * Files of replicated documents (RxDB attachments: DICOM instances of an imaging study, the
 * scan of a document), stored beside the documents instead of inside them, so a 500 MB CT
 * never rides in the document stream and a pull stays small.
 *
 * - `attachments`: one row per (collection, document, attachment id, digest); `digest` is
 *   RxDB's (the SHA-256 hex of the bytes), checked by the server when the last byte arrives.
 *   `received` counts the bytes stored so far (an upload resumes there); `complete` once the
 *   digest matched. `patient_id` and `data_class` are copied from the document when the
 *   upload starts, for the access checks of reads.
 * - `attachment_chunks`: the bytes in pieces (at most the chunk limit each, 4 MiB), keyed by
 *   their offset, so neither a write nor a read holds a whole file in memory.
 */
const sqlite = [
  `CREATE TABLE attachments (
    collection TEXT NOT NULL,
    document_id TEXT NOT NULL,
    attachment_id TEXT NOT NULL,
    digest TEXT NOT NULL,
    length INTEGER NOT NULL,
    content_type TEXT NOT NULL,
    received INTEGER NOT NULL DEFAULT 0,
    complete INTEGER NOT NULL DEFAULT 0,
    patient_id TEXT,
    data_class TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    completed_at TEXT,
    PRIMARY KEY (collection, document_id, attachment_id, digest)
  )`,
  `CREATE TABLE attachment_chunks (
    collection TEXT NOT NULL,
    document_id TEXT NOT NULL,
    attachment_id TEXT NOT NULL,
    digest TEXT NOT NULL,
    chunk_offset INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (collection, document_id, attachment_id, digest, chunk_offset)
  )`,
  'CREATE INDEX attachments_patient ON attachments (patient_id)',
];

const postgres = [
  `CREATE TABLE attachments (
    collection TEXT NOT NULL,
    document_id TEXT NOT NULL,
    attachment_id TEXT NOT NULL,
    digest TEXT NOT NULL,
    length BIGINT NOT NULL,
    content_type TEXT NOT NULL,
    received BIGINT NOT NULL DEFAULT 0,
    complete BOOLEAN NOT NULL DEFAULT FALSE,
    patient_id TEXT,
    data_class TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    completed_at TEXT,
    PRIMARY KEY (collection, document_id, attachment_id, digest)
  )`,
  `CREATE TABLE attachment_chunks (
    collection TEXT NOT NULL,
    document_id TEXT NOT NULL,
    attachment_id TEXT NOT NULL,
    digest TEXT NOT NULL,
    chunk_offset BIGINT NOT NULL,
    data BYTEA NOT NULL,
    PRIMARY KEY (collection, document_id, attachment_id, digest, chunk_offset)
  )`,
  'CREATE INDEX attachments_patient ON attachments (patient_id)',
];

export const migration0007: { readonly id: string; readonly sqlite: string[]; readonly postgres: string[] } = {
  id: '0007-attachments',
  sqlite,
  postgres,
};
