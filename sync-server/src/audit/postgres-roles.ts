const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const AUDIT_TABLES = 'audit_log, audit_checkpoints, audit_signing_keys';

/**
 * What a PostgreSQL administrator runs so that the server's own role cannot rewrite the
 * audit trail even if the triggers were gone: the tables belong to another role (the one
 * that runs the migrations), and the application role may only read and append.
 * A table's owner can always drop its triggers, so the application must never connect as
 * the owner in production.
 */
export function postgresAuditGrants(appRole: string): string[] {
  if (!ROLE_NAME.test(appRole)) throw new Error(`invalid role name: ${appRole}`);
  return [
    `REVOKE UPDATE, DELETE, TRUNCATE ON ${AUDIT_TABLES} FROM ${appRole}`,
    `REVOKE UPDATE, DELETE, TRUNCATE ON ${AUDIT_TABLES} FROM PUBLIC`,
    `GRANT SELECT, INSERT ON ${AUDIT_TABLES} TO ${appRole}`,
    `GRANT USAGE ON SEQUENCE audit_checkpoints_id_seq TO ${appRole}`,
  ];
}
