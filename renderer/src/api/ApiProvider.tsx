import type { ReactNode } from 'react';
import { createContext, useContext } from 'react';
import type { ApiClient } from './client';
import type { LinkState } from './transport';

type ApiContextValue = { readonly client: ApiClient; readonly linkState: LinkState };
const ApiContext = createContext<ApiContextValue | null>(null);

export function ApiProvider(props: { client: ApiClient; linkState: LinkState; children: ReactNode }) {
  return (
    <ApiContext.Provider value={{ client: props.client, linkState: props.linkState }}>
      {props.children}
    </ApiContext.Provider>
  );
}

export function useApi(): ApiClient {
  const ctx = useContext(ApiContext);
  if (!ctx) throw new Error('useApi outside ApiProvider');
  return ctx.client;
}

export function useLinkState(): LinkState {
  const ctx = useContext(ApiContext);
  if (!ctx) throw new Error('useLinkState outside ApiProvider');
  return ctx.linkState;
}
