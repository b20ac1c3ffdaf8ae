import type { ZodType } from 'zod';
import { z } from 'zod';
import { AppError } from '../../../shared/src/errors';
import type { CollectionName } from '../../../shared/src/schemas';
import type {
  PullRequest,
  PullResponse,
  PushRequest,
  PushResponse,
  ReplicationCheckpoint,
  RevocationsResponse,
} from '../../../shared/src/sync/protocol';
import {
  PushResponseSchema,
  ReplicationCheckpointSchema,
  RevocationsResponseSchema,
} from '../../../shared/src/sync/protocol';
import type { RightsState } from '../../../shared/src/sync/rights-protocol';
import { RightsStateSchema } from '../../../shared/src/sync/rights-protocol';
import { endpointUrl, ENDPOINTS } from './endpoints';
import type { FetchLike, SyncSession } from './session';
import { errorOf, fetchOrOffline, readJson } from './session';

/**
 * A pull answer (PullResponse) whose documents are not checked here: each is checked once,
 * in full, by acceptPulledDocuments (envelope and the collection's schema), instead of the
 * envelope schema copying every document first and the collection's schema parsing it again.
 */
export const PulledBatchSchema = z.strictObject({
  documents: z.array(z.unknown()),
  checkpoint: ReplicationCheckpointSchema,
});
export type PulledBatch = { readonly documents: readonly unknown[]; readonly checkpoint: PullResponse['checkpoint'] };

/** The replication endpoints, authorised with the session's access token. */
export type SyncApi = {
  pull(collection: CollectionName, request: PullRequest): Promise<PulledBatch>;
  push(collection: CollectionName, request: PushRequest): Promise<PushResponse>;
  revocations(checkpoint: ReplicationCheckpoint | null): Promise<RevocationsResponse>;
  /** The records frozen by a restriction (GDPR Art. 18), which this workstation enforces too. */
  rightsState(): Promise<RightsState>;
  /** Opens the live stream; the caller reads the body. */
  openStream(signal: AbortSignal): Promise<Response>;
};

export function createSyncApi(options: {
  readonly serverUrl: string;
  readonly session: SyncSession;
  readonly fetch?: FetchLike;
}): SyncApi {
  const f = options.fetch ?? fetch;

  /**
   * One request with the current access token. A 401 means the server no longer takes
   * that token (expired early, revoked): refresh once and try again; a second 401 is a
   * session the user must open again.
   */
  const authorised = async (path: string, init: RequestInit): Promise<Response> => {
    for (let attempt = 0; ; attempt++) {
      const token = await options.session.accessToken();
      const res = await fetchOrOffline(f, endpointUrl(options.serverUrl, path), {
        ...init,
        headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${token}` },
      });
      if (res.status !== 401) return res;
      await res.body?.cancel();
      options.session.invalidate(token);
      if (attempt >= 1) throw new AppError('SYNC_CLIENT_LOGIN_REQUIRED');
    }
  };

  const postJson = async <T>(path: string, body: unknown, schema: ZodType<T>, endpoint: string): Promise<T> => {
    const res = await authorised(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw await errorOf(res);
    return readJson(res, schema, endpoint);
  };

  return {
    pull: (collection, request) => postJson(ENDPOINTS.pull(collection), request, PulledBatchSchema, `pull ${collection}`),
    push: (collection, request) => postJson(ENDPOINTS.push(collection), request, PushResponseSchema, `push ${collection}`),
    revocations: (checkpoint) =>
      postJson(ENDPOINTS.revocations, { checkpoint }, RevocationsResponseSchema, 'revocations'),
    async rightsState() {
      const res = await authorised(ENDPOINTS.rightsState, { method: 'GET', headers: { accept: 'application/json' } });
      if (!res.ok) throw await errorOf(res);
      return readJson(res, RightsStateSchema, 'rights state');
    },
    async openStream(signal) {
      const res = await authorised(ENDPOINTS.stream, {
        method: 'GET',
        headers: { accept: 'text/event-stream', 'cache-control': 'no-cache' },
        signal,
      });
      if (!res.ok) throw await errorOf(res);
      if (res.body === null) throw new AppError('SYNC_CLIENT_BAD_RESPONSE', { endpoint: 'stream' });
      return res;
    },
  };
}
