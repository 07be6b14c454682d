import { type Call, isNotPlaced, type Prospect } from '@switchboard/shared';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api.ts';
import { useAgents } from '../lib/agents.ts';
import { formatDuration, formatPhone, humanize } from '../lib/format.ts';
import { isFinalStatus, useLiveCall } from '../lib/use-live-call.ts';
import { Dialog, SelectField } from './form.tsx';
import { ActionError, Badge } from './page.tsx';
import { ChecklistItems, useMissingSteps } from './setup-checklist.tsx';

const STEPS = ['queued', 'ringing', 'in-progress', 'completed'] as const;

/** Live status of a call that was just placed. */
export function CallProgress({ callId }: { callId: string }) {
  const { data: call, error } = useLiveCall(callId);
  const status = call?.status ?? 'queued';
  const final = isFinalStatus(status);
  const failed = final && status !== 'completed';
  // Remember the furthest step seen, so a call that ends unanswered still shows it rang.
  const idx = STEPS.indexOf(status as (typeof STEPS)[number]);
  const [furthest, setFurthest] = useState(0);
  useEffect(() => {
    if (idx > furthest) setFurthest(idx);
  }, [idx, furthest]);
  const reached = Math.max(idx, furthest);
  const lastTurn = call?.transcript.at(-1);
  return (
    <div className="call-progress">
      <ol className="steps" aria-label="Call progress">
        {STEPS.map((s, i) => {
          const last = i === STEPS.length - 1;
          const done = final ? (failed ? i <= reached && !last : true) : i < reached;
          const current = !final && i === reached;
          const cls = `steps__item${done ? ' steps__item--done' : ''}${current ? ' steps__item--current' : ''}${failed && last ? ' steps__item--failed' : ''}`;
          return (
            <li key={s} className={cls} aria-current={current ? 'step' : undefined}>
              {failed && last ? humanize(status) : humanize(s)}
            </li>
          );
        })}
      </ol>
      <p role="status" aria-live="polite" className="call-progress__status">
        {error && !call ? (
          'Could not read the call status; it may still be going on.'
        ) : (
          <>
            Status:{' '}
            {call && isNotPlaced(call) ? (
              <Badge value="not_placed" label="Not placed" />
            ) : (
              <Badge value={status} />
            )}
            {final && call?.durationS != null ? ` after ${formatDuration(call.durationS)}` : null}
            {call?.error ? ` — ${call.error}` : null}
          </>
        )}
      </p>
      {lastTurn ? (
        <p className="call-progress__turn">
          <strong>{lastTurn.role === 'user' ? 'Caller' : 'Agent'}:</strong> {lastTurn.text}
        </p>
      ) : null}
      <Link to={`/calls/${callId}`}>Open the call</Link>
    </div>
  );
}

/** "Call now": asks which agent calls, places the call and shows its progress. */
export function CallNowButton({
  prospect,
  className,
  onPlaced,
}: {
  prospect: Prospect;
  className?: string;
  /** Called with the new call once the server accepted it. */
  onPlaced?: (call: Call) => void;
}) {
  const { agents } = useAgents();
  const [open, setOpen] = useState(false);
  const [agentId, setAgentId] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [callId, setCallId] = useState<string | null>(null);
  const blocked = prospect.status === 'do_not_call';
  // The server's choice when no agent is named: the default outbound agent, else the default agent.
  const defaultAgent =
    agents.find((a) => a.isDefaultOutbound) ?? agents.find((a) => a.isDefault) ?? agents[0];
  const chosen = agentId || defaultAgent?.id || '';
  const missing = useMissingSteps(['twilio', 'model', 'phone_number', 'public_url'], open);

  async function place() {
    setBusy(true);
    setError(null);
    try {
      // Only name the agent when it is not the default, so older servers accept the body.
      const body = chosen && chosen !== defaultAgent?.id ? { agentId: chosen } : {};
      const call = await api.post<Call>(`/api/prospects/${prospect.id}/call`, body);
      setCallId(call.id);
      onPlaced?.(call);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const name = prospect.contact || prospect.company || formatPhone(prospect.phone);
  return (
    <>
      <button
        type="button"
        className={className ?? 'btn btn--small'}
        disabled={blocked}
        title={blocked ? 'This prospect is on the do-not-call list' : undefined}
        aria-label={`Call ${name} now`}
        onClick={() => {
          setCallId(null);
          setError(null);
          setOpen(true);
        }}
      >
        Call now
      </button>
      <Dialog open={open} title={`Call ${name}`} onClose={() => setOpen(false)}>
        {callId ? (
          <CallProgress callId={callId} />
        ) : (
          <>
            <p>
              An AI agent calls <strong>{formatPhone(prospect.phone)}</strong> right away
              {prospect.timezone ? ` (their time zone is ${prospect.timezone})` : ''}.
            </p>
            {agents.length > 1 ? (
              <SelectField
                label="Agent"
                value={chosen}
                onChange={setAgentId}
                options={agents.map((a) => ({
                  value: a.id,
                  label: a.id === defaultAgent?.id ? `${a.name} (default)` : a.name,
                }))}
              />
            ) : null}
            {missing.length ? (
              <div className="alert alert--warn" role="status">
                <p>
                  <strong>Before a call can be placed:</strong>
                </p>
                <ChecklistItems items={missing} />
              </div>
            ) : null}
            <ActionError error={error} />
            <div className="form-actions">
              <button type="button" className="btn" onClick={() => setOpen(false)}>
                Cancel
              </button>
              <button type="button" className="btn btn--primary" onClick={place} disabled={busy}>
                {busy ? 'Placing call…' : 'Start call'}
              </button>
            </div>
          </>
        )}
      </Dialog>
    </>
  );
}
