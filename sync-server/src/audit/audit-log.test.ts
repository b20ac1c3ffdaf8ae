import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../shared/src/schemas';
import { AuditEntrySchema } from '../../../shared/src/sync/audit-protocol';
import type { Engine, Queryable } from '../db/engine';
import { forEachEngine } from '../testing/engines';
import type { AuditRecord, Principal } from '../types';
import type { AuditRow } from './audit-log';
import { createAuditLog, entryFromRow } from './audit-log';
import { chainEntry } from './chain';
import { auditRecordId } from './record-id';

const NOW = Date.parse('2026-03-01T10:00:00.000Z');
const clock = () => NOW;

function record(i: number, extra: Partial<AuditRecord> = {}): AuditRecord {
  return {
    id: `evt-${String(i).padStart(4, '0')}`,
    source: 'server',
    userId: `user-${i % 3}`,
    role: 'practitioner',
    workstation: 'ws-1',
    action: i % 4 === 0 ? 'login' : 'read',
    ...(i % 4 === 0 ? {} : { patientId: `patient-${i % 2}` }),
    instant: new Date(Date.UTC(2026, 1, 1, 0, 0, i)).toISOString(),
    outcome: 'success',
    ...(i % 5 === 0 ? { details: { count: i, flagged: true, code: 'X' } } : {}),
    ...extra,
  };
}

async function appendN(engine: Engine, from: number, to: number): Promise<void> {
  const log = createAuditLog({ engine, clock });
  await engine.transaction((tx) => log.append(tx, Array.from({ length: to - from }, (_, k) => record(from + k))));
}

/** What an attacker with owner rights on the database does first. */
async function dropProtection(engine: Engine): Promise<void> {
  if (engine.kind === 'sqlite') {
    await engine.execute('DROP TRIGGER audit_log_no_update');
    await engine.execute('DROP TRIGGER audit_log_no_delete');
  } else {
    await engine.execute('DROP TRIGGER audit_log_no_change ON audit_log');
  }
}

async function rowAt(q: Queryable, sequence: number): Promise<AuditRow> {
  const rows = await q.query<AuditRow>('SELECT * FROM audit_log WHERE sequence = $1', [sequence]);
  if (!rows[0]) throw new Error(`no row ${sequence}`);
  return rows[0];
}

const principal: Principal = {
  userId: 'user-7',
  username: 'dr.martin',
  role: 'practitioner',
  workstationId: 'ws-7',
  sessionId: 'session-7',
};

function event(id: string, extra: Partial<AuditEvent> = {}): AuditEvent {
  return {
    id,
    userId: 'user-7',
    role: 'practitioner',
    workstation: 'ws-7',
    action: 'read',
    patientId: 'patient-1',
    object: { collection: 'encounter', id: `enc-${id}` },
    instant: '2026-02-20T08:00:00.000Z',
    updatedAt: '2026-02-20T08:00:00.000Z',
    outcome: 'success',
    ...extra,
  };
}

forEachEngine('audit log', (getEngine, { kind, database }) => {
  it('appends in the caller transaction, gapless from 1, each entry chained to the previous', async () => {
    const engine = getEngine();
    const log = createAuditLog({ engine, clock });
    expect(await log.chainLength()).toBe(0);
    await appendN(engine, 0, 10);
    await expect(
      engine.transaction(async (tx) => {
        await log.append(tx, [record(10)]);
        throw new Error('the write it audits failed');
      }),
    ).rejects.toThrow('the write it audits failed');
    await appendN(engine, 11, 15);
    const rows = await engine.query<AuditRow>('SELECT * FROM audit_log ORDER BY sequence');
    expect(rows.map((r) => Number(r.sequence))).toEqual(Array.from({ length: 14 }, (_, i) => i + 1));
    expect(rows.some((r) => r.id === record(10).id)).toBe(false);
    const entries = rows.map(entryFromRow);
    for (let i = 1; i < entries.length; i++) expect(entries[i]?.previousHash).toBe(entries[i - 1]?.hash);
    // The stored entry round-trips to exactly the record given (optional fields absent, details kept).
    const { sequence, receivedAt, previousHash, hash, ...stored } = entries[0] as (typeof entries)[number];
    expect(stored).toEqual(record(0));
    expect(sequence).toBe(1);
    expect(receivedAt).toBe(new Date(NOW).toISOString());
    expect(chainEntry({ sequence: 0, hash: previousHash }, record(0), receivedAt).hash).toBe(hash);
    expect(await log.verifyChain()).toEqual({ ok: true, head: { sequence: 14, hash: entries[13]?.hash } });
    expect(await log.chainLength()).toBe(14);
  });

  it('stores each record once however often it is appended (retries, duplicates within a batch)', async () => {
    const engine = getEngine();
    const log = createAuditLog({ engine, clock });
    const batch = [record(1), record(2), record(1)];
    expect(await engine.transaction((tx) => log.append(tx, batch))).toEqual({ appended: 2 });
    expect(await engine.transaction((tx) => log.append(tx, [record(2), record(3)]))).toEqual({ appended: 1 });
    expect(await engine.transaction((tx) => log.append(tx, batch))).toEqual({ appended: 0 });
    expect(await log.chainLength()).toBe(3);
    expect((await log.verifyChain()).ok).toBe(true);
  });

  it('appends records with fresh ids without looking them up, and refuses the whole transaction should one be there', async () => {
    const engine = getEngine();
    const log = createAuditLog({ engine, clock });
    const fresh = [record(1, { id: auditRecordId() }), record(2, { id: auditRecordId() })];
    expect(await engine.transaction((tx) => log.append(tx, fresh, { freshIds: true }))).toEqual({ appended: 2 });
    // A caller that broke the promise: the UNIQUE index refuses, nothing of the batch is kept.
    const broken = [record(3, { id: auditRecordId() }), fresh[1] as AuditRecord];
    await expect(engine.transaction((tx) => log.append(tx, broken, { freshIds: true }))).rejects.toThrow();
    expect(await log.chainLength()).toBe(2);
    expect((await log.verifyChain()).ok).toBe(true);
  });

  it('appends a large batch (several multi-row inserts) as one gapless valid run', async () => {
    const engine = getEngine();
    const log = createAuditLog({ engine, clock });
    await appendN(engine, 0, 3);
    expect(await engine.transaction((tx) => log.append(tx, Array.from({ length: 250 }, (_, k) => record(3 + k))))).toEqual({ appended: 250 });
    const rows = await engine.query<AuditRow>('SELECT * FROM audit_log ORDER BY sequence');
    expect(rows.map((r) => r.id)).toEqual(Array.from({ length: 253 }, (_, i) => record(i).id));
    expect(await log.verifyChain({ pageSize: 64 })).toMatchObject({ ok: true, head: { sequence: 253 } });
  });

  it('stores awkward text exactly, and a batch past one insert statement with stored ids mixed in', async () => {
    const engine = getEngine();
    const log = createAuditLog({ engine, clock });
    const awkward = record(1, {
      id: 'quote " backslash \\ newline \n tab \t é 😀',
      userId: "o'brien",
      reason: 'line1\r\nline2 \u2028 {"json":[1,2]} null',
      object: { collection: 'encounter', id: '' },
      details: { count: 0, ratio: 0.1, negative: -3, flagged: false, text: '"}]' },
    });
    await engine.transaction((tx) => log.append(tx, [awkward, record(2)]));
    const stored = entryFromRow(await rowAt(engine, 1));
    expect(stored).toEqual(chainEntry({ sequence: 0, hash: '0'.repeat(64) }, awkward, new Date(NOW).toISOString()));
    const big = Array.from({ length: 2600 }, (_, k) => record(k));
    expect(await engine.transaction((tx) => log.append(tx, big))).toEqual({ appended: 2599 });
    const rows = await engine.query<AuditRow>('SELECT id FROM audit_log ORDER BY sequence');
    expect(rows.map((r) => r.id)).toEqual([awkward.id, record(2).id, ...big.filter((_, k) => k !== 2).map((r) => r.id)]);
    expect(await log.verifyChain()).toMatchObject({ ok: true, head: { sequence: 2601 } });
  });

  it('is refused UPDATE and DELETE by the database itself', async () => {
    const engine = getEngine();
    await appendN(engine, 0, 3);
    await expect(engine.execute("UPDATE audit_log SET action = 'read' WHERE sequence = 1")).rejects.toThrow(/AUDIT_LOG_APPEND_ONLY/);
    await expect(engine.execute('DELETE FROM audit_log WHERE sequence = 3')).rejects.toThrow(/AUDIT_LOG_APPEND_ONLY/);
    await expect(engine.execute('UPDATE audit_checkpoints SET sequence = 0')).resolves.toBe(0);
    if (kind === 'postgres') {
      await expect(engine.execute('TRUNCATE audit_log')).rejects.toThrow(/AUDIT_LOG_APPEND_ONLY/);
    }
    expect(await createAuditLog({ engine, clock }).chainLength()).toBe(3);
  });

  describe('verifyChain catches tampering by someone who dropped the triggers', () => {
    it('one byte changed: at that sequence', async () => {
      const engine = getEngine();
      await appendN(engine, 0, 12);
      await dropProtection(engine);
      const victim = await rowAt(engine, 7);
      const changed = victim.user_id.slice(0, -1) + String.fromCharCode(victim.user_id.charCodeAt(victim.user_id.length - 1) ^ 1);
      await engine.execute('UPDATE audit_log SET user_id = $1 WHERE sequence = 7', [changed]);
      expect(await createAuditLog({ engine, clock }).verifyChain()).toMatchObject({
        ok: false,
        fault: { sequence: 7, kind: 'hash' },
        lastGood: { sequence: 6 },
      });
    });

    it('one entry deleted: at its sequence', async () => {
      const engine = getEngine();
      await appendN(engine, 0, 12);
      await dropProtection(engine);
      await engine.execute('DELETE FROM audit_log WHERE sequence = 5');
      expect(await createAuditLog({ engine, clock }).verifyChain({ pageSize: 3 })).toMatchObject({
        ok: false,
        fault: { sequence: 5, kind: 'missing' },
      });
    });

    it('one entry deleted and the rest renumbered to hide the gap: at its sequence', async () => {
      const engine = getEngine();
      await appendN(engine, 0, 12);
      await dropProtection(engine);
      await engine.execute('DELETE FROM audit_log WHERE sequence = 5');
      await engine.execute('UPDATE audit_log SET sequence = -(sequence - 1) WHERE sequence > 5');
      await engine.execute('UPDATE audit_log SET sequence = -sequence WHERE sequence < 0');
      expect(await createAuditLog({ engine, clock }).verifyChain()).toMatchObject({ ok: false, fault: { sequence: 5 } });
    });

    it('two entries swapped: at the first of them', async () => {
      const engine = getEngine();
      await appendN(engine, 0, 12);
      await dropProtection(engine);
      await engine.execute('UPDATE audit_log SET sequence = -1 WHERE sequence = 4');
      await engine.execute('UPDATE audit_log SET sequence = 4 WHERE sequence = 9');
      await engine.execute('UPDATE audit_log SET sequence = 9 WHERE sequence = -1');
      expect(await createAuditLog({ engine, clock }).verifyChain()).toMatchObject({ ok: false, fault: { sequence: 4 } });
    });

    it('one entry inserted: at its own sequence, or where its link breaks when its hash was forged', async () => {
      const engine = getEngine();
      const log = createAuditLog({ engine, clock });
      await appendN(engine, 0, 12);
      await dropProtection(engine);
      await engine.execute('UPDATE audit_log SET sequence = -(sequence + 1) WHERE sequence > 6');
      await engine.execute('UPDATE audit_log SET sequence = -sequence WHERE sequence < 0');
      // A copy of entry 6 with another patient, placed at 7: its stored hash no longer fits its content.
      const original = await rowAt(engine, 6);
      const copy = { ...original, id: 'forged', patient_id: 'patient-victim', sequence: 7, previous_hash: original.hash };
      const cols = Object.keys(copy);
      await engine.execute(
        `INSERT INTO audit_log (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})`,
        Object.values(copy) as (string | number | null)[],
      );
      expect(await log.verifyChain()).toMatchObject({ ok: false, fault: { sequence: 7, kind: 'hash' } });

      // The same insertion with a correctly computed hash: entry 7 is well formed, so the
      // break shows at 8, whose previous hash is not entry 7's.
      const forged = chainEntry({ sequence: 6, hash: original.hash }, record(99, { id: 'forged' }), original.received_at);
      await engine.execute('UPDATE audit_log SET hash = $1, patient_id = $2, previous_hash = $3, user_id = $4, action = $5, instant = $6, details = NULL WHERE sequence = 7', [
        forged.hash,
        forged.patientId ?? null,
        forged.previousHash,
        forged.userId,
        forged.action,
        forged.instant,
      ]);
      expect(await log.verifyChain()).toMatchObject({ ok: false, fault: { sequence: 8, kind: 'link' }, lastGood: { sequence: 7 } });
    });
  });

  it('serialises concurrent appends from two connections (two server instances) into one valid chain', async () => {
    const first = getEngine();
    const second = await database().open();
    const rounds = 15;
    const work = (engine: Engine, offset: number) =>
      Promise.all(
        Array.from({ length: rounds }, (_, k) =>
          engine.transaction((tx) =>
            createAuditLog({ engine, clock }).append(tx, [record(offset + 2 * k), record(offset + 2 * k + 1)]),
          ),
        ),
      );
    await Promise.all([work(first, 0), work(second, 1000)]);
    const log = createAuditLog({ engine: first, clock });
    expect(await log.chainLength()).toBe(4 * rounds);
    expect((await log.verifyChain()).ok).toBe(true);
    // The same record appended concurrently from both instances is stored once.
    await Promise.all([appendN(first, 5000, 5010), appendN(second, 5000, 5010)]);
    expect(await log.chainLength()).toBe(4 * rounds + 10);
    expect((await log.verifyChain()).ok).toBe(true);
  });

  it('ingests workstation events exactly once with the server receipt instant, refusing events in another name', async () => {
    const engine = getEngine();
    const log = createAuditLog({ engine, clock });
    const events = [
      event('e1'),
      event('e2', { action: 'break_glass', reason: 'Urgence vitale' }),
      event('e3', { userId: 'user-8' }),
      event('e4', { workstation: 'ws-8' }),
    ];
    const first = await engine.transaction((tx) => log.ingestWorkstationEvents(tx, principal, events));
    expect(first).toEqual({
      appended: 2,
      rejected: [
        { id: 'e3', code: 'AUDIT_EVENT_NOT_YOURS' },
        { id: 'e4', code: 'AUDIT_EVENT_NOT_YOURS' },
      ],
    });
    const retried = await engine.transaction((tx) => log.ingestWorkstationEvents(tx, principal, events));
    expect(retried.appended).toBe(0);
    const entries = (await log.search({ limit: 50 })).entries;
    expect(entries.map((e) => e.id).sort()).toEqual(['e1', 'e2', 'refused:ws-7:e3', 'refused:ws-7:e4']);
    const e2 = entries.find((e) => e.id === 'e2');
    expect(e2).toMatchObject({ source: 'workstation', action: 'break_glass', reason: 'Urgence vitale', instant: '2026-02-20T08:00:00.000Z', receivedAt: new Date(NOW).toISOString() });
    expect(entries.find((e) => e.id === 'refused:ws-7:e3')).toMatchObject({ source: 'server', outcome: 'denied', userId: 'user-7', object: { collection: 'audit_event', id: 'e3' } });
    expect((await log.verifyChain()).ok).toBe(true);
  });

  it('on a shared workstation accepts events of users who had a session there, records who delivered them, refuses the others once', async () => {
    const engine = getEngine();
    const log = createAuditLog({ engine, clock });
    const at = new Date(NOW).toISOString();
    const user = (id: string, role: string) =>
      engine.execute(
        'INSERT INTO users (id, username, display_name, role, rpps, password_hash, created_at) VALUES ($1, $1, $1, $2, $3, $4, $5)',
        [id, role, role === 'practitioner' ? '10000000001' : null, 'x', at],
      );
    await user('user-a', 'practitioner');
    await user('user-b', 'secretary');
    await user('user-c', 'practitioner');
    for (const ws of ['ws-7', 'ws-9']) await engine.execute('INSERT INTO workstations (id, name, created_at) VALUES ($1, $1, $2)', [ws, at]);
    const session = (id: string, userId: string, ws: string) =>
      engine.execute('INSERT INTO auth_sessions (id, user_id, workstation_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $4)', [id, userId, ws, at]);
    await session('s-a', 'user-a', 'ws-7');
    await session('s-b', 'user-b', 'ws-7');
    await session('s-c', 'user-c', 'ws-9');
    const pusher: Principal = { userId: 'user-b', username: 'user-b', role: 'secretary', workstationId: 'ws-7', sessionId: 's-b' };
    const events = [
      event('a1', { userId: 'user-a' }),
      event('a2', { userId: 'user-a', role: 'dpo' }),
      event('b1', { userId: 'user-b', role: 'secretary' }),
      event('c1', { userId: 'user-c' }),
      event('a3', { userId: 'user-a', workstation: 'ws-9' }),
    ];
    const first = await engine.transaction((tx) => log.ingestWorkstationEvents(tx, pusher, events));
    expect(first).toEqual({
      appended: 3,
      rejected: [
        { id: 'c1', code: 'AUDIT_EVENT_NOT_YOURS' },
        { id: 'a3', code: 'AUDIT_EVENT_NOT_YOURS' },
      ],
    });
    const length = await log.chainLength();
    // Retried by the same user, then by the event's author signed in on the same workstation: nothing new.
    await engine.transaction((tx) => log.ingestWorkstationEvents(tx, pusher, events));
    await engine.transaction((tx) =>
      log.ingestWorkstationEvents(tx, { ...pusher, userId: 'user-a', username: 'user-a', role: 'practitioner', sessionId: 's-a' }, events),
    );
    expect(await log.chainLength()).toBe(length);
    const entries = (await log.search({ limit: 50 })).entries;
    const byId = new Map(entries.map((e) => [e.id, e]));
    expect([...byId.keys()].sort()).toEqual(['a1', 'a2', 'b1', 'refused:ws-7:a3', 'refused:ws-7:c1']);
    expect(byId.get('a1')).toMatchObject({ userId: 'user-a', role: 'practitioner', deliveredBy: 'user-b' });
    expect(byId.get('a1')?.serverRole).toBeUndefined();
    expect(byId.get('a2')).toMatchObject({ userId: 'user-a', role: 'dpo', serverRole: 'practitioner', deliveredBy: 'user-b' });
    expect(byId.get('b1')).toMatchObject({ userId: 'user-b', deliveredBy: 'user-b' });
    expect(byId.get('refused:ws-7:c1')).toMatchObject({ source: 'server', outcome: 'denied', userId: 'user-b', object: { collection: 'audit_event', id: 'c1' } });
    // The delivery fields are part of the hashed entry: changing one breaks the chain there.
    expect((await log.verifyChain()).ok).toBe(true);
    const a2 = byId.get('a2');
    expect(a2).toBeDefined();
    for (const e of entries) expect(AuditEntrySchema.safeParse(e).success).toBe(true);
    await dropProtection(engine);
    await engine.execute("UPDATE audit_log SET delivered_by = 'user-a' WHERE id = 'a2'");
    expect(await log.verifyChain()).toMatchObject({ ok: false, fault: { sequence: a2?.sequence, kind: 'hash' } });
  });

  it('searches by patient, user, action and time range, newest first, page by page', async () => {
    const engine = getEngine();
    const log = createAuditLog({ engine, clock });
    await appendN(engine, 0, 40);
    const all = await log.search({ limit: 100 });
    expect(all.entries.map((e) => e.sequence)).toEqual(Array.from({ length: 40 }, (_, i) => 40 - i));
    expect(all.nextCursor).toBeNull();

    const filter = { patientId: 'patient-1', userId: 'user-0', action: 'read', from: record(10).instant, to: record(34).instant };
    const expected = Array.from({ length: 40 }, (_, i) => record(i))
      .filter((r) => r.patientId === 'patient-1' && r.userId === 'user-0' && r.action === 'read' && r.instant >= filter.from && r.instant < filter.to)
      .map((r) => r.id)
      .reverse();
    expect(expected.length).toBeGreaterThan(2);
    const seen: string[] = [];
    let before: number | undefined;
    for (;;) {
      const page = await log.search({ ...filter, limit: 2, ...(before !== undefined ? { before } : {}) });
      seen.push(...page.entries.map((e) => e.id));
      if (page.nextCursor === null) break;
      before = page.nextCursor;
    }
    expect(seen).toEqual(expected);
  });
});
