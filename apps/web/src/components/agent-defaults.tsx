/** The two "default agent" switches of the studio: inbound (numbers without an agent) and outbound. */
import type { AgentDraft } from '../lib/agent-draft.ts';

export function AgentDefaults({
  draft,
  set,
  savedIsDefault,
}: {
  draft: AgentDraft;
  set: <K extends keyof AgentDraft>(k: K) => (v: AgentDraft[K]) => void;
  /** The saved default agent cannot be switched off here: another agent takes over instead. */
  savedIsDefault: boolean;
}) {
  return (
    <fieldset className="agent-defaults">
      <legend className="agent-defaults__legend">Default agent</legend>
      <div className="check">
        <input
          id="agent-default"
          type="checkbox"
          checked={draft.isDefault}
          disabled={savedIsDefault}
          aria-describedby="agent-default-help"
          onChange={(e) => set('isDefault')(e.target.checked)}
        />
        <label htmlFor="agent-default">Answers calls to numbers without an agent</label>
        <p id="agent-default-help" className="field__hint">
          {savedIsDefault
            ? 'This is the default inbound agent. To change it, switch this on for another agent.'
            : 'One agent per organization; switching it on here switches it off on the current one.'}
        </p>
      </div>
      <div className="check">
        <input
          id="agent-default-outbound"
          type="checkbox"
          checked={draft.isDefaultOutbound}
          aria-describedby="agent-default-outbound-help"
          onChange={(e) => set('isDefaultOutbound')(e.target.checked)}
        />
        <label htmlFor="agent-default-outbound">Places outbound calls by default</label>
        <p id="agent-default-outbound-help" className="field__hint">
          Used for calls and campaigns that name no agent. When no agent has this on, the default inbound
          agent places them.
        </p>
      </div>
    </fieldset>
  );
}
