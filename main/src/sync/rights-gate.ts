import type { RightsState } from '../../../shared/src/sync/rights-protocol';
import { RightsStateSchema } from '../../../shared/src/sync/rights-protocol';
import type { SyncCollections } from './sync-collections';

/** Where the last restriction list the server sent is kept (in the vault, so it holds offline). */
export const RIGHTS_STATE_ID = 'rights-state';

/**
 * The records frozen by a restriction (GDPR Art. 18), as the server last said: the access
 * choke point refuses local writes to them (RIGHTS_PATIENT_RESTRICTED) and flags their reads,
 * online or not. Refreshed with the revocations (at each stream connection and `access`
 * event), kept in `sync_state` so a restart offline still enforces it.
 */
export type RightsGate = {
  isRestricted(patientId: string): boolean;
  restricted(): RightsState['restricted'];
  /** Reads the stored list (at unlock). */
  load(): Promise<void>;
  /** Stores and applies a list from the server. */
  apply(state: RightsState): Promise<void>;
  onChange(listener: () => void): () => void;
};

export function createRightsGate(sync: Pick<SyncCollections, 'sync_state'>): RightsGate {
  let current: RightsState['restricted'] = [];
  let ids = new Set<string>();
  const listeners = new Set<() => void>();
  const set = (list: RightsState['restricted']): void => {
    const changed = list.length !== current.length || list.some((r) => !ids.has(r.patientId));
    current = list;
    ids = new Set(list.map((r) => r.patientId));
    if (changed) for (const l of listeners) l();
  };
  return {
    isRestricted: (patientId) => ids.has(patientId),
    restricted: () => current,
    async load() {
      const doc = await sync.sync_state.findOne(RIGHTS_STATE_ID).exec();
      if (!doc) return;
      let raw: unknown;
      try {
        raw = JSON.parse(doc.value);
      } catch {
        raw = undefined;
      }
      const parsed = RightsStateSchema.safeParse(raw);
      // An unreadable stored list is replaced at the next sync; until then nothing is assumed frozen.
      if (parsed.success) set(parsed.data.restricted);
    },
    async apply(state) {
      await sync.sync_state.upsert({ id: RIGHTS_STATE_ID, value: JSON.stringify(state) });
      set(state.restricted);
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
