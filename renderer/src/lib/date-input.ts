/**
 * Dates are typed, not picked: a practitioner types "03/12/1984" faster than they click a
 * calendar, and a native date input shows its placeholder in the browser's language, not
 * the UI's. Accepted: dd/mm/yyyy, dd.mm.yyyy, dd-mm-yyyy, ddmmyyyy, and ISO yyyy-mm-dd.
 */
export function parseDateInput(input: string): string | undefined {
  const v = input.trim();
  let y: string | undefined;
  let m: string | undefined;
  let d: string | undefined;
  const dmy = /^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$/.exec(v);
  const compact = /^(\d{2})(\d{2})(\d{4})$/.exec(v);
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (dmy) [, d, m, y] = dmy;
  else if (compact) [, d, m, y] = compact;
  else if (iso) [, y, m, d] = iso;
  if (y === undefined || m === undefined || d === undefined) return undefined;
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  if (
    date.getUTCFullYear() !== Number(y) ||
    date.getUTCMonth() !== Number(m) - 1 ||
    date.getUTCDate() !== Number(d)
  ) {
    return undefined;
  }
  return `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
}

/** How a stored date is shown in a date field: dd/mm/yyyy, or dd.mm.yyyy for German. */
export function dateInputText(iso: string, separator: '/' | '.' = '/'): string {
  const [y, m, d] = iso.split('-');
  return `${d}${separator}${m}${separator}${y}`;
}
