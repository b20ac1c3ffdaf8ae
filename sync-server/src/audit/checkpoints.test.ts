import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { Engine } from '../db/engine';
import { forEachEngine } from '../testing/engines';
import type { AuditRecord } from '../types';
import type { AuditRow } from './audit-log';
import { createAuditLog, entryFromRow } from './audit-log';
import { chainEntry, GENESIS_HASH } from './chain';
import type { CheckpointService } from './checkpoints';
import { createCheckpointService, scheduleCheckpoints } from './checkpoints';
import type { CheckpointSigner } from './signing';
import { loadOrCreateSigningKey } from './signing';
import { Scheduler } from '../jobs/scheduler';

let now = Date.parse('2026-03-01T10:00:00.000Z');
const clock = () => now;
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function signer(): CheckpointSigner {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-cp-'));
  dirs.push(dir);
  return loadOrCreateSigningKey({ dir });
}

const record = (i: number): AuditRecord => ({
  id: `evt-${i}`,
  source: 'server',
  userId: `user-${i % 3}`,
  role: 'secretary',
  workstation: 'ws',
  action: 'read',
  patientId: `p-${i % 4}`,
  instant: new Date(Date.UTC(2026, 1, 1, 0, 0, i)).toISOString(),
  outcome: 'success',
});

function setup(engine: Engine, key = signer()) {
  const log = createAuditLog({ engine, clock });
  const checkpoints = createCheckpointService({ engine, clock, signer: key, log });
  const append = (from: number, to: number) =>
    engine.transaction((tx) => log.append(tx, Array.from({ length: to - from }, (_, k) => record(from + k))));
  return { log, checkpoints, append, key, engine };
}

const trust = (s: CheckpointSigner) => new Map([[s.keyId, s.publicKeyPem]]);

/** An attacker with database rights rewrites entries from `from` on and recomputes every later hash. */
async function rewriteFrom(engine: Engine, from: number): Promise<void> {
  if (engine.kind === 'sqlite') await engine.execute('DROP TRIGGER audit_log_no_update');
  else await engine.execute('DROP TRIGGER audit_log_no_change ON audit_log');
  const rows = await engine.query<AuditRow>('SELECT * FROM audit_log WHERE sequence >= $1 ORDER BY sequence', [from - 1]);
  let head = { sequence: from - 1, hash: rows[0] && from > 1 ? rows[0].hash : GENESIS_HASH };
  for (const row of rows.filter((r) => Number(r.sequence) >= from)) {
    const { sequence: _s, receivedAt, previousHash: _p, hash: _h, ...rest } = entryFromRow(row);
    const forged = chainEntry(head, { ...rest, patientId: Number(row.sequence) === from ? 'p-hidden' : (rest.patientId ?? 'p') }, receivedAt);
    await engine.execute('UPDATE audit_log SET patient_id = $1, previous_hash = $2, hash = $3 WHERE sequence = $4', [
      forged.patientId ?? null,
      forged.previousHash,
      forged.hash,
      forged.sequence,
    ]);
    head = { sequence: forged.sequence, hash: forged.hash };
  }
}

async function sign(checkpoints: CheckpointService) {
  now += 60_000;
  const cp = await checkpoints.create();
  if (!cp) throw new Error('no checkpoint');
  return cp;
}

forEachEngine('audit checkpoints', (getEngine, { database }) => {
  it('signs the head on demand, serves it with the public key, and skips an unchanged head when asked', async () => {
    const engine = getEngine();
    const { log, checkpoints, append, key } = setup(engine);
    expect(await checkpoints.latest()).toBeNull();
    const empty = await sign(checkpoints);
    expect(empty).toMatchObject({ sequence: 0, headHash: GENESIS_HASH, keyId: key.keyId });
    expect(await checkpoints.create({ onlyIfChanged: true })).toBeNull();
    await append(0, 7);
    const cp = await checkpoints.create({ onlyIfChanged: true });
    expect(cp).toMatchObject({ sequence: 7, headHash: (await log.head()).hash, signedAt: new Date(now).toISOString() });
    expect(await checkpoints.latest()).toEqual(cp);
    expect(await checkpoints.publicKeys()).toEqual([{ keyId: key.keyId, publicKey: key.publicKeyPem, createdAt: expect.any(String) }]);
    expect(await checkpoints.verify(cp as NonNullable<typeof cp>)).toEqual({ ok: true });
  });

  it('refuses a checkpoint whose signature does not match, or signed by an unknown key', async () => {
    const engine = getEngine();
    const { checkpoints, append } = setup(engine);
    await append(0, 5);
    const cp = await sign(checkpoints);
    expect(await checkpoints.verify({ ...cp, headHash: 'ff'.repeat(32) })).toEqual({ ok: false, code: 'AUDIT_CHECKPOINT_SIGNATURE_INVALID' });
    expect(await checkpoints.verify({ ...cp, signedAt: '2020-01-01T00:00:00.000Z' })).toMatchObject({ ok: false, code: 'AUDIT_CHECKPOINT_SIGNATURE_INVALID' });
    const stranger = setup(engine, signer()).key;
    const foreign = { ...cp, keyId: stranger.keyId };
    expect(await checkpoints.verify(foreign)).toEqual({ ok: false, code: 'AUDIT_CHECKPOINT_KEY_UNKNOWN', params: { keyId: stranger.keyId } });
  });

  it('catches a chain recomputed from some entry on: the walk passes, the signed heads do not', async () => {
    const engine = getEngine();
    const { log, checkpoints, append, key } = setup(engine);
    await append(0, 5);
    const cp5 = await sign(checkpoints);
    await append(5, 10);
    const cp10 = await sign(checkpoints);
    await append(10, 12);
    expect(await checkpoints.verifyAll({ trustedKeys: trust(key) })).toEqual({
      ok: true,
      head: await log.head(),
      checkpointsChecked: 2,
      checkpointsSkipped: 0,
    });
    await rewriteFrom(engine, 7);
    expect((await log.verifyChain()).ok).toBe(true);
    expect(await checkpoints.verify(cp5)).toEqual({ ok: true });
    expect(await checkpoints.verify(cp10)).toEqual({ ok: false, code: 'AUDIT_CHECKPOINT_HEAD_MISMATCH', params: { sequence: 10 } });
    expect(await checkpoints.verifyAll({ trustedKeys: trust(key), pageSize: 4 })).toMatchObject({
      ok: false,
      firstBadSequence: 6,
      kind: 'checkpoint',
      checkpointSequence: 10,
    });
  });

  it('catches a removed tail that a signed checkpoint covered, and ignores checkpoints it cannot trust', async () => {
    const engine = getEngine();
    const { checkpoints, append, key } = setup(engine);
    await append(0, 6);
    await sign(checkpoints);
    // A checkpoint row written straight into the table, with a made-up signature.
    await engine.execute(
      "INSERT INTO audit_checkpoints (sequence, head_hash, signed_at, key_id, signature) VALUES (3, $1, '2026-03-01T00:00:00.000Z', $2, $3)",
      ['00'.repeat(32), key.keyId, Buffer.alloc(64).toString('base64')],
    );
    expect(await checkpoints.verifyAll({ trustedKeys: trust(key) })).toMatchObject({ ok: true, checkpointsChecked: 1, checkpointsSkipped: 1 });
    if (engine.kind === 'sqlite') await engine.execute('DROP TRIGGER audit_log_no_delete');
    else await engine.execute('DROP TRIGGER audit_log_no_change ON audit_log');
    await engine.execute('DELETE FROM audit_log WHERE sequence >= 5');
    expect(await checkpoints.verifyAll({ trustedKeys: trust(key) })).toMatchObject({
      ok: false,
      firstBadSequence: 5,
      kind: 'missing',
      checkpointSequence: 6,
    });
    expect(await checkpoints.verifyAll({ trustedKeys: new Map() })).toMatchObject({ ok: true, checkpointsChecked: 0, checkpointsSkipped: 2 });
  });

  it('signs heads that are in the chain while two instances append concurrently', async () => {
    const first = setup(getEngine());
    const second = setup(await database().open(), first.key);
    await Promise.all([
      ...Array.from({ length: 8 }, (_, k) => (k % 2 ? first : second).append(k * 3, k * 3 + 3)),
      ...Array.from({ length: 4 }, (_, k) => (k % 2 ? second : first).checkpoints.create()),
    ]);
    expect(await first.checkpoints.verifyAll({ trustedKeys: trust(first.key) })).toMatchObject({ ok: true, checkpointsChecked: 4 });
  });

  it('signs periodically through the scheduler, once per period across two instances, skipping an unchanged head', async () => {
    const first = setup(getEngine());
    const second = setup(await database().open(), first.key);
    const instances = [first, second].map((i) => {
      const scheduler = new Scheduler({ engine: i.engine, clock });
      scheduleCheckpoints(scheduler, i.checkpoints, 60_000);
      return scheduler;
    });
    const tick = async () => (await Promise.all(instances.map((s) => s.runDue()))).flat();
    await first.append(0, 3);
    expect(await tick()).toEqual(['audit-checkpoint']);
    expect(await tick()).toEqual([]);
    now += 60_000;
    // A new period, but the head has not moved: the job runs and signs nothing.
    expect(await tick()).toEqual(['audit-checkpoint']);
    await second.append(3, 4);
    now += 60_000;
    expect(await tick()).toEqual(['audit-checkpoint']);
    const rows = await getEngine().query<{ sequence: number }>('SELECT sequence FROM audit_checkpoints ORDER BY id');
    expect(rows.map((r) => Number(r.sequence))).toEqual([3, 4]);
    for (const s of instances) await s.stop();
  });
});
