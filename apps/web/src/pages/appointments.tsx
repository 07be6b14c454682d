import type { Appointment, ListResponse } from '@switchboard/shared';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, withQuery } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { AppointmentDialog } from '../components/appointment-dialog.tsx';
import { bookingError, NewAppointmentDialog } from '../components/appointment-dialogs.tsx';
import { SelectField } from '../components/form.tsx';
import {
  ActionError,
  Badge,
  EmptyState,
  ErrorState,
  Loading,
  PageHeader,
  Table,
} from '../components/page.tsx';
import { WeekView } from '../components/week-view.tsx';
import {
  addDays,
  formatDateTime,
  formatDayLabel,
  formatTime,
  isoDate,
  parseIsoDate,
  startOfWeek,
} from '../lib/format.ts';
import { useApi } from '../lib/use-api.ts';

const LOCAL_TZ = Intl.DateTimeFormat().resolvedOptions().timeZone;

function ListView({ items, onOpen }: { items: Appointment[]; onOpen: (a: Appointment) => void }) {
  return (
    <Table
      head={
        <>
          <th scope="col">When</th>
          <th scope="col">Title</th>
          <th scope="col">Status</th>
          <th scope="col">Prospect</th>
          <th scope="col">Booked on</th>
        </>
      }
    >
      {items.map((a) => (
        <tr key={a.id}>
          <td className="nowrap">
            {formatDateTime(a.start)} – {formatTime(a.end)}
            {a.timezone !== LOCAL_TZ ? (
              <div className="muted small">
                {formatDateTime(a.start, a.timezone)} {a.timezone}
              </div>
            ) : null}
          </td>
          <td>
            <button type="button" className="link-button" onClick={() => onOpen(a)}>
              {a.title}
            </button>
            {a.notes ? <div className="muted small">{a.notes}</div> : null}
          </td>
          <td>
            <Badge value={a.status} />
          </td>
          <td>{a.prospectId ? <Link to={`/prospects/${a.prospectId}`}>View prospect</Link> : '—'}</td>
          <td>
            {a.callId ? (
              <Link to={`/calls/${a.callId}`}>{formatDateTime(a.createdAt)}</Link>
            ) : (
              formatDateTime(a.createdAt)
            )}
          </td>
        </tr>
      ))}
    </Table>
  );
}

export default function Appointments() {
  const [params, setParams] = useSearchParams();
  const view = params.get('view') === 'list' ? 'list' : 'week';
  const status = params.get('status') ?? '';
  const weekStart = startOfWeek(parseIsoDate(params.get('week') ?? '') ?? new Date());
  const weekEnd = addDays(weekStart, 7);
  const path = withQuery('/api/appointments', {
    from: weekStart.toISOString(),
    to: weekEnd.toISOString(),
    status,
    limit: 200,
  });
  const { data, error, loading, reload } = useApi<ListResponse<Appointment>>(path);
  const { canEdit: canBook } = useAuth();
  const [creatingAt, setCreatingAt] = useState<Date | null | undefined>(undefined);
  const [open, setOpen] = useState<Appointment | null>(null);
  const [moveError, setMoveError] = useState<unknown>(null);
  async function move(a: Appointment, start: Date) {
    setMoveError(null);
    try {
      await api.patch(`/api/appointments/${a.id}`, { start: start.toISOString() });
    } catch (err) {
      setMoveError(bookingError(err));
    }
    reload();
  }

  function set(changes: Record<string, string>) {
    setParams((p) => {
      const next = new URLSearchParams(p);
      for (const [k, v] of Object.entries(changes)) {
        if (v) next.set(k, v);
        else next.delete(k);
      }
      return next;
    });
  }
  const weekLabel = `${formatDayLabel(weekStart, false)} – ${formatDayLabel(addDays(weekStart, 6), false)}, ${weekStart.getFullYear()}`;

  return (
    <>
      <PageHeader
        title="Appointments"
        description={`Meetings booked by your agents or your team. Times are shown in ${LOCAL_TZ}.${canBook ? ' Click a free spot to book, drag a meeting to move it.' : ''}`}
        actions={
          canBook ? (
            <button type="button" className="btn btn--primary" onClick={() => setCreatingAt(null)}>
              New appointment
            </button>
          ) : null
        }
      />
      <div className="toolbar">
        <fieldset className="segmented">
          <legend className="visually-hidden">View</legend>
          <button type="button" aria-pressed={view === 'week'} onClick={() => set({ view: '' })}>
            Week
          </button>
          <button type="button" aria-pressed={view === 'list'} onClick={() => set({ view: 'list' })}>
            List
          </button>
        </fieldset>
        <fieldset className="week-nav">
          <legend className="visually-hidden">Week</legend>
          <button
            type="button"
            className="btn btn--small"
            onClick={() => set({ week: isoDate(addDays(weekStart, -7)) })}
          >
            <span aria-hidden="true">←</span> Previous week
          </button>
          <button type="button" className="btn btn--small" onClick={() => set({ week: '' })}>
            This week
          </button>
          <button type="button" className="btn btn--small" onClick={() => set({ week: isoDate(weekEnd) })}>
            Next week <span aria-hidden="true">→</span>
          </button>
          <h2 className="week-nav__label" aria-live="polite">
            {weekLabel}
          </h2>
        </fieldset>
        <SelectField
          label="Status"
          value={status}
          onChange={(v) => set({ status: v })}
          options={[
            { value: '', label: 'Any status' },
            { value: 'confirmed', label: 'Confirmed' },
            { value: 'cancelled', label: 'Cancelled' },
          ]}
        />
      </div>
      <section aria-label={`Appointments, ${weekLabel}`} aria-busy={loading}>
        {error && !data ? (
          <ErrorState error={error} onRetry={reload} what="appointments" />
        ) : !data ? (
          <Loading label="Loading appointments…" />
        ) : view === 'week' ? (
          <>
            <ActionError error={moveError} />
            <WeekView
              weekStart={weekStart}
              items={data.items}
              onOpen={setOpen}
              onCreateAt={canBook ? setCreatingAt : undefined}
              onMove={canBook ? move : undefined}
            />
          </>
        ) : data.items.length === 0 ? (
          <EmptyState title="No appointments this week">Meetings your agents book appear here.</EmptyState>
        ) : (
          <ListView items={data.items} onOpen={setOpen} />
        )}
      </section>
      {creatingAt !== undefined ? (
        <NewAppointmentDialog
          start={creatingAt}
          onClose={() => setCreatingAt(undefined)}
          onBooked={() => {
            setCreatingAt(undefined);
            reload();
          }}
        />
      ) : null}
      {open ? (
        <AppointmentDialog
          appointment={open}
          onClose={() => setOpen(null)}
          onChanged={() => {
            setOpen(null);
            reload();
          }}
        />
      ) : null}
    </>
  );
}
