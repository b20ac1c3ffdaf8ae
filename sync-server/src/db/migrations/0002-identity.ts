/**
 * Identity and access tables. Conventions of engine.ts: TEXT ids and ISO instants; flags
 * that change over time are instants (`disabled_at`, `revoked_at`) rather than booleans,
 * so one statement compares them the same way on both engines and the instant is kept.
 *
 * The view `effective_patient_access` lists every access path that is not revoked, with
 * its end (`valid_until`, NULL = no end). It holds no notion of "now", because the server's
 * clock is injected (tests move it): a reader filters
 * `(valid_until IS NULL OR valid_until > $now)`.
 *
 * `access_revocations` is appended to when a user loses a patient (grant revoked or
 * expired, care-team membership or share removed, break-the-glass over) and no other path
 * still gives the patient to that user; its `sequence` is assigned under the transaction
 * lock 'access', so sequences become visible in commit order.
 */

const common = (idType: string, seqType: string): string[] => [
  `CREATE TABLE users (
    id ${idType} PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('practitioner', 'secretary', 'dpo', 'admin')),
    rpps TEXT,
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    disabled_at TEXT,
    CHECK (role <> 'practitioner' OR rpps IS NOT NULL)
  )`,
  `CREATE TABLE workstations (
    id ${idType} PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    disabled_at TEXT
  )`,
  // One row per login: the refresh-token family. Revoking it ends every token it issued.
  `CREATE TABLE auth_sessions (
    id ${idType} PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    workstation_id TEXT NOT NULL REFERENCES workstations(id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked_at TEXT,
    revoked_reason TEXT
  )`,
  `CREATE INDEX auth_sessions_user ON auth_sessions (user_id)`,
  `CREATE TABLE auth_tokens (
    token_hash TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES auth_sessions(id),
    kind TEXT NOT NULL CHECK (kind IN ('access', 'refresh')),
    issued_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
  )`,
  `CREATE INDEX auth_tokens_session ON auth_tokens (session_id)`,
  `CREATE INDEX auth_tokens_expires ON auth_tokens (expires_at)`,
  `CREATE TABLE auth_login_attempts (
    id ${seqType},
    username TEXT NOT NULL,
    ip TEXT NOT NULL,
    attempted_at TEXT NOT NULL,
    cleared_at TEXT
  )`,
  `CREATE INDEX auth_login_attempts_username ON auth_login_attempts (username, attempted_at)`,
  `CREATE INDEX auth_login_attempts_ip ON auth_login_attempts (ip, attempted_at)`,
  `CREATE TABLE auth_lockouts (
    username TEXT PRIMARY KEY,
    locked_until TEXT NOT NULL
  )`,
  `CREATE TABLE patient_grants (
    id ${idType} PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    patient_id TEXT NOT NULL,
    granted_by TEXT NOT NULL,
    granted_at TEXT NOT NULL,
    expires_at TEXT,
    revoked_at TEXT,
    revoked_by TEXT
  )`,
  `CREATE INDEX patient_grants_user ON patient_grants (user_id, patient_id)`,
  `CREATE INDEX patient_grants_patient ON patient_grants (patient_id)`,
  `CREATE TABLE care_teams (
    id ${idType} PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
  )`,
  `CREATE TABLE care_team_members (
    team_id TEXT NOT NULL REFERENCES care_teams(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    added_by TEXT NOT NULL,
    added_at TEXT NOT NULL,
    PRIMARY KEY (team_id, user_id)
  )`,
  `CREATE INDEX care_team_members_user ON care_team_members (user_id)`,
  `CREATE TABLE care_team_patients (
    team_id TEXT NOT NULL REFERENCES care_teams(id),
    patient_id TEXT NOT NULL,
    shared_by TEXT NOT NULL,
    shared_at TEXT NOT NULL,
    PRIMARY KEY (team_id, patient_id)
  )`,
  `CREATE INDEX care_team_patients_patient ON care_team_patients (patient_id)`,
  `CREATE TABLE break_glass_grants (
    id ${idType} PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    patient_id TEXT NOT NULL,
    workstation_id TEXT NOT NULL,
    reason TEXT NOT NULL,
    opened_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    ended_at TEXT
  )`,
  `CREATE INDEX break_glass_grants_user ON break_glass_grants (user_id, patient_id)`,
  `CREATE INDEX break_glass_grants_opened ON break_glass_grants (opened_at)`,
  `CREATE VIEW effective_patient_access (user_id, patient_id, valid_until) AS
    SELECT user_id, patient_id, expires_at FROM patient_grants WHERE revoked_at IS NULL
    UNION ALL
    SELECT m.user_id, p.patient_id, NULL FROM care_team_members m
      JOIN care_team_patients p ON p.team_id = m.team_id
    UNION ALL
    SELECT user_id, patient_id, expires_at FROM break_glass_grants WHERE ended_at IS NULL`,
  `CREATE TABLE access_revocations (
    sequence ${seqType},
    user_id TEXT NOT NULL,
    patient_id TEXT NOT NULL,
    revoked_at TEXT NOT NULL,
    cause TEXT NOT NULL
  )`,
  `CREATE INDEX access_revocations_user ON access_revocations (user_id, sequence)`,
];

export const migration0002: { id: string; sqlite: string[]; postgres: string[] } = {
  id: '0002-identity',
  sqlite: common('TEXT', 'INTEGER PRIMARY KEY AUTOINCREMENT'),
  postgres: common('TEXT', 'BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY'),
};
