import { useState } from 'react';
import { parseIsoDate } from '../../lib/format.ts';

const HOLIDAY = new Intl.DateTimeFormat('en-US', {
  weekday: 'short',
  month: 'short',
  day: 'numeric',
  year: 'numeric',
});

/** Days the business is closed all day: add with a date picker, remove with ×. */
export function Holidays({
  value,
  onChange,
  readOnly,
  error,
}: {
  value: string[];
  onChange: (next: string[]) => void;
  readOnly: boolean;
  error?: string | undefined;
}) {
  const [day, setDay] = useState('');
  const add = () => {
    if (!day) return;
    onChange([...new Set([...value, day])].sort());
    setDay('');
  };
  return (
    <section className="card" aria-labelledby="holidays-title">
      <h2 id="holidays-title">Holidays</h2>
      <p className="muted small">Closed all day: agents offer no times and bookings by hand are refused.</p>
      {value.length === 0 ? <p className="muted">No holidays.</p> : null}
      <ul className="chips">
        {value.map((d) => (
          <li key={d} className="chip">
            {HOLIDAY.format(parseIsoDate(d) ?? new Date(d))}
            {readOnly ? null : (
              <button
                type="button"
                className="chip__remove"
                aria-label={`Remove ${d}`}
                onClick={() => onChange(value.filter((v) => v !== d))}
              >
                ×
              </button>
            )}
          </li>
        ))}
      </ul>
      {readOnly ? null : (
        <div className="inline-form">
          <label className="visually-hidden" htmlFor="holiday-date">
            Holiday date
          </label>
          <input id="holiday-date" type="date" value={day} onChange={(e) => setDay(e.target.value)} />
          <button type="button" className="btn btn--small" onClick={add} disabled={!day}>
            Add holiday
          </button>
        </div>
      )}
      {error ? <p className="field__error">{error}</p> : null}
    </section>
  );
}
