import { fetchBytesWith } from './bytes';
import type { ApiTransport } from './transport';
import { TransportError } from './transport';

/** What the Electron preload exposes through contextBridge (main/src/electron/preload). */
export type CliniqueBridge = {
  invoke(channel: string, request: unknown): Promise<unknown>;
  onEvent(listener: (event: string, payload: unknown) => void): () => void;
};

export function bridgeOf(win: Window): CliniqueBridge | undefined {
  const candidate = (win as Window & { clinique?: unknown }).clinique;
  if (typeof candidate !== 'object' || candidate === null) return undefined;
  const b = candidate as Partial<CliniqueBridge>;
  return typeof b.invoke === 'function' && typeof b.onEvent === 'function'
    ? (b as CliniqueBridge)
    : undefined;
}

/** The app's own origin in Electron: the byte routes are served there by main's protocol handler. */
export const APP_BYTES_ORIGIN = 'app://clinique';

export function createPreloadTransport(bridge: CliniqueBridge, fetchImpl: typeof fetch = (...a) => fetch(...a)): ApiTransport {
  return {
    fetchBytes(path) {
      // Same-origin fetch: main checks the frame and Sec-Fetch-Site; no credential travels.
      return fetchBytesWith(() => fetchImpl(`${APP_BYTES_ORIGIN}${path}`, { method: 'GET', cache: 'no-store', credentials: 'same-origin' }), path);
    },
    async invoke(channel, request) {
      try {
        return await bridge.invoke(channel, request);
      } catch {
        // An IPC failure (channel refused by the preload, main gone) carries no envelope.
        throw new TransportError('RENDERER_HOST_UNREACHABLE');
      }
    },
    subscribe(listener) {
      return bridge.onEvent(listener);
    },
  };
}
