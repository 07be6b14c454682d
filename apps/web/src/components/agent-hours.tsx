import type { WeeklyHours } from '@switchboard/shared';
import { completeWeek } from '../lib/hours.ts';
import { HoursEditor } from './hours-editor.tsx';

/** An agent's own weekly hours, or (unchecked) the business's from Settings → Business. */
export function AgentHours({
  value,
  onChange,
  error,
}: {
  value: WeeklyHours | null;
  onChange: (next: WeeklyHours | null) => void;
  error?: string | undefined;
}) {
  return (
    <div className="agent-hours">
      <div className="check check--inline">
        <input
          id="agent-own-hours"
          type="checkbox"
          checked={value !== null}
          onChange={(e) => onChange(e.target.checked ? completeWeek(null) : null)}
        />
        <label htmlFor="agent-own-hours">Own business hours (instead of the business's)</label>
      </div>
      {value ? <HoursEditor value={value} onChange={onChange} /> : null}
      {error ? <p className="field__error">{error}</p> : null}
    </div>
  );
}
