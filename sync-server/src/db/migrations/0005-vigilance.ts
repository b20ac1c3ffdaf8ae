/**
 * Identity vigilance and the DPO's review of break-the-glass accesses.
 *
 * - `break_glass_reviews`: one review per break-the-glass access (the DPO read the reason
 *   and judged it), with a comment. The review itself is also appended to the audit log.
 * - `patient_merges`: an explicit merge of two patient identities (the survivor keeps its
 *   identity; the documents of the merged patient were moved to it, the merged patient
 *   document became a tombstone). `moved` lists every document moved (JSON array of
 *   `[collection, id]`) so an unmerge moves exactly those back; `undone_at` marks an
 *   unmerge. The merge and the unmerge are appended to the audit log as well.
 */
const common = (idType: string) => [
  `CREATE TABLE break_glass_reviews (
    break_glass_id ${idType} PRIMARY KEY REFERENCES break_glass_grants(id),
    reviewed_by TEXT NOT NULL REFERENCES users(id),
    reviewed_at TEXT NOT NULL,
    comment TEXT NOT NULL
  )`,
  `CREATE TABLE patient_merges (
    id ${idType} PRIMARY KEY,
    survivor_id TEXT NOT NULL,
    merged_id TEXT NOT NULL,
    reason TEXT,
    merged_by TEXT NOT NULL,
    merged_at TEXT NOT NULL,
    moved TEXT NOT NULL,
    undone_by TEXT,
    undone_at TEXT
  )`,
  `CREATE INDEX patient_merges_survivor ON patient_merges (survivor_id)`,
  `CREATE INDEX patient_merges_merged ON patient_merges (merged_id)`,
];

export const migration0005: { id: string; sqlite: string[]; postgres: string[] } = {
  id: '0005-vigilance',
  sqlite: common('TEXT'),
  postgres: common('TEXT'),
};
