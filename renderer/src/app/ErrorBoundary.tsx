import type { ErrorInfo, ReactNode } from 'react';
import { Component } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorText } from '../i18n/useLocale';

type State = { readonly failed: boolean };

/**
 * A rendering failure shows a translated message and a way back instead of a blank
 * window. The error itself goes to the console (never patient data in it: only the
 * component stack and the exception).
 */
export class ErrorBoundary extends Component<{ readonly children: ReactNode }, State> {
  override state: State = { failed: false };

  static getDerivedStateFromError(): State {
    return { failed: true };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error('render failed', error, info.componentStack);
  }

  override render(): ReactNode {
    return this.state.failed ? (
      <RenderFailure onRetry={() => this.setState({ failed: false })} />
    ) : (
      this.props.children
    );
  }
}

function RenderFailure(props: { readonly onRetry: () => void }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  return (
    <main className="centered">
      <p role="alert" className="banner banner-error">
        {errorText({ code: 'APP_INTERNAL_ERROR' })}
      </p>
      <div className="form-actions">
        <button type="button" className="primary" onClick={props.onRetry}>
          {t('common.retry')}
        </button>
        <button type="button" onClick={() => window.location.reload()}>
          {t('app.reload')}
        </button>
      </div>
    </main>
  );
}
