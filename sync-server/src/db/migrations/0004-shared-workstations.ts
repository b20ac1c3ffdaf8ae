/**
 * Shared workstations and disabled users.
 *
 * - `audit_log.delivered_by`: the user whose session pushed a workstation event, which may
 *   be another user of the same workstation than the event's author (offline work of A
 *   pushed while B is signed in). `audit_log.server_role`: the role the server knows for
 *   the event's user, kept beside the role the workstation claimed when they differ. Both
 *   are NULL for older entries and for server events; the chain hashes them only when
 *   present, so older entries keep their hashes.
 * - `effective_patient_access` leaves out disabled users: a disabled user sees no patient,
 *   so the revocations recorded when an account is disabled are not filtered away as
 *   "still granted" (grants, team memberships and break-the-glass rows are kept for the
 *   record).
 * - An index for "has this user had a session on this workstation?" (audit ingestion).
 */
const VIEW = `effective_patient_access (user_id, patient_id, valid_until) AS
    SELECT g.user_id, g.patient_id, g.expires_at FROM patient_grants g
      JOIN users u ON u.id = g.user_id AND u.disabled_at IS NULL
      WHERE g.revoked_at IS NULL
    UNION ALL
    SELECT m.user_id, p.patient_id, NULL FROM care_team_members m
      JOIN care_team_patients p ON p.team_id = m.team_id
      JOIN users u ON u.id = m.user_id AND u.disabled_at IS NULL
    UNION ALL
    SELECT b.user_id, b.patient_id, b.expires_at FROM break_glass_grants b
      JOIN users u ON u.id = b.user_id AND u.disabled_at IS NULL
      WHERE b.ended_at IS NULL`;

const common = [
  'ALTER TABLE audit_log ADD COLUMN delivered_by TEXT',
  'ALTER TABLE audit_log ADD COLUMN server_role TEXT',
  'CREATE INDEX auth_sessions_workstation_user ON auth_sessions (workstation_id, user_id)',
];

export const migration0004: { readonly id: string; readonly sqlite: string[]; readonly postgres: string[] } = {
  id: '0004-shared-workstations',
  sqlite: [...common, 'DROP VIEW effective_patient_access', `CREATE VIEW ${VIEW}`],
  postgres: [...common, `CREATE OR REPLACE VIEW ${VIEW}`],
};
