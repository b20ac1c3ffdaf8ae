import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

/** Asks before leaving a screen with unsaved input (native modal dialog: focus kept inside, Escape stays). */
export function ConfirmLeave(props: { readonly onLeave: () => void; readonly onStay: () => void }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby="leave-title"
      aria-describedby="leave-text"
      onCancel={(e) => {
        e.preventDefault();
        props.onStay();
      }}
    >
      <h2 id="leave-title">{t('leave.title')}</h2>
      <p id="leave-text">{t('leave.text')}</p>
      <div className="form-actions">
        <button type="button" className="primary" autoFocus onClick={props.onStay}>
          {t('leave.stay')}
        </button>
        <button type="button" onClick={props.onLeave}>
          {t('leave.leave')}
        </button>
      </div>
    </dialog>
  );
}
