import type { ZodType } from 'zod';
import { AppError } from '../../../shared/src/errors';
import type { SessionResponse, SessionUser } from '../../../shared/src/sync/protocol';
import { ErrorResponseSchema, SessionResponseSchema } from '../../../shared/src/sync/protocol';
import { endpointUrl, ENDPOINTS } from './endpoints';

/**
 * Where the rotating refresh token lives between launches (in the app, a file of the
 * vault or the OS keystore). `save` must be durable before it resolves: the old token is
 * dead once the server has rotated it, and presenting it again revokes the whole family.
 */
export type RefreshTokenStore = {
  load(): Promise<string | undefined>;
  save(token: string | undefined): Promise<void>;
};

export type FetchLike = typeof fetch;

export type SyncSessionOptions = {
  readonly serverUrl: string;
  readonly workstationId: string;
  readonly store: RefreshTokenStore;
  readonly fetch?: FetchLike;
  /** Milliseconds since the epoch. */
  readonly now?: () => number;
  /** Refresh this long before the access token expires, so a request never carries a token about to lapse. */
  readonly refreshMarginMs?: number;
};

export type SyncSession = {
  /** Signs in with a password (the UI's login form), stores the refresh token. */
  login(username: string, password: string): Promise<SessionUser>;
  /** A valid access token, refreshed first when it is missing or about to expire. Throws SYNC_CLIENT_LOGIN_REQUIRED or SYNC_CLIENT_OFFLINE. */
  accessToken(): Promise<string>;
  /** The server refused the current access token (401): the next accessToken() refreshes. */
  invalidate(token: string): void;
  logout(): Promise<void>;
  readonly user: SessionUser | undefined;
  /** True once the refresh token was refused: only a new login helps. */
  readonly loginRequired: boolean;
  /** Called whenever loginRequired changes. */
  onChange(listener: () => void): () => void;
};

/** Throws SYNC_CLIENT_OFFLINE for a network failure; returns the response otherwise. */
export async function fetchOrOffline(f: FetchLike, url: string, init: RequestInit): Promise<Response> {
  try {
    return await f(url, init);
  } catch (cause) {
    if (init.signal?.aborted) throw cause;
    throw new AppError('SYNC_CLIENT_OFFLINE', undefined, { cause });
  }
}

/** Reads a JSON body and parses it with the contract's schema; a mismatch is a coded error, not a crash. */
export async function readJson<T>(res: Response, schema: ZodType<T>, endpoint: string): Promise<T> {
  let body: unknown;
  try {
    body = await res.json();
  } catch (cause) {
    throw new AppError('SYNC_CLIENT_BAD_RESPONSE', { endpoint }, { cause });
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new AppError('SYNC_CLIENT_BAD_RESPONSE', { endpoint });
  return parsed.data;
}

/** The server's coded error for a non-2xx answer (`{ code, params? }`), or a generic one with the status. */
export async function errorOf(res: Response): Promise<AppError> {
  const body: unknown = await res.json().catch(() => undefined);
  const parsed = ErrorResponseSchema.safeParse(body);
  if (parsed.success) return new AppError(parsed.data.code, { ...parsed.data.params, status: res.status });
  return new AppError('SYNC_CLIENT_SERVER_ERROR', { status: res.status });
}

const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json' };

export function createSyncSession(options: SyncSessionOptions): SyncSession {
  const f = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const margin = options.refreshMarginMs ?? 30_000;
  let access: { token: string; expiresAt: number } | undefined;
  let user: SessionUser | undefined;
  let loginRequired = false;
  let refreshing: Promise<string> | undefined;
  const listeners = new Set<() => void>();

  const setLoginRequired = (value: boolean): void => {
    if (loginRequired === value) return;
    loginRequired = value;
    for (const l of listeners) l();
  };

  const adopt = async (session: SessionResponse): Promise<string> => {
    // Durable first: if the process dies right after, the next launch holds the live token.
    await options.store.save(session.refreshToken);
    access = { token: session.accessToken, expiresAt: Date.parse(session.accessTokenExpiresAt) };
    user = session.user;
    setLoginRequired(false);
    return session.accessToken;
  };

  const refresh = async (): Promise<string> => {
    const refreshToken = await options.store.load();
    if (refreshToken === undefined) {
      setLoginRequired(true);
      throw new AppError('SYNC_CLIENT_LOGIN_REQUIRED');
    }
    const res = await fetchOrOffline(f, endpointUrl(options.serverUrl, ENDPOINTS.refresh), {
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify({ refreshToken, workstationId: options.workstationId }),
    });
    if (res.status === 400 || res.status === 401 || res.status === 403) {
      await res.body?.cancel();
      // The token is spent, revoked or expired: keeping it would only earn more refusals.
      await options.store.save(undefined);
      access = undefined;
      setLoginRequired(true);
      throw new AppError('SYNC_CLIENT_LOGIN_REQUIRED');
    }
    if (!res.ok) throw await errorOf(res);
    return adopt(await readJson(res, SessionResponseSchema, 'refresh'));
  };

  return {
    async login(username, password) {
      const res = await fetchOrOffline(f, endpointUrl(options.serverUrl, ENDPOINTS.login), {
        method: 'POST',
        headers: JSON_HEADERS,
        body: JSON.stringify({ username, password, workstationId: options.workstationId }),
      });
      if (!res.ok) throw await errorOf(res);
      await adopt(await readJson(res, SessionResponseSchema, 'login'));
      return user as SessionUser;
    },
    async accessToken() {
      if (access !== undefined && access.expiresAt - margin > now()) return access.token;
      // One refresh at a time: two concurrent refreshes with a rotating token would look
      // like token theft to the server, which then revokes the whole family.
      refreshing ??= refresh().finally(() => {
        refreshing = undefined;
      });
      return refreshing;
    },
    invalidate(token) {
      // Not a secret check against outside input: only which of our own tokens the server refused.
      // eslint-disable-next-line security/detect-possible-timing-attacks
      if (access?.token === token) access = undefined;
    },
    async logout() {
      const refreshToken = await options.store.load();
      access = undefined;
      user = undefined;
      await options.store.save(undefined);
      if (refreshToken !== undefined) {
        await fetchOrOffline(f, endpointUrl(options.serverUrl, ENDPOINTS.logout), {
          method: 'POST',
          headers: JSON_HEADERS,
          body: JSON.stringify({ refreshToken }),
        })
          .then((res) => res.body?.cancel())
          .catch(() => undefined);
      }
      setLoginRequired(true);
    },
    get user() {
      return user;
    },
    get loginRequired() {
      return loginRequired;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** A store in memory, for a session that must not outlive the process (and tests). */
export function memoryRefreshTokenStore(initial?: string): RefreshTokenStore & { readonly current: string | undefined } {
  let token = initial;
  return {
    load: async () => token,
    save: async (t) => {
      token = t;
    },
    get current() {
      return token;
    },
  };
}
