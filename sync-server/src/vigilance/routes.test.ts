import { afterEach, beforeEach, expect, it } from 'vitest';
import type { PullResponse } from '../../../shared/src/sync/protocol';
import type { AuditSearchResponseSchema } from '../../../shared/src/sync/audit-protocol';
import type { PatientMerge, ReviewedBreakGlass } from '../../../shared/src/sync/vigilance-protocol';
import type { z } from 'zod';
import { INS_OID } from '../../../shared/src/identifiers/ins';
import { forEachEngine } from '../testing/engines';
import { makeDocument, makeEncounter, makePatient } from '../testing/documents';
import type { TestServer, TestUser } from '../testing/server';
import { post, signIn, startTestServer } from '../testing/server';

const wire = <T extends object>(doc: T, deleted = false) => ({ ...doc, _deleted: deleted });

async function get(url: string, token: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: await res.json() };
}

forEachEngine('identity merges and break-the-glass review', (getEngine) => {
  let server: TestServer;
  let doctor: TestUser;
  const push = (user: TestUser, collection: string, docs: object[]) =>
    post(`${server.url}/v1/replication/${collection}/push`, user.accessToken, {
      rows: docs.map((d) => ({ assumedMasterState: null, newDocumentState: wire(d) })),
    });
  const pullAll = async (user: TestUser, collection: string) => {
    const body = (await post(`${server.url}/v1/replication/${collection}/pull`, user.accessToken, { checkpoint: null, batchSize: 1000 })).body as PullResponse;
    return body.documents as (Record<string, unknown> & { id: string; _deleted: boolean })[];
  };
  const auditOf = async (dpo: TestUser, patientId: string) =>
    ((await get(`${server.url}/v1/audit/entries?patientId=${patientId}`, dpo.accessToken)).body as z.infer<typeof AuditSearchResponseSchema>).entries;

  beforeEach(async () => {
    server = await startTestServer(getEngine());
    doctor = await signIn(server.services, 'practitioner');
    // Two identities of one person (a provisional one typed at the desk, and the qualified one).
    await push(doctor, 'patient', [makePatient('p-keep', 'Martin', { nir: '279035121518989' }), makePatient('p-dup', 'Martin')]);
    await push(doctor, 'encounter', [makeEncounter('e-keep', 'p-keep', doctor.rpps ?? ''), makeEncounter('e-dup', 'p-dup', doctor.rpps ?? '')]);
    await push(doctor, 'document', [makeDocument('d-dup', 'p-dup', 'clinical')]);
  });
  afterEach(async () => {
    await server.close();
  });

  it('merges explicitly: documents move to the survivor, the merged identity becomes a tombstone; unmerge restores both', async () => {
    const merged = await post(`${server.url}/v1/identity/merges`, doctor.accessToken, { survivorId: 'p-keep', mergedId: 'p-dup', reason: 'doublon' });
    expect(merged.status).toBe(200);
    const merge = merged.body as PatientMerge;
    expect(merge).toMatchObject({ survivorId: 'p-keep', mergedId: 'p-dup', reason: 'doublon', moved: { encounter: 1, document: 1 }, undoneAt: null });

    // What every workstation pulls: the moved documents under the survivor, the merged patient deleted.
    const encounters = await pullAll(doctor, 'encounter');
    expect(encounters.map((e) => [e.id, e.patientId]).sort()).toEqual([['e-dup', 'p-keep'], ['e-keep', 'p-keep']]);
    expect((await pullAll(doctor, 'document')).map((d) => d.patientId)).toEqual(['p-keep']);
    const patients = await pullAll(doctor, 'patient');
    expect(patients.find((p) => p.id === 'p-dup')?._deleted).toBe(true);
    expect(patients.find((p) => p.id === 'p-keep')?._deleted).toBe(false);

    // A second merge of the same identity is refused until the first is undone.
    expect((await post(`${server.url}/v1/identity/merges`, doctor.accessToken, { survivorId: 'p-keep', mergedId: 'p-dup' })).body).toEqual({
      code: 'IDENTITY_MERGE_PATIENT_NOT_FOUND',
    });

    const listed = (await get(`${server.url}/v1/identity/merges?patientId=p-dup`, doctor.accessToken)).body as { merges: PatientMerge[] };
    expect(listed.merges.map((m) => m.id)).toEqual([merge.id]);

    // A document written for the survivor after the merge stays with it on unmerge.
    await push(doctor, 'encounter', [makeEncounter('e-after', 'p-keep', doctor.rpps ?? '')]);
    const undone = await post(`${server.url}/v1/identity/merges/${merge.id}/undo`, doctor.accessToken, {});
    expect(undone.status).toBe(200);
    expect((undone.body as PatientMerge).undoneBy).toBe(doctor.userId);
    const after = await pullAll(doctor, 'encounter');
    expect(after.map((e) => [e.id, e.patientId]).sort()).toEqual([['e-after', 'p-keep'], ['e-dup', 'p-dup'], ['e-keep', 'p-keep']]);
    expect((await pullAll(doctor, 'document')).map((d) => d.patientId)).toEqual(['p-dup']);
    const restored = (await pullAll(doctor, 'patient')).find((p) => p.id === 'p-dup');
    expect(restored).toMatchObject({ _deleted: false, birthName: 'Martin' });
    expect((await post(`${server.url}/v1/identity/merges/${merge.id}/undo`, doctor.accessToken, {})).body).toEqual({ code: 'IDENTITY_MERGE_ALREADY_UNDONE' });

    // Both operations are in the audit chain, on both patients.
    const dpo = await signIn(server.services, 'dpo');
    const actions = (await auditOf(dpo, 'p-dup')).map((e) => e.action);
    expect(actions).toContain('merge');
    expect(actions).toContain('unmerge');
    expect((await auditOf(dpo, 'p-keep')).filter((e) => e.action === 'merge' || e.action === 'unmerge')).toHaveLength(2);
  });

  it('refuses a merge to whoever may not see both identities, and records the refusal', async () => {
    const stranger = await signIn(server.services, 'practitioner');
    const refused = await post(`${server.url}/v1/identity/merges`, stranger.accessToken, { survivorId: 'p-keep', mergedId: 'p-dup' });
    expect(refused).toMatchObject({ status: 403, body: { code: 'IDENTITY_MERGE_FORBIDDEN' } });
    const dpoRefused = await post(`${server.url}/v1/identity/merges`, (await signIn(server.services, 'dpo')).accessToken, { survivorId: 'p-keep', mergedId: 'p-dup' });
    expect(dpoRefused.status).toBe(403);
    expect((await post(`${server.url}/v1/identity/merges`, doctor.accessToken, { survivorId: 'p-keep', mergedId: 'p-keep' })).body).toEqual({
      code: 'IDENTITY_MERGE_SAME_PATIENT',
    });
    // Nothing moved.
    expect((await pullAll(doctor, 'encounter')).map((e) => [e.id, e.patientId]).sort()).toEqual([['e-dup', 'p-dup'], ['e-keep', 'p-keep']]);
    const dpo = await signIn(server.services, 'dpo');
    const denied = (await auditOf(dpo, 'p-keep')).filter((e) => e.action === 'merge' && e.outcome === 'denied');
    expect(denied.map((e) => e.userId)).toEqual([stranger.userId]);
    // A secretary (identity of every patient of the clinic) may merge.
    const secretary = await signIn(server.services, 'secretary');
    expect((await post(`${server.url}/v1/identity/merges`, secretary.accessToken, { survivorId: 'p-keep', mergedId: 'p-dup' })).status).toBe(200);
  });

  it('refuses a pushed patient with a test or demo INS OID outside test mode; a test-mode server takes it', async () => {
    const ins = { matricule: '280017511300186', oid: INS_OID.DEMO };
    const patient = makePatient('p-test', 'Essai', { identityStatus: 'RECUP', nir: '280017511300186', ins });
    expect((await push(doctor, 'patient', [patient])).body).toEqual({ conflicts: [], rejected: [{ id: 'p-test', code: 'INS_TEST_OID_REFUSED' }] });
    expect((await pullAll(doctor, 'patient')).map((p) => p.id)).not.toContain('p-test');
    const real = makePatient('p-real', 'Essai', { identityStatus: 'RECUP', nir: '280017511300186', ins: { ...ins, oid: INS_OID.NIR } });
    expect((await push(doctor, 'patient', [real])).body).toEqual({ conflicts: [], rejected: [] });

    const testServer = await startTestServer(getEngine(), { config: { insTestMode: true } });
    try {
      const trainee = await signIn(testServer.services, 'practitioner');
      const res = await post(`${testServer.url}/v1/replication/patient/push`, trainee.accessToken, {
        rows: [{ assumedMasterState: null, newDocumentState: wire(patient) }],
      });
      expect(res.body).toEqual({ conflicts: [], rejected: [] });
    } finally {
      await testServer.close();
    }
  });

  it('lists break-the-glass accesses for the DPO, who marks them reviewed with a comment (audited, once)', async () => {
    const urgent = await signIn(server.services, 'practitioner');
    expect((await post(`${server.url}/v1/access/break-glass`, urgent.accessToken, { patientId: 'p-keep', reason: 'Patient inconscient aux urgences' })).status).toBe(200);
    const dpo = await signIn(server.services, 'dpo');
    expect((await get(`${server.url}/v1/audit/break-glass`, doctor.accessToken)).status).toBe(403);
    const pending = (await get(`${server.url}/v1/audit/break-glass`, dpo.accessToken)).body as { entries: ReviewedBreakGlass[] };
    expect(pending.entries).toHaveLength(1);
    const entry = pending.entries[0] as ReviewedBreakGlass;
    expect(entry).toMatchObject({ userId: urgent.userId, patientId: 'p-keep', reason: 'Patient inconscient aux urgences', review: null });

    const reviewUrl = `${server.url}/v1/audit/break-glass/${entry.id}/review`;
    expect((await post(reviewUrl, dpo.accessToken, { comment: '   ' })).status).toBe(400);
    const reviewed = await post(reviewUrl, dpo.accessToken, { comment: 'Justifié : appel du SAMU' });
    expect(reviewed.status).toBe(200);
    expect((reviewed.body as ReviewedBreakGlass).review).toMatchObject({ reviewedBy: dpo.userId, comment: 'Justifié : appel du SAMU' });
    expect((await post(reviewUrl, dpo.accessToken, { comment: 'encore' })).body).toEqual({ code: 'BREAK_GLASS_ALREADY_REVIEWED' });
    expect((await post(`${server.url}/v1/audit/break-glass/nope/review`, dpo.accessToken, { comment: 'x' })).body).toEqual({ code: 'BREAK_GLASS_NOT_FOUND' });

    expect(((await get(`${server.url}/v1/audit/break-glass`, dpo.accessToken)).body as { entries: unknown[] }).entries).toEqual([]);
    const done = (await get(`${server.url}/v1/audit/break-glass?status=reviewed`, dpo.accessToken)).body as { entries: ReviewedBreakGlass[] };
    expect(done.entries.map((e) => e.id)).toEqual([entry.id]);
    const review = (await auditOf(dpo, 'p-keep')).find((e) => e.action === 'review');
    expect(review).toMatchObject({ userId: dpo.userId, object: { collection: 'break_glass_grants', id: entry.id } });
  });
});
