// The Electron IPC transport, without 'electron': one invoke channel carrying
// (apiChannel, request) to the host's dispatcher and one event channel carrying
// (event, payload) back. No logic of its own: the dispatcher validates the channel name
// and the request with the contract; this layer only refuses untrusted senders.
import type { ImagingInstanceReader } from './imaging-route';
import type { SenderFrame } from './security';
import { isTrustedSender } from './security';

/** Electron IPC channel names (the preload uses the same constants). */
export const IPC_INVOKE = 'clinique:invoke';
export const IPC_EVENT = 'clinique:event';

/** What both transports need from the host (main/src/host): dispatch calls, listen to events. */
export type HostTransportTarget = {
  dispatch(channel: string, request: unknown): Promise<unknown>;
  readonly events: { on(listener: (event: string, payload: unknown) => void): () => void };
  /** The image byte route (imaging-route.ts); a transport without it answers that route 404. */
  readonly readImagingInstance?: ImagingInstanceReader;
};

export class UntrustedSenderError extends Error {
  constructor() {
    super('IPC message refused: it does not come from the main frame of the app origin');
    this.name = 'UntrustedSenderError';
  }
}

/**
 * The handler of IPC_INVOKE. A message from an untrusted frame (an iframe, a page other
 * than app://clinique, a frame already gone) is refused before anything reads it.
 */
export function createInvokeHandler(
  dispatch: HostTransportTarget['dispatch'],
  onRefused: (frameUrl: string | undefined) => void = () => undefined,
): (senderFrame: SenderFrame | null | undefined, channel: unknown, request: unknown) => Promise<unknown> {
  return async (senderFrame, channel, request) => {
    if (!isTrustedSender(senderFrame)) {
      onRefused(senderFrame?.url);
      throw new UntrustedSenderError();
    }
    return dispatch(typeof channel === 'string' ? channel : '', request);
  };
}

/** A window's web contents as the event forwarder sees it. */
export type EventTarget = {
  readonly mainFrameUrl: string | undefined;
  send(channel: string, event: string, payload: unknown): void;
};

/** Sends a host event to every window still showing the app (never to a page that navigated away). */
export function forwardEvent(targets: Iterable<EventTarget>, event: string, payload: unknown): number {
  let sent = 0;
  for (const target of targets) {
    if (target.mainFrameUrl === undefined || !isTrustedSender({ url: target.mainFrameUrl, parent: null })) continue;
    target.send(IPC_EVENT, event, payload);
    sent += 1;
  }
  return sent;
}
