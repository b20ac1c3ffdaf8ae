import type { ApiEvent, ApiEventPayload } from '../../../shared/src/api';

export type HostEventListener = <E extends ApiEvent>(event: E, payload: ApiEventPayload<E>) => void;

/** The host's typed event bus: transports subscribe and forward each event as it is. */
export type HostEvents = {
  on(listener: (event: ApiEvent, payload: ApiEventPayload<ApiEvent>) => void): () => void;
  emit<E extends ApiEvent>(event: E, payload: ApiEventPayload<E>): void;
};

export function createHostEvents(onListenerError?: (error: unknown) => void): HostEvents {
  const listeners = new Set<(event: ApiEvent, payload: ApiEventPayload<ApiEvent>) => void>();
  return {
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit(event, payload) {
      for (const l of [...listeners]) {
        // One broken transport must not stop the others from hearing the event.
        try {
          l(event, payload);
        } catch (error) {
          onListenerError?.(error);
        }
      }
    },
  };
}
