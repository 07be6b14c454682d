/**
 * Settings › MCP servers: connect the organization's systems (CRM, booking) over MCP, test the
 * connection and see their tools; agents enable the tools in the studio.
 */
import type { ListResponse, McpServer } from '@switchboard/shared';
import { type FormEvent, useState } from 'react';
import { ApiError, api } from '../../api.ts';
import { useAuth } from '../../auth.tsx';
import { ConfirmDialog, TextField } from '../../components/form.tsx';
import { ActionError, Badge, EmptyState, ErrorState, Loading } from '../../components/page.tsx';
import type { FieldErrors } from '../../lib/error-details.ts';
import { formatRelative } from '../../lib/format.ts';
import { useApi, useRowAction } from '../../lib/use-api.ts';

const STATUS_LABELS: Record<McpServer['status'], string> = {
  ok: 'Connected',
  error: 'Unreachable',
  untested: 'Not tested',
};

function AddServer({ onAdded }: { onAdded: () => void }) {
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [headerName, setHeaderName] = useState('Authorization');
  const [headerValue, setHeaderValue] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setErrors({});
    try {
      const headers = headerName.trim() && headerValue ? { [headerName.trim()]: headerValue } : {};
      await api.post('/api/mcp-servers', { name: name.trim(), transport: 'http', url: url.trim(), headers });
      setName('');
      setUrl('');
      setHeaderValue('');
      onAdded();
    } catch (err) {
      if (err instanceof ApiError) setErrors(err.fieldErrors);
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card form" onSubmit={onSubmit} noValidate aria-labelledby="add-mcp-title">
      <h2 id="add-mcp-title">Connect an MCP server</h2>
      <div className="form-grid">
        <TextField
          label="Name"
          value={name}
          onChange={setName}
          error={errors.name}
          placeholder="crm"
          hint="Lowercase letters, digits and dashes; shown in tool names."
        />
        <TextField
          label="Server URL"
          value={url}
          onChange={setUrl}
          error={errors.url}
          placeholder="https://mcp.example.com/mcp"
          hint="Streamable HTTP endpoint."
        />
        <TextField label="Header name" value={headerName} onChange={setHeaderName} error={errors.headers} />
        <TextField
          label="Header value"
          type="password"
          value={headerValue}
          onChange={setHeaderValue}
          placeholder="Bearer …"
          hint="Stored encrypted; never shown again."
        />
      </div>
      <ActionError error={error} />
      <div className="form-actions">
        <button type="submit" className="btn btn--primary" disabled={busy || !name.trim() || !url.trim()}>
          {busy ? 'Connecting…' : 'Connect'}
        </button>
      </div>
    </form>
  );
}

function ServerCard({
  server,
  canEdit,
  onChanged,
}: {
  server: McpServer;
  canEdit: boolean;
  onChanged: () => void;
}) {
  const row = useRowAction(onChanged);
  const [testing, setTesting] = useState(false);
  const [removing, setRemoving] = useState(false);
  const test = async () => {
    setTesting(true);
    await row.run(() => api.get(`/api/mcp-servers/${server.id}/tools`));
    setTesting(false);
  };
  return (
    <section className="card" aria-labelledby={`mcp-${server.id}`}>
      <h2 id={`mcp-${server.id}`}>
        {server.name} <Badge value={server.status} label={STATUS_LABELS[server.status]} />
      </h2>
      <p className="muted small">
        {server.transport === 'http' ? server.url : `${server.command} ${server.args.join(' ')}`}
        {Object.keys(server.headersMasked).length
          ? ` · headers: ${Object.entries(server.headersMasked)
              .map(([k, v]) => `${k} ${v}`)
              .join(', ')}`
          : ''}
        {server.toolsFetchedAt ? ` · tools listed ${formatRelative(server.toolsFetchedAt)}` : ''}
      </p>
      {server.lastError ? <p className="alert alert--error">{server.lastError}</p> : null}
      {server.tools.length ? (
        <ul className="mcp-tools">
          {server.tools.map((t) => (
            <li key={t.name}>
              <code>{t.name}</code> {t.description ? <span className="muted">— {t.description}</span> : null}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">No tools listed yet.</p>
      )}
      <ActionError error={row.error} />
      {canEdit ? (
        <div className="form-actions">
          <button type="button" className="btn" onClick={test} disabled={testing}>
            {testing ? 'Testing…' : 'Test and refresh tools'}
          </button>
          <button type="button" className="btn btn--danger-ghost" onClick={() => setRemoving(true)}>
            Remove
          </button>
        </div>
      ) : null}
      <ConfirmDialog
        open={removing}
        title={`Remove ${server.name}?`}
        onClose={() => setRemoving(false)}
        onConfirm={() =>
          row.run(
            () => api.del(`/api/mcp-servers/${server.id}`),
            () => setRemoving(false),
          )
        }
        confirmLabel="Remove server"
      >
        <p>Agents lose its tools. Past calls keep their timelines.</p>
      </ConfirmDialog>
    </section>
  );
}

export function McpServers() {
  const { isAdmin } = useAuth();
  const { data, error, reload } = useApi<ListResponse<McpServer>>('/api/mcp-servers');
  if (error && !data) return <ErrorState error={error} onRetry={reload} what="MCP servers" />;
  if (!data) return <Loading label="Loading MCP servers…" />;
  return (
    <>
      {data.items.length === 0 ? (
        <EmptyState title="No MCP server connected">
          Connect your CRM or booking system over the Model Context Protocol; agents can then use its tools
          during calls.
        </EmptyState>
      ) : (
        data.items.map((s) => <ServerCard key={s.id} server={s} canEdit={isAdmin} onChanged={reload} />)
      )}
      {isAdmin ? <AddServer onAdded={reload} /> : null}
    </>
  );
}
