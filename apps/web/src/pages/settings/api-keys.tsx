import type { ApiKey, ListResponse } from '@switchboard/shared';
import { type FormEvent, useState } from 'react';
import { ApiError, api, itemsOf } from '../../api.ts';
import { useAuth } from '../../auth.tsx';
import { ConfirmDialog, Dialog, SelectField, TextField } from '../../components/form.tsx';
import {
  ActionError,
  ActionsHeader,
  Badge,
  EmptyState,
  ErrorState,
  Loading,
  Table,
} from '../../components/page.tsx';
import { formatDateTime, formatRelative } from '../../lib/format.ts';
import { useApi, useRowAction } from '../../lib/use-api.ts';

const KEY_ROLES = [
  { value: 'admin', label: 'Admin — full access except owner actions' },
  { value: 'agent', label: 'Agent — prospects and calls' },
  { value: 'viewer', label: 'Viewer — read only' },
];

function NewKeyShown({ created, onClose }: { created: ApiKey & { key: string }; onClose: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <Dialog open title="Copy your new API key" onClose={onClose}>
      <p className="alert alert--warn">
        This is the only time the key is shown. Store it somewhere safe now.
      </p>
      <div className="field">
        <label htmlFor="new-key">API key “{created.name}”</label>
        <div className="copy-row">
          <input
            id="new-key"
            readOnly
            value={created.key}
            onFocus={(e) => e.target.select()}
            className="mono"
          />
          <button
            type="button"
            className="btn"
            onClick={async () => {
              try {
                await navigator.clipboard.writeText(created.key);
                setCopied(true);
              } catch {
                setCopied(false);
              }
            }}
          >
            Copy
          </button>
        </div>
        <p className="field__hint" role="status">
          {copied ? 'Copied to the clipboard.' : 'Send it as the header Authorization: Bearer <key>.'}
        </p>
      </div>
      <div className="form-actions">
        <button type="button" className="btn btn--primary" onClick={onClose}>
          I have stored the key
        </button>
      </div>
    </Dialog>
  );
}

export function ApiKeys() {
  const { isAdmin } = useAuth();
  const { data, error, reload } = useApi<ListResponse<ApiKey> | ApiKey[]>('/api/api-keys?limit=200');
  const [name, setName] = useState('');
  const [role, setRole] = useState('viewer');
  const [nameError, setNameError] = useState<string | undefined>();
  const [formError, setFormError] = useState<unknown>(null);
  const [created, setCreated] = useState<(ApiKey & { key: string }) | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const row = useRowAction(reload);

  async function create(e: FormEvent) {
    e.preventDefault();
    if (!name.trim()) {
      setNameError('Name the key after what uses it, e.g. “CRM sync”');
      return;
    }
    setNameError(undefined);
    setFormError(null);
    try {
      const key = await api.post<ApiKey & { key: string }>('/api/api-keys', { name: name.trim(), role });
      setCreated(key);
      setName('');
      reload();
    } catch (err) {
      setNameError(err instanceof ApiError ? err.fieldErrors.name : undefined);
      setFormError(err);
    }
  }

  const revoke = (k: ApiKey) =>
    row.run(
      () => api.del(`/api/api-keys/${k.id}`),
      () => setRevoking(null),
    );

  const keys = itemsOf(data);
  return (
    <>
      <section className="card" aria-labelledby="keys-title">
        <h2 id="keys-title">API keys</h2>
        <p className="muted small">
          Keys let your own systems use the Switchboard API. Each key acts with the role it was given.
        </p>
        {error && !data ? (
          <ErrorState error={error} onRetry={reload} what="API keys" />
        ) : !data ? (
          <Loading />
        ) : keys.length === 0 ? (
          <EmptyState title="No API keys" />
        ) : (
          <Table
            head={
              <>
                <th scope="col">Name</th>
                <th scope="col">Key</th>
                <th scope="col">Role</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                {isAdmin ? <ActionsHeader /> : null}
              </>
            }
          >
            {keys.map((k) => (
              <tr key={k.id} className={k.revokedAt ? 'row--muted' : undefined}>
                <td>{k.name}</td>
                <td className="mono">{k.prefix}…</td>
                <td>{k.role}</td>
                <td>{formatDateTime(k.createdAt)}</td>
                <td>{k.lastUsedAt ? formatRelative(k.lastUsedAt) : 'Never'}</td>
                {isAdmin ? (
                  <td className="actions">
                    {k.revokedAt ? (
                      <Badge value="cancelled" label="Revoked" />
                    ) : (
                      <button
                        type="button"
                        className="btn btn--small btn--danger-ghost"
                        onClick={() => setRevoking(k)}
                        aria-label={`Revoke key ${k.name}`}
                      >
                        Revoke
                      </button>
                    )}
                  </td>
                ) : null}
              </tr>
            ))}
          </Table>
        )}
        <ActionError error={row.error} />
      </section>
      {isAdmin ? (
        <form className="card form" onSubmit={create} noValidate aria-labelledby="new-key-title">
          <h2 id="new-key-title">Create a key</h2>
          <div className="form-grid">
            <TextField
              label="Name"
              value={name}
              onChange={setName}
              error={nameError}
              placeholder="CRM sync"
            />
            <SelectField label="Role" value={role} onChange={setRole} options={KEY_ROLES} />
          </div>
          <ActionError error={formError} />
          <div className="form-actions">
            <button type="submit" className="btn btn--primary">
              Create key
            </button>
          </div>
        </form>
      ) : null}
      {created ? <NewKeyShown created={created} onClose={() => setCreated(null)} /> : null}
      <ConfirmDialog
        open={!!revoking}
        title={`Revoke “${revoking?.name ?? ''}”?`}
        onClose={() => setRevoking(null)}
        onConfirm={() => revoking && revoke(revoking)}
        confirmLabel="Revoke key"
      >
        <p>Anything using this key stops working immediately.</p>
      </ConfirmDialog>
    </>
  );
}
