/**
 * The lab feed's inbox (sync-server/src/hl7): every HL7 message the MLLP listener could not
 * apply on its own — unreadable, not a lab result, patient not matched by INS/NIR — is
 * kept here whole (base64 of its bytes) with the reason, so nothing acknowledged is ever
 * lost. Messages applied as observations are not kept here (the documents hold them).
 */
const statements = (): string[] => [
  `CREATE TABLE hl7_inbox (
    id TEXT PRIMARY KEY,
    received_at TEXT NOT NULL,
    remote TEXT,
    message_type TEXT NOT NULL,
    control_id TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('quarantined', 'rejected', 'attached', 'dismissed')),
    reason_code TEXT NOT NULL,
    reason_params TEXT,
    candidates TEXT NOT NULL,
    raw TEXT NOT NULL
  )`,
  'CREATE INDEX hl7_inbox_status ON hl7_inbox (status, received_at)',
];

export const migration0008: { readonly id: string; readonly sqlite: string[]; readonly postgres: string[] } =
  {
    id: '0008-hl7-inbox',
    sqlite: statements(),
    postgres: statements(),
  };
