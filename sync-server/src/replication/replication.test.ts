import { afterEach, beforeEach, expect, it } from 'vitest';
import type { PullResponse, PushResponse } from '../../../shared/src/sync/protocol';
import { CLI_ACTOR } from '../auth/auth-service';
import { forEachEngine } from '../testing/engines';
import { makeDocument, makeEncounter, makePatient } from '../testing/documents';
import type { TestServer, TestUser } from '../testing/server';
import { openEventStream, post, signIn, startTestServer } from '../testing/server';

const wire = <T extends object>(doc: T, deleted = false) => ({ ...doc, _deleted: deleted });

forEachEngine('replication over HTTP', (getEngine, { database, kind }) => {
  let server: TestServer;
  let doctor: TestUser;
  let secretary: TestUser;
  const pull = (user: TestUser, collection: string, sequence: number | null, batchSize = 100) =>
    post(`${server.url}/v1/replication/${collection}/pull`, user.accessToken, {
      checkpoint: sequence === null ? null : { sequence },
      batchSize,
    });
  const push = (user: TestUser, collection: string, rows: unknown[]) =>
    post(`${server.url}/v1/replication/${collection}/push`, user.accessToken, { rows });

  beforeEach(async () => {
    server = await startTestServer(getEngine());
    doctor = await signIn(server.services, 'practitioner');
    secretary = await signIn(server.services, 'secretary');
  });
  afterEach(async () => {
    await server.close();
  });

  it('pushes new documents, pulls them back in sequence order with a checkpoint', async () => {
    const p1 = makePatient('p1', 'Martin');
    const e1 = makeEncounter('e1', 'p1', doctor.rpps ?? '');
    expect(
      (await push(doctor, 'patient', [{ assumedMasterState: null, newDocumentState: wire(p1) }])).body,
    ).toEqual({
      conflicts: [],
      rejected: [],
    });
    expect(
      (await push(doctor, 'encounter', [{ assumedMasterState: null, newDocumentState: wire(e1) }])).status,
    ).toBe(200);
    const first = (await pull(doctor, 'patient', null)).body as PullResponse;
    expect(first.documents).toEqual([wire(p1)]);
    const enc = (await pull(doctor, 'encounter', null)).body as PullResponse;
    expect(enc.documents).toEqual([wire(e1)]);
    expect(enc.checkpoint.sequence).toBeGreaterThan(first.checkpoint.sequence);
    // Nothing new after the checkpoint; the checkpoint stays.
    expect((await pull(doctor, 'patient', first.checkpoint.sequence)).body).toEqual({
      documents: [],
      checkpoint: first.checkpoint,
    });
    // An update moves the document after the checkpoint.
    const p1b = makePatient('p1', 'Martin-Durand');
    await push(doctor, 'patient', [{ assumedMasterState: wire(p1), newDocumentState: wire(p1b) }]);
    const next = (await pull(doctor, 'patient', first.checkpoint.sequence)).body as PullResponse;
    expect(next.documents).toEqual([wire(p1b)]);
    expect(next.checkpoint.sequence).toBeGreaterThan(enc.checkpoint.sequence);
  });

  it('answers a stale assumed state with the current master and writes nothing', async () => {
    const v1 = makePatient('p2', 'Bernard');
    const v2 = makePatient('p2', 'Bernard', { usedName: 'Petit' });
    const v3 = makePatient('p2', 'Bernard', { usedName: 'Grand' });
    await push(doctor, 'patient', [{ assumedMasterState: null, newDocumentState: wire(v1) }]);
    await push(doctor, 'patient', [{ assumedMasterState: wire(v1), newDocumentState: wire(v2) }]);
    const stale = (
      await push(doctor, 'patient', [{ assumedMasterState: wire(v1), newDocumentState: wire(v3) }])
    ).body as PushResponse;
    expect(stale).toEqual({ conflicts: [wire(v2)], rejected: [] });
    // Assuming "no document" for an existing one is a conflict too.
    expect(
      (
        (await push(doctor, 'patient', [{ assumedMasterState: null, newDocumentState: wire(v3) }]))
          .body as PushResponse
      ).conflicts,
    ).toEqual([wire(v2)]);
    // Key order and RxDB transport fields do not make a conflict.
    const reordered = Object.fromEntries(Object.entries(wire(v2)).reverse());
    const ok = (
      await push(doctor, 'patient', [
        {
          assumedMasterState: { ...reordered, _meta: { lwt: 1 }, _rev: '1-x' },
          newDocumentState: wire(v3, true),
        },
      ])
    ).body as PushResponse;
    expect(ok).toEqual({ conflicts: [], rejected: [] });
    const all = (await pull(doctor, 'patient', null)).body as PullResponse;
    expect(all.documents).toEqual([wire(v3, true)]);
  });

  it('a push of the state already stored (a retry whose answer was lost) succeeds without a conflict or a new sequence', async () => {
    const v1 = makePatient('p-retry', 'Lefevre');
    const v2 = makePatient('p-retry', 'Lefevre', { usedName: 'Morel' });
    await push(doctor, 'patient', [{ assumedMasterState: null, newDocumentState: wire(v1) }]);
    await push(doctor, 'patient', [{ assumedMasterState: wire(v1), newDocumentState: wire(v2, true) }]);
    const before = (await pull(doctor, 'patient', null)).body as PullResponse;
    // The same row again (a duplicated push), and with no assumed state (a retry after a restart).
    for (const assumedMasterState of [wire(v1), null]) {
      expect((await push(doctor, 'patient', [{ assumedMasterState, newDocumentState: wire(v2, true) }])).body).toEqual({
        conflicts: [],
        rejected: [],
      });
    }
    expect((await pull(doctor, 'patient', null)).body).toEqual(before);
    // A different state on a stale assumption is still a conflict.
    expect(
      ((await push(doctor, 'patient', [{ assumedMasterState: wire(v1), newDocumentState: wire(v2) }])).body as PushResponse).conflicts,
    ).toEqual([wire(v2, true)]);
  });

  it('rejects a row the user may not write with a code, lets the others through, and audits the refusal', async () => {
    const other = await signIn(server.services, 'practitioner');
    await push(other, 'patient', [
      { assumedMasterState: null, newDocumentState: wire(makePatient('theirs', 'Roux')) },
    ]);
    const before = await server.services.audit.chainLength();
    const result = (
      await push(doctor, 'encounter', [
        {
          assumedMasterState: null,
          newDocumentState: wire(makeEncounter('e-denied', 'theirs', doctor.rpps ?? '')),
        },
        {
          assumedMasterState: null,
          newDocumentState: wire(makeEncounter('e-ok', 'mine', doctor.rpps ?? '')),
        },
        { assumedMasterState: null, newDocumentState: { id: 'e-bad', _deleted: false, patientId: 'mine' } },
      ])
    ).body as PushResponse;
    expect(result.conflicts).toEqual([]);
    expect(result.rejected).toEqual([
      { id: 'e-denied', code: 'ACCESS_NO_GRANT' },
      { id: 'e-bad', code: 'VALIDATION_DOCUMENT_INVALID' },
    ]);
    expect(((await pull(doctor, 'encounter', null)).body as PullResponse).documents.map((d) => d.id)).toEqual(
      ['e-ok'],
    );
    expect(((await pull(other, 'encounter', null)).body as PullResponse).documents).toEqual([]);
    const page = await server.services.audit.search({ userId: doctor.userId, limit: 50 });
    const denied = page.entries.filter((e) => e.outcome === 'denied');
    expect(denied.map((e) => [e.object?.id, e.details?.code]).sort()).toEqual([
      ['e-bad', 'VALIDATION_DOCUMENT_INVALID'],
      ['e-denied', 'ACCESS_NO_GRANT'],
    ]);
    expect(await server.services.audit.chainLength()).toBeGreaterThan(before + 2);
  });

  it('gives a secretary patients and administrative documents, never clinical ones; a practitioner only granted patients', async () => {
    await push(doctor, 'patient', [
      { assumedMasterState: null, newDocumentState: wire(makePatient('p3', 'Moreau')) },
    ]);
    await push(doctor, 'encounter', [
      { assumedMasterState: null, newDocumentState: wire(makeEncounter('e3', 'p3', doctor.rpps ?? '')) },
    ]);
    await push(doctor, 'document', [
      { assumedMasterState: null, newDocumentState: wire(makeDocument('d-admin', 'p3', 'administrative')) },
      { assumedMasterState: null, newDocumentState: wire(makeDocument('d-clin', 'p3', 'clinical')) },
    ]);
    expect(
      ((await pull(secretary, 'patient', null)).body as PullResponse).documents.map((d) => d.id),
    ).toEqual(['p3']);
    expect(((await pull(secretary, 'encounter', null)).body as PullResponse).documents).toEqual([]);
    expect(
      ((await pull(secretary, 'document', null)).body as PullResponse).documents.map((d) => d.id),
    ).toEqual(['d-admin']);
    expect(((await pull(doctor, 'document', null)).body as PullResponse).documents.map((d) => d.id)).toEqual([
      'd-admin',
      'd-clin',
    ]);
    const stranger = await signIn(server.services, 'practitioner');
    expect(((await pull(stranger, 'patient', null)).body as PullResponse).documents).toEqual([]);
    // A secretary cannot turn a clinical document into an administrative one to overwrite it.
    const recat = (
      await push(secretary, 'document', [
        {
          assumedMasterState: wire(makeDocument('d-clin', 'p3', 'clinical')),
          newDocumentState: wire(makeDocument('d-clin', 'p3', 'administrative')),
        },
      ])
    ).body as PushResponse;
    expect(recat.rejected).toEqual([{ id: 'd-clin', code: 'ACCESS_CLINICAL_DENIED' }]);
    const dpo = await signIn(server.services, 'dpo');
    expect(((await pull(dpo, 'patient', null)).body as PullResponse).documents).toEqual([]);
    // Every pull that handed out a patient's data is in the audit log, per patient.
    const reads = await server.services.audit.search({ userId: secretary.userId, action: 'read', limit: 10 });
    expect(reads.entries.map((e) => e.patientId)).toEqual(['p3', 'p3']);
  });

  it('refuses to move a document to another patient', async () => {
    await push(doctor, 'encounter', [
      { assumedMasterState: null, newDocumentState: wire(makeEncounter('e4', 'pa', doctor.rpps ?? '')) },
    ]);
    await push(doctor, 'patient', [
      { assumedMasterState: null, newDocumentState: wire(makePatient('pb', 'Blanc')) },
    ]);
    const moved = (
      await push(doctor, 'encounter', [
        {
          assumedMasterState: wire(makeEncounter('e4', 'pa', doctor.rpps ?? '')),
          newDocumentState: wire(makeEncounter('e4', 'pb', doctor.rpps ?? '')),
        },
      ])
    ).body as PushResponse;
    expect(moved.rejected).toEqual([{ id: 'e4', code: 'SYNC_PATIENT_CHANGED' }]);
  });

  it('lists patients whose grant was revoked, unless still reachable', async () => {
    const other = await signIn(server.services, 'practitioner');
    await push(other, 'patient', [
      { assumedMasterState: null, newDocumentState: wire(makePatient('p5', 'Faure')) },
    ]);
    await server.services.access.grant(CLI_ACTOR, { userId: doctor.userId, patientId: 'p5' });
    expect(((await pull(doctor, 'patient', null)).body as PullResponse).documents.map((d) => d.id)).toEqual([
      'p5',
    ]);
    expect(
      (await post(`${server.url}/v1/access/revocations`, doctor.accessToken, { checkpoint: null })).body,
    ).toEqual({
      patientIds: [],
      checkpoint: { sequence: 0 },
    });
    await server.services.access.revoke(CLI_ACTOR, { userId: doctor.userId, patientId: 'p5' });
    const revoked = (
      await post(`${server.url}/v1/access/revocations`, doctor.accessToken, { checkpoint: null })
    ).body as {
      patientIds: string[];
      checkpoint: { sequence: number };
    };
    expect(revoked.patientIds).toEqual(['p5']);
    expect(((await pull(doctor, 'patient', null)).body as PullResponse).documents).toEqual([]);
    expect(
      (
        await post(`${server.url}/v1/access/revocations`, doctor.accessToken, {
          checkpoint: revoked.checkpoint,
        })
      ).body,
    ).toEqual({
      patientIds: [],
      checkpoint: revoked.checkpoint,
    });
  });

  it('tells a user’s live streams, on every instance, that their access changed (grant, revoke)', async () => {
    const admin = await signIn(server.services, 'admin');
    const second = await startTestServer(await database().open());
    try {
      const here = await openEventStream(server.url, doctor.accessToken);
      const there = await openEventStream(second.url, doctor.accessToken);
      const bystander = await openEventStream(server.url, secretary.accessToken);
      const granted = await post(`${server.url}/v1/admin/grants`, admin.accessToken, {
        userId: doctor.userId,
        patientId: 'p-acc',
      });
      expect(granted.status).toBeLessThan(300);
      const waitAccess = async (s: { events: { event: string }[] }, n: number) => {
        for (let i = 0; i < 200 && s.events.filter((e) => e.event === 'access').length < n; i += 1)
          await new Promise((r) => setTimeout(r, 10));
        return s.events.filter((e) => e.event === 'access').length;
      };
      expect(await waitAccess(here, 1)).toBe(1);
      expect(await waitAccess(there, 1)).toBe(1);
      await server.services.access.revoke(CLI_ACTOR, { userId: doctor.userId, patientId: 'p-acc' });
      expect(await waitAccess(there, 2)).toBe(2);
      expect(here.events[0]?.event).toBe('resync');
      expect(bystander.events.map((e) => e.event)).toEqual(['resync']);
      for (const s of [here, there, bystander]) s.close();
    } finally {
      await second.close();
    }
  });

  it('ends a live stream once its session is revoked', async () => {
    const quick = await startTestServer(getEngine(), { config: { streamHeartbeatMs: 40 } });
    try {
      const response = await fetch(`${quick.url}/v1/replication/stream`, {
        headers: { authorization: `Bearer ${doctor.accessToken}` },
      });
      const body = response.text();
      await new Promise((r) => setTimeout(r, 150));
      expect(quick.services.hub.size).toBe(1);
      await quick.services.auth.revokeUserSessions(doctor.userId, CLI_ACTOR);
      const text = await body;
      expect(text).toContain('event: resync');
      expect(quick.services.hub.size).toBe(0);
    } finally {
      await quick.close();
    }
  });

  // PostgreSQL only: an SQLite engine's in-process emitter cannot lose notifications.
  if (kind === 'postgres')
    it('closes every live stream when the PostgreSQL notification connection is lost (clients resync)', async () => {
      const engine = getEngine();
      const { PostgresEngine } = await import('../db/postgres-engine');
      if (!(engine instanceof PostgresEngine)) throw new Error('expected the PostgreSQL engine');
      const response = await fetch(`${server.url}/v1/replication/stream`, {
        headers: { authorization: `Bearer ${doctor.accessToken}` },
      });
      const body = response.text();
      await new Promise((r) => setTimeout(r, 100));
      const pid = await engine.listenerPid();
      expect(pid).toBeGreaterThan(0);
      await engine.query('SELECT pg_terminate_backend($1)', [pid ?? 0]);
      expect(await body).toContain('event: resync');
      // Listening again: a live change reaches a new stream.
      for (let i = 0; i < 100 && (await engine.listenerPid().catch(() => undefined)) === undefined; i += 1)
        await new Promise((r) => setTimeout(r, 20));
      const again = await openEventStream(server.url, doctor.accessToken);
      await push(doctor, 'patient', [
        { assumedMasterState: null, newDocumentState: wire(makePatient('after-cut', 'Perrin')) },
      ]);
      for (let i = 0; i < 200 && !again.events.some((e) => e.event === 'change'); i += 1)
        await new Promise((r) => setTimeout(r, 10));
      again.close();
      expect(again.events.map((e) => e.event)).toEqual(['resync', 'change']);
    });

  it('sends workstation audit events to the audit log once, never to documents or pulls', async () => {
    const event = {
      id: 'ev-1',
      userId: doctor.userId,
      role: 'practitioner',
      workstation: doctor.workstationId,
      action: 'read',
      patientId: 'p1',
      instant: '2026-03-02T09:00:00.000Z',
      outcome: 'success',
      updatedAt: '2026-03-02T09:00:00.000Z',
    };
    const row = { assumedMasterState: null, newDocumentState: wire(event) };
    expect((await push(doctor, 'audit_event', [row])).body).toEqual({ conflicts: [], rejected: [] });
    expect((await push(doctor, 'audit_event', [row])).body).toEqual({ conflicts: [], rejected: [] });
    const found = await server.services.audit.search({ userId: doctor.userId, action: 'read', limit: 10 });
    expect(found.entries.filter((e) => e.id === 'ev-1')).toHaveLength(1);
    expect(await getEngine().query("SELECT id FROM documents WHERE collection = 'audit_event'")).toEqual([]);
    const pulled = await pull(doctor, 'audit_event', null);
    expect(pulled.status).toBe(400);
    expect(pulled.body).toEqual({ code: 'SYNC_COLLECTION_PUSH_ONLY', params: { collection: 'audit_event' } });
    const forged = (
      await push(doctor, 'audit_event', [
        {
          assumedMasterState: null,
          newDocumentState: wire({ ...event, id: 'ev-2', userId: secretary.userId }),
        },
      ])
    ).body as PushResponse;
    expect(forged.rejected).toEqual([{ id: 'ev-2', code: 'AUDIT_EVENT_NOT_YOURS' }]);
  });

  it('assigns sequences in commit order under concurrent pushes (no pull skips a row)', async () => {
    const doctors = [
      doctor,
      await signIn(server.services, 'practitioner'),
      await signIn(server.services, 'practitioner'),
    ];
    const seen = new Map<string, number>();
    let checkpoint = 0;
    const drain = async () => {
      for (;;) {
        const page = (await pull(secretary, 'patient', checkpoint, 7)).body as PullResponse;
        for (const d of page.documents) seen.set(d.id, (seen.get(d.id) ?? 0) + 1);
        if (page.documents.length === 0) return;
        expect(page.checkpoint.sequence).toBeGreaterThan(checkpoint);
        checkpoint = page.checkpoint.sequence;
      }
    };
    const writes = doctors.flatMap((d, i) =>
      Array.from({ length: 8 }, (_, k) =>
        push(d, 'patient', [
          { assumedMasterState: null, newDocumentState: wire(makePatient(`c${i}-${k}a`, 'Simon')) },
          { assumedMasterState: null, newDocumentState: wire(makePatient(`c${i}-${k}b`, 'Simon')) },
        ]),
      ),
    );
    const pulling = (async () => {
      for (let n = 0; n < 10; n += 1) await drain();
    })();
    const results = await Promise.all(writes);
    await pulling;
    await drain();
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(seen.size).toBe(48);
    const rows = await getEngine().query<{ sequence: number }>(
      'SELECT sequence FROM documents ORDER BY sequence',
    );
    expect(rows.map((r) => r.sequence)).toEqual(Array.from({ length: 48 }, (_, i) => i + 1));
  });

  it('refuses unauthenticated requests and unknown collections with a code', async () => {
    const anon = await post(`${server.url}/v1/replication/patient/pull`, undefined, {
      checkpoint: null,
      batchSize: 10,
    });
    expect(anon.status).toBe(401);
    expect(anon.body).toEqual({ code: 'AUTH_TOKEN_MISSING' });
    const unknown = await pull(doctor, 'nope', null);
    expect(unknown.status).toBe(404);
    expect((unknown.body as { code: string }).code).toBe('SYNC_COLLECTION_UNKNOWN');
    const tooBig = await pull(doctor, 'patient', null, 5000);
    expect(tooBig.status).toBe(400);
    expect(tooBig.body).toEqual({ code: 'SYNC_BODY_INVALID', params: { path: 'body:batchSize' } });
  });
});
