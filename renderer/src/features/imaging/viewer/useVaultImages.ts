import * as cornerstone from 'cornerstone-core';
import { useMemo } from 'react';
import { fetchInstanceBytes } from '../../../api/bytes';
import type { ApiClient } from '../../../api/client';
import { useApi } from '../../../api/ApiProvider';
import { getInstanceMetadata, registerVaultImageLoader } from '../pipeline';
import type { TagRow, ViewerImageSource } from './viewer-types';

// One registration per API client: registering again replaces the byte source and clears
// the pipeline's cache, which only a new client (a new host link) should do.
const registered = new WeakSet<ApiClient>();

/** The viewer's images from the vault: the pipeline's `vault:` loader over the host's byte route. */
export function useVaultImages(): ViewerImageSource {
  const api = useApi();
  return useMemo(
    () => ({
      ensureRegistered(): void {
        if (registered.has(api)) return;
        registerVaultImageLoader(cornerstone, (studyId, sop) => fetchInstanceBytes(api, studyId, sop));
        registered.add(api);
      },
      async tags(imageId: string): Promise<readonly TagRow[]> {
        const meta = await getInstanceMetadata(imageId);
        // Items of a sequence are indented under it, as dcmdump shows them.
        return meta.tags.map((r) => ({
          tag: `${'  '.repeat(r.depth)}${r.tag}`,
          vr: r.vr,
          name: r.name,
          value: r.value,
        }));
      },
    }),
    [api],
  );
}
