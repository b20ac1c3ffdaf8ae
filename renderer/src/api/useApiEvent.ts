import { useEffect, useRef } from 'react';
import type { ApiEvent, ApiEventPayload } from '../../../shared/src/api/contract';
import { useApi } from './ApiProvider';

/** Subscribes to one host event for the component's lifetime; the latest listener is always called. */
export function useApiEvent<E extends ApiEvent>(
  event: E,
  listener: (payload: ApiEventPayload<E>) => void,
): void {
  const api = useApi();
  const latest = useRef(listener);
  useEffect(() => {
    latest.current = listener;
  });
  useEffect(() => api.on(event, (payload) => latest.current(payload)), [api, event]);
}
