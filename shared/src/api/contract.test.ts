import { describe, expect, it } from 'vitest';
import { isErrorCode } from '../errors';
import { luhnValid } from '../identifiers/luhn';
import { API_CHANNELS, API_EVENTS, isApiChannel, isApiEvent } from './channels';
import type { ApiRequest, ApiResponse } from './contract';
import { API, DEFAULT_SETTINGS, EVENTS, PatientDraftSchema, SettingsSchema, VITAL_SIGNS } from './contract';
import { API_ERROR_CODES, envelopeSchema, FIELD_ISSUE_CODES, fieldIssues } from './envelope';
import { z } from 'zod';

describe('API contract', () => {
  it('channels.ts lists exactly the channels and events of contract.ts', () => {
    expect([...API_CHANNELS].sort()).toEqual(Object.keys(API).sort());
    expect([...API_EVENTS].sort()).toEqual(Object.keys(EVENTS).sort());
    expect(new Set(API_CHANNELS).size).toBe(API_CHANNELS.length);
    expect(new Set(API_EVENTS).size).toBe(API_EVENTS.length);
  });

  it('names channels domain:verb and events domain:changed (sync:status, which carries the status, and progress events excepted)', () => {
    for (const c of API_CHANNELS) expect(c).toMatch(/^[a-z]+:[a-z][a-z-]*$/);
    for (const e of API_EVENTS) expect(e).toMatch(/^[a-z]+:(changed|status|[a-z]+-progress)$/);
  });

  it('recognises only its own names', () => {
    expect(isApiChannel('patients:search')).toBe(true);
    expect(isApiChannel('__proto__')).toBe(false);
    expect(isApiChannel('toString')).toBe(false);
    expect(isApiChannel(42)).toBe(false);
    expect(isApiEvent('sync:status')).toBe(true);
    expect(isApiEvent('constructor')).toBe(false);
  });

  it('has a catalogue entry for every generic and field code', () => {
    for (const code of [...Object.values(API_ERROR_CODES), ...FIELD_ISSUE_CODES]) expect(isErrorCode(code), code).toBe(true);
  });

  it('uses valid LOINC codes for the vital signs', () => {
    for (const [kind, v] of Object.entries(VITAL_SIGNS)) expect(luhnValid(v.loincCode.replace('-', '')), kind).toBe(true);
  });

  it('default settings are valid settings', () => {
    expect(SettingsSchema.parse(DEFAULT_SETTINGS)).toEqual(DEFAULT_SETTINGS);
  });

  it('takes empty requests as {} or nothing, and refuses extra fields', () => {
    expect(API['app:info'].request.safeParse(undefined).success).toBe(true);
    expect(API['app:info'].request.safeParse({}).success).toBe(true);
    expect(API['app:info'].request.safeParse({ x: 1 }).success).toBe(false);
    expect(API['patients:search'].request.safeParse({ query: 'x', evil: true }).success).toBe(false);
  });

  it('types requests and responses from the schemas', () => {
    const req: ApiRequest<'patients:search'> = { query: 'helene' };
    const res: ApiResponse<'vault:status'> = { state: 'locked', failures: 0, retryAfterSeconds: 0 };
    expect(API['patients:search'].request.parse(req)).toEqual(req);
    expect(API['vault:status'].response.parse(res)).toEqual(res);
  });
});

describe('field issues of a patient draft', () => {
  const valid = {
    birthName: 'Dupont',
    firstNames: ['Hélène'],
    birthDate: '1984-12-03',
    sex: 'F',
    nir: '284127645108993',
    identityStatus: 'PROV',
    contact: { addressLines: [], phones: [] },
  };

  it('accepts a valid draft', () => {
    expect(PatientDraftSchema.safeParse(valid).success).toBe(true);
  });

  it('gives the NIR key error as its catalogue code on the nir field even when other fields are wrong', () => {
    const input = { ...valid, nir: '284127645108994', birthName: '', birthDate: '03/12/1984' };
    const r = PatientDraftSchema.safeParse(input);
    expect(r.success).toBe(false);
    if (r.success) return;
    const issues = fieldIssues(r.error, input);
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: ['nir'], code: 'NIR_KEY' },
        { path: ['birthName'], code: 'VALIDATION_REQUIRED' },
        { path: ['birthDate'], code: 'VALIDATION_DATE' },
      ]),
    );
    for (const i of issues) expect(isErrorCode(i.code), i.code).toBe(true);
  });

  it('tells a missing field from a wrong type, and names unknown fields', () => {
    const input = { ...valid, sex: 3, evil: 1 } as Record<string, unknown>;
    delete input['birthName'];
    const r = PatientDraftSchema.safeParse(input);
    if (r.success) throw new Error('parsed');
    expect(fieldIssues(r.error, input)).toEqual(
      expect.arrayContaining([
        { path: ['birthName'], code: 'VALIDATION_REQUIRED' },
        { path: ['sex'], code: 'VALIDATION_VALUE' },
        { path: ['evil'], code: 'VALIDATION_UNKNOWN_FIELD' },
      ]),
    );
  });

  it('reports the INS required by the identity status', () => {
    const input = { ...valid, identityStatus: 'QUAL' };
    const r = PatientDraftSchema.safeParse(input);
    if (r.success) throw new Error('parsed');
    expect(fieldIssues(r.error, input)).toEqual([{ path: ['ins'], code: 'PATIENT_INS_REQUIRED', params: { status: 'QUAL' } }]);
  });
});

describe('envelope', () => {
  it('checks both sides', () => {
    const s = envelopeSchema(z.strictObject({ n: z.number() }));
    expect(s.safeParse({ ok: true, value: { n: 1 } }).success).toBe(true);
    expect(s.safeParse({ ok: false, error: { code: 'VAULT_LOCKED' } }).success).toBe(true);
    expect(s.safeParse({ ok: false, error: { code: 'x', stack: 'y' } }).success).toBe(false);
    expect(s.safeParse({ ok: true, value: { n: 'x' } }).success).toBe(false);
  });
});

describe('consultation draft', () => {
  it('reports a CIP13 check digit on the line field', () => {
    const input = {
      draft: {
        patientId: 'p1',
        reason: 'x',
        prescription: { lines: [{ medication: { system: 'CIP13', code: '3400930000001', display: 'X' }, dosageText: '1/j' }], renewals: 0 },
      },
    };
    const r = API['encounters:save'].request.safeParse(input);
    if (r.success) throw new Error('parsed');
    expect(fieldIssues(r.error, input)).toEqual([
      { path: ['draft', 'prescription', 'lines', 0, 'medication', 'code'], code: 'PRESCRIPTION_CIP13_CHECK_DIGIT' },
    ]);
  });
});
