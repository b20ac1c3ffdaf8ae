import { describe, expect, it } from 'vitest';
import {
  base64ToBytes,
  bytesToBase64,
  defaultSummaryLanguage,
  exportFormatsFor,
  pastedMessageBytes,
} from './interop-model';

describe('interop model', () => {
  it('offers clinical exports to practitioners only', () => {
    expect(exportFormatsFor('practitioner')).toContain('fhir-bundle');
    expect(exportFormatsFor('practitioner')).toContain('pdf-summary');
    expect(exportFormatsFor('secretary')).toEqual(['fhir-patient', 'hl7-adt-a31']);
    expect(exportFormatsFor('dpo')).toEqual([]);
  });

  it('round-trips base64 for every length', () => {
    for (let n = 0; n < 40; n += 1) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 255);
      const b64 = bytesToBase64(bytes);
      expect(b64).toBe(btoa(String.fromCharCode(...bytes)));
      expect([...base64ToBytes(b64)]).toEqual([...bytes]);
    }
  });

  it('turns pasted lines into CR-separated segments, UTF-8 encoded', () => {
    const bytes = pastedMessageBytes('  MSH|^~\\&|A\nPID|1||||MÜLLER\r\nOBR|1\n');
    expect(new TextDecoder().decode(bytes)).toBe('MSH|^~\\&|A\rPID|1||||MÜLLER\rOBR|1');
  });

  it('picks the summary language from the patient country, else the UI language', () => {
    expect(defaultSummaryLanguage('DE', 'fr')).toBe('de');
    expect(defaultSummaryLanguage('FR', 'en')).toBe('fr');
    expect(defaultSummaryLanguage(undefined, 'en')).toBe('en');
    expect(defaultSummaryLanguage('IT', 'de')).toBe('de');
  });
});
