/**
 * The weekly hours editor: one row per weekday, each with its opening ranges (add, change,
 * remove) and a closed state. Ranges are validated where they are typed (inverted, overlapping)
 * so the server's 400 is rarely seen; server errors still show under the day they name.
 */
import { WEEKDAYS, type Weekday, type WeeklyHours } from '@switchboard/shared';
import { dayProblem } from '../lib/hours.ts';

const DAY_LABEL: Record<Weekday, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

export function HoursEditor({
  value,
  onChange,
  readOnly,
  errors = {},
}: {
  value: WeeklyHours;
  onChange: (next: WeeklyHours) => void;
  readOnly?: boolean;
  errors?: Record<string, string>;
}) {
  const setDay = (day: Weekday, ranges: Array<[string, string]>) => onChange({ ...value, [day]: ranges });
  return (
    <fieldset className="hours">
      <legend className="visually-hidden">Weekly hours</legend>
      {WEEKDAYS.map((day) => {
        const ranges = value[day];
        const problem = dayProblem(ranges) ?? errors[day];
        return (
          <div key={day} className={`hours__day${problem ? ' hours__day--invalid' : ''}`}>
            <span className="hours__name">{DAY_LABEL[day]}</span>
            <div className="hours__ranges">
              {ranges.length === 0 ? <span className="muted">Closed</span> : null}
              {ranges.map(([open, close], i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: ranges have no identity besides their place
                <span key={i} className="hours__range">
                  <input
                    type="time"
                    aria-label={`${DAY_LABEL[day]} range ${i + 1} opens`}
                    value={open}
                    disabled={readOnly}
                    step={900}
                    onChange={(e) =>
                      setDay(
                        day,
                        ranges.map((r, j) => (j === i ? [e.target.value, r[1]] : r)),
                      )
                    }
                  />
                  <span aria-hidden="true">–</span>
                  <input
                    type="time"
                    aria-label={`${DAY_LABEL[day]} range ${i + 1} closes`}
                    value={close === '24:00' ? '23:59' : close}
                    disabled={readOnly}
                    step={900}
                    onChange={(e) =>
                      setDay(
                        day,
                        ranges.map((r, j) => (j === i ? [r[0], e.target.value] : r)),
                      )
                    }
                  />
                  {readOnly ? null : (
                    <button
                      type="button"
                      className="btn btn--ghost btn--icon"
                      aria-label={`Remove ${DAY_LABEL[day]} range ${i + 1}`}
                      onClick={() =>
                        setDay(
                          day,
                          ranges.filter((_, j) => j !== i),
                        )
                      }
                    >
                      ×
                    </button>
                  )}
                </span>
              ))}
              {readOnly || ranges.length >= 6 ? null : (
                <button
                  type="button"
                  className="btn btn--small"
                  aria-label={`Add hours on ${DAY_LABEL[day]}`}
                  onClick={() => setDay(day, [...ranges, nextRange(ranges)])}
                >
                  + Hours
                </button>
              )}
            </div>
            {problem ? (
              <p className="field__error hours__error" role="alert">
                {problem}
              </p>
            ) : null}
          </div>
        );
      })}
    </fieldset>
  );
}

/** A sensible next range: 09:00–17:00 on an empty day, else the hour after the last close. */
function nextRange(ranges: Array<[string, string]>): [string, string] {
  const last = ranges.at(-1);
  if (!last) return ['09:00', '17:00'];
  const hour = Math.min(23, Number(last[1].slice(0, 2)) + 1);
  return [
    `${String(hour).padStart(2, '0')}:00`,
    hour >= 23 ? '24:00' : `${String(hour + 1).padStart(2, '0')}:00`,
  ];
}
