import { type ReactNode, useState } from 'react';
import { ConfirmDialog } from './form.tsx';

/**
 * The destructive action of a page, kept apart from Save at the bottom: a "Danger zone" card
 * whose button asks first (ConfirmDialog) and only then runs `onConfirm`.
 */
export function DangerZone({
  what,
  buttonLabel,
  title,
  confirmLabel,
  onConfirm,
  children,
  disabledReason,
}: {
  /** What the action does, shown in the card: "Deleting a prospect removes …". */
  what: ReactNode;
  buttonLabel: string;
  title: string;
  confirmLabel: string;
  onConfirm: () => Promise<void>;
  /** The confirm dialog's body. */
  children: ReactNode;
  /** When set, the button is disabled and this says why. */
  disabledReason?: string | null;
}) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      setOpen(false);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <section className="card danger-zone" aria-label="Danger zone">
      <h2>Danger zone</h2>
      <div className="danger-zone__row">
        <p className="muted">{disabledReason ?? what}</p>
        <button
          type="button"
          className="btn btn--danger-ghost"
          disabled={!!disabledReason}
          onClick={() => setOpen(true)}
        >
          {buttonLabel}
        </button>
      </div>
      <ConfirmDialog
        open={open}
        title={title}
        onClose={() => setOpen(false)}
        onConfirm={confirm}
        confirmLabel={confirmLabel}
        error={error}
        busy={busy}
      >
        {children}
      </ConfirmDialog>
    </section>
  );
}
