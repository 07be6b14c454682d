import type { Appointment, ListResponse } from '@switchboard/shared';
import type { CSSProperties } from 'react';
import { Link, useSearchParams } from 'react-router';
import { withQuery } from '../api.ts';
import { SelectField } from '../components/form.tsx';
import { Badge, EmptyState, ErrorState, Loading, PageHeader, Table } from '../components/page.tsx';
import { layoutWeek } from '../lib/calendar.ts';
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
const DAY_NAME = new Intl.DateTimeFormat('en-US', { weekday: 'long', month: 'long', day: 'numeric' });
const HOUR = new Intl.DateTimeFormat('en-US', { hour: 'numeric' });

function WeekView({ weekStart, items }: { weekStart: Date; items: Appointment[] }) {
  const { days, fromHour, toHour } = layoutWeek(weekStart, items);
  const hours = Array.from({ length: toHour - fromHour }, (_, i) => fromHour + i);
  const today = isoDate(new Date());
  return (
    <div className="calendar" style={{ '--hours': hours.length } as CSSProperties}>
      <div className="calendar__hours" aria-hidden="true">
        <div className="calendar__corner" />
        <div className="calendar__hour-col">
          {hours.map((h) => (
            <div key={h} className="calendar__hour">
              {HOUR.format(new Date(2000, 0, 1, h))}
            </div>
          ))}
        </div>
      </div>
      {days.map((d) => {
        const iso = isoDate(d.date);
        return (
          <section
            key={iso}
            className={`calendar__day${iso === today ? ' calendar__day--today' : ''}`}
            aria-label={DAY_NAME.format(d.date)}
          >
            <h3 className="calendar__day-title">
              {formatDayLabel(d.date)}
              {iso === today ? <span className="visually-hidden"> (today)</span> : null}
            </h3>
            <ul className="calendar__slots">
              {d.items.length === 0 ? <li className="calendar__none muted small">No meetings</li> : null}
              {d.items.map(({ item: a, topPct, heightPct }) => (
                <li
                  key={a.id}
                  title={`${a.title}, ${formatTime(a.start)}–${formatTime(a.end)}`}
                  className={`calendar__event${a.status === 'cancelled' ? ' calendar__event--cancelled' : ''}`}
                  style={{ top: `${topPct}%`, height: `${heightPct}%` }}
                >
                  <span className="calendar__event-title">
                    {a.prospectId ? <Link to={`/prospects/${a.prospectId}`}>{a.title}</Link> : a.title}
                  </span>
                  <span className="calendar__event-time">
                    {formatTime(a.start)}–{formatTime(a.end)}
                  </span>
                  {a.status === 'cancelled' ? <span className="visually-hidden"> (cancelled)</span> : null}
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}

function ListView({ items }: { items: Appointment[] }) {
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
            {a.title}
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
        description={`Meetings booked by your agents or your team. Times are shown in ${LOCAL_TZ}.`}
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
          <WeekView weekStart={weekStart} items={data.items} />
        ) : data.items.length === 0 ? (
          <EmptyState title="No appointments this week">Meetings your agents book appear here.</EmptyState>
        ) : (
          <ListView items={data.items} />
        )}
      </section>
    </>
  );
}
