/** The agent studio's Basics card: name, language, time zone, hours and the default switches. */
import type { AgentDraft } from '../lib/agent-draft.ts';
import { useAgentOptions } from '../lib/agent-options.ts';
import type { FieldErrors } from '../lib/error-details.ts';
import { AgentDefaults } from './agent-defaults.tsx';
import { AgentHours } from './agent-hours.tsx';
import { TextField } from './form.tsx';
import { ListSelect, timeZoneGroups } from './list-select.tsx';

export function StudioBasics({
  draft,
  set,
  errors,
  savedIsDefault,
}: {
  draft: AgentDraft;
  set: <K extends keyof AgentDraft>(k: K) => (v: AgentDraft[K]) => void;
  errors: FieldErrors;
  savedIsDefault: boolean;
}) {
  const options = useAgentOptions();
  return (
    <section className="card" aria-labelledby="s-basics">
      <h2 id="s-basics">Basics</h2>
      <div className="form-grid">
        <TextField label="Name" value={draft.name} onChange={set('name')} error={errors.name} required />
        <ListSelect
          label="Language"
          value={draft.language}
          onChange={set('language')}
          groups={[
            { options: options.languages.map((l) => ({ value: l.code, label: `${l.name} — ${l.code}` })) },
          ]}
          error={errors.language}
          hint="The language the agent speaks and understands."
        />
        <ListSelect
          label="Time zone"
          value={draft.timezone}
          onChange={set('timezone')}
          empty="The business's time zone"
          groups={timeZoneGroups(options.timezones)}
          error={errors.timezone}
          hint="Used for dates the agent says and for booking. The business's time zone is set in Settings → Business."
        />
        <AgentHours
          value={draft.businessHours}
          onChange={set('businessHours')}
          error={errors.businessHours}
        />
        <AgentDefaults draft={draft} set={set} savedIsDefault={savedIsDefault} />
      </div>
    </section>
  );
}
