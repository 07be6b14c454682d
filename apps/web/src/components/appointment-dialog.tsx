/** An appointment's dialog: reschedule, edit notes, or cancel with a reason (optionally texting the prospect). */
import type { Appointment } from '@switchboard/shared';
import { useState } from 'react';
import { api } from '../api.ts';
import { toLocalInput } from '../lib/calendar.ts';
import { formatDateTime, formatTime } from '../lib/format.ts';
import { bookingError } from './appointment-dialogs.tsx';
import { ConfirmDialog, Dialog, TextArea, TextField } from './form.tsx';
import { ActionError } from './page.tsx';

export function AppointmentDialog({
  appointment: a,
  onClose,
  onChanged,
}: {
  appointment: Appointment;
  onClose: () => void;
  onChanged: () => void;
}) {
  const minutes = (new Date(a.end).getTime() - new Date(a.start).getTime()) / 60_000;
  const [when, setWhen] = useState(toLocalInput(new Date(a.start)));
  const [notes, setNotes] = useState(a.notes);
  const [notify, setNotify] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const cancelled = a.status === 'cancelled';

  async function patch(body: Record<string, unknown>) {
    setBusy(true);
    setError(null);
    try {
      await api.patch(`/api/appointments/${a.id}`, body);
      onChanged();
    } catch (err) {
      setError(bookingError(err));
    } finally {
      setBusy(false);
    }
  }
  const moved = new Date(when).toISOString() !== new Date(a.start).toISOString();

  return (
    <>
      <Dialog open={!cancelling} title={a.title} onClose={onClose}>
        <p className="muted">
          {formatDateTime(a.start)} – {formatTime(a.end)} ({minutes} min){cancelled ? ' · cancelled' : ''}
          {a.synced ? ' · in Google Calendar' : ''}
        </p>
        {a.cancelReason ? <p>Reason: {a.cancelReason}</p> : null}
        <form
          className="form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            patch({
              ...(moved
                ? { start: new Date(when).toISOString(), notify: notify && Boolean(a.prospectId) }
                : {}),
              notes,
            });
          }}
        >
          <TextField
            label="Starts"
            type="datetime-local"
            value={when}
            onChange={setWhen}
            step={900}
            disabled={cancelled}
          />
          <TextArea label="Notes" value={notes} onChange={setNotes} rows={2} />
          {a.prospectId && !cancelled ? (
            <div className="check check--inline">
              <input
                id="appt-move-notify"
                type="checkbox"
                checked={notify}
                onChange={(e) => setNotify(e.target.checked)}
              />
              <label htmlFor="appt-move-notify">Text the prospect about a new time or a cancellation</label>
            </div>
          ) : null}
          <ActionError error={error} />
          <div className="form-actions">
            {cancelled ? null : (
              <button type="button" className="btn btn--danger" onClick={() => setCancelling(true)}>
                Cancel appointment
              </button>
            )}
            <button type="submit" className="btn btn--primary" disabled={busy}>
              {busy ? 'Saving…' : moved ? 'Reschedule' : 'Save notes'}
            </button>
          </div>
        </form>
      </Dialog>
      <ConfirmDialog
        open={cancelling}
        title="Cancel this appointment?"
        onClose={() => setCancelling(false)}
        onConfirm={() =>
          patch({
            status: 'cancelled',
            cancelReason: reason.trim() || undefined,
            notify: notify && Boolean(a.prospectId),
          })
        }
        confirmLabel={busy ? 'Cancelling…' : 'Cancel appointment'}
        cancelLabel="Keep it"
        error={error}
        busy={busy}
      >
        <TextField
          label="Reason (optional)"
          value={reason}
          onChange={setReason}
          placeholder="Asked to reschedule later"
        />
      </ConfirmDialog>
    </>
  );
}
