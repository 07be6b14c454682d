/**
 * Booking an appointment by hand (from a click on the week view, the "New appointment" button or
 * a prospect's page). The server applies the agent's rules (hours, holidays, overlaps) and answers
 * why it refused; `bookingError` adds the free alternatives it offers.
 */
import type { Appointment, ListResponse, Prospect } from '@switchboard/shared';
import { type FormEvent, useState } from 'react';
import { api, errorMessage, withQuery } from '../api.ts';
import { toLocalInput } from '../lib/calendar.ts';
import { formatPhone, formatTime } from '../lib/format.ts';
import { useApi } from '../lib/use-api.ts';
import { Dialog, SelectField, TextArea, TextField } from './form.tsx';
import { ActionError } from './page.tsx';

/** Adds the server's free alternatives to a refusal ("That time is already booked. Free: …"). */
export function bookingError(err: unknown): Error {
  const details = (err as { details?: { alternatives?: Array<{ start: string }> } }).details;
  const alternatives = details?.alternatives?.map((a) => formatTime(a.start)).join(', ');
  return new Error(alternatives ? `${errorMessage(err)} Free that day: ${alternatives}.` : errorMessage(err));
}

function ProspectPicker({ value, onChange }: { value: string; onChange: (id: string) => void }) {
  const [q, setQ] = useState('');
  const { data } = useApi<ListResponse<Prospect>>(
    withQuery('/api/prospects', { q, limit: 20, sort: 'updatedAt' }),
  );
  const options = (data?.items ?? []).map((p) => ({
    value: p.id,
    label: `${p.contact || p.company || 'Unnamed'} · ${formatPhone(p.phone)}`,
  }));
  return (
    <>
      <TextField
        label="Find a prospect"
        value={q}
        onChange={setQ}
        placeholder="Name, company or phone"
        type="search"
      />
      <SelectField
        label="Prospect"
        value={value}
        onChange={onChange}
        options={[{ value: '', label: 'No prospect' }, ...options]}
      />
    </>
  );
}

export function NewAppointmentDialog({
  start,
  prospectId: fixedProspect,
  onClose,
  onBooked,
}: {
  start: Date | null;
  prospectId?: string;
  onClose: () => void;
  onBooked: (a: Appointment) => void;
}) {
  const [when, setWhen] = useState(start ? toLocalInput(start) : '');
  const [duration, setDuration] = useState('30');
  const [title, setTitle] = useState('');
  const [notes, setNotes] = useState('');
  const [prospectId, setProspectId] = useState(fixedProspect ?? '');
  const [notify, setNotify] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    if (!when || !title.trim()) {
      setError(new Error('Enter a time and a title.'));
      return;
    }
    setBusy(true);
    try {
      const booked = await api.post<Appointment>('/api/appointments', {
        start: new Date(when).toISOString(),
        durationMinutes: Number(duration),
        title: title.trim(),
        notes,
        prospectId: prospectId || null,
        notify: notify && Boolean(prospectId),
      });
      onBooked(booked);
    } catch (err) {
      setError(bookingError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog open title="New appointment" onClose={onClose}>
      <form className="form" onSubmit={onSubmit} noValidate>
        <TextField label="Starts" type="datetime-local" value={when} onChange={setWhen} step={900} />
        <SelectField
          label="Length"
          value={duration}
          onChange={setDuration}
          options={['15', '30', '45', '60', '90', '120'].map((m) => ({ value: m, label: `${m} minutes` }))}
        />
        <TextField label="Title" value={title} onChange={setTitle} placeholder="Cleaning with Ann" />
        {fixedProspect ? null : <ProspectPicker value={prospectId} onChange={setProspectId} />}
        <TextArea label="Notes" value={notes} onChange={setNotes} rows={2} />
        <div className="check check--inline">
          <input
            id="appt-notify"
            type="checkbox"
            checked={notify}
            disabled={!prospectId}
            onChange={(e) => setNotify(e.target.checked)}
          />
          <label htmlFor="appt-notify">Text the prospect a confirmation</label>
        </div>
        <ActionError error={error} />
        <div className="form-actions">
          <button type="button" className="btn" onClick={onClose}>
            Close
          </button>
          <button type="submit" className="btn btn--primary" disabled={busy}>
            {busy ? 'Booking…' : 'Book'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
