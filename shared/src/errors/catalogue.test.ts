import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ADELI_ERROR_CODES, parseAdeli } from '../identifiers/adeli';
import { INS_ERROR_CODES, INS_OID, INS_WARNING_CODES, parseIns } from '../identifiers/ins';
import { NIR_ERROR_CODES, NIR_WARNING_CODES, parseNir } from '../identifiers/nir';
import { parseRpps, RPPS_ERROR_CODES, RPPS_WARNING_CODES } from '../identifiers/rpps';
import { ENCOUNTER_ERROR_CODES } from '../schemas/encounter';
import { SCHEMA_ISSUE_CODES } from '../schemas/common';
import { IDENTITY_WARNING_CODES } from '../schemas/identity-coherence';
import { parseInstant, TIME_ERROR_CODES } from '../time/instant';
import type { ErrorCode } from './index';
import { ERROR_MESSAGES, isErrorCode, LANGUAGES, translateError } from './index';
import { IDENTIFIERS_MESSAGES } from './catalogue/identifiers';
import { VALIDATION_MESSAGES } from './catalogue/validation';

const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

describe('error catalogue', () => {
  it.each(Object.keys(ERROR_MESSAGES))('%s has fr, de and en messages with the same placeholders', (code) => {
    const messages = ERROR_MESSAGES[code as ErrorCode];
    for (const lang of LANGUAGES) {
      expect(messages[lang].trim(), `${code}.${lang}`).not.toBe('');
    }
    expect(placeholders(messages.de), `${code}: de vs fr`).toEqual(placeholders(messages.fr));
    expect(placeholders(messages.en), `${code}: en vs fr`).toEqual(placeholders(messages.fr));
  });

  it('uses upper-snake codes and no code is defined by two catalogue files', () => {
    for (const code of Object.keys(ERROR_MESSAGES)) {
      expect(code).toMatch(/^[A-Z][A-Z0-9_]*[A-Z0-9]$/);
      expect(code, code).toContain('_');
      expect(code, code).not.toContain('__');
    }
    const overlap = Object.keys(IDENTIFIERS_MESSAGES).filter((c) => c in VALIDATION_MESSAGES);
    expect(overlap).toEqual([]);
  });

  it('writes French with its typography (apostrophes, accents) rather than ASCII stand-ins', () => {
    for (const code of [...Object.keys(IDENTIFIERS_MESSAGES), ...Object.keys(VALIDATION_MESSAGES)]) {
      const fr = ERROR_MESSAGES[code as ErrorCode].fr;
      expect(fr, code).not.toMatch(/\w'\w/);
    }
  });
});

// Compile-time half of the check: a code missing from ERROR_MESSAGES fails `tsc -b`.
const DECLARED_CODES: readonly ErrorCode[] = [
  ...NIR_ERROR_CODES,
  ...NIR_WARNING_CODES,
  ...INS_ERROR_CODES,
  ...INS_WARNING_CODES,
  ...RPPS_ERROR_CODES,
  ...RPPS_WARNING_CODES,
  ...ADELI_ERROR_CODES,
  ...TIME_ERROR_CODES,
  ...ENCOUNTER_ERROR_CODES,
  ...SCHEMA_ISSUE_CODES,
  ...IDENTITY_WARNING_CODES,
  'PATIENT_IDENTITY_TRANSITION',
  'VALIDATION_DOCUMENT_INVALID',
  'VALIDATION_COLLECTION_UNKNOWN',
];

describe('codes the parsers return', () => {
  it('are all in the catalogue (declared lists)', () => {
    for (const code of DECLARED_CODES) expect(isErrorCode(code), code).toBe(true);
  });

  it('are all in the catalogue (whatever the input, errors and warnings alike)', () => {
    const seen = new Set<string>();
    const nirLike = fc.oneof(
      fc.string({ unit: fc.constantFrom(...'0123456789AB '), minLength: 0, maxLength: 17 }),
      fc.anything(),
    );
    const collect = (r: {
      ok: boolean;
      error?: { code: string };
      warnings?: readonly { code: string }[];
    }) => {
      if (!r.ok && r.error) seen.add(r.error.code);
      for (const w of r.warnings ?? []) seen.add(w.code);
    };
    fc.assert(
      fc.property(
        nirLike,
        fc.constantFrom(...Object.values(INS_OID), 'x'),
        fc.boolean(),
        (input, oid, testMode) => {
          collect(parseNir(input));
          collect(parseNir(input, { rejectProvisional: true }));
          collect(parseIns({ matricule: input, oid }, { testMode }));
          collect(parseIns(input));
          collect(parseRpps(input));
          collect(parseAdeli(input));
          collect(parseInstant(input));
        },
      ),
      { numRuns: 3000 },
    );
    for (const code of seen) {
      expect(isErrorCode(code), code).toBe(true);
      expect(translateError({ code }, 'fr')).not.toBe(ERROR_MESSAGES.UNKNOWN_ERROR.fr);
    }
    expect(seen.size).toBeGreaterThan(10);
  });
});
