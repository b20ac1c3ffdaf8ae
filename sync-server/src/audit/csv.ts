import type { AuditEntry } from './chain';

/** Excel reads a UTF-8 CSV as UTF-8 only when it starts with a byte order mark. */
export const CSV_BOM = '\uFEFF';

export const CSV_COLUMNS = [
  'sequence',
  'instant',
  'received_at',
  'source',
  'user_id',
  'role',
  'workstation',
  'action',
  'patient_id',
  'object_collection',
  'object_id',
  'outcome',
  'reason',
  'details',
  'previous_hash',
  'hash',
  'delivered_by',
  'server_role',
] as const;

/**
 * One RFC 4180 field: quoted when it holds a comma, a quote, CR or LF, quotes doubled.
 * A text field that a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets
 * a leading apostrophe (OWASP "CSV injection"): a reason typed at a workstation must not
 * execute on the DPO's machine. Numbers are never prefixed.
 */
export function csvField(value: string | number | undefined): string {
  if (value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(fields: readonly (string | number | undefined)[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

export function csvRow(e: AuditEntry): string {
  return csvLine([
    e.sequence,
    e.instant,
    e.receivedAt,
    e.source,
    e.userId,
    e.role,
    e.workstation,
    e.action,
    e.patientId,
    e.object?.collection,
    e.object?.id,
    e.outcome,
    e.reason,
    e.details === undefined ? undefined : JSON.stringify(e.details),
    e.previousHash,
    e.hash,
    e.deliveredBy,
    e.serverRole,
  ]);
}

/** BOM and header, then one line per entry, as the entries arrive (nothing is held in memory). */
export async function* csvChunks(entries: AsyncIterable<AuditEntry>, linesPerChunk = 200): AsyncGenerator<string> {
  let chunk = CSV_BOM + csvLine(CSV_COLUMNS);
  let lines = 0;
  for await (const entry of entries) {
    chunk += csvRow(entry);
    if (++lines >= linesPerChunk) {
      yield chunk;
      chunk = '';
      lines = 0;
    }
  }
  if (chunk !== '') yield chunk;
}
