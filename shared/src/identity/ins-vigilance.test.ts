import { describe, expect, it } from 'vitest';
import { INS_OID } from '../identifiers/ins';
import { IDENTITY_STATUSES } from '../schemas/identity-status';
import { checkInsOidAllowed, insDisplay, insExportable, isTestInsOid } from './ins-vigilance';

const ins = { matricule: '279035121518989', oid: INS_OID.NIR };
const testIns = { matricule: '279035121518989', oid: INS_OID.TEST };
const demoIns = { matricule: '279035121518989', oid: INS_OID.DEMO };

describe('insExportable', () => {
  it('exports the INS only for a QUAL identity', () => {
    const exported = IDENTITY_STATUSES.filter((identityStatus) => insExportable({ identityStatus, ins }) !== undefined);
    expect(exported).toEqual(['QUAL']);
    expect(insExportable({ identityStatus: 'QUAL', ins })).toEqual(ins);
  });
  it('exports nothing without an INS', () => {
    expect(insExportable({ identityStatus: 'QUAL' })).toBeUndefined();
  });
  it('refuses the test and demo OIDs outside test mode', () => {
    expect(insExportable({ identityStatus: 'QUAL', ins: testIns })).toBeUndefined();
    expect(insExportable({ identityStatus: 'QUAL', ins: demoIns })).toBeUndefined();
    expect(insExportable({ identityStatus: 'QUAL', ins: testIns }, { testMode: true })).toEqual(testIns);
    expect(insExportable({ identityStatus: 'RECUP', ins: testIns }, { testMode: true })).toBeUndefined();
  });
  it('returns a copy, not the stored object', () => {
    const out = insExportable({ identityStatus: 'QUAL', ins });
    expect(out).not.toBe(ins);
  });
});

describe('insDisplay', () => {
  it('shows qualified, unqualified, none and test OIDs apart', () => {
    expect(insDisplay({ identityStatus: 'QUAL', ins })).toEqual({ kind: 'qualified', matricule: ins.matricule, oid: ins.oid, test: false });
    for (const identityStatus of ['PROV', 'VALI', 'RECUP'] as const) {
      expect(insDisplay({ identityStatus, ins })).toEqual({ kind: 'unqualified', status: identityStatus });
    }
    expect(insDisplay({ identityStatus: 'VALI' })).toEqual({ kind: 'none', status: 'VALI' });
    expect(insDisplay({ identityStatus: 'QUAL', ins: demoIns })).toEqual({ kind: 'testOid', oid: INS_OID.DEMO });
    expect(insDisplay({ identityStatus: 'QUAL', ins: demoIns }, { testMode: true })).toMatchObject({ kind: 'qualified', test: true });
  });
});

describe('test OIDs', () => {
  it('knows the test and demo OIDs only', () => {
    expect(isTestInsOid(INS_OID.TEST)).toBe(true);
    expect(isTestInsOid(` ${INS_OID.DEMO} `)).toBe(true);
    expect(isTestInsOid(INS_OID.NIR)).toBe(false);
    expect(isTestInsOid(INS_OID.NIA)).toBe(false);
  });
  it('refuses them at an input boundary outside test mode with a stable code', () => {
    expect(checkInsOidAllowed(testIns)).toEqual({ ok: false, code: 'INS_TEST_OID_REFUSED' });
    expect(checkInsOidAllowed(testIns, { testMode: true })).toEqual({ ok: true });
    expect(checkInsOidAllowed(ins)).toEqual({ ok: true });
    expect(checkInsOidAllowed(undefined)).toEqual({ ok: true });
  });
});
