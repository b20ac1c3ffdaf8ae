import type { Engine, Queryable } from '../db/engine';
import type { Clock } from '../types';
import type { ChainFault, ChainHead } from './chain';
import { ChainVerifier } from './chain';
import type { AuditRow, CentralAuditLog } from './audit-log';
import { readHead, takeAuditLock } from './audit-log';
import type { Checkpoint, CheckpointSigner } from './signing';
import { checkpointSignatureValid, signCheckpoint } from './signing';

export type PublicKeyInfo = { readonly keyId: string; readonly publicKey: string; readonly createdAt: string };

export type CheckpointCheck =
  | { readonly ok: true }
  | { readonly ok: false; readonly code: string; readonly params?: Readonly<Record<string, string | number>> };

export type FullVerification =
  | { readonly ok: true; readonly head: ChainHead; readonly checkpointsChecked: number; readonly checkpointsSkipped: number }
  | {
      readonly ok: false;
      /** The first sequence that cannot be trusted. */
      readonly firstBadSequence: number;
      readonly kind: ChainFault['kind'] | 'checkpoint';
      /** For kind 'checkpoint': the signed checkpoint the chain no longer matches. */
      readonly checkpointSequence?: number;
      readonly lastGood: ChainHead;
    };

export type CheckpointService = {
  /** Records this server's public key (once) so every instance can serve it. */
  registerKey(): Promise<void>;
  /**
   * Signs the current head. With `onlyIfChanged`, returns null when the latest checkpoint
   * already covers this head (the periodic job does not pile up identical checkpoints).
   */
  create(options?: { readonly onlyIfChanged?: boolean }): Promise<Checkpoint | null>;
  latest(): Promise<Checkpoint | null>;
  publicKeys(): Promise<PublicKeyInfo[]>;
  /** A checkpoint (e.g. the last one a workstation kept): validly signed by a known key, and its head still in the chain. */
  verify(checkpoint: Checkpoint): Promise<CheckpointCheck>;
  /**
   * Walks the chain and checks every stored checkpoint signed by a trusted key against it.
   * A chain rewritten consistently from some point (every hash recomputed) passes the
   * walk but not the checkpoints: it is then reported from the entry after the last
   * checkpoint that still matches, since nothing after it can be trusted.
   */
  verifyAll(options: { readonly trustedKeys: ReadonlyMap<string, string>; readonly pageSize?: number }): Promise<FullVerification>;
};

export type CheckpointDeps = {
  readonly engine: Engine;
  readonly clock: Clock;
  readonly signer: CheckpointSigner;
  readonly log: CentralAuditLog;
};

type CheckpointRow = { sequence: number | string; head_hash: string; signed_at: string; key_id: string; signature: string };

const fromRow = (r: CheckpointRow): Checkpoint => ({
  sequence: Number(r.sequence),
  headHash: r.head_hash,
  signedAt: r.signed_at,
  keyId: r.key_id,
  signature: r.signature,
});

async function hashAt(q: Queryable, sequence: number): Promise<string | undefined> {
  const rows = await q.query<Pick<AuditRow, 'hash'>>('SELECT hash FROM audit_log WHERE sequence = $1', [sequence]);
  return rows[0]?.hash;
}

export function createCheckpointService(deps: CheckpointDeps): CheckpointService {
  const { engine, clock, signer } = deps;

  async function registerKey(): Promise<void> {
    await engine.execute(
      'INSERT INTO audit_signing_keys (key_id, public_key, created_at) VALUES ($1, $2, $3) ON CONFLICT (key_id) DO NOTHING',
      [signer.keyId, signer.publicKeyPem, new Date(clock()).toISOString()],
    );
  }

  async function latestIn(q: Queryable): Promise<Checkpoint | null> {
    const rows = await q.query<CheckpointRow>(
      'SELECT sequence, head_hash, signed_at, key_id, signature FROM audit_checkpoints ORDER BY id DESC LIMIT 1',
    );
    return rows[0] ? fromRow(rows[0]) : null;
  }

  async function create(options: { onlyIfChanged?: boolean } = {}): Promise<Checkpoint | null> {
    await registerKey();
    // Under the audit lock: the head signed is the committed head, not one an appender is about to move.
    return engine.transaction(async (tx) => {
      await takeAuditLock(tx);
      const head = await readHead(tx);
      if (options.onlyIfChanged) {
        const last = await latestIn(tx);
        if (last && last.sequence === head.sequence && last.headHash === head.hash) return null;
      }
      const checkpoint = signCheckpoint(signer, head, new Date(clock()).toISOString());
      await tx.execute(
        'INSERT INTO audit_checkpoints (sequence, head_hash, signed_at, key_id, signature) VALUES ($1, $2, $3, $4, $5)',
        [checkpoint.sequence, checkpoint.headHash, checkpoint.signedAt, checkpoint.keyId, checkpoint.signature],
      );
      return checkpoint;
    });
  }

  async function publicKeys(): Promise<PublicKeyInfo[]> {
    const rows = await engine.query<{ key_id: string; public_key: string; created_at: string }>(
      'SELECT key_id, public_key, created_at FROM audit_signing_keys ORDER BY created_at, key_id',
    );
    return rows.map((r) => ({ keyId: r.key_id, publicKey: r.public_key, createdAt: r.created_at }));
  }

  async function verify(checkpoint: Checkpoint): Promise<CheckpointCheck> {
    const key = (await publicKeys()).find((k) => k.keyId === checkpoint.keyId);
    if (!key) return { ok: false, code: 'AUDIT_CHECKPOINT_KEY_UNKNOWN', params: { keyId: checkpoint.keyId } };
    if (!checkpointSignatureValid(checkpoint, key.publicKey)) return { ok: false, code: 'AUDIT_CHECKPOINT_SIGNATURE_INVALID' };
    if (checkpoint.sequence === 0) return { ok: true };
    const stored = await hashAt(engine, checkpoint.sequence);
    if (stored !== checkpoint.headHash) {
      return { ok: false, code: 'AUDIT_CHECKPOINT_HEAD_MISMATCH', params: { sequence: checkpoint.sequence } };
    }
    return { ok: true };
  }

  async function verifyAll(options: { trustedKeys: ReadonlyMap<string, string>; pageSize?: number }): Promise<FullVerification> {
    const rows = await engine.query<CheckpointRow>(
      'SELECT sequence, head_hash, signed_at, key_id, signature FROM audit_checkpoints ORDER BY sequence, id',
    );
    let skipped = 0;
    const trusted: Checkpoint[] = [];
    for (const cp of rows.map(fromRow)) {
      const pem = options.trustedKeys.get(cp.keyId);
      // A checkpoint whose signature does not verify proves nothing, whoever wrote it.
      if (pem === undefined || !checkpointSignatureValid(cp, pem)) skipped += 1;
      else trusted.push(cp);
    }
    const verifier = new ChainVerifier();
    let lastMatching = 0;
    let next = 0;
    const checkpointFault = (cp: Checkpoint): FullVerification => ({
      ok: false,
      firstBadSequence: lastMatching + 1,
      kind: 'checkpoint',
      checkpointSequence: cp.sequence,
      lastGood: verifier.head,
    });
    const settle = (): FullVerification | null => {
      // Entries are gapless once accepted, so each checkpoint is met exactly at its sequence.
      for (let cp = trusted[next]; cp && cp.sequence <= verifier.head.sequence; cp = trusted[++next]) {
        if (cp.sequence < verifier.head.sequence) continue;
        if (cp.headHash !== verifier.head.hash) return checkpointFault(cp);
        lastMatching = cp.sequence;
      }
      return null;
    };
    for await (const entry of deps.log.scan({ pageSize: options.pageSize ?? 2000 })) {
      const fault = verifier.push(entry);
      if (fault) {
        return { ok: false, firstBadSequence: fault.sequence, kind: fault.kind, lastGood: verifier.head };
      }
      const bad = settle();
      if (bad) return bad;
    }
    const pending = trusted.slice(next).find((cp) => cp.sequence > verifier.head.sequence);
    if (pending) {
      // A signed head beyond the end of the chain: its tail was removed.
      return { ok: false, firstBadSequence: verifier.head.sequence + 1, kind: 'missing', checkpointSequence: pending.sequence, lastGood: verifier.head };
    }
    return { ok: true, head: verifier.head, checkpointsChecked: trusted.length, checkpointsSkipped: skipped };
  }

  return { registerKey, create, latest: () => latestIn(engine), publicKeys, verify, verifyAll };
}

/** The scheduler seam of the core's jobs module: `task` runs once per interval across all instances. */
export type Scheduler = {
  every(name: string, intervalMs: number, task: () => Promise<void>): unknown;
};

export const DEFAULT_CHECKPOINT_INTERVAL_MS = 5 * 60_000;

/** Registers periodic checkpoint signing (skipped when the head has not moved since the last one). */
export function scheduleCheckpoints(
  scheduler: Scheduler,
  checkpoints: CheckpointService,
  intervalMs = DEFAULT_CHECKPOINT_INTERVAL_MS,
): void {
  scheduler.every('audit-checkpoint', intervalMs, async () => {
    await checkpoints.create({ onlyIfChanged: true });
  });
}

