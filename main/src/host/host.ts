/* eslint-disable security/detect-non-literal-fs-filename -- every path is computed by the host from its data folder */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Subscription } from 'rxjs';
import { z } from 'zod';
import type {
  ApiEvent,
  ApiEventPayload,
  Locale,
  Profile,
  SessionState,
  Settings,
  SetupState,
  SyncStatusView,
  VaultStatus,
} from '../../../shared/src/api';
import { ProfileSchema, ServerUrlSchema } from '../../../shared/src/api';
import type { ErrorPayload } from '../../../shared/src/errors';
import { AppError, isAppError } from '../../../shared/src/errors';
import { parseRpps } from '../../../shared/src/identifiers';
import type { AuditEvent, CollectionName } from '../../../shared/src/schemas';
import { AuditEventSchema, DocumentIdSchema } from '../../../shared/src/schemas';
import { estimatePassphraseStrength } from '../../../shared/src/security/passphrase-policy';
import type { WorkstationStore } from '../db/workstation-store';
import { openWorkstationStore } from '../db/workstation-store';
import type { Actor, Clock, Services } from '../services';
import { createServices, createSettingsService, systemClock } from '../services';
import { FieldIssuesError } from '../services/patient-service';
import type { Imaging } from '../imaging';
import type { LoadedPolicy } from '../platform/policy';
import { settingsLocks } from '../platform/policy';
import { createImaging } from '../imaging';
import { AUDIT_API_PATHS, AuditSearchResponseSchema } from '../../../shared/src/sync/audit-protocol';
import type { BackoffOptions, RefreshTokenStore, ReplicationClient, SyncSession, SyncStatus } from '../sync';
import { endpointUrl } from '../sync/endpoints';
import { errorOf, fetchOrOffline, readJson } from '../sync/session';
import { createReplicationClient, createSyncSession } from '../sync';
import type { AttachmentSync } from '../sync/attachment-sync';
import { createAttachmentSync, scheduleUploads } from '../sync/attachment-sync';
import type { RightsGate } from '../sync/rights-gate';
import { createRightsGate } from '../sync/rights-gate';
import { syncCollectionsOf } from '../sync/sync-collections';
import type { Argon2idParams, OsKeystore, UnlockedVault } from '../vault';
import { assertPassphraseAcceptable, createVault, inspectVault, unlockVault } from '../vault';
import type { Dispatch } from './dispatcher';
import { createDispatcher } from './dispatcher';
import type { HostEvents } from './events';
import { createHostEvents } from './events';
import type { HostCore } from './handlers';
import { createHandlers } from './handlers';
import type { IdleTimers } from './idle-lock';
import { createIdleLock, realTimers } from './idle-lock';
import type { SealingKey } from './sealed-file';
import { readSealed, writeSealed } from './sealed-file';

export const HOST_FILES = {
  vault: 'vault',
  /** Profile and sync credentials, sealed with the vault key (sealed-file.ts). */
  session: 'host-session.sealed',
} as const;

export type HostOptions = {
  /** The per-user data folder: holds `vault/`, `settings.json` and the sealed session file. */
  readonly dataDir: string;
  readonly mode: 'electron' | 'browser';
  readonly version?: string;
  readonly clock?: Clock;
  /** Argon2id cost of new passphrase wraps (tests pass the vault's floor to stay fast). */
  readonly kdf?: Argon2idParams;
  /** The OS keystore (Electron safeStorage) to also wrap the key with at creation. */
  readonly keystore?: OsKeystore;
  /** The language before the user chose one (from the OS locale). */
  readonly defaultLocale?: Locale;
  /** Settings to start from where settings.json has none (e.g. the launcher's local sync server). */
  readonly settingsDefaults?: Partial<Settings>;
  /** The machine-wide IT policy (platform/policy.ts): its values lock the matching settings. */
  readonly policy?: LoadedPolicy | undefined;
  readonly timers?: IdleTimers;
  readonly fetch?: typeof fetch;
  /**
   * Idle delay before the vault locks, overriding settings.lockDelayMinutes (whose minimum
   * is a minute): for end-to-end tests that check the auto-lock without waiting minutes.
   */
  readonly lockDelayMs?: number;
  /** How often files of documents are offered to the sync server (default 15 s; also after each sync). */
  readonly attachmentUploadIntervalMs?: number;
  /** Retry delays of the replication client (its default: 0.5 s doubling to 60 s). */
  readonly syncBackoff?: BackoffOptions;
  /**
   * The host's log for unexpected failures. `error` is a string summary (errorSummary:
   * class, code, stack frames), never the error itself, whose message may quote patient data.
   */
  readonly log?: (message: string, error?: unknown) => void;
  /**
   * Asks the user where to save a file (Electron's save dialog); undefined = cancelled.
   * Without it (browser mode) exports come back to the renderer as a download.
   */
  readonly saveFile?: (suggestedName: string) => Promise<string | undefined>;
  /** INS test mode: test and demo INS OIDs accepted (test platforms, training). Default: CLINIQUE_INS_TEST_MODE=1. */
  readonly insTestMode?: boolean;
};

export type Host = {
  /** The one entry of both transports: validated call in, envelope out. */
  readonly dispatch: Dispatch;
  readonly events: Pick<HostEvents, 'on'>;
  /**
   * The stored DICOM file of one instance, for the image byte routes of both transports
   * (../electron/imaging-route.ts). Same conditions as the channels (VAULT_LOCKED,
   * APP_PROFILE_REQUIRED), counts as activity, read through the access choke point (audited).
   */
  readImagingInstance(studyId: string, sopInstanceUid: string): Promise<{ ok: true; bytes: Uint8Array } | { ok: false; error: ErrorPayload }>;
  /** The renderer reported unsaved input (app:unsaved-work): an update must not be installed now. */
  hasUnsavedWork(): boolean;
  /** Locks the vault (stops the replication first) and refuses further calls. */
  close(): Promise<void>;
};

const SyncInfoSchema = z.strictObject({
  serverUrl: ServerUrlSchema,
  workstationId: DocumentIdSchema,
  userId: DocumentIdSchema,
  refreshToken: z.string().min(16).max(4096).optional(),
});
const HostSessionSchema = z.strictObject({
  profile: ProfileSchema.nullable(),
  sync: SyncInfoSchema.nullable(),
});
type HostSession = z.infer<typeof HostSessionSchema>;
const SEAL_PURPOSE = 'host-session';

type TokenSlot = RefreshTokenStore & { pending(): string | undefined; commit(): void; retire(): void };

type SyncRun = {
  readonly serverUrl: string;
  readonly session: SyncSession;
  readonly slot: TokenSlot;
  client: ReplicationClient | undefined;
  /** Files of documents to and from the server (../sync/attachment-sync.ts), with the client. */
  attachments?: AttachmentSync;
  readonly subscriptions: Subscription[];
  readonly unsubscribe: (() => void)[];
};

type Open = {
  readonly vault: UnlockedVault;
  readonly store: WorkstationStore;
  readonly services: Services;
  /** DICOM import and studies; its worker thread starts at the first import and stops at the lock. */
  readonly imaging: Imaging;
  /** Records frozen by a restriction (GDPR Art. 18), as the server last said; kept in the vault. */
  readonly rights: RightsGate;
  session: HostSession;
  sync: SyncRun | undefined;
  readonly subscriptions: Subscription[];
  readonly timers: ReturnType<typeof setTimeout>[];
};

const CLINICAL_COLLECTIONS: readonly CollectionName[] = ['encounter', 'observation', 'allergy', 'prescription', 'document', 'imaging_study'];
const EVENT_BATCH_MS = 50;
const PASSIVE_CHANNELS: ReadonlySet<string> = new Set(['app:info', 'setup:state', 'vault:status', 'sync:status']);
const EVENT_IDS_MAX = 1000;

/**
 * What the log may hold of an error: its class, its code (AppError, RxDB, Node), the codes
 * of its causes, and the stack frames without the message line. Never the message, which
 * may quote patient data.
 */
export function errorSummary(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current !== undefined && current !== null; depth++) {
    if (typeof current !== 'object') {
      // An error code passed as a string (`log('…', 'VAULT_KEY_UNREADABLE')`) is kept; any
      // other text could quote patient data, so only its type is.
      parts.push(typeof current === 'string' && /^[A-Z][A-Z0-9_]{2,63}$/.test(current) ? current : typeof current);
      break;
    }
    const e = current as { name?: unknown; code?: unknown; stack?: unknown; cause?: unknown };
    const name = typeof e.name === 'string' ? e.name : 'Error';
    const code = typeof e.code === 'string' || typeof e.code === 'number' ? ` ${String(e.code)}` : '';
    const frames = typeof e.stack === 'string' ? e.stack.split('\n').filter((l) => /^\s+at /.test(l)).slice(0, 8).join('\n') : '';
    parts.push(`${depth > 0 ? 'caused by ' : ''}${name}${code}${frames ? `\n${frames}` : ''}`);
    current = e.cause;
  }
  return parts.join('\n');
}

/**
 * The composition root of the workstation: owns the vault (create, unlock, lock), the
 * encrypted store, the services on it, the sync session and replication client, the
 * settings, the idle auto-lock, and the event bus; exposes one `dispatch` for both
 * transports. Runs under plain Node (no Electron import).
 */
export function createHost(options: HostOptions): Host {
  const clock = options.clock ?? systemClock;
  const rawLog = options.log ?? (() => undefined);
  // Error messages may quote document contents (RxDB puts documents in its errors): only a summary is logged.
  const log = (message: string, error?: unknown): void => rawLog(message, error === undefined ? undefined : errorSummary(error));
  const vaultDir = path.join(options.dataDir, HOST_FILES.vault);
  const sessionFile = path.join(options.dataDir, HOST_FILES.session);
  const settings = createSettingsService({
    dataDir: options.dataDir,
    defaults: { ...(options.defaultLocale ? { language: options.defaultLocale } : {}), ...options.settingsDefaults },
    locks: settingsLocks(options.policy?.policy),
  });
  const events = createHostEvents((e) => log('event listener failed', e));
  let unsavedWork = false;
  const vaultOptions = { ...(options.kdf ? { kdf: options.kdf } : {}), now: () => clock.now() };

  let open: Open | undefined;
  let closed = false;
  let queue: Promise<unknown> = Promise.resolve();
  let busy = false;

  /** Vault and session transitions run one at a time. */
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(async () => {
      busy = true;
      try {
        return await work();
      } finally {
        busy = false;
      }
    });
    queue = run.catch(() => undefined);
    return run;
  };

  const emit = <E extends ApiEvent>(event: E, payload: ApiEventPayload<E>): void => events.emit(event, payload);

  const idle = createIdleLock({
    clock,
    timers: options.timers ?? realTimers,
    delayMs: () => options.lockDelayMs ?? settings.effective().lockDelayMinutes * 60_000,
    onIdle: () => {
      void lock('idle').catch((e: unknown) => log('idle lock failed', e));
    },
  });

  // ---------------------------------------------------------------- state views

  const insTestMode = options.insTestMode ?? process.env.CLINIQUE_INS_TEST_MODE === '1';

  const requireOpen = (): Open => {
    if (closed) throw new AppError('APP_CLOSED');
    if (open === undefined) throw new AppError(busy ? 'APP_VAULT_BUSY' : 'VAULT_LOCKED');
    return open;
  };

  const sessionState = (reason: SessionState['reason']): SessionState => ({
    vault: open ? 'unlocked' : vaultExists() ? 'locked' : 'absent',
    profile: open?.session.profile ?? null,
    loggedIn: open?.sync?.client !== undefined && !open.sync.session.loginRequired,
    reason,
  });

  const vaultExists = (): boolean => fs.existsSync(path.join(vaultDir, 'vault-keys.json')) || fs.existsSync(path.join(vaultDir, 'clinic.sqlite'));

  const vaultStatus = (): VaultStatus => {
    if (open) return { state: 'unlocked', failures: 0, retryAfterSeconds: 0 };
    try {
      const s = inspectVault(vaultDir, { now: () => clock.now() });
      return { state: 'locked', failures: s.failures, retryAfterSeconds: s.retryAfterSeconds };
    } catch (error) {
      if (isAppError(error) && error.code === 'VAULT_NOT_FOUND') return { state: 'absent', failures: 0, retryAfterSeconds: 0 };
      throw error;
    }
  };

  const actor = (): Actor => {
    const o = requireOpen();
    const profile = o.session.profile;
    if (profile === null) throw new AppError('APP_PROFILE_REQUIRED');
    return {
      userId: profile.userId,
      role: profile.role,
      displayName: profile.displayName,
      rpps: profile.rpps,
      workstationId: o.session.sync?.workstationId ?? settings.effective().workstationId ?? 'local',
    };
  };

  const syncView = (): SyncStatusView => {
    const run = open?.sync;
    const serverUrl = run?.serverUrl ?? settings.effective().serverUrl;
    const base = { serverUrl, pendingChanges: 0, lastSyncAt: null, error: null, unresolvedConflicts: 0, rejected: [] };
    if (run === undefined) return { ...base, connection: 'disabled' };
    if (run.client === undefined) return { ...base, connection: run.session.loginRequired ? 'login-required' : 'connecting' };
    const s: SyncStatus = run.client.status;
    return {
      connection: run.session.loginRequired ? 'login-required' : s.connection,
      serverUrl,
      pendingChanges: s.pendingChanges,
      lastSyncAt: s.lastSyncAt ?? null,
      error: s.error ?? null,
      unresolvedConflicts: s.unresolvedConflicts,
      rejected: s.rejected.slice(-1000).map((r) => ({ ...r })),
    };
  };

  // ---------------------------------------------------------------- sealed session

  const sealing = (o: Open): SealingKey => ({ key: o.vault.key, vaultId: o.vault.vaultId });

  const saveSession = (o: Open, next: HostSession): void => {
    fs.mkdirSync(options.dataDir, { recursive: true });
    writeSealed(sessionFile, sealing(o), SEAL_PURPOSE, next);
    o.session = next;
  };

  const loadSession = (vault: UnlockedVault): HostSession => {
    try {
      return readSealed(sessionFile, { key: vault.key, vaultId: vault.vaultId }, SEAL_PURPOSE, HostSessionSchema, 'APP_PROFILE_CORRUPT') ?? { profile: null, sync: null };
    } catch (error) {
      // The vault opens anyway: the user logs in again or sets up the profile again.
      log('sealed session unreadable', isAppError(error) ? error.code : 'error');
      return { profile: null, sync: null };
    }
  };

  // ---------------------------------------------------------------- open / lock

  const watchStore = (o: Open): void => {
    const patientIds = new Set<string>();
    const clinicalIds = new Set<string>();
    let pending: ReturnType<typeof setTimeout> | undefined;
    const flush = (): void => {
      pending = undefined;
      if (patientIds.size > 0) {
        const ids = patientIds.size > EVENT_IDS_MAX ? [] : [...patientIds];
        patientIds.clear();
        emit('patients:changed', { ids });
      }
      if (clinicalIds.size > 0) {
        const ids = clinicalIds.size > EVENT_IDS_MAX ? [] : [...clinicalIds];
        clinicalIds.clear();
        emit('encounters:changed', { patientIds: ids });
      }
    };
    const later = (): void => {
      if (pending === undefined) {
        pending = setTimeout(flush, EVENT_BATCH_MS);
        o.timers.push(pending);
      }
    };
    const db = o.store.db;
    o.subscriptions.push(
      db.patient.$.subscribe((e) => {
        patientIds.add(e.documentId);
        later();
      }),
    );
    for (const name of CLINICAL_COLLECTIONS) {
      const collection = db.collections[name] as unknown as { $: { subscribe(f: (e: { documentData?: { patientId?: unknown }; previousDocumentData?: { patientId?: unknown } }) => void): Subscription } };
      o.subscriptions.push(
        collection.$.subscribe((e) => {
          const pid = e.documentData?.patientId ?? e.previousDocumentData?.patientId;
          if (typeof pid === 'string') clinicalIds.add(pid);
          later();
        }),
      );
    }
    o.subscriptions.push(
      db.sync_conflict.$.subscribe(() => {
        void db.sync_conflict
          .count({ selector: { status: 'open' } })
          .exec()
          .then((open) => emit('conflicts:changed', { open }))
          .catch(() => undefined);
      }),
    );
  };

  const openStore = async (vault: UnlockedVault, reason: SessionState['reason']): Promise<SessionState> => {
    let store: WorkstationStore;
    try {
      store = await openWorkstationStore(vault);
    } catch (error) {
      await vault.lock().catch(() => undefined);
      throw error;
    }
    const o: Open = {
      vault,
      store,
      services: undefined as unknown as Services,
      imaging: undefined as unknown as Imaging,
      rights: createRightsGate(syncCollectionsOf(store.db)),
      session: loadSession(vault),
      sync: undefined,
      subscriptions: [],
      timers: [],
    };
    await o.rights.load();
    (o as { services: Services }).services = createServices({
      db: store.db,
      clock,
      actor,
      insTestMode,
      restricted: (patientId) => o.rights.isRestricted(patientId),
    });
    (o as { imaging: Imaging }).imaging = createImaging({
      db: store.db,
      clock,
      actor,
      access: o.services.access,
      // A study pulled from another workstation: its files come from the server when the viewer asks.
      remoteFiles: () => (open === o && o.sync?.client !== undefined ? o.sync.attachments : undefined),
    });
    // The listener goes with imaging.close() at the lock (after the last, cancelled, state of a running import).
    o.imaging.imports.onProgress((e) => emit('imaging:import-progress', e));
    open = o;
    watchStore(o);
    idle.start();
    const saved = o.session.sync;
    if (saved?.refreshToken !== undefined) {
      // Resume the replication with the stored refresh token, in the background: unlock works offline.
      void resumeSync(o, saved).catch((e: unknown) => log('sync resume failed', isAppError(e) ? e.code : e));
    }
    const state = sessionState(reason);
    emit('session:changed', state);
    emit('sync:status', syncView());
    return state;
  };

  const stopSync = async (o: Open): Promise<void> => {
    const run = o.sync;
    if (run === undefined) return;
    o.sync = undefined;
    run.slot.retire();
    for (const s of run.subscriptions) s.unsubscribe();
    for (const u of run.unsubscribe) u();
    await run.client?.stop().catch((e: unknown) => log('replication stop failed', e));
  };

  const lock = (reason: 'locked' | 'idle'): Promise<SessionState> =>
    exclusive(async () => {
      const o = open;
      if (o === undefined) return sessionState(reason);
      idle.stop();
      open = undefined;
      for (const s of o.subscriptions) s.unsubscribe();
      for (const t of o.timers) clearTimeout(t);
      await stopSync(o);
      // A running import stops between two files and takes back what it had half-written, while the store is still open.
      await o.imaging.close().catch((e: unknown) => log('imaging close failed', e));
      o.services.close();
      try {
        await o.store.close();
      } finally {
        await o.vault.lock();
      }
      const state = sessionState(reason);
      emit('session:changed', state);
      emit('sync:status', syncView());
      return state;
    });

  // ---------------------------------------------------------------- sync

  /**
   * Where one sync session keeps its rotating refresh token. A session being signed in
   * keeps it in memory until the login is accepted here (committed): a failed login, or
   * one that loses a race with a lock, never overwrites the token of the session in place.
   * Once committed, every rotation is written to the sealed file before it resolves (the
   * server has already retired the previous token). A retired slot (its session stopped)
   * writes nothing more.
   */
  const tokenSlot = (o: Open, serverUrl: string, workstationId: string, committed: boolean): TokenSlot => {
    let isCommitted = committed;
    let retired = false;
    let pending: string | undefined;
    return {
      async load() {
        if (!isCommitted) return pending;
        const s = o.session.sync;
        return s !== null && s.serverUrl === serverUrl && s.workstationId === workstationId ? s.refreshToken : undefined;
      },
      async save(token) {
        if (!isCommitted) {
          pending = token;
          return;
        }
        const s = o.session.sync;
        if (retired || open !== o || s === null) return;
        const { refreshToken: _old, ...rest } = s;
        void _old;
        saveSession(o, { ...o.session, sync: { ...rest, ...(token === undefined ? {} : { refreshToken: token }) } });
      },
      pending: () => pending,
      commit() {
        isCommitted = true;
      },
      retire() {
        retired = true;
      },
    };
  };

  /**
   * The practitioner who worked offline under a local profile now logs in with the server
   * account of the same RPPS: their audit events, never pushed (a local profile exists only
   * before the first login of the vault), are attributed to that account and this
   * workstation, with the local profile named in the reason. Otherwise the server would
   * refuse them (AUDIT_EVENT_NOT_YOURS: an author it does not know on this workstation).
   */
  const adoptOfflineAudit = async (o: Open, local: Profile, server: Profile, workstationId: string): Promise<void> => {
    const docs = await o.store.db.audit_event.find({ selector: { userId: local.userId } }).exec();
    if (docs.length === 0) return;
    const note = `recorded offline before the first login, as local profile ${local.userId}`;
    await o.store.db.audit_event.bulkUpsert(
      docs.map((d) => {
        const e = d.toJSON() as unknown as AuditEvent;
        return AuditEventSchema.parse({
          ...e,
          userId: server.userId,
          role: server.role,
          workstation: workstationId,
          reason: (e.reason === undefined ? note : `${e.reason}; ${note}`).slice(0, 1000),
        });
      }),
    );
  };

  /** Signs in with a password; the session in place (if any) keeps running until this one is accepted. */
  const loginSync = async (o: Open, serverUrl: string, workstationId: string, username: string, password: string): Promise<void> => {
    const slot = tokenSlot(o, serverUrl, workstationId, false);
    const session = createSyncSession({ serverUrl, workstationId, store: slot, ...(options.fetch ? { fetch: options.fetch } : {}), now: () => clock.now() });
    const user = await session.login(username, password);
    if (open !== o) throw new AppError('VAULT_LOCKED');
    await stopSync(o);
    const profile: Profile = {
      userId: user.id,
      displayName: user.displayName,
      role: user.role,
      ...(user.rpps === undefined ? {} : { rpps: user.rpps }),
      username: user.username,
      source: 'server',
    };
    const previous = o.session.profile;
    if (previous?.source === 'local' && previous.rpps !== undefined && previous.rpps === user.rpps) {
      await adoptOfflineAudit(o, previous, profile, workstationId);
    }
    const token = slot.pending();
    saveSession(o, { profile, sync: { serverUrl, workstationId, userId: user.id, ...(token === undefined ? {} : { refreshToken: token }) } });
    slot.commit();
    await runSync(o, { serverUrl, session, slot, client: undefined, subscriptions: [], unsubscribe: [] }, user.id, workstationId);
  };

  /** Resumes the replication with the refresh token stored in the sealed session (after an unlock). */
  const resumeSync = async (o: Open, saved: NonNullable<HostSession['sync']>): Promise<void> => {
    const slot = tokenSlot(o, saved.serverUrl, saved.workstationId, true);
    const session = createSyncSession({ serverUrl: saved.serverUrl, workstationId: saved.workstationId, store: slot, ...(options.fetch ? { fetch: options.fetch } : {}), now: () => clock.now() });
    await runSync(o, { serverUrl: saved.serverUrl, session, slot, client: undefined, subscriptions: [], unsubscribe: [] }, saved.userId, saved.workstationId);
    if (open === o && o.sync?.client !== undefined) emit('session:changed', sessionState(session.loginRequired ? 'login-required' : 'login'));
  };

  const runSync = async (o: Open, run: SyncRun, userId: string, workstationId: string): Promise<void> => {
    if (open !== o) return;
    await stopSync(o);
    o.sync = run;
    const { session } = run;
    run.unsubscribe.push(
      session.onChange(() => {
        if (open === o && o.sync === run) {
          emit('session:changed', sessionState(session.loginRequired ? 'login-required' : 'login'));
          emit('sync:status', syncView());
        }
      }),
    );
    const client = await createReplicationClient({
      db: o.store.db,
      serverUrl: run.serverUrl,
      workstationId,
      session,
      userId,
      rightsGate: o.rights,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.syncBackoff ? { backoff: options.syncBackoff } : {}),
      now: () => clock.now(),
    });
    if (open !== o || o.sync !== run) {
      await client.stop();
      return;
    }
    run.client = client;
    run.subscriptions.push(client.status$.subscribe(() => emit('sync:status', syncView())));
    const attachments = createAttachmentSync({ db: o.store.db, serverUrl: run.serverUrl, session, ...(options.fetch ? { fetch: options.fetch } : {}) });
    run.attachments = attachments;
    const uploads = scheduleUploads(attachments, { ...(options.attachmentUploadIntervalMs ? { intervalMs: options.attachmentUploadIntervalMs } : {}), log });
    let lastSync: string | undefined;
    run.subscriptions.push(
      client.status$.subscribe((s) => {
        // Files follow their documents: after a sync that left nothing to push.
        if (s.connection === 'online' && s.pendingChanges === 0 && s.lastSyncAt !== undefined && s.lastSyncAt !== lastSync) {
          lastSync = s.lastSyncAt;
          uploads.kick();
        }
      }),
    );
    run.unsubscribe.push(() => void uploads.stop());
  };

  // ---------------------------------------------------------------- the operations behind the channels

  const core: HostCore = {
    appInfo: () => ({
      name: 'Clinique',
      version: options.version ?? '0.0.0',
      mode: options.mode,
      defaultLocale: settings.effective().language,
      locales: ['fr-FR', 'de-DE', 'en-GB'],
      timeZone: 'Europe/Paris',
    }),

    setupState: (): SetupState => {
      const vault = vaultStatus();
      const s = settings.effective();
      const hasProfile = open ? open.session.profile !== null : fs.existsSync(sessionFile);
      return {
        vault,
        hasProfile,
        serverConfigured: s.serverUrl !== null,
        serverUrl: s.serverUrl,
        loggedIn: sessionState('startup').loggedIn,
        next: vault.state === 'absent' ? 'create-vault' : vault.state === 'locked' ? 'unlock' : hasProfile ? 'ready' : 'profile',
      };
    },

    createVault: (passphrase: string) =>
      exclusive(async () => {
        if (open) throw new AppError('APP_VAULT_ALREADY_UNLOCKED');
        assertPassphraseAcceptable(passphrase);
        fs.mkdirSync(options.dataDir, { recursive: true });
        const vault = await createVault(vaultDir, passphrase, { ...vaultOptions, ...(options.keystore ? { keystore: options.keystore } : {}) });
        // A sealed file of an earlier vault can never open with this key.
        fs.rmSync(sessionFile, { force: true });
        const session = await openStore(vault, 'created');
        return { session, strength: estimatePassphraseStrength(passphrase) };
      }),

    unlock: (passphrase: string) =>
      exclusive(async () => {
        if (open) throw new AppError('APP_VAULT_ALREADY_UNLOCKED');
        const vault = await unlockVault(vaultDir, passphrase, vaultOptions);
        return openStore(vault, 'unlocked');
      }),

    lock: () => lock('locked'),

    vaultStatus: () => vaultStatus(),

    profile: () => ({ profile: requireOpen().session.profile }),

    setupOffline: (displayName: string, rppsInput: string) =>
      exclusive(async () => {
        const o = requireOpen();
        if (o.session.profile?.source === 'server') throw new AppError('APP_PROFILE_EXISTS');
        const rpps = parseRpps(rppsInput);
        if (!rpps.ok) throw new FieldIssuesError('API_REQUEST_INVALID', [{ path: ['rpps'], code: rpps.error.code }]);
        const profile: Profile = {
          userId: o.session.profile?.userId ?? `local-${randomUUID()}`,
          displayName: displayName.trim() || displayName,
          role: 'practitioner',
          rpps: rpps.value.rpps,
          source: 'local',
        };
        saveSession(o, { ...o.session, profile });
        emit('session:changed', sessionState('profile'));
        return { profile, warnings: [...(rpps.warnings ?? [])] };
      }),

    login: (req: { serverUrl?: string | undefined; username: string; password: string; workstationId?: string | undefined }) =>
      exclusive(async () => {
        const o = requireOpen();
        const current = settings.effective();
        const serverUrl = req.serverUrl ?? current.serverUrl;
        if (serverUrl === null) throw new AppError('APP_SERVER_NOT_CONFIGURED');
        const workstationId = req.workstationId ?? current.workstationId;
        if (workstationId === null) throw new AppError('APP_WORKSTATION_NOT_CONFIGURED');
        await loginSync(o, serverUrl, workstationId, req.username, req.password);
        if (serverUrl !== current.serverUrl || workstationId !== current.workstationId) {
          emit('settings:changed', settings.set({ serverUrl, workstationId }));
        }
        const state = sessionState('login');
        emit('session:changed', state);
        emit('sync:status', syncView());
        return state;
      }),

    logout: () =>
      exclusive(async () => {
        const o = requireOpen();
        const run = o.sync;
        await stopSync(o);
        if (run !== undefined) await run.session.logout().catch((e: unknown) => log('logout failed', isAppError(e) ? e.code : e));
        // The profile stays for offline work; only the server credential goes.
        saveSession(o, { ...o.session, sync: null });
        const state = sessionState('logout');
        emit('session:changed', state);
        emit('sync:status', syncView());
        return state;
      }),

    getSettings: () => settings.get(),

    setUnsavedWork: (dirty: boolean) => {
      unsavedWork = dirty;
      return {};
    },

    settingsPolicy: () => {
      const locked = settings.locked();
      return {
        managed: options.policy !== undefined,
        locked: [...locked.fields],
        allowedLanguages: locked.allowedLanguages ? [...locked.allowedLanguages] : null,
        updateChannel: options.policy?.policy.updateChannel ?? null,
      };
    },

    setSettings: (patch: Partial<Settings>) => {
      const next = settings.set(patch);
      if (patch.lockDelayMinutes !== undefined) idle.reset();
      emit('settings:changed', next);
      return next;
    },

    ping: () => {
      idle.touch();
      const at = idle.lockAt();
      return { lockAt: at === null ? null : new Date(at).toISOString() };
    },

    services: (): Services => {
      const o = requireOpen();
      actor();
      return o.services;
    },

    imaging: (): Imaging => {
      const o = requireOpen();
      actor();
      return o.imaging;
    },

    syncStatus: () => syncView(),

    role: () => requireOpen().session.profile?.role,
    dataDir: options.dataDir,
    insTestMode,
    ...(options.saveFile ? { saveFile: options.saveFile } : {}),
    restrictedRecords: () => ({ restricted: [...requireOpen().rights.restricted()] }),
    serverFetch: async (pathAndQuery, init = {}) => {
      const run = requireOpen().sync;
      if (run === undefined) throw new AppError('SYNC_CLIENT_LOGIN_REQUIRED');
      const url = endpointUrl(run.serverUrl, pathAndQuery);
      const f = options.fetch ?? fetch;
      const call = async (): Promise<Response> => {
        const token = await run.session.accessToken();
        const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: init.accept ?? 'application/json' };
        if (init.body !== undefined) headers['content-type'] = 'application/json';
        const res = await fetchOrOffline(f, url, {
          method: init.method ?? 'GET',
          headers,
          ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
        });
        if (res.status === 401) run.session.invalidate(token);
        return res;
      };
      let res = await call();
      // An access token the server no longer takes: one refresh and one retry.
      if (res.status === 401) {
        await res.body?.cancel();
        res = await call();
      }
      if (!res.ok) throw await errorOf(res);
      return res;
    },

    auditSearch: async (request) => {
      const o = requireOpen();
      if (o.session.profile?.role !== 'dpo') throw new AppError('AUDIT_FORBIDDEN');
      const run = o.sync;
      if (run === undefined) throw new AppError('SYNC_CLIENT_LOGIN_REQUIRED');
      const query = new URLSearchParams();
      for (const [k, v] of Object.entries(request)) if (v !== undefined) query.set(k, String(v));
      const url = `${endpointUrl(run.serverUrl, AUDIT_API_PATHS.entries)}?${query.toString()}`;
      const f = options.fetch ?? fetch;
      const get = async (): Promise<Response> => {
        const token = await run.session.accessToken();
        const res = await fetchOrOffline(f, url, { method: 'GET', headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
        if (res.status === 401) run.session.invalidate(token);
        return res;
      };
      let res = await get();
      // An access token the server no longer takes: one refresh and one retry.
      if (res.status === 401) {
        await res.body?.cancel();
        res = await get();
      }
      if (!res.ok) throw await errorOf(res);
      return readJson(res, AuditSearchResponseSchema, 'audit');
    },

    syncRetry: (clearRejected: boolean) => {
      const client = open?.sync?.client;
      if (clearRejected) client?.clearRejected();
      client?.reSync();
      return syncView();
    },
  };

  const dispatchCall = createDispatcher(createHandlers(core), {
    // Status reads are what a screen polls or a transport asks by itself: they are not someone at the keyboard.
    onCall: (channel) => {
      if (!PASSIVE_CHANNELS.has(channel)) idle.touch();
    },
    onInternalError: (channel, error) => log(`internal error on ${channel}`, error),
  });

  return {
    dispatch: async (channel, request) => {
      if (closed) return { ok: false, error: { code: 'APP_CLOSED' } };
      const wasOpen = open;
      const envelope = await dispatchCall(channel, request);
      // A call that was running when the vault locked (idle, another window) met a closed store: that is the lock, not a fault.
      if (!envelope.ok && envelope.error.code === 'APP_INTERNAL_ERROR' && wasOpen !== undefined && open !== wasOpen) {
        return { ok: false, error: { code: 'VAULT_LOCKED' } };
      }
      return envelope;
    },
    events: { on: (listener) => events.on(listener) },
    hasUnsavedWork: () => unsavedWork,
    async readImagingInstance(studyId, sopInstanceUid) {
      if (closed) return { ok: false, error: { code: 'APP_CLOSED' } };
      const wasOpen = open;
      try {
        const imaging = core.imaging();
        idle.touch();
        return { ok: true, bytes: await imaging.studies.readInstance(studyId, sopInstanceUid) };
      } catch (error) {
        if (isAppError(error)) return { ok: false, error: error.toPayload() };
        // A read running when the vault locked met a closed store: that is the lock, not a fault.
        if (wasOpen !== undefined && open !== wasOpen) return { ok: false, error: { code: 'VAULT_LOCKED' } };
        log('imaging instance read failed', error);
        return { ok: false, error: { code: 'APP_INTERNAL_ERROR' } };
      }
    },
    async close() {
      if (closed) return;
      await lock('locked');
      closed = true;
      idle.stop();
    },
  };
}

