/**
 * The agent studio's caller-trust card: what the model is told about an inbound caller matched
 * by caller ID alone (which can be spoofed), and whom send_sms may text (docs/security.md).
 */
import type { AgentDraft } from '../lib/agent-draft.ts';
import type { FieldErrors } from '../lib/error-details.ts';
import { SelectField } from './form.tsx';

export function StudioCallerTrust({
  draft,
  set,
  errors,
}: {
  draft: AgentDraft;
  set: <K extends keyof AgentDraft>(k: K) => (v: AgentDraft[K]) => void;
  errors: FieldErrors;
}) {
  return (
    <section className="card" aria-labelledby="s-trust">
      <h2 id="s-trust">Caller trust</h2>
      <div className="form-grid">
        <SelectField
          label="Inbound caller details"
          value={draft.callerContext}
          onChange={(v) => set('callerContext')(v === 'full' ? 'full' : 'limited')}
          options={[
            { value: 'limited', label: 'Limited — name and status' },
            { value: 'full', label: 'Full — email, notes, history' },
          ]}
          error={errors.callerContext}
          hint={
            draft.callerContext === 'full'
              ? 'Caller ID can be faked: anyone calling from a spoofed number may hear this prospect’s email, notes and call history.'
              : 'Callers are matched by caller ID, which can be faked, so their email, notes and past calls stay out of the call.'
          }
        />
        <SelectField
          label="Who the agent may text"
          value={draft.smsRecipients}
          onChange={(v) => set('smsRecipients')(v === 'any' ? 'any' : 'caller')}
          options={[
            { value: 'caller', label: 'Only the caller’s own number' },
            { value: 'any', label: 'Any number the caller gives' },
          ]}
          error={errors.smsRecipients}
          hint={
            draft.smsRecipients === 'any'
              ? 'A caller could have the agent text anyone (spam at your cost); texts stay capped per call and per day.'
              : 'The agent texts only the number the call is with; another number is refused.'
          }
        />
      </div>
    </section>
  );
}
