import 'uplot/dist/uPlot.min.css';
import './styles/app.css';
import { StrictMode, useSyncExternalStore } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { ApiProvider } from './api/ApiProvider';
import type { ApiClient } from './api/client';
import { createApiClient } from './api/client';
import { bridgeOf, createPreloadTransport } from './api/preload-transport';
import type { LinkAwareTransport, LinkState } from './api/transport';
import { apiSocketUrl, createWebSocketTransport, secretFromHash } from './api/websocket-transport';
import { App } from './app/App';
import { ErrorBoundary } from './app/ErrorBoundary';
import { storedLocale } from './app/useUiLocale';
import { errorText } from './i18n/error-text';
import { createI18n } from './i18n/i18n';

function Root(props: { readonly client: ApiClient; readonly link: LinkAwareTransport | null }) {
  const { link } = props;
  const linkState = useSyncExternalStore<LinkState>(
    (cb) => (link ? link.onLinkState(cb) : () => undefined),
    () => (link ? link.linkState : 'open'),
  );
  return (
    <ApiProvider client={props.client} linkState={linkState}>
      <ErrorBoundary>
        <App />
      </ErrorBoundary>
    </ApiProvider>
  );
}

/**
 * Electron gives the preload bridge; a plain browser (browser mode) gets the WebSocket
 * address from its own origin and the per-launch secret from the URL fragment.
 */
async function start(): Promise<void> {
  const locale = storedLocale();
  const i18n = await createI18n(locale);
  const container = document.getElementById('root');
  if (!container) return;
  const root = createRoot(container);
  const bridge = bridgeOf(window);
  let client: ApiClient;
  let link: LinkAwareTransport | null = null;
  if (bridge) {
    client = createApiClient(createPreloadTransport(bridge));
  } else {
    const secret = secretFromHash(window.location.hash);
    if (!secret) {
      root.render(
        <main className="centered">
          <p role="alert" className="banner banner-error">
            {errorText({ code: 'RENDERER_SECRET_MISSING' }, locale)}
          </p>
        </main>,
      );
      return;
    }
    link = createWebSocketTransport({ url: apiSocketUrl(window.location), secret });
    client = createApiClient(link);
  }
  root.render(
    <StrictMode>
      <I18nextProvider i18n={i18n}>
        <Root client={client} link={link} />
      </I18nextProvider>
    </StrictMode>,
  );
}

void start();
