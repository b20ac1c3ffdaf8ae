import type { ApiParsedRequest, ApiResponse, Profile, SessionState, Settings, SettingsPolicy, SetupState, SyncStatusView, VaultStatus } from '../../../shared/src/api';
import type { Imaging } from '../imaging';
import { createImagingHandlers } from '../imaging';
import { createInteropHandlers } from '../interop/handlers';
import type { Services } from '../services';
import type { Handlers } from './dispatcher';
import type { RightsCore } from './rights-handlers';
import { createRightsHandlers } from './rights-handlers';
import type { VigilanceCore } from './vigilance-handlers';
import { createVigilanceHandlers } from './vigilance-handlers';

/** What the host offers the handlers: vault and session transitions, settings, and the services of the open store. */
export type HostCore = {
  appInfo(): ApiResponse<'app:info'>;
  setupState(): SetupState;
  createVault(passphrase: string): Promise<ApiResponse<'vault:create'>>;
  unlock(passphrase: string): Promise<SessionState>;
  lock(): Promise<SessionState>;
  vaultStatus(): VaultStatus;
  profile(): { profile: Profile | null };
  setupOffline(displayName: string, rpps: string): Promise<ApiResponse<'profile:setup-offline'>>;
  login(request: ApiParsedRequest<'session:login'>): Promise<SessionState>;
  logout(): Promise<SessionState>;
  getSettings(): Settings;
  setSettings(patch: ApiParsedRequest<'settings:set'>): Settings;
  settingsPolicy(): SettingsPolicy;
  setUnsavedWork(dirty: boolean): Record<string, never>;
  ping(): { lockAt: string | null };
  /** The services of the unlocked vault, for the profile in place (VAULT_LOCKED, APP_PROFILE_REQUIRED otherwise). */
  services(): Services;
  /** The imaging services of the unlocked vault (same conditions as `services`). */
  imaging(): Imaging;
  syncStatus(): SyncStatusView;
  syncRetry(clearRejected: boolean): SyncStatusView;
  auditSearch(request: ApiParsedRequest<'audit:search'>): Promise<ApiResponse<'audit:search'>>;
} & VigilanceCore &
  RightsCore;

/** One line per channel: the dispatcher has validated the request; the services do the work. */
export function createHandlers(core: HostCore): Handlers {
  return {
    'app:info': () => core.appInfo(),
    'setup:state': () => core.setupState(),
    'vault:create': (r) => core.createVault(r.passphrase),
    'vault:unlock': (r) => core.unlock(r.passphrase),
    'vault:lock': () => core.lock(),
    'vault:status': () => core.vaultStatus(),
    'profile:get': () => core.profile(),
    'profile:setup-offline': (r) => core.setupOffline(r.displayName, r.rpps),
    'session:login': (r) => core.login(r),
    'session:logout': () => core.logout(),
    'settings:get': () => core.getSettings(),
    'settings:set': (r) => core.setSettings(r),
    'settings:policy': () => core.settingsPolicy(),
    'app:unsaved-work': (r) => core.setUnsavedWork(r.dirty),
    'activity:ping': () => core.ping(),
    'patients:search': (r) => core.services().patients.search(r.query, r.offset, r.limit),
    'patients:get': (r) => core.services().patients.get(r.id),
    'patients:save': (r) => core.services().patients.save(r.draft, r.expectedUpdatedAt),
    'patients:check': (r) => core.services().patients.check(r.draft),
    'encounters:list': async (r) => ({ encounters: await core.services().encounters.list(r.patientId) }),
    'encounters:get': async (r) => ({ encounter: await core.services().encounters.get(r.id) }),
    'encounters:save': (r) => core.services().encounters.save(r.draft),
    'encounters:sign': async (r) => ({ encounter: await core.services().encounters.sign(r.encounterId, r.entryId) }),
    'encounters:addendum': async (r) => ({ encounter: await core.services().encounters.addendum(r.encounterId, r.amends, r.text, r.sign) }),
    'timeline:get': async (r) => ({ patientId: r.patientId, items: await core.services().encounters.timeline(r.patientId) }),
    'observations:vitals': async (r) => ({ series: await core.services().encounters.vitals(r.patientId, r.kinds) }),
    'sync:status': () => core.syncStatus(),
    'sync:retry': (r) => core.syncRetry(r?.clearRejected === true),
    'conflicts:list': async () => ({ conflicts: await core.services().conflicts.list() }),
    'conflicts:resolve': async (r) => (await core.services().conflicts.resolve(r.id, r.choice, r.value), {}),
    'audit:search': (r) => core.auditSearch(r),
    ...createImagingHandlers(() => core.imaging()),
    ...createInteropHandlers({ interop: () => core.services().interop, saveFile: core.saveFile, serverFetch: (p, i) => core.serverFetch(p, i) }),
    ...createVigilanceHandlers(core),
    ...createRightsHandlers(core),
  };
}
