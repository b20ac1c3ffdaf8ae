import type { ErrorPayload } from '../../../shared/src/errors';

/**
 * How the client reaches the host: Electron's preload bridge or the browser-mode
 * WebSocket. A transport moves envelopes and events and nothing else: no validation, no
 * retries of calls (a call may have been carried out when its answer was lost).
 */
export type ApiTransport = {
  /** Resolves with the host's envelope; rejects with a TransportError when the host cannot be reached. */
  invoke(channel: string, request: unknown): Promise<unknown>;
  subscribe(listener: (event: string, payload: unknown) => void): () => void;
  /**
   * The bytes of a host byte route (`/imaging/<studyId>/<sopInstanceUid>`, see bytes.ts),
   * fetched outside the JSON envelope. Rejects with an AppError carrying a catalogue code.
   */
  fetchBytes(path: string): Promise<ArrayBuffer>;
};

/** The host link itself, for the banner that says the UI lost its host (browser mode). */
export type LinkState = 'connecting' | 'open' | 'closed';

export type LinkAwareTransport = ApiTransport & {
  readonly linkState: LinkState;
  onLinkState(listener: (state: LinkState) => void): () => void;
  close(): void;
};

/** A call that never reached the host or whose answer never came back. */
export class TransportError extends Error {
  readonly payload: ErrorPayload;

  constructor(code: 'RENDERER_HOST_UNREACHABLE' | 'RENDERER_CALL_TIMEOUT') {
    super(code);
    this.name = 'TransportError';
    this.payload = { code };
  }
}
