import type { InputHTMLAttributes, Ref } from 'react';
import { useId } from 'react';

type TextFieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'value' | 'id'> & {
  readonly label: string;
  readonly value: string;
  readonly onValue: (value: string) => void;
  /** Shown under the field, announced with it (aria-describedby) and marking it invalid. */
  readonly error?: string | undefined;
  readonly warning?: string | undefined;
  readonly hint?: string | undefined;
  readonly inputRef?: Ref<HTMLInputElement>;
  /** Ids of other elements describing the field (a strength meter). */
  readonly describedBy?: string | undefined;
};

/** A labelled input whose hint, warning and error are tied to it for screen readers. */
export function TextField({
  label,
  value,
  onValue,
  error,
  warning,
  hint,
  inputRef,
  describedBy,
  className,
  ...rest
}: TextFieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const warningId = `${id}-warning`;
  const described = [describedBy ?? '', hint ? hintId : '', error ? errorId : '', warning ? warningId : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div className={`field${className ? ` ${className}` : ''}`}>
      <div className="field-label">
        <label htmlFor={id}>{label}</label>
        {rest.required ? (
          <span className="required-mark" aria-hidden="true">
            *
          </span>
        ) : null}
      </div>
      <input
        {...rest}
        id={id}
        ref={inputRef}
        value={value}
        onChange={(e) => onValue(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={described || undefined}
      />
      {hint ? (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} className="field-error">
          {error}
        </p>
      ) : null}
      {warning ? (
        <p id={warningId} className="field-warning">
          {warning}
        </p>
      ) : null}
    </div>
  );
}
