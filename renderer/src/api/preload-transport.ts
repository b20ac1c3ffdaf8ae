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

export function createPreloadTransport(bridge: CliniqueBridge): ApiTransport {
  return {
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
