/** Outgoing webhooks (docs/webhooks.md): add (secret shown once), enable/disable, test, delivery log, remove. */
import { type CreatedWebhook, type ListResponse, WEBHOOK_EVENTS, type Webhook } from '@switchboard/shared';
import { type FormEvent, useState } from 'react';
import { ApiError, api, itemsOf } from '../../api.ts';
import { ConfirmDialog, Dialog, TextField } from '../../components/form.tsx';
import {
  ActionError,
  ActionsHeader,
  Badge,
  EmptyState,
  ErrorState,
  Loading,
  Table,
} from '../../components/page.tsx';
import { showToast } from '../../components/toast.tsx';
import { useApi, useRowAction } from '../../lib/use-api.ts';
import { WebhookDeliveries } from './webhook-deliveries.tsx';

const EVENTS = WEBHOOK_EVENTS.filter((e) => e !== 'webhook.test' && e !== 'campaign.completed');

function SecretShown({ created, onClose }: { created: CreatedWebhook; onClose: () => void }) {
  return (
    <Dialog open title="Copy the signing secret" onClose={onClose}>
      <p className="alert alert--warn">
        This is the only time the secret is shown. Store it with your receiver.
      </p>
      <div className="field">
        <label htmlFor="webhook-secret">Secret for {created.url}</label>
        <input
          id="webhook-secret"
          readOnly
          value={created.secret}
          className="mono"
          onFocus={(e) => e.target.select()}
        />
        <p className="field__hint">
          Verify X-Switchboard-Signature: t=…,v1=HMAC-SHA256(secret, "t.body") — see docs/webhooks.md.
        </p>
      </div>
      <div className="form-actions">
        <button type="button" className="btn btn--primary" onClick={onClose}>
          I have stored the secret
        </button>
      </div>
    </Dialog>
  );
}

export function Webhooks() {
  const { data, error, reload } = useApi<ListResponse<Webhook>>('/api/webhooks');
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<string[]>(['call.ended']);
  const [urlError, setUrlError] = useState<string | undefined>();
  const [formError, setFormError] = useState<unknown>(null);
  const [created, setCreated] = useState<CreatedWebhook | null>(null);
  const [removing, setRemoving] = useState<Webhook | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const row = useRowAction(reload);

  async function create(e: FormEvent) {
    e.preventDefault();
    setFormError(null);
    setUrlError(undefined);
    try {
      const hook = await api.post<CreatedWebhook>('/api/webhooks', { url: url.trim(), events, description });
      showToast('Webhook added');
      setCreated(hook);
      setUrl('');
      setDescription('');
      reload();
    } catch (err) {
      setUrlError(err instanceof ApiError ? err.fieldErrors.url : undefined);
      setFormError(err);
    }
  }

  const hooks = itemsOf(data);
  return (
    <>
      <section className="card" aria-labelledby="webhooks-title">
        <h2 id="webhooks-title">Webhooks</h2>
        <p className="muted small">
          Your systems hear about calls, leads, bookings and texts as they happen: a signed JSON POST per
          event, retried for a day.
        </p>
        {error && !data ? (
          <ErrorState error={error} onRetry={reload} what="webhooks" />
        ) : !data ? (
          <Loading />
        ) : hooks.length === 0 ? (
          <EmptyState title="No webhooks" />
        ) : (
          <Table
            head={
              <>
                <th scope="col">URL</th>
                <th scope="col">Events</th>
                <th scope="col">State</th>
                <ActionsHeader />
              </>
            }
          >
            {hooks.map((h) => (
              <tr key={h.id} className={h.enabled ? undefined : 'row--muted'}>
                <td className="mono">
                  {h.url}
                  {h.description ? <div className="muted small">{h.description}</div> : null}
                </td>
                <td className="small">{h.events.join(', ')}</td>
                <td>
                  <Badge
                    value={h.enabled ? 'completed' : 'failed'}
                    label={h.enabled ? 'Enabled' : 'Disabled'}
                  />
                  {h.disabledReason ? <div className="small muted">{h.disabledReason}</div> : null}
                </td>
                <td className="actions">
                  <button
                    type="button"
                    className="btn btn--small"
                    onClick={() =>
                      row.run(() => api.post(`/api/webhooks/${h.id}/test`)).then(() => setOpen(h.id))
                    }
                  >
                    Send test
                  </button>
                  <button
                    type="button"
                    className="btn btn--small btn--ghost"
                    onClick={() => setOpen(open === h.id ? null : h.id)}
                  >
                    {open === h.id ? 'Hide deliveries' : 'Deliveries'}
                  </button>
                  <button
                    type="button"
                    className="btn btn--small btn--ghost"
                    onClick={() => row.run(() => api.patch(`/api/webhooks/${h.id}`, { enabled: !h.enabled }))}
                  >
                    {h.enabled ? 'Disable' : 'Enable'}
                  </button>
                  <button
                    type="button"
                    className="btn btn--small btn--danger-ghost"
                    onClick={() => setRemoving(h)}
                    aria-label={`Remove webhook ${h.url}`}
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </Table>
        )}
        <ActionError error={row.error} />
      </section>
      {open ? (
        <section className="card" aria-labelledby="deliveries-title">
          <h2 id="deliveries-title">Deliveries · {hooks.find((h) => h.id === open)?.url}</h2>
          <WebhookDeliveries webhookId={open} />
        </section>
      ) : null}
      <form className="card form" onSubmit={create} noValidate aria-labelledby="new-webhook-title">
        <h2 id="new-webhook-title">Add a webhook</h2>
        <div className="form-grid">
          <TextField
            label="URL"
            value={url}
            onChange={setUrl}
            error={urlError}
            placeholder="https://example.com/switchboard"
          />
          <TextField
            label="Description"
            value={description}
            onChange={setDescription}
            placeholder="CRM sync"
          />
        </div>
        <fieldset className="field">
          <legend>Events</legend>
          {EVENTS.map((event) => (
            <div key={event} className="check check--inline">
              <input
                id={`event-${event}`}
                type="checkbox"
                checked={events.includes(event)}
                onChange={(e) =>
                  setEvents((list) => (e.target.checked ? [...list, event] : list.filter((x) => x !== event)))
                }
              />
              <label htmlFor={`event-${event}`} className="mono">
                {event}
              </label>
            </div>
          ))}
        </fieldset>
        <ActionError error={formError} />
        <div className="form-actions">
          <button type="submit" className="btn btn--primary" disabled={!url.trim() || events.length === 0}>
            Add webhook
          </button>
        </div>
      </form>
      {created ? <SecretShown created={created} onClose={() => setCreated(null)} /> : null}
      <ConfirmDialog
        open={!!removing}
        title="Remove this webhook?"
        onClose={() => setRemoving(null)}
        onConfirm={() =>
          removing &&
          row.run(
            () => api.del(`/api/webhooks/${removing.id}`),
            () => setRemoving(null),
          )
        }
        confirmLabel="Remove webhook"
      >
        <p>{removing?.url} stops receiving events, and its delivery log is deleted.</p>
      </ConfirmDialog>
    </>
  );
}
