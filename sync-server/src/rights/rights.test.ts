import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PullResponse, PushResponse } from '../../../shared/src/sync/protocol';
import type { ErasureRequest, PatientRightsStatus, RectificationList, Restriction, RightsState } from './test-types';
import { CLI_ACTOR } from '../auth/auth-service';
import { forEachEngine } from '../testing/engines';
import { makeDocument, makeEncounter, makePatient } from '../testing/documents';
import type { TestServer, TestUser } from '../testing/server';
import { post, signIn, startTestServer } from '../testing/server';

const wire = <T extends object>(doc: T, deleted = false) => ({ ...doc, _deleted: deleted });

async function get(url: string, token: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as unknown };
}

forEachEngine('patients’ rights on the server', (getEngine) => {
  let server: TestServer;
  let now = Date.parse('2026-06-01T10:00:00.000Z');
  let doctor: TestUser;
  let secretary: TestUser;
  let dpo: TestUser;
  const push = (user: TestUser, collection: string, rows: unknown[]) =>
    post(`${server.url}/v1/replication/${collection}/push`, user.accessToken, { rows });
  const pull = (user: TestUser, collection: string) =>
    post(`${server.url}/v1/replication/${collection}/pull`, user.accessToken, { checkpoint: null, batchSize: 100 });
  const rights = (path: string) => `${server.url}/v1/rights${path}`;

  /** A patient with an encounter (2026-03-02) and a clinical document, pushed by the doctor. */
  async function seed(id: string): Promise<void> {
    const p = makePatient(id, 'Lefebvre', { birthDate: '1950-01-01' });
    expect((await push(doctor, 'patient', [{ assumedMasterState: null, newDocumentState: wire(p) }])).body).toEqual({ conflicts: [], rejected: [] });
    await push(doctor, 'encounter', [{ assumedMasterState: null, newDocumentState: wire(makeEncounter(`enc-${id}`, id, doctor.rpps ?? '')) }]);
    await push(doctor, 'document', [{ assumedMasterState: null, newDocumentState: wire(makeDocument(`doc-${id}`, id, 'clinical')) }]);
  }

  async function start(at: string): Promise<void> {
    now = Date.parse(at);
    server = await startTestServer(getEngine(), { clock: () => now });
    doctor = await signIn(server.services, 'practitioner');
    secretary = await signIn(server.services, 'secretary');
    dpo = await signIn(server.services, 'dpo');
  }

  afterEach(async () => {
    await server.close();
  });

  describe('while the retention runs', () => {
    beforeEach(() => start('2026-06-01T10:00:00.000Z'));

    it('records an erasure request and refuses it with the legal basis; nothing is erased', async () => {
      await seed('p1');
      const res = await post(rights('/erasure-requests'), dpo.accessToken, {
        patientId: 'p1',
        requesterKind: 'patient',
        requesterName: 'Jeanne Lefebvre',
      });
      expect(res.status).toBe(201);
      const request = res.body as ErasureRequest;
      expect(request).toMatchObject({
        patientId: 'p1',
        status: 'refused',
        requesterName: 'Jeanne Lefebvre',
        recordedBy: dpo.userId,
        legalBasis: ['17(3)(b)', '17(3)(c)'],
        retention: { status: 'running', keptUntil: '2046-03-02', basis: 'last-encounter' },
        completedAt: null,
      });
      expect(((await pull(doctor, 'encounter')).body as PullResponse).documents).toHaveLength(1);
      const page = await server.services.audit.search({ patientId: 'p1', limit: 50 });
      const entry = page.entries.find((e) => e.action === 'erasure_request');
      expect(entry).toMatchObject({ outcome: 'denied', reason: 'RIGHTS_ERASURE_REFUSED_RETENTION', userId: dpo.userId });
      expect(JSON.stringify(page.entries)).not.toContain('Jeanne');
      const list = await get(rights('/erasure-requests'), dpo.accessToken);
      expect((list.body as { requests: ErasureRequest[] }).requests.map((r) => r.id)).toEqual([request.id]);
    });

    it('only the DPO records erasure requests and legal holds', async () => {
      await seed('p1');
      const asDoctor = await post(rights('/erasure-requests'), doctor.accessToken, { patientId: 'p1', requesterKind: 'patient', requesterName: 'X' });
      expect(asDoctor).toMatchObject({ status: 403, body: { code: 'AUTH_FORBIDDEN' } });
      expect((await post(rights('/patients/p1/legal-hold'), doctor.accessToken, { reason: 'litige' })).status).toBe(403);
      expect((await post(rights('/erasure-requests'), dpo.accessToken, { patientId: 'nobody', requesterKind: 'patient', requesterName: 'X' })).body).toEqual({
        code: 'RIGHTS_PATIENT_UNKNOWN',
        params: { patientId: 'nobody' },
      });
    });

    it('a restriction freezes the record: pushes refused with a code, lifted explicitly, listed for workstations', async () => {
      await seed('p1');
      const set = await post(rights('/patients/p1/restriction'), doctor.accessToken, { reason: 'exactitude contestée' });
      expect(set.status).toBe(201);
      expect((set.body as Restriction).setBy).toBe(doctor.userId);
      expect((await get(rights('/state'), secretary.accessToken)).body as RightsState).toEqual({
        restricted: [{ patientId: 'p1', since: '2026-06-01T10:00:00.000Z' }],
      });
      const p = makePatient('p1', 'Lefebvre', { birthDate: '1950-01-01' });
      const edited = { ...p, contact: { ...p.contact, city: 'Paris' } };
      const refused = (await push(secretary, 'patient', [{ assumedMasterState: wire(p), newDocumentState: wire(edited) }])).body as PushResponse;
      expect(refused.rejected).toEqual([{ id: 'p1', code: 'RIGHTS_PATIENT_RESTRICTED' }]);
      expect((await post(rights('/patients/p1/restriction'), dpo.accessToken, { reason: 'encore' })).body).toEqual({ code: 'RIGHTS_ALREADY_ACTIVE' });
      // Reads stay possible (legal needs): the pull still returns the record.
      expect(((await pull(doctor, 'patient')).body as PullResponse).documents).toHaveLength(1);
      const lifted = await post(rights('/patients/p1/restriction/lift'), dpo.accessToken, { reason: 'vérifié' });
      expect(lifted.body).toMatchObject({ liftedBy: dpo.userId, liftReason: 'vérifié' });
      expect(((await get(rights('/state'), secretary.accessToken)).body as RightsState).restricted).toEqual([]);
      expect(((await push(secretary, 'patient', [{ assumedMasterState: wire(p), newDocumentState: wire(edited) }])).body as PushResponse).rejected).toEqual([]);
      const actions = (await server.services.audit.search({ patientId: 'p1', limit: 50 })).entries.map((e) => e.action);
      expect(actions).toEqual(expect.arrayContaining(['restrict', 'restrict_lift']));
    });

    it('rectifies identity with the history kept (who, when, why, previous value), replicated to workstations', async () => {
      await seed('p1');
      const res = await post(rights('/patients/p1/rectifications'), secretary.accessToken, {
        changes: { birthName: 'Lefèvre', usedName: 'Martin' },
        reason: 'erreur de saisie signalée par la patiente',
      });
      expect(res.status).toBe(200);
      const { rectifications } = res.body as RectificationList;
      expect(rectifications).toEqual([
        expect.objectContaining({ field: 'birthName', previousValue: 'Lefebvre', newValue: 'Lefèvre', rectifiedBy: secretary.userId, rectifiedAt: '2026-06-01T10:00:00.000Z' }),
        expect.objectContaining({ field: 'usedName', previousValue: null, newValue: 'Martin' }),
      ]);
      const pulled = ((await pull(doctor, 'patient')).body as PullResponse).documents[0] as Record<string, unknown>;
      expect(pulled).toMatchObject({ birthName: 'Lefèvre', usedName: 'Martin', searchKey: 'lefevre camille', usedSearchKey: 'martin camille' });
      const history = await get(rights('/patients/p1/rectifications'), dpo.accessToken);
      expect((history.body as RectificationList).rectifications).toHaveLength(2);
      expect((await post(rights('/patients/p1/rectifications'), secretary.accessToken, { changes: { nir: '1' }, reason: 'test' })).body).toEqual({
        code: 'RIGHTS_RECTIFICATION_FIELD',
        params: { field: 'nir' },
      });
      expect((await post(rights('/patients/p1/rectifications'), secretary.accessToken, { changes: { birthDate: '31/12/1950' }, reason: 'test' })).body).toMatchObject({
        code: 'RIGHTS_RECTIFICATION_INVALID',
      });
      const audit = (await server.services.audit.search({ patientId: 'p1', limit: 50 })).entries.find((e) => e.action === 'rectify');
      expect(audit?.details).toEqual({ fields: 'birthName usedName' });
    });

    it('the register of processing is generated from the configuration', async () => {
      const res = await get(rights('/register?language=fr'), dpo.accessToken);
      const markdown = (res.body as { markdown: string }).markdown;
      expect(markdown).toContain('# Registre des activités de traitement');
      expect(markdown).toContain('Article 9(2)(h)');
      expect(markdown).toMatch(/Praticiens \(1\)/);
      expect(markdown).toContain('| imaging_study | données de santé |');
      expect(markdown).toContain('20 ans après la dernière consultation');
      expect(markdown).toMatch(getEngine().kind === 'postgres' ? /PostgreSQL, schema / : /SQLite, .*sync\.sqlite/);
      expect((await get(rights('/register?language=de'), dpo.accessToken)).body).toMatchObject({ markdown: expect.stringContaining('Verzeichnis') });
      expect((await get(rights('/register'), doctor.accessToken)).status).toBe(403);
    });
  });

  describe('after the retention has expired', () => {
    beforeEach(() => start('2047-06-01T10:00:00.000Z'));

    it('erases the record from the server, pseudonymous audit trace, revocations for every user, no recreation', async () => {
      await seed('p1');
      await seed('p2');
      await post(rights('/patients/p1/rectifications'), secretary.accessToken, { changes: { usedName: 'Durand' }, reason: 'mariage' });
      const engine = getEngine();
      // A stored file of p1's document (as the attachment upload writes it) and one of p2's.
      for (const [doc, patient] of [['doc-p1', 'p1'], ['doc-p2', 'p2']] as const) {
        await engine.execute(
          `INSERT INTO attachments (collection, document_id, attachment_id, digest, length, content_type, received, complete, patient_id, data_class, created_by, created_at)
           VALUES ('document', $1, $2, $3, 3, 'application/pdf', 3, $4, $5, 'clinical', 'test', '2047-06-01T10:00:00.000Z')`,
          [doc, `att-${doc}`, 'a'.repeat(64), true, patient],
        );
        await engine.execute(
          `INSERT INTO attachment_chunks (collection, document_id, attachment_id, digest, chunk_offset, data) VALUES ('document', $1, $2, $3, 0, $4)`,
          [doc, `att-${doc}`, 'a'.repeat(64), new Uint8Array([1, 2, 3])],
        );
      }
      const res = await post(rights('/erasure-requests'), dpo.accessToken, {
        patientId: 'p1',
        requesterKind: 'patient',
        requesterName: 'Jeanne Lefebvre',
      });
      expect(res.body).toMatchObject({ status: 'completed', requesterName: null, legalBasis: [], completedAt: '2047-06-01T10:00:00.000Z' });
      expect(await engine.query('SELECT document_id FROM attachments')).toEqual([{ document_id: 'doc-p2' }]);
      expect(await engine.query('SELECT document_id FROM attachment_chunks')).toEqual([{ document_id: 'doc-p2' }]);
      expect(await engine.query("SELECT id FROM documents WHERE patient_id = 'p1'")).toEqual([]);
      expect((await engine.query("SELECT id FROM documents WHERE patient_id = 'p2'")).length).toBe(3);
      expect(await engine.query("SELECT id FROM rectifications WHERE patient_id = 'p1'")).toEqual([]);
      for (const user of [doctor, secretary]) {
        const rev = await post(`${server.url}/v1/access/revocations`, user.accessToken, { checkpoint: null });
        expect((rev.body as { patientIds: string[] }).patientIds).toContain('p1');
        expect((rev.body as { patientIds: string[] }).patientIds).not.toContain('p2');
      }
      // A workstation that was offline pushes its old copy: refused, not recreated.
      const old = makePatient('p1', 'Lefebvre', { birthDate: '1950-01-01' });
      const again = (await push(doctor, 'patient', [{ assumedMasterState: null, newDocumentState: wire(old) }])).body as PushResponse;
      expect(again.rejected).toEqual([{ id: 'p1', code: 'RIGHTS_PATIENT_ERASED' }]);
      const status = await get(rights('/patients/p1'), dpo.accessToken);
      expect(status.body as PatientRightsStatus).toMatchObject({ erased: true, retention: null });
      // The audit log keeps the trace under the record's random id, nothing that names the person; the chain still verifies.
      const entries = (await server.services.audit.search({ patientId: 'p1', limit: 100 })).entries;
      expect(entries.map((e) => e.action)).toEqual(expect.arrayContaining(['erasure_request', 'erase']));
      expect(entries.find((e) => e.action === 'erase')?.details).toEqual({ documents: 3, attachments: 1 });
      const text = JSON.stringify(entries);
      expect(text).not.toMatch(/Jeanne|Lefebvre|Durand/);
      expect(await server.services.audit.verifyChain()).toMatchObject({ ok: true });
    });

    it('a legal hold refuses erasure under 17(3)(e); the retention job lists, then purges once the hold is lifted', async () => {
      await seed('p1');
      await seed('p2');
      await post(rights('/patients/p1/legal-hold'), dpo.accessToken, { reason: 'procédure judiciaire' });
      const refused = await post(rights('/erasure-requests'), dpo.accessToken, { patientId: 'p1', requesterKind: 'heir', requesterName: 'Paul' });
      expect(refused.body).toMatchObject({ status: 'refused', legalBasis: ['17(3)(e)'], retention: { status: 'held' } });
      expect((await get(rights('/expired'), dpo.accessToken)).body).toEqual({
        records: [{ patientId: 'p2', retention: expect.objectContaining({ status: 'expired', keptUntil: '2046-03-02' }) }],
      });
      expect(await server.services.rights.runRetention(CLI_ACTOR, 'list')).toEqual({ expired: 1, erased: 0 });
      expect((await getEngine().query("SELECT id FROM documents WHERE patient_id = 'p2'")).length).toBe(3);
      await post(rights('/patients/p1/legal-hold/lift'), dpo.accessToken, { reason: 'procédure close' });
      expect(await server.services.rights.runRetention(CLI_ACTOR, 'purge')).toEqual({ expired: 2, erased: 2 });
      expect(await getEngine().query('SELECT id FROM documents')).toEqual([]);
      const reviews = (await server.services.audit.search({ action: 'retention_review', limit: 10 })).entries;
      expect(reviews.map((r) => r.details)).toEqual([
        { expired: 2, erased: 2, policy: 'purge' },
        { expired: 1, erased: 0, policy: 'list' },
      ]);
      expect(await server.services.audit.verifyChain()).toMatchObject({ ok: true });
    });

    it('the retention job runs once across two instances sharing the database', async () => {
      await seed('p1');
      const second = await startTestServer(getEngine(), { clock: () => now });
      try {
        const [a, b] = await Promise.all([server.services.scheduler.runDue(), second.services.scheduler.runDue()]);
        expect([...a, ...b].filter((n) => n === 'rights-retention')).toEqual(['rights-retention']);
      } finally {
        await second.close();
      }
      const reviews = (await server.services.audit.search({ action: 'retention_review', limit: 10 })).entries;
      expect(reviews).toHaveLength(1);
    });
  });
});
