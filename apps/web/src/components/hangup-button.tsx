import { useState } from 'react';
import { api } from '../api.ts';
import { ConfirmDialog } from './form.tsx';

/** Ends an in-progress call after a confirmation (`POST /api/calls/:id/hangup`). */
export function HangupButton({
  callId,
  label,
  onDone,
}: {
  callId: string;
  label?: string;
  onDone?: () => void;
}) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function hangUp() {
    setBusy(true);
    setError(null);
    try {
      await api.post(`/api/calls/${callId}/hangup`);
      setOpen(false);
      onDone?.();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <button
        type="button"
        className="btn btn--danger"
        onClick={() => {
          setError(null);
          setOpen(true);
        }}
        aria-label={label ? `Hang up ${label}` : undefined}
      >
        Hang up
      </button>
      <ConfirmDialog
        open={open}
        title="Hang up this call?"
        onClose={() => setOpen(false)}
        onConfirm={hangUp}
        cancelLabel="Keep the call"
        confirmLabel={busy ? 'Hanging up…' : 'Hang up now'}
        error={error}
        busy={busy}
      >
        <p>The agent stops talking and the line is disconnected for the caller. This cannot be undone.</p>
      </ConfirmDialog>
    </>
  );
}
