/**
 * The appointments week view (local time). Click an empty spot of a day to book there, drag a
 * meeting to another time or day to move it, click a meeting to reschedule, edit or cancel it.
 * Every action also has a keyboard path: the "New appointment" button and the meeting's dialog.
 */
import type { Appointment } from '@switchboard/shared';
import { type CSSProperties, type DragEvent, type MouseEvent, useRef } from 'react';
import { Link } from 'react-router';
import { layoutWeek, timeAt } from '../lib/calendar.ts';
import { formatDayLabel, formatTime, isoDate } from '../lib/format.ts';

const DAY_NAME = new Intl.DateTimeFormat('en-US', { weekday: 'long', month: 'long', day: 'numeric' });
const HOUR = new Intl.DateTimeFormat('en-US', { hour: 'numeric' });
const DRAG_TYPE = 'application/x-switchboard-appointment';
/** Where the stylesheet (styles/agents.css) turns the week into a list of days. */
const PHONE_LAYOUT = '(max-width: 860px)';

export function WeekView({
  weekStart,
  items,
  onCreateAt,
  onOpen,
  onMove,
}: {
  weekStart: Date;
  items: Appointment[];
  onCreateAt?: ((start: Date) => void) | undefined;
  onOpen: (a: Appointment) => void;
  onMove?: ((a: Appointment, start: Date) => void) | undefined;
}) {
  const { days, fromHour, toHour } = layoutWeek(weekStart, items);
  const hours = Array.from({ length: toHour - fromHour }, (_, i) => fromHour + i);
  const today = isoDate(new Date());
  /** Where in the meeting it was grabbed (px from its top), so it lands where it is dropped. */
  const grab = useRef(0);
  const fraction = (e: { clientY: number; currentTarget: Element }, offsetPx = 0) => {
    const rect = e.currentTarget.getBoundingClientRect();
    return (e.clientY - offsetPx - rect.top) / rect.height;
  };

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
        const onClick = (e: MouseEvent<HTMLUListElement>) => {
          // On phones the week is a list of days without a time axis: "New appointment" books there.
          if (e.target !== e.currentTarget || !onCreateAt || matchMedia(PHONE_LAYOUT).matches) return;
          onCreateAt(timeAt(d.date, fromHour, toHour, fraction(e)));
        };
        const onDrop = (e: DragEvent<HTMLUListElement>) => {
          const id = e.dataTransfer.getData(DRAG_TYPE);
          const moved = items.find((a) => a.id === id);
          if (!moved || !onMove) return;
          e.preventDefault();
          onMove(moved, timeAt(d.date, fromHour, toHour, fraction(e, grab.current), 15));
        };
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
            {/* biome-ignore lint/a11y/useKeyWithClickEvents: the "New appointment" button is the keyboard path */}
            <ul
              className={`calendar__slots${onCreateAt ? ' calendar__slots--bookable' : ''}`}
              onClick={onClick}
              onDragOver={(e) => {
                if (onMove && e.dataTransfer.types.includes(DRAG_TYPE)) e.preventDefault();
              }}
              onDrop={onDrop}
              data-date={iso}
            >
              {d.items.length === 0 ? <li className="calendar__none muted small">No meetings</li> : null}
              {d.items.map(({ item: a, topPct, heightPct }) => {
                const movable = Boolean(onMove) && a.status === 'confirmed' && new Date(a.start) > new Date();
                return (
                  <li
                    key={a.id}
                    title={`${a.title}, ${formatTime(a.start)}–${formatTime(a.end)}${movable ? ' (drag to move)' : ''}`}
                    className={`calendar__event${a.status === 'cancelled' ? ' calendar__event--cancelled' : ''}`}
                    style={{ top: `${topPct}%`, height: `${heightPct}%` }}
                    draggable={movable}
                    onDragStart={(e) => {
                      grab.current = e.clientY - e.currentTarget.getBoundingClientRect().top;
                      e.dataTransfer.setData(DRAG_TYPE, a.id);
                      e.dataTransfer.effectAllowed = 'move';
                    }}
                  >
                    <button type="button" className="calendar__event-open" onClick={() => onOpen(a)}>
                      <span className="calendar__event-title">{a.title}</span>
                      <span className="calendar__event-time">
                        {formatTime(a.start)}–{formatTime(a.end)}
                      </span>
                      {a.status === 'cancelled' ? (
                        <span className="visually-hidden"> (cancelled)</span>
                      ) : null}
                    </button>
                    {a.prospectId ? (
                      <Link className="calendar__event-link small" to={`/prospects/${a.prospectId}`}>
                        Prospect
                      </Link>
                    ) : null}
                  </li>
                );
              })}
            </ul>
          </section>
        );
      })}
    </div>
  );
}
