import { useEffect, useState } from 'react';
import type { SyncStatusView } from '../../../../shared/src/api/contract';
import { useApi } from '../../api/ApiProvider';
import { useApiEvent } from '../../api/useApiEvent';

/** The host's sync status: read once, then kept current by the `sync:status` event. */
export function useSyncStatus(): { status: SyncStatusView | null; error: unknown } {
  const api = useApi();
  const [status, setStatus] = useState<SyncStatusView | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let live = true;
    api
      .call('sync:status', {})
      .then((s) => live && setStatus(s))
      .catch((e: unknown) => live && setError(e));
    return () => {
      live = false;
    };
  }, [api]);
  useApiEvent('sync:status', (s) => {
    setStatus(s);
    setError(null);
  });
  return { status, error };
}
