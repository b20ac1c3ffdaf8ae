import canonicalize from 'canonicalize';
import { createHash, createPublicKey, verify } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { ApiResponse, CheckpointStatus } from '../../../shared/src/api';
import { AppError, isAppError } from '../../../shared/src/errors';
import type { UserRole } from '../../../shared/src/sync/protocol';
import {
  AUDIT_API_PATHS,
  AuditKeysResponseSchema,
  AuditVerifyResponseSchema,
  LatestCheckpointResponseSchema,
  PatientAccessReportSchema,
  VerifyCheckpointResponseSchema,
} from '../../../shared/src/sync/audit-protocol';
import type { AuditCheckpoint } from '../../../shared/src/sync/audit-protocol';
import {
  BreakGlassReviewListResponseSchema,
  MergeListResponseSchema,
  PatientMergeSchema,
  ReviewedBreakGlassSchema,
  VIGILANCE_API_PATHS,
} from '../../../shared/src/sync/vigilance-protocol';
import { listDuplicateGroups } from '../services/duplicates';
import type { Services } from '../services';
import { readJson } from '../sync/session';
import type { Handlers } from './dispatcher';

/** What the audit and identity-vigilance channels need from the host. */
export type VigilanceCore = {
  /** The profile's role, undefined before a profile exists (VAULT_LOCKED while locked). */
  role(): UserRole | undefined;
  services(): Services;
  readonly dataDir: string;
  readonly insTestMode: boolean;
  /** Electron's save dialog; absent in browser mode. */
  readonly saveFile?: (suggestedName: string) => Promise<string | undefined>;
  /** A call to the sync server with the session's token (one refresh and retry on 401); non-2xx throws the server's code. */
  serverFetch(pathAndQuery: string, init?: { method?: string; body?: unknown; accept?: string }): Promise<Response>;
};

/** The signing key this workstation saw first (trust on first use), beside the vault. */
export const PINNED_AUDIT_KEY_FILE = 'audit-signing-key.pinned.json';
const PinnedKeySchema = z.strictObject({ keyId: z.string(), publicKey: z.string(), pinnedAt: z.string() });

function keyIdOf(publicKeyPem: string): string {
  const der = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex').slice(0, 32);
}

/** The same bytes the server signs (sync-server/src/audit/signing.ts, checkpointPayload). */
function checkpointPayload(c: AuditCheckpoint): Buffer {
  return Buffer.from(
    canonicalize({ type: 'clinic-audit-checkpoint/v1', sequence: c.sequence, headHash: c.headHash, signedAt: c.signedAt, keyId: c.keyId }) ?? '',
    'utf8',
  );
}

export function checkpointSignatureValid(checkpoint: AuditCheckpoint, publicKeyPem: string): boolean {
  try {
    const key = createPublicKey(publicKeyPem);
    if (key.asymmetricKeyType !== 'ed25519' || keyIdOf(publicKeyPem) !== checkpoint.keyId) return false;
    return verify(null, checkpointPayload(checkpoint), key, Buffer.from(checkpoint.signature, 'base64'));
  } catch {
    return false;
  }
}

const requireRole = (core: VigilanceCore, roles: readonly UserRole[], code: string): UserRole => {
  const role = core.role();
  if (role === undefined) throw new AppError('APP_PROFILE_REQUIRED');
  if (!roles.includes(role)) throw new AppError(code);
  return role;
};

const query = (params: Record<string, string | number | undefined>): string => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, String(v));
  const s = q.toString();
  return s === '' ? '' : `?${s}`;
};

/**
 * The audit and identity-vigilance channels (shared/src/api/audit-contract.ts). The
 * server decides who may read what (and records it); the host refuses before any request
 * the roles that never may, so a secretary's click costs no round trip.
 */
export function createVigilanceHandlers(core: VigilanceCore): Pick<
  Handlers,
  | 'audit:verify'
  | 'audit:checkpoint'
  | 'audit:break-glass'
  | 'audit:break-glass-review'
  | 'audit:export'
  | 'audit:patient-accesses'
  | 'identity:duplicates'
  | 'identity:merges'
  | 'identity:merge'
  | 'identity:unmerge'
> {
  const dpo = () => requireRole(core, ['dpo'], 'AUDIT_FORBIDDEN');
  const identity = () => requireRole(core, ['practitioner', 'secretary'], 'IDENTITY_MERGE_FORBIDDEN');
  /** Merges are decided on the server: without a server session, say so rather than a bare "log in". */
  const onServer = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (isAppError(error) && error.code === 'SYNC_CLIENT_LOGIN_REQUIRED') throw new AppError('IDENTITY_SERVER_REQUIRED');
      throw error;
    }
  };

  async function checkpointStatus(): Promise<CheckpointStatus> {
    const latest = await readJson(await core.serverFetch(AUDIT_API_PATHS.latestCheckpoint), LatestCheckpointResponseSchema, 'audit');
    const checkpoint = latest.checkpoint;
    const pinFile = path.join(core.dataDir, PINNED_AUDIT_KEY_FILE);
    let pinned: z.infer<typeof PinnedKeySchema> | undefined;
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- fixed name in the vault's data folder
    if (fs.existsSync(pinFile)) {
      // eslint-disable-next-line security/detect-non-literal-fs-filename -- same file
      const parsed = PinnedKeySchema.safeParse(JSON.parse(fs.readFileSync(pinFile, 'utf8')));
      if (parsed.success) pinned = parsed.data;
    }
    if (checkpoint === null) {
      return { checkpoint: null, signatureValid: null, pinnedKeyId: pinned?.keyId ?? null, pinnedNow: false, headInChain: null, problem: null };
    }
    let pinnedNow = false;
    if (pinned === undefined) {
      const keys = await readJson(await core.serverFetch(AUDIT_API_PATHS.keys), AuditKeysResponseSchema, 'audit');
      const key = keys.keys.find((k) => k.keyId === checkpoint.keyId);
      // The key must be the one its id names (hash of its SPKI), else it proves nothing.
      if (key !== undefined && keyIdOf(key.publicKey) === key.keyId) {
        pinned = { keyId: key.keyId, publicKey: key.publicKey, pinnedAt: new Date().toISOString() };
        const tmp = `${pinFile}.tmp`;
        // eslint-disable-next-line security/detect-non-literal-fs-filename -- fixed name in the vault's data folder
        fs.writeFileSync(tmp, JSON.stringify(pinned), { mode: 0o600 });
        // eslint-disable-next-line security/detect-non-literal-fs-filename -- same file
        fs.renameSync(tmp, pinFile);
        pinnedNow = true;
      }
    }
    const verified = await readJson(
      await core.serverFetch(AUDIT_API_PATHS.verifyCheckpoint, { method: 'POST', body: checkpoint }),
      VerifyCheckpointResponseSchema,
      'audit',
    );
    const headInChain = verified.valid || verified.code !== 'AUDIT_CHECKPOINT_HEAD_MISMATCH' ? verified.valid : false;
    if (pinned === undefined) {
      return { checkpoint, signatureValid: false, pinnedKeyId: null, pinnedNow, headInChain, problem: { code: 'AUDIT_CHECKPOINT_KEY_UNKNOWN', params: { keyId: checkpoint.keyId } } };
    }
    if (pinned.keyId !== checkpoint.keyId) {
      return {
        checkpoint,
        signatureValid: false,
        pinnedKeyId: pinned.keyId,
        pinnedNow,
        headInChain,
        problem: { code: 'AUDIT_CHECKPOINT_KEY_CHANGED', params: { expected: pinned.keyId, actual: checkpoint.keyId } },
      };
    }
    const signatureValid = checkpointSignatureValid(checkpoint, pinned.publicKey);
    const problem = !signatureValid
      ? { code: 'AUDIT_CHECKPOINT_SIGNATURE_INVALID' }
      : !verified.valid
        ? { code: verified.code ?? 'AUDIT_CHECKPOINT_HEAD_MISMATCH', ...(verified.params ? { params: verified.params } : {}) }
        : null;
    return { checkpoint, signatureValid, pinnedKeyId: pinned.keyId, pinnedNow, headInChain, problem };
  }

  return {
    'audit:verify': async () => {
      dpo();
      return readJson(await core.serverFetch(AUDIT_API_PATHS.verify), AuditVerifyResponseSchema, 'audit');
    },
    'audit:checkpoint': async () => {
      requireRole(core, ['dpo', 'practitioner', 'secretary', 'admin'], 'AUDIT_FORBIDDEN');
      return checkpointStatus();
    },
    'audit:break-glass': async (r) => {
      dpo();
      const res = await core.serverFetch(`${VIGILANCE_API_PATHS.breakGlass}${query({ status: r.status })}`);
      return readJson(res, BreakGlassReviewListResponseSchema, 'audit');
    },
    'audit:break-glass-review': async (r) => {
      dpo();
      const res = await core.serverFetch(VIGILANCE_API_PATHS.breakGlassReview.replace(':breakGlassId', encodeURIComponent(r.id)), {
        method: 'POST',
        body: { comment: r.comment },
      });
      return readJson(res, ReviewedBreakGlassSchema, 'audit');
    },
    'audit:export': async (r): Promise<ApiResponse<'audit:export'>> => {
      dpo();
      const fileName = `audit-${r.from.slice(0, 10)}-${r.to.slice(0, 10)}${r.patientId ? `-${r.patientId}` : ''}.csv`;
      // Asked before the export: a cancelled dialog costs nothing and records nothing.
      let target: string | undefined;
      if (core.saveFile) {
        target = await core.saveFile(fileName);
        if (target === undefined) throw new AppError('AUDIT_EXPORT_CANCELLED');
      }
      const res = await core.serverFetch(`${AUDIT_API_PATHS.export}${query({ from: r.from, to: r.to, patientId: r.patientId })}`, { accept: 'text/csv' });
      // Bytes as sent (Response.text() would drop the BOM spreadsheets need to read UTF-8).
      const bytes = Buffer.from(await res.arrayBuffer());
      if (target === undefined) return { kind: 'download', fileName, csv: bytes.toString('utf8') };
      const tmp = `${target}.part`;
      // eslint-disable-next-line security/detect-non-literal-fs-filename -- the path the user chose in the save dialog
      fs.writeFileSync(tmp, bytes);
      // eslint-disable-next-line security/detect-non-literal-fs-filename -- same
      fs.renameSync(tmp, target);
      return { kind: 'saved', path: target, bytes: bytes.length };
    },
    'audit:patient-accesses': async (r) => {
      requireRole(core, ['dpo', 'practitioner'], 'AUDIT_PATIENT_REPORT_FORBIDDEN');
      const url = `${AUDIT_API_PATHS.patientAccesses.replace(':patientId', encodeURIComponent(r.patientId))}${query({ before: r.before })}`;
      return readJson(await core.serverFetch(url), PatientAccessReportSchema, 'audit');
    },
    'identity:duplicates': async () => ({ groups: await listDuplicateGroups(core.services()) }),
    'identity:merges': async (r) => {
      identity();
      return onServer(async () =>
        readJson(await core.serverFetch(`${VIGILANCE_API_PATHS.merges}${query({ patientId: r.patientId })}`), MergeListResponseSchema, 'identity'),
      );
    },
    'identity:merge': async (r) => {
      identity();
      return onServer(async () => readJson(await core.serverFetch(VIGILANCE_API_PATHS.merges, { method: 'POST', body: r }), PatientMergeSchema, 'identity'));
    },
    'identity:unmerge': async (r) => {
      identity();
      const url = VIGILANCE_API_PATHS.unmerge.replace(':mergeId', encodeURIComponent(r.mergeId));
      return onServer(async () => readJson(await core.serverFetch(url, { method: 'POST', body: {} }), PatientMergeSchema, 'identity'));
    },
  };
}
