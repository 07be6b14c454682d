import type { ListResponse, PhoneNumber } from '@switchboard/shared';
import { type FormEvent, useState } from 'react';
import { ApiError, api, itemsOf } from '../../api.ts';
import { useAuth } from '../../auth.tsx';
import { ConfirmDialog, SelectField, TextField } from '../../components/form.tsx';
import {
  ActionError,
  ActionsHeader,
  EmptyState,
  ErrorState,
  Loading,
  Table,
} from '../../components/page.tsx';
import { agentName, useAgents } from '../../lib/agents.ts';
import type { FieldErrors } from '../../lib/error-details.ts';
import { formatPhone } from '../../lib/format.ts';
import { useApi, useRowAction } from '../../lib/use-api.ts';

function AddNumber({ onAdded }: { onAdded: () => void }) {
  const { agents } = useAgents();
  const [number, setNumber] = useState('');
  const [label, setLabel] = useState('');
  const [agentId, setAgentId] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (!number.trim()) {
      setErrors({ number: 'Enter the Twilio number, e.g. +14155550100' });
      return;
    }
    setBusy(true);
    setError(null);
    setErrors({});
    try {
      await api.post('/api/phone-numbers', {
        number: number.trim(),
        label: label.trim(),
        agentId: agentId || null,
      });
      setNumber('');
      setLabel('');
      onAdded();
    } catch (err) {
      if (err instanceof ApiError) setErrors(err.fieldErrors);
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card form" onSubmit={onSubmit} noValidate aria-labelledby="add-number-title">
      <h2 id="add-number-title">Add a number</h2>
      <div className="form-grid">
        <TextField
          label="Phone number"
          type="tel"
          value={number}
          onChange={setNumber}
          error={errors.number}
          placeholder="+14155550100"
        />
        <TextField
          label="Label"
          value={label}
          onChange={setLabel}
          error={errors.label}
          placeholder="Main line"
        />
        <SelectField
          label="Answered by"
          value={agentId}
          onChange={setAgentId}
          options={[
            { value: '', label: 'Default agent' },
            ...agents.map((a) => ({ value: a.id, label: a.name })),
          ]}
          error={errors.agentId}
        />
      </div>
      <ActionError error={error} />
      <p className="field__hint">
        In Twilio, set the number's voice webhook to{' '}
        <code>{`${location.origin}/api/twiml/connect-stream`}</code> (HTTP POST), using your public HTTPS
        address.
      </p>
      <div className="form-actions">
        <button type="submit" className="btn btn--primary" disabled={busy}>
          {busy ? 'Adding…' : 'Add number'}
        </button>
      </div>
    </form>
  );
}

export function PhoneNumbers() {
  const { isAdmin } = useAuth();
  const { agents } = useAgents();
  const { data, error, reload } = useApi<ListResponse<PhoneNumber> | PhoneNumber[]>(
    '/api/phone-numbers?limit=200',
  );
  const row = useRowAction(reload);
  const [removing, setRemoving] = useState<PhoneNumber | null>(null);

  const assign = (n: PhoneNumber, agentId: string) =>
    row.run(() => api.patch(`/api/phone-numbers/${n.id}`, { agentId: agentId || null }));
  const remove = (n: PhoneNumber) =>
    row.run(
      () => api.del(`/api/phone-numbers/${n.id}`),
      () => setRemoving(null),
    );

  const numbers = itemsOf(data);
  return (
    <>
      <section className="card" aria-labelledby="numbers-title">
        <h2 id="numbers-title">Numbers and who answers them</h2>
        {error && !data ? (
          <ErrorState error={error} onRetry={reload} what="phone numbers" />
        ) : !data ? (
          <Loading />
        ) : numbers.length === 0 ? (
          <EmptyState title="No phone numbers yet">
            Add your Twilio number so an agent can answer it.
          </EmptyState>
        ) : (
          <Table
            head={
              <>
                <th scope="col">Number</th>
                <th scope="col">Label</th>
                <th scope="col">Answered by</th>
                {isAdmin ? <ActionsHeader /> : null}
              </>
            }
          >
            {numbers.map((n) => (
              <tr key={n.id}>
                <td className="nowrap">{formatPhone(n.number)}</td>
                <td>{n.label || '—'}</td>
                <td>
                  {isAdmin ? (
                    <select
                      aria-label={`Agent answering ${n.number}`}
                      value={n.agentId ?? ''}
                      onChange={(e) => assign(n, e.target.value)}
                    >
                      <option value="">Default agent</option>
                      {agents.map((a) => (
                        <option key={a.id} value={a.id}>
                          {a.name}
                        </option>
                      ))}
                    </select>
                  ) : n.agentId ? (
                    agentName(agents, n.agentId)
                  ) : (
                    'Default agent'
                  )}
                </td>
                {isAdmin ? (
                  <td className="actions">
                    <button
                      type="button"
                      className="btn btn--small btn--danger-ghost"
                      onClick={() => setRemoving(n)}
                    >
                      Remove
                    </button>
                  </td>
                ) : null}
              </tr>
            ))}
          </Table>
        )}
        <ActionError error={row.error} />
      </section>
      {isAdmin ? <AddNumber onAdded={reload} /> : null}
      <ConfirmDialog
        open={!!removing}
        title="Remove this number?"
        onClose={() => setRemoving(null)}
        onConfirm={() => removing && remove(removing)}
        confirmLabel="Remove number"
      >
        <p>Calls to {formatPhone(removing?.number)} will no longer be answered by Switchboard.</p>
      </ConfirmDialog>
    </>
  );
}
