import { createHash } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { CLI_ACTOR } from '../auth/auth-service';
import { forEachEngine } from '../testing/engines';
import { makeDocument, makePatient } from '../testing/documents';
import type { TestServer, TestUser } from '../testing/server';
import { post, signIn, startTestServer } from '../testing/server';

const wire = <T extends object>(doc: T) => ({ ...doc, _deleted: false });
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const bytesOf = (n: number, seed: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) % 251);

forEachEngine('attachments (files of documents)', (getEngine) => {
  let server: TestServer;
  let doctor: TestUser;
  let secretary: TestUser;

  beforeEach(async () => {
    server = await startTestServer(getEngine());
    doctor = await signIn(server.services, 'practitioner');
    secretary = await signIn(server.services, 'secretary');
  });
  afterEach(async () => {
    await server.close();
  });

  const pushDoc = async (user: TestUser, id: string, patientId: string, category: 'administrative' | 'clinical', size: number) => {
    const doc = { ...makeDocument(id, patientId, category), size };
    const res = await post(`${server.url}/v1/replication/document/push`, user.accessToken, { rows: [{ assumedMasterState: null, newDocumentState: wire(doc) }] });
    expect(res.body).toEqual({ conflicts: [], rejected: [] });
    return doc;
  };
  const put = (user: TestUser, docId: string, attId: string, digest: string, offset: number, length: number, chunk: Uint8Array) =>
    fetch(`${server.url}/v1/attachments/document/${docId}/${attId}/${digest}?offset=${offset}&length=${length}&type=application/pdf`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${user.accessToken}`, 'content-type': 'application/octet-stream' },
      body: chunk,
    });
  const get = (user: TestUser, docId: string, attId: string) => fetch(`${server.url}/v1/attachments/document/${docId}/${attId}`, { headers: { authorization: `Bearer ${user.accessToken}` } });
  const status = async (user: TestUser, items: unknown[]) => (await post(`${server.url}/v1/attachments/status`, user.accessToken, { items })).body as { items: { state: string; received: number; code?: string }[] };

  it('uploads in chunks (resumable at the bytes received), checks the digest, serves the file to whoever may read the document', async () => {
    await post(`${server.url}/v1/replication/patient/push`, doctor.accessToken, { rows: [{ assumedMasterState: null, newDocumentState: wire(makePatient('p1', 'Martin')) }] });
    const file = bytesOf(10_000, 7);
    const digest = sha(file);
    const doc = await pushDoc(doctor, 'd1', 'p1', 'clinical', file.length);
    const ref = { collection: 'document', documentId: 'd1', attachmentId: doc.attachmentId, digest, length: file.length };

    expect((await status(doctor, [ref])).items).toEqual([{ attachmentId: doc.attachmentId, documentId: 'd1', state: 'missing', received: 0 }]);
    expect(await (await get(doctor, 'd1', doc.attachmentId)).json()).toEqual({ code: 'SYNC_ATTACHMENT_NOT_UPLOADED' });

    let res = await put(doctor, 'd1', doc.attachmentId, digest, 0, file.length, file.subarray(0, 4000));
    expect([res.status, await res.json()]).toEqual([200, { received: 4000, complete: false }]);
    // The connection dropped mid-upload: the workstation asks where to resume.
    expect((await status(doctor, [ref])).items[0]).toMatchObject({ state: 'partial', received: 4000 });
    res = await put(doctor, 'd1', doc.attachmentId, digest, 0, file.length, file.subarray(0, 4000));
    expect([res.status, await res.json()]).toEqual([409, { code: 'SYNC_ATTACHMENT_OFFSET', params: { received: 4000 } }]);
    res = await put(doctor, 'd1', doc.attachmentId, digest, 4000, file.length, file.subarray(4000, 8000));
    expect(res.status).toBe(200);
    res = await put(doctor, 'd1', doc.attachmentId, digest, 8000, file.length, file.subarray(8000));
    expect([res.status, await res.json()]).toEqual([200, { received: 10_000, complete: true }]);
    expect((await status(doctor, [ref])).items[0]).toMatchObject({ state: 'complete', received: 10_000 });

    const got = await get(doctor, 'd1', doc.attachmentId);
    expect(got.status).toBe(200);
    expect(got.headers.get('x-attachment-digest')).toBe(digest);
    expect(got.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await got.arrayBuffer()).equals(Buffer.from(file))).toBe(true);

    // A secretary never gets a clinical file; a practitioner only with a grant.
    const denied = await get(secretary, 'd1', doc.attachmentId);
    expect([denied.status, ((await denied.json()) as { code: string }).code]).toEqual([403, 'ACCESS_CLINICAL_DENIED']);
    const stranger = await signIn(server.services, 'practitioner');
    const noGrant = await get(stranger, 'd1', doc.attachmentId);
    expect([noGrant.status, ((await noGrant.json()) as { code: string }).code]).toEqual([403, 'ACCESS_NO_GRANT']);
    await server.services.access.grant(CLI_ACTOR, { userId: stranger.userId, patientId: 'p1' });
    expect((await get(stranger, 'd1', doc.attachmentId)).status).toBe(200);
    // Nor may a secretary upload one (the document's write rule).
    expect((await status(secretary, [ref])).items[0]).toMatchObject({ state: 'refused', code: 'ACCESS_CLINICAL_DENIED' });

    // All of it in the audit chain: the upload, the downloads, the refusals.
    const entries = (await server.services.audit.search({ limit: 200 })).entries.filter((e) => e.object?.collection === 'document' && e.object.id === 'd1');
    const summary = entries.map((e) => [e.userId === doctor.userId ? 'doctor' : e.userId === secretary.userId ? 'secretary' : 'stranger', e.action, e.outcome]);
    expect(summary).toEqual(
      expect.arrayContaining([
        ['doctor', 'create', 'success'],
        ['doctor', 'read', 'success'],
        ['secretary', 'read', 'denied'],
        ['stranger', 'read', 'denied'],
        ['stranger', 'read', 'success'],
      ]),
    );
    expect(entries.every((e) => e.patientId === 'p1')).toBe(true);
  });

  it('discards a file whose bytes do not match the digest, refuses files no document declares, and serves administrative files to a secretary', async () => {
    await post(`${server.url}/v1/replication/patient/push`, doctor.accessToken, { rows: [{ assumedMasterState: null, newDocumentState: wire(makePatient('p2', 'Petit')) }] });
    const file = bytesOf(3000, 3);
    const doc = await pushDoc(doctor, 'd2', 'p2', 'administrative', file.length);
    const wrong = sha(bytesOf(3000, 4));
    let res = await put(doctor, 'd2', doc.attachmentId, wrong, 0, file.length, file);
    expect([res.status, ((await res.json()) as { code: string }).code]).toEqual([422, 'SYNC_ATTACHMENT_DIGEST']);
    expect((await status(doctor, [{ collection: 'document', documentId: 'd2', attachmentId: doc.attachmentId, digest: wrong, length: 3000 }])).items[0]).toMatchObject({ state: 'missing', received: 0 });
    // Not declared by the document, another size than declared, no such document.
    res = await put(doctor, 'd2', 'autre-fichier', sha(file), 0, file.length, file);
    expect([res.status, ((await res.json()) as { code: string }).code]).toEqual([404, 'SYNC_ATTACHMENT_UNKNOWN']);
    res = await put(doctor, 'd2', doc.attachmentId, sha(file), 0, file.length + 1, file);
    expect(res.status).toBe(404);
    res = await put(doctor, 'nope', doc.attachmentId, sha(file), 0, file.length, file);
    expect(res.status).toBe(404);
    // Malformed: a digest that is not SHA-256 hex, a path segment outside the id alphabet.
    expect((await put(doctor, 'd2', doc.attachmentId, 'abc', 0, file.length, file)).status).toBe(400);
    expect((await put(doctor, 'd2', 'a%2F..', sha(file), 0, file.length, file)).status).toBe(400);

    // Every byte stored but the check not run (a server stopped between the two): an empty
    // chunk at offset = length runs it.
    const key = ['document', 'd2', doc.attachmentId, sha(file)];
    const engine = getEngine();
    await engine.execute(
      `INSERT INTO attachments (collection, document_id, attachment_id, digest, length, content_type, received, complete, patient_id, data_class, created_by, created_at)
       VALUES ($1, $2, $3, $4, $5, 'application/pdf', $5, $6, 'p2', 'administrative', $7, $8)`,
      [...key, file.length, engine.kind === 'postgres' ? false : 0, doctor.userId, new Date().toISOString()],
    );
    await engine.execute('INSERT INTO attachment_chunks (collection, document_id, attachment_id, digest, chunk_offset, data) VALUES ($1, $2, $3, $4, 0, $5)', [...key, file]);
    expect((await status(doctor, [{ collection: 'document', documentId: 'd2', attachmentId: doc.attachmentId, digest: sha(file), length: 3000 }])).items[0]).toMatchObject({ state: 'partial', received: 3000 });
    res = await put(doctor, 'd2', doc.attachmentId, sha(file), 3000, file.length, new Uint8Array(0));
    expect([res.status, await res.json()]).toEqual([200, { received: 3000, complete: true }]);
    res = await put(doctor, 'd2', doc.attachmentId, sha(file), 0, file.length, file);
    expect([res.status, await res.json()]).toEqual([200, { received: 3000, complete: true }]);
    const got = await get(secretary, 'd2', doc.attachmentId);
    expect(got.status).toBe(200);
    expect(Buffer.from(await got.arrayBuffer()).equals(Buffer.from(file))).toBe(true);
    // Unauthenticated: nothing.
    expect((await fetch(`${server.url}/v1/attachments/document/d2/${doc.attachmentId}`)).status).toBe(401);
  });
});
