export type { ConflictChoice, RejectedChange, ReplicationClient, ReplicationClientOptions, SyncConnection, SyncStatus } from './replication-client';
export { createReplicationClient } from './replication-client';
export type { RefreshTokenStore, SyncSession, SyncSessionOptions } from './session';
export { createSyncSession, memoryRefreshTokenStore } from './session';
export type { SyncCollections, SyncedDatabase, SyncStateDoc } from './sync-collections';
export { addSyncCollections, syncCollectionCreators, SYNC_STATE_COLLECTION } from './sync-collections';
export { createConflictHandler } from './conflict-handler';
export { backoffDelay, createBackoff, DEFAULT_BACKOFF } from './backoff';
export type { BackoffOptions } from './backoff';
