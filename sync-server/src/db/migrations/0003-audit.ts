/**
 * The central audit log: one append-only, hash-chained table and its signed checkpoints.
 * The database itself refuses UPDATE, DELETE (and on PostgreSQL TRUNCATE) of both tables,
 * so a bug or a careless script in the server cannot rewrite history; an attacker with
 * owner rights can still drop the triggers, which is what the hash chain and the signed
 * checkpoints detect (see sync-server/src/audit/README.md).
 */
export const migration0003: { readonly id: string; readonly sqlite: string[]; readonly postgres: string[] } = {
  id: '0003-audit',
  sqlite: [
    `CREATE TABLE audit_log (
      sequence INTEGER PRIMARY KEY,
      id TEXT NOT NULL UNIQUE,
      source TEXT NOT NULL,
      user_id TEXT NOT NULL,
      role TEXT NOT NULL,
      workstation TEXT NOT NULL,
      action TEXT NOT NULL,
      patient_id TEXT,
      object_collection TEXT,
      object_id TEXT,
      instant TEXT NOT NULL,
      received_at TEXT NOT NULL,
      outcome TEXT NOT NULL,
      reason TEXT,
      details TEXT,
      previous_hash TEXT NOT NULL,
      hash TEXT NOT NULL
    )`,
    'CREATE INDEX audit_log_patient ON audit_log (patient_id, sequence)',
    'CREATE INDEX audit_log_user ON audit_log (user_id, sequence)',
    'CREATE INDEX audit_log_instant ON audit_log (instant)',
    `CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'AUDIT_LOG_APPEND_ONLY'); END`,
    `CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'AUDIT_LOG_APPEND_ONLY'); END`,
    `CREATE TABLE audit_checkpoints (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      sequence INTEGER NOT NULL,
      head_hash TEXT NOT NULL,
      signed_at TEXT NOT NULL,
      key_id TEXT NOT NULL,
      signature TEXT NOT NULL
    )`,
    `CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
      BEGIN SELECT RAISE(ABORT, 'AUDIT_LOG_APPEND_ONLY'); END`,
    `CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
      BEGIN SELECT RAISE(ABORT, 'AUDIT_LOG_APPEND_ONLY'); END`,
    `CREATE TABLE audit_signing_keys (
      key_id TEXT PRIMARY KEY,
      public_key TEXT NOT NULL,
      created_at TEXT NOT NULL
    )`,
    `CREATE TRIGGER audit_signing_keys_no_update BEFORE UPDATE ON audit_signing_keys
      BEGIN SELECT RAISE(ABORT, 'AUDIT_LOG_APPEND_ONLY'); END`,
    `CREATE TRIGGER audit_signing_keys_no_delete BEFORE DELETE ON audit_signing_keys
      BEGIN SELECT RAISE(ABORT, 'AUDIT_LOG_APPEND_ONLY'); END`,
  ],
  postgres: [
    `CREATE TABLE audit_log (
      sequence BIGINT PRIMARY KEY,
      id TEXT NOT NULL UNIQUE,
      source TEXT NOT NULL,
      user_id TEXT NOT NULL,
      role TEXT NOT NULL,
      workstation TEXT NOT NULL,
      action TEXT NOT NULL,
      patient_id TEXT,
      object_collection TEXT,
      object_id TEXT,
      instant TEXT NOT NULL,
      received_at TEXT NOT NULL,
      outcome TEXT NOT NULL,
      reason TEXT,
      details TEXT,
      previous_hash TEXT NOT NULL,
      hash TEXT NOT NULL
    )`,
    'CREATE INDEX audit_log_patient ON audit_log (patient_id, sequence)',
    'CREATE INDEX audit_log_user ON audit_log (user_id, sequence)',
    'CREATE INDEX audit_log_instant ON audit_log (instant)',
    `CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        RAISE EXCEPTION 'AUDIT_LOG_APPEND_ONLY: % on % refused', TG_OP, TG_TABLE_NAME
          USING ERRCODE = 'insufficient_privilege';
      END
    $fn$`,
    `CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()`,
    `CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()`,
    `CREATE TABLE audit_checkpoints (
      id BIGSERIAL PRIMARY KEY,
      sequence BIGINT NOT NULL,
      head_hash TEXT NOT NULL,
      signed_at TEXT NOT NULL,
      key_id TEXT NOT NULL,
      signature TEXT NOT NULL
    )`,
    `CREATE TRIGGER audit_checkpoints_no_change BEFORE UPDATE OR DELETE ON audit_checkpoints
      FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()`,
    `CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints
      FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()`,
    `CREATE TABLE audit_signing_keys (
      key_id TEXT PRIMARY KEY,
      public_key TEXT NOT NULL,
      created_at TEXT NOT NULL
    )`,
    `CREATE TRIGGER audit_signing_keys_no_change BEFORE UPDATE OR DELETE ON audit_signing_keys
      FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()`,
    `CREATE TRIGGER audit_signing_keys_no_truncate BEFORE TRUNCATE ON audit_signing_keys
      FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()`,
  ],
};
