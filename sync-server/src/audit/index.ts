import type { Engine } from '../db/engine';
import type { Clock } from '../types';
import type { CentralAuditLog } from './audit-log';
import { createAuditLog } from './audit-log';
import type { CheckpointService } from './checkpoints';
import { createCheckpointService } from './checkpoints';
import type { CheckpointSigner, SigningKeySource } from './signing';
import { loadOrCreateSigningKey } from './signing';

export type { AuditEntry, ChainFault, ChainHead, ChainReport } from './chain';
export { canonicalJson, entryHash, GENESIS_HASH, verifyEntries } from './chain';
export type { AuditSearchQuery, AuditSearchPage, CentralAuditLog, IngestResult } from './audit-log';
export { createAuditLog, takeAuditLock } from './audit-log';
export type { CheckpointService, FullVerification, PublicKeyInfo, Scheduler } from './checkpoints';
export { createCheckpointService, DEFAULT_CHECKPOINT_INTERVAL_MS, scheduleCheckpoints } from './checkpoints';
export type { Checkpoint, CheckpointSigner, SigningKeySource } from './signing';
export { checkpointSignatureValid, loadOrCreateSigningKey } from './signing';
export type { AuditRouteDeps } from './routes';
export { AUDIT_ERROR_STATUS, auditErrorStatus, registerAuditRoutes } from './routes';
export { postgresAuditGrants } from './postgres-roles';

export type AuditModule = {
  readonly log: CentralAuditLog;
  readonly signer: CheckpointSigner;
  readonly checkpoints: CheckpointService;
};

/**
 * The log, the server's signing key (generated under `keys.dir` on first start) and the
 * checkpoint service, registered so every instance serves this key.
 */
export async function createAuditModule(deps: { engine: Engine; clock: Clock; keys: SigningKeySource }): Promise<AuditModule> {
  const log = createAuditLog({ engine: deps.engine, clock: deps.clock });
  const signer = loadOrCreateSigningKey(deps.keys);
  const checkpoints = createCheckpointService({ engine: deps.engine, clock: deps.clock, signer, log });
  await checkpoints.registerKey();
  return { log, signer, checkpoints };
}
