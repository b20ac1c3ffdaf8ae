import { createHash, randomUUID } from 'node:crypto';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { luhnCheckDigit } from '../../../shared/src/identifiers';
import type { ClinicDatabase } from '../db/clinic-database';
import { openClinicDatabase } from '../db/clinic-database';
import { createAttachmentSync } from './attachment-sync';
import type { SyncSession } from './session';
import { createSyncSession, memoryRefreshTokenStore } from './session';
import type { TestSyncServer } from './test-server';
import { adminApi, serverUnavailable, startSyncServer } from './test-server';
import { newPatient } from './test-workstation';

// The uploader against a real server, one file in several chunks: the connection dies in the
// middle of the file, the next run resumes at the bytes the server holds and the server's
// copy is byte-equal; a file of a document the server lacks is refused and offered again.

const PASSWORD = 'a-long-password-for-tests-42';
const unavailable = serverUnavailable();
if (unavailable !== undefined && process.env['CI'] === 'true') throw new Error(`attachment sync tests cannot run: ${unavailable}`);

describe.skipIf(unavailable !== undefined)('attachment uploads', () => {
  let server: TestSyncServer;
  let db: ClinicDatabase;
  let session: SyncSession;
  let token: () => Promise<string>;

  beforeAll(async () => {
    server = await startSyncServer();
    const admin = await adminApi(server);
    await admin.createUser({ username: 'dr.up', role: 'practitioner', rpps: `1000000003${luhnCheckDigit('1000000003')}`, password: PASSWORD });
    const workstationId = await admin.registerWorkstation('poste-up');
    db = await openClinicDatabase(getRxStorageMemory(), { name: `att-${randomUUID()}` });
    session = createSyncSession({ serverUrl: server.url, workstationId, store: memoryRefreshTokenStore() });
    await session.login('dr.up', PASSWORD);
    token = () => session.accessToken();
  }, 120_000);

  afterAll(async () => {
    await db?.close();
    await server?.stop();
  });

  const push = async (collection: string, doc: Record<string, unknown>) => {
    const res = await fetch(`${server.url}/v1/replication/${collection}/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await token()}` },
      body: JSON.stringify({ rows: [{ assumedMasterState: null, newDocumentState: { ...doc, _deleted: false } }] }),
    });
    expect(await res.json()).toEqual({ conflicts: [], rejected: [] });
  };

  it('resumes a file cut mid-upload at the bytes the server holds; refuses then accepts a file whose document arrives later', async () => {
    const patient = newPatient('UP');
    await db.patient.insert(patient as never);
    await push('patient', patient as unknown as Record<string, unknown>);
    const bytes = Uint8Array.from({ length: 200_000 }, (_, i) => (i * 7) % 256);
    const now = new Date().toISOString();
    const docFields = {
      id: randomUUID(),
      patientId: patient.id,
      title: 'Compte rendu',
      type: { system: 'local', code: 'letter' },
      category: 'clinical',
      mimeType: 'application/pdf',
      size: bytes.length,
      attachmentId: 'scan',
      createdAt: now,
      updatedAt: now,
    };
    const doc = await db.document.insert(docFields as never);
    await doc.putAttachment({ id: 'scan', data: new Blob([bytes], { type: 'application/pdf' }), type: 'application/pdf' });

    // Not on the server yet: refused, nothing sent.
    let puts = 0;
    const counting: typeof fetch = async (input, init) => {
      if (init?.method === 'PUT') puts += 1;
      return fetch(input, init);
    };
    const first = createAttachmentSync({ db, serverUrl: server.url, session, fetch: counting, chunkBytes: 64 * 1024 });
    expect(await first.uploadPending()).toEqual({ offered: 1, uploaded: 0, refused: 1 });
    expect(puts).toBe(0);

    await push('document', docFields);
    // The network dies after two chunks of four.
    let sent = 0;
    const dying: typeof fetch = async (input, init) => {
      if (init?.method === 'PUT' && ++sent > 2) throw new TypeError('fetch failed');
      return fetch(input, init);
    };
    const cut = createAttachmentSync({ db, serverUrl: server.url, session, fetch: dying, chunkBytes: 64 * 1024 });
    await expect(cut.uploadPending()).rejects.toMatchObject({ code: 'SYNC_CLIENT_OFFLINE' });
    const digest = createHash('sha256').update(bytes).digest('hex');
    const status = await fetch(`${server.url}/v1/attachments/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await token()}` },
      body: JSON.stringify({ items: [{ collection: 'document', documentId: docFields.id, attachmentId: 'scan', digest, length: bytes.length }] }),
    });
    expect(((await status.json()) as { items: unknown[] }).items[0]).toMatchObject({ state: 'partial', received: 2 * 64 * 1024 });

    // The next run (the network back) sends only the rest.
    puts = 0;
    expect(await first.uploadPending()).toEqual({ offered: 1, uploaded: 1, refused: 0 });
    expect(puts).toBe(2);
    // Known complete: not offered again this session.
    expect(await first.uploadPending()).toEqual({ offered: 0, uploaded: 0, refused: 0 });
    const got = await fetch(`${server.url}/v1/attachments/document/${docFields.id}/scan`, { headers: { authorization: `Bearer ${await token()}` } });
    expect(got.headers.get('x-attachment-digest')).toBe(digest);
    expect(Buffer.from(await got.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);
    // The local copy is untouched.
    const local = await (await db.document.findOne(docFields.id).exec())?.getAttachment('scan')?.getData();
    expect(local ? Buffer.from(await local.arrayBuffer()).equals(Buffer.from(bytes)) : false).toBe(true);
  }, 120_000);
});
