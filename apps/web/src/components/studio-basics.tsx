/** The agent studio's Basics card: name, language, time zone, hours and the default switch. */
import type { AgentDraft } from '../lib/agent-draft.ts';
import type { FieldErrors } from '../lib/error-details.ts';
import { AgentHours } from './agent-hours.tsx';
import { TextField } from './form.tsx';

export function StudioBasics({
  draft,
  set,
  errors,
}: {
  draft: AgentDraft;
  set: <K extends keyof AgentDraft>(k: K) => (v: AgentDraft[K]) => void;
  errors: FieldErrors;
}) {
  return (
    <section className="card" aria-labelledby="s-basics">
      <h2 id="s-basics">Basics</h2>
      <div className="form-grid">
        <TextField label="Name" value={draft.name} onChange={set('name')} error={errors.name} required />
        <TextField
          label="Language"
          value={draft.language}
          onChange={set('language')}
          error={errors.language}
          hint="BCP 47 tag, e.g. en-US, es-MX"
        />
        <TextField
          label="Time zone"
          value={draft.timezone}
          onChange={set('timezone')}
          error={errors.timezone}
          placeholder="The business's"
          hint="Empty: the business's time zone (Settings → Business). Used for dates the agent says and for booking"
        />
        <AgentHours
          value={draft.businessHours}
          onChange={set('businessHours')}
          error={errors.businessHours}
        />
        <div className="check check--inline">
          <input
            id="agent-default"
            type="checkbox"
            checked={draft.isDefault}
            onChange={(e) => set('isDefault')(e.target.checked)}
          />
          <label htmlFor="agent-default">
            Default agent (answers numbers without an agent and places outbound calls)
          </label>
        </div>
      </div>
    </section>
  );
}
