import type { SetTwilioWebhookResponse, SetupItem, SetupResponse } from '@switchboard/shared';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, errorMessage } from '../api.ts';
import { hasRole, useAuth } from '../auth.tsx';
import { useApi } from '../lib/use-api.ts';

/** "Point my numbers here": sets the Twilio numbers' webhooks, then shows what happened. */
function FixTwilioWebhook({ onDone }: { onDone?: (() => void) | undefined }) {
  const { user } = useAuth();
  const [busy, setBusy] = useState(false);
  const [lines, setLines] = useState<{ ok: boolean; message: string }[]>([]);
  if (!hasRole(user, 'admin')) return <span className="muted"> Ask an admin to point the numbers here.</span>;
  const run = async () => {
    setBusy(true);
    try {
      const res = await api.post<SetTwilioWebhookResponse>('/api/setup/twilio-webhook', {});
      setLines(res.results);
      onDone?.();
    } catch (err) {
      setLines([{ ok: false, message: errorMessage(err) }]);
    } finally {
      setBusy(false);
    }
  };
  return (
    <span className="checklist__fix">
      <button type="button" className="btn btn--primary" disabled={busy} onClick={run}>
        {busy ? 'Pointing your numbers here…' : 'Point my numbers here'}
      </button>
      {lines.map((line) => (
        <span
          key={line.message}
          role={line.ok ? 'status' : 'alert'}
          className={line.ok ? 'checklist__result' : 'checklist__result checklist__result--error'}
        >
          {line.message}
        </span>
      ))}
    </span>
  );
}

/** The items as a list: ✓ / ✗, the step, what is the matter in plain words, and where to fix it. */
export function ChecklistItems({ items, onChange }: { items: SetupItem[]; onChange?: () => void }) {
  return (
    <ul className="checklist">
      {items.map((item) => (
        <li
          key={item.id}
          className={`checklist__item${item.ok ? ' checklist__item--ok' : item.optional ? ' checklist__item--optional' : ''}`}
        >
          <span className="checklist__mark" aria-hidden="true">
            {item.ok ? '✓' : item.optional ? '–' : '✗'}
          </span>
          <div className="checklist__text">
            <strong>{item.title}</strong>
            <span className="visually-hidden">
              {item.ok ? ' (done)' : item.optional ? ' (optional)' : ' (to do)'}
            </span>
            <p className="muted">
              {item.message}{' '}
              {!item.ok && item.fix === 'twilio_webhook' ? (
                <FixTwilioWebhook onDone={onChange} />
              ) : !item.ok && item.action ? (
                <Link to={item.action}>Fix this</Link>
              ) : null}
            </p>
          </div>
        </li>
      ))}
    </ul>
  );
}

/** The overview's setup checklist, shown until every required step is done. */
export function SetupChecklist({ always = false }: { always?: boolean }) {
  const { data, reload } = useApi<SetupResponse>('/api/setup');
  if (!data || (data.done && !always)) return null;
  const missing = data.items.filter((i) => !i.ok && !i.optional).length;
  return (
    <section className="card" aria-labelledby="setup-title">
      <h2 id="setup-title">{data.done ? 'Setup' : `Finish setting up (${missing} to do)`}</h2>
      <ChecklistItems items={data.items} onChange={reload} />
    </section>
  );
}

/** Required steps still missing for a kind of call (for Call now / Test), or [] when ready. */
export function useMissingSteps(ids: SetupItem['id'][], enabled = true): SetupItem[] {
  const { data } = useApi<SetupResponse>(enabled ? '/api/setup' : null);
  return data ? data.items.filter((i) => ids.includes(i.id) && !i.ok) : [];
}
