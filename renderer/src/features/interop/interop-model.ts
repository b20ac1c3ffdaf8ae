/** Pure helpers of the interop screens (no React, no DOM), unit-tested. */

export type ExportFormat = 'fhir-bundle' | 'fhir-patient' | 'hl7-adt-a31' | 'pdf-summary';
export type ExportRole = 'practitioner' | 'secretary' | 'dpo' | 'admin';

/** What a role may export: the whole record (clinical) for practitioners; the identity alone for the secretariat. */
export function exportFormatsFor(role: ExportRole): readonly ExportFormat[] {
  if (role === 'practitioner') return ['fhir-bundle', 'pdf-summary', 'fhir-patient', 'hl7-adt-a31'];
  if (role === 'secretary') return ['fhir-patient', 'hl7-adt-a31'];
  return [];
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export function bytesToBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i] ?? 0;
    const b = bytes[i + 1];
    const c = bytes[i + 2];
    const n = (a << 16) | ((b ?? 0) << 8) | (c ?? 0);
    out += B64.charAt((n >> 18) & 63) + B64.charAt((n >> 12) & 63);
    out += b === undefined ? '=' : B64.charAt((n >> 6) & 63);
    out += c === undefined ? '=' : B64.charAt(n & 63);
  }
  return out;
}

export function base64ToBytes(text: string): Uint8Array {
  const clean = text.replace(/[^A-Za-z0-9+/]/g, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let n = 0;
  for (let i = 0; i < clean.length; i += 4) {
    const v = [0, 1, 2, 3].map((k) => B64.indexOf(clean.charAt(i + k)));
    const bits =
      ((v[0] ?? 0) << 18) | ((v[1] ?? 0) << 12) | (Math.max(v[2] ?? 0, 0) << 6) | Math.max(v[3] ?? 0, 0);
    out[n++] = (bits >> 16) & 255;
    if ((v[2] ?? -1) >= 0 && i + 2 < clean.length) out[n++] = (bits >> 8) & 255;
    if ((v[3] ?? -1) >= 0 && i + 3 < clean.length) out[n++] = bits & 255;
  }
  return out.subarray(0, n);
}

/**
 * A pasted message: lines typed or copied with LF (or CRLF) become the CR segment ends
 * HL7 wants; the text is sent as UTF-8 (its MSH-18 should then say UNICODE UTF-8 or be empty).
 */
export function pastedMessageBytes(text: string): Uint8Array {
  return new TextEncoder().encode(text.trim().replace(/\r\n|\n/g, '\r'));
}

/** The language of the PDF: the patient's country when it is German-speaking, else the UI's. */
export function defaultSummaryLanguage(
  country: string | undefined,
  uiLanguage: 'fr' | 'de' | 'en',
): 'fr' | 'de' | 'en' {
  if (country === 'DE' || country === 'AT') return 'de';
  if (country === 'FR' || country === 'BE' || country === 'LU' || country === 'MC') return 'fr';
  if (country === 'GB' || country === 'IE' || country === 'US') return 'en';
  return uiLanguage;
}
