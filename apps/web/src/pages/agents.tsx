import {
  AGENT_TEMPLATES,
  type Agent,
  type ListResponse,
  PROVIDER_FACTS,
  PROVIDERS,
} from '@switchboard/shared';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { ApiError, api } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { Dialog, SelectField, TextField } from '../components/form.tsx';
import { ActionError, EmptyState, ErrorState, Loading, PageHeader } from '../components/page.tsx';
import { invalidateAgents } from '../lib/agents.ts';
import { formatRelative } from '../lib/format.ts';
import { useApi } from '../lib/use-api.ts';

function NewAgent({ onClose }: { onClose: () => void }) {
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [provider, setProvider] = useState<string>('openai');
  const [templateId, setTemplateId] = useState('');
  const template = AGENT_TEMPLATES.find((t) => t.id === templateId);
  const [error, setError] = useState<unknown>(null);
  const [nameError, setNameError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (!name.trim()) {
      setNameError('Give the agent a name, e.g. Front desk');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const fromTemplate = template
        ? { greeting: template.greeting, instructions: template.instructions, tools: template.tools }
        : {};
      const agent = await api.post<Agent>('/api/agents', { name: name.trim(), provider, ...fromTemplate });
      invalidateAgents();
      navigate(`/agents/${agent.id}`);
    } catch (err) {
      setNameError(err instanceof ApiError ? err.fieldErrors.name : undefined);
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={onSubmit} noValidate className="form">
      <ActionError error={error} />
      <TextField
        label="Name"
        value={name}
        onChange={setName}
        error={nameError}
        required
        placeholder="Front desk"
      />
      <SelectField
        label="Start from"
        value={templateId}
        onChange={(id) => {
          setTemplateId(id);
          const t = AGENT_TEMPLATES.find((x) => x.id === id);
          if (t && !name.trim()) setName(t.label);
        }}
        options={[
          { value: '', label: 'A blank agent' },
          ...AGENT_TEMPLATES.map((t) => ({ value: t.id, label: `Sample: ${t.label}` })),
        ]}
        hint={
          template
            ? `${template.description} Sample wording: it uses your business name ({{business.name}}) and the agent's name; edit it to match your business.`
            : 'Samples come with a greeting, instructions and the tools they need.'
        }
      />
      <SelectField
        label="Speech model provider"
        value={provider}
        onChange={setProvider}
        options={PROVIDERS.map((p) => ({ value: p, label: PROVIDER_FACTS[p].label }))}
      />
      <div className="form-actions">
        <button type="button" className="btn" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" className="btn btn--primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create and edit'}
        </button>
      </div>
    </form>
  );
}

export default function Agents() {
  const { isAdmin: canEdit } = useAuth();
  const { data, error, reload } = useApi<ListResponse<Agent>>('/api/agents?limit=200');
  const [creating, setCreating] = useState(false);

  return (
    <>
      <PageHeader
        title="Agents"
        description="Each agent has a voice, a script and the tools it may use on a call."
        actions={
          canEdit ? (
            <button type="button" className="btn btn--primary" onClick={() => setCreating(true)}>
              New agent
            </button>
          ) : null
        }
      />
      {error && !data ? (
        <ErrorState error={error} onRetry={reload} what="agents" />
      ) : !data ? (
        <Loading label="Loading agents…" />
      ) : data.items.length === 0 ? (
        <EmptyState title="No agents yet">
          {canEdit ? 'Create one to answer your phone number.' : 'An admin has not set up an agent yet.'}
        </EmptyState>
      ) : (
        <ul className="agent-grid">
          {data.items.map((a) => (
            <li key={a.id} className="card agent-card">
              <h2>
                <Link to={`/agents/${a.id}`}>{a.name}</Link>
                {a.isDefault ? <span className="badge badge--info">Default</span> : null}
              </h2>
              <p className="muted small">
                {PROVIDER_FACTS[a.provider].label} · {a.model} · voice {a.voice}
              </p>
              <p className="agent-card__greeting">
                {a.greeting ? `“${a.greeting}”` : <span className="muted">No greeting set</span>}
              </p>
              <p className="muted small">
                {a.tools.length} tool{a.tools.length === 1 ? '' : 's'} · updated {formatRelative(a.updatedAt)}
              </p>
            </li>
          ))}
        </ul>
      )}
      <Dialog open={creating} title="New agent" onClose={() => setCreating(false)}>
        <NewAgent onClose={() => setCreating(false)} />
      </Dialog>
    </>
  );
}
