import {
  type ChangeEvent,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
  useEffect,
  useId,
  useRef,
} from 'react';
import { ActionError } from './page.tsx';

interface FieldProps {
  label: string;
  error?: string | undefined;
  hint?: ReactNode;
  className?: string;
  /** Marks the field as required: a visible "Required" beside the label (not inside it). */
  required?: boolean | undefined;
  /** Renders the control; wire the given ids so the label, hint and error are announced. */
  children: (ids: { id: string; describedBy: string | undefined; invalid: boolean }) => ReactNode;
}

export function Field({ label, error, hint, className, required, children }: FieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' field--invalid' : ''}${className ? ` ${className}` : ''}`}>
      {required ? (
        <div className="field__label-row">
          <label htmlFor={id}>{label}</label>
          <span className="field__required" aria-hidden="true">
            Required
          </span>
        </div>
      ) : (
        <label htmlFor={id}>{label}</label>
      )}
      {children({ id, describedBy, invalid: !!error })}
      {hint ? (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} className="field__error">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** Props shared by the labelled controls: a string value, a change callback, error and hint. */
type ControlProps<A> = Omit<A, 'onChange' | 'value'> & {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  hint?: ReactNode;
};

/** Wires a control to its field: id, value, change callback and the accessible description. */
function controlProps(
  { id, describedBy, invalid }: { id: string; describedBy: string | undefined; invalid: boolean },
  value: string,
  onChange: (value: string) => void,
  required?: boolean,
) {
  return {
    id,
    'aria-required': required || undefined,
    value,
    onChange: (e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>) =>
      onChange(e.target.value),
    'aria-describedby': describedBy,
    'aria-invalid': invalid || undefined,
  };
}

export function TextField({
  label,
  value,
  onChange,
  error,
  hint,
  className,
  ...rest
}: ControlProps<InputHTMLAttributes<HTMLInputElement>>) {
  return (
    <Field label={label} error={error} hint={hint} className={className} required={rest.required}>
      {(ids) => <input {...controlProps(ids, value, onChange, rest.required)} {...rest} />}
    </Field>
  );
}

export function TextArea({
  label,
  value,
  onChange,
  error,
  hint,
  className,
  ...rest
}: ControlProps<TextareaHTMLAttributes<HTMLTextAreaElement>>) {
  return (
    <Field label={label} error={error} hint={hint} className={className} required={rest.required}>
      {(ids) => <textarea {...controlProps(ids, value, onChange, rest.required)} {...rest} />}
    </Field>
  );
}

export function SelectField({
  label,
  value,
  onChange,
  options,
  error,
  hint,
  className,
  ...rest
}: ControlProps<SelectHTMLAttributes<HTMLSelectElement>> & {
  options: readonly (string | { value: string; label: string })[];
}) {
  return (
    <Field label={label} error={error} hint={hint} className={className} required={rest.required}>
      {(ids) => (
        <select {...controlProps(ids, value, onChange, rest.required)} {...rest}>
          {options.map((o) => {
            const opt = typeof o === 'string' ? { value: o, label: o } : o;
            return (
              <option key={opt.value} value={opt.value}>
                {opt.label}
              </option>
            );
          })}
        </select>
      )}
    </Field>
  );
}

/**
 * Modal dialog on the native <dialog> element: focus moves in and is trapped, Escape closes,
 * and focus returns to the opener afterwards.
 */
export function Dialog({
  open,
  title,
  onClose,
  children,
  wide,
}: {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ReactNode;
  wide?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!open || !dialog) return;
    const opener = document.activeElement as HTMLElement | null;
    if (!dialog.open) dialog.showModal();
    return () => {
      if (dialog.open) dialog.close();
      opener?.focus?.();
    };
  }, [open]);
  return (
    <dialog
      ref={ref}
      className={`dialog${wide ? ' dialog--wide' : ''}`}
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      {open ? (
        <>
          <header className="dialog__header">
            <h2 id={titleId}>{title}</h2>
            <button type="button" className="btn btn--ghost btn--icon" onClick={onClose} aria-label="Close">
              ×
            </button>
          </header>
          <div className="dialog__body">{children}</div>
        </>
      ) : null}
    </dialog>
  );
}

/**
 * A question with a way out and a (destructive) way forward: Cancel closes, the danger button
 * confirms. `error` shows why a confirmed action failed; `busy` disables the confirm button.
 */
export function ConfirmDialog({
  open,
  title,
  onClose,
  onConfirm,
  confirmLabel,
  cancelLabel = 'Cancel',
  error,
  busy,
  children,
}: {
  open: boolean;
  title: string;
  onClose: () => void;
  onConfirm: () => void;
  confirmLabel: ReactNode;
  cancelLabel?: string;
  error?: unknown;
  busy?: boolean;
  children: ReactNode;
}) {
  return (
    <Dialog open={open} title={title} onClose={onClose}>
      {children}
      <ActionError error={error} />
      <div className="form-actions">
        <button type="button" className="btn" onClick={onClose}>
          {cancelLabel}
        </button>
        <button type="button" className="btn btn--danger" onClick={onConfirm} disabled={busy}>
          {confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
