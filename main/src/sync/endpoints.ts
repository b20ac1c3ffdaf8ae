import type { CollectionName } from '../../../shared/src/schemas';
import { SYNC_API_PREFIX } from '../../../shared/src/sync/protocol';

/** Routes of the sync server's contract (shared/src/sync/protocol.ts), in one place. */
export const ENDPOINTS = {
  login: `${SYNC_API_PREFIX}/auth/login`,
  refresh: `${SYNC_API_PREFIX}/auth/refresh`,
  logout: `${SYNC_API_PREFIX}/auth/logout`,
  pull: (collection: CollectionName) => `${SYNC_API_PREFIX}/replication/${collection}/pull`,
  push: (collection: CollectionName) => `${SYNC_API_PREFIX}/replication/${collection}/push`,
  stream: `${SYNC_API_PREFIX}/replication/stream`,
  revocations: `${SYNC_API_PREFIX}/access/revocations`,
  rightsState: `${SYNC_API_PREFIX}/rights/state`,
} as const;

export function endpointUrl(serverUrl: string, path: string): string {
  return new URL(path, serverUrl.endsWith('/') ? serverUrl : `${serverUrl}/`).toString();
}
