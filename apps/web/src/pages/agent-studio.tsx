import {
  type Agent,
  type Integration,
  KNOWLEDGE_BRIEF_INSTRUCTION_CHARS,
  PROVIDER_FACTS,
  PROVIDERS,
  type Provider,
  unmetToolPrerequisites,
} from '@switchboard/shared';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Link, useBlocker, useNavigate, useParams, useSearchParams } from 'react-router';
import { ApiError, api } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { DtmfActions, ToolToggles, TuningControls } from '../components/agent-sections.tsx';
import { BrowserTest } from '../components/browser-test.tsx';
import { ConfirmDialog, SelectField, TextArea, TextField } from '../components/form.tsx';
import { KnowledgePanel } from '../components/knowledge-panel.tsx';
import { McpToolToggles } from '../components/mcp-tool-toggles.tsx';
import { ActionError, EmptyState, ErrorState, Loading, PageHeader } from '../components/page.tsx';
import { PostCallSection } from '../components/post-call-section.tsx';
import { StudioBasics } from '../components/studio-basics.tsx';
import { StudioCallerTrust } from '../components/studio-caller-trust.tsx';
import { TestChat } from '../components/test-chat.tsx';
import { VariablePreview } from '../components/variable-preview.tsx';
import { ModelSelect, VoiceSelect } from '../components/voice-select.tsx';
import { WidgetPanel } from '../components/widget-panel.tsx';
import { type AgentDraft, isDirty, switchProvider, toDraft, toPatch } from '../lib/agent-draft.ts';
import { postCallError, SHOWN_FIELDS } from '../lib/agent-studio-fields.ts';
import { invalidateAgents } from '../lib/agents.ts';
import { type FieldErrors, unshownFieldErrors } from '../lib/error-details.ts';
import { useApi } from '../lib/use-api.ts';

function Editor({ agent, onSaved }: { agent: Agent; onSaved: (a: Agent) => void }) {
  // Agents are configured by admins; anyone who can place calls may try one in the browser.
  const { isAdmin: canEdit, canEdit: canCall } = useAuth();
  const navigate = useNavigate();
  const [draft, setDraft] = useState<AgentDraft>(() => toDraft(agent));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const dirty = isDirty(draft, agent);
  // Until credentials load, assume Twilio is there rather than flash a warning.
  const integrations = useApi<Integration[]>('/api/integrations');
  const twilio = integrations.data?.find((i) => i.provider === 'twilio')?.configured ?? true;
  const unmet = unmetToolPrerequisites(
    { tools: draft.tools, transferNumber: draft.transferNumber.trim() || null },
    { twilio },
  );
  const leaving = useRef(false);
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) =>
      dirty && !leaving.current && currentLocation.pathname !== nextLocation.pathname,
  );

  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);
  useEffect(() => {
    if (Object.keys(errors).length)
      formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [errors]);

  const set =
    <K extends keyof AgentDraft>(k: K) =>
    (v: AgentDraft[K]) => {
      setSaved(false);
      setDraft((d) => ({ ...d, [k]: v }));
    };

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (!draft.name.trim()) {
      setErrors({ name: 'Give the agent a name' });
      return;
    }
    setBusy(true);
    setError(null);
    setErrors({});
    try {
      const updated = await api.patch<Agent>(`/api/agents/${agent.id}`, toPatch(draft));
      invalidateAgents();
      onSaved(updated);
      setDraft(toDraft(updated));
      setSaved(true);
    } catch (err) {
      const fields = err instanceof ApiError ? err.fieldErrors : {};
      setErrors(fields);
      const other = unshownFieldErrors(fields, SHOWN_FIELDS);
      setError(
        Object.keys(fields).length
          ? new Error(`Some settings need attention.${other.length ? ` ${other.join('; ')}` : ''}`)
          : err,
      );
    } finally {
      setBusy(false);
    }
  }

  async function remove() {
    try {
      await api.del(`/api/agents/${agent.id}`);
      invalidateAgents();
      setConfirmDelete(false);
      leaving.current = true;
      navigate('/agents', { replace: true });
    } catch (err) {
      setConfirmDelete(false);
      setError(err);
    }
  }

  return (
    <div className="grid grid--studio">
      <form ref={formRef} onSubmit={onSubmit} noValidate className="form studio">
        {!canEdit ? (
          <p className="alert alert--info">
            Only admins and owners can change agents; you are viewing the settings.
          </p>
        ) : null}
        <fieldset disabled={!canEdit} className="studio__fields">
          <StudioBasics draft={draft} set={set} errors={errors} savedIsDefault={agent.isDefault} />
          <section className="card" aria-labelledby="s-voice">
            <h2 id="s-voice">Voice and model</h2>
            <div className="form-grid">
              <SelectField
                label="Provider"
                value={draft.provider}
                onChange={(p) => {
                  setSaved(false);
                  setDraft((d) => switchProvider(d, p as Provider));
                }}
                options={PROVIDERS.map((p) => ({ value: p, label: PROVIDER_FACTS[p].label }))}
                error={errors.provider}
              />
              <ModelSelect
                provider={draft.provider}
                value={draft.model}
                onChange={set('model')}
                error={errors.model}
              />
              <VoiceSelect
                provider={draft.provider}
                value={draft.voice}
                onChange={set('voice')}
                error={errors.voice}
              />
            </div>
          </section>
          <section className="card" aria-labelledby="s-script">
            <h2 id="s-script">What the agent says</h2>
            <TextArea
              label="Greeting"
              rows={2}
              value={draft.greeting}
              onChange={set('greeting')}
              error={errors.greeting}
              hint="The first thing the agent says when the call connects."
            />
            <TextArea
              label="Instructions"
              rows={10}
              value={draft.instructions}
              onChange={set('instructions')}
              error={errors.instructions}
              hint="The agent's role, tone and the steps of the conversation."
            />
            <TextArea
              label="Company brief"
              rows={6}
              value={draft.companyBrief}
              onChange={set('companyBrief')}
              error={errors.companyBrief}
              hint={`Facts the agent may share: services, prices, opening hours, address, policies. ${draft.companyBrief.length.toLocaleString('en-US')} characters; beyond ${KNOWLEDGE_BRIEF_INSTRUCTION_CHARS.toLocaleString('en-US')} the rest is not cut: the whole brief goes to the knowledge base and the agent looks it up.`}
            />
            <VariablePreview
              greeting={draft.greeting}
              instructions={draft.instructions}
              agentName={draft.name}
            />
          </section>
          <section className="card" aria-labelledby="s-tools">
            <h2 id="s-tools">Tools</h2>
            <ToolToggles tools={draft.tools} onChange={set('tools')} error={errors.tools} unmet={unmet} />
            <McpToolToggles tools={draft.tools} onChange={set('tools')} />
          </section>
          <StudioCallerTrust draft={draft} set={set} errors={errors} />
          <section className="card" aria-labelledby="s-transfer">
            <h2 id="s-transfer">Transfers and voicemail</h2>
            <div className="form-grid">
              <TextField
                label="Transfer number"
                type="tel"
                value={draft.transferNumber}
                onChange={set('transferNumber')}
                error={errors.transferNumber}
                placeholder="+14155550100"
                hint="Where “Transfer to a person” sends the caller."
              />
              <SelectField
                label="Transfer mode"
                value={draft.transferMode}
                onChange={(v) => set('transferMode')(v === 'warm' ? 'warm' : 'cold')}
                options={[
                  { value: 'cold', label: 'Cold — connect the caller directly' },
                  { value: 'warm', label: 'Warm — brief the person first, then connect' },
                ]}
                error={errors.transferMode}
              />
            </div>
            <TextArea
              label="Voicemail message"
              rows={3}
              value={draft.voicemailMessage}
              onChange={set('voicemailMessage')}
              error={errors.voicemailMessage}
              hint="Left on answering machines by outbound calls (needs the “Leave a voicemail” tool)."
            />
            <DtmfActions
              actions={draft.dtmfActions}
              onChange={set('dtmfActions')}
              error={errors.dtmfActions}
              transferNumber={draft.transferNumber.trim() || null}
            />
          </section>
          <section className="card" aria-labelledby="s-postcall">
            <h2 id="s-postcall">After the call</h2>
            <PostCallSection
              value={draft.postCall}
              onChange={set('postCall')}
              error={postCallError(errors)}
            />
            <div className="check check--inline">
              <input
                id="agent-recording"
                type="checkbox"
                checked={draft.recording === 'on'}
                onChange={(e) => set('recording')(e.target.checked ? 'on' : 'off')}
              />
              <label htmlFor="agent-recording">
                Record calls (both sides, kept on this server; the greeting ends with “This call is
                recorded.”)
              </label>
            </div>
          </section>
          <section className="card" aria-labelledby="s-tuning">
            <h2 id="s-tuning">Call handling</h2>
            <TuningControls
              tuning={draft.tuning}
              provider={draft.provider}
              onChange={set('tuning')}
              errors={errors}
            />
          </section>
        </fieldset>
        {canEdit ? (
          <div className={`savebar${dirty ? ' savebar--dirty' : ''}`}>
            <ActionError error={error} />
            <span role="status" className="muted small">
              {saved && !dirty ? 'All changes saved.' : dirty ? 'Unsaved changes' : ''}
            </span>
            <button type="button" className="btn btn--danger-ghost" onClick={() => setConfirmDelete(true)}>
              Delete agent
            </button>
            <button
              type="button"
              className="btn"
              disabled={!dirty || busy}
              onClick={() => {
                setDraft(toDraft(agent));
                setErrors({});
                setError(null);
              }}
            >
              Discard changes
            </button>
            <button type="submit" className="btn btn--primary" disabled={!dirty || busy}>
              {busy ? 'Saving…' : 'Save changes'}
            </button>
          </div>
        ) : null}
      </form>
      {canCall ? (
        <aside className="studio__side stack">
          <BrowserTest agentId={agent.id} unsaved={dirty} />
          <TestChat agentId={agent.id} unsaved={dirty} />
        </aside>
      ) : null}
      <ConfirmDialog
        open={confirmDelete}
        title={`Delete ${agent.name}?`}
        onClose={() => setConfirmDelete(false)}
        onConfirm={remove}
        confirmLabel="Delete agent"
      >
        <p>Phone numbers answered by this agent will fall back to the default agent. Past calls are kept.</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={blocker.state === 'blocked'}
        title="Leave without saving?"
        onClose={() => blocker.reset?.()}
        onConfirm={() => blocker.proceed?.()}
        cancelLabel="Stay"
        confirmLabel="Discard and leave"
      >
        <p>Your changes to this agent have not been saved.</p>
      </ConfirmDialog>
    </div>
  );
}

const STUDIO_TABS = [
  { id: 'settings', label: 'Settings' },
  { id: 'knowledge', label: 'Knowledge' },
  { id: 'widget', label: 'Widget' },
] as const;

export default function AgentStudio() {
  const { id } = useParams();
  const [search, setSearch] = useSearchParams();
  const tab = STUDIO_TABS.find((t) => t.id === search.get('tab'))?.id ?? 'settings';
  const { isAdmin, canEdit: canSearch } = useAuth();
  const { data, error, reload, setData } = useApi<Agent>(id ? `/api/agents/${id}` : null);
  if (error && !data) {
    const notFound = error instanceof ApiError && error.status === 404 && !error.endpointMissing;
    return (
      <>
        <PageHeader title="Agent" back={<Link to="/agents">← Agents</Link>} />
        {notFound ? (
          <EmptyState title="Agent not found">It may have been deleted.</EmptyState>
        ) : (
          <ErrorState error={error} onRetry={reload} what="this agent" />
        )}
      </>
    );
  }
  if (!data) return <Loading label="Loading agent…" />;
  return (
    <>
      <PageHeader
        title={data.name}
        back={<Link to="/agents">← Agents</Link>}
        description="Agent studio: script, voice, tools and call handling."
      />
      <nav className="tabs" aria-label="Agent studio sections">
        {STUDIO_TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            className={`tabs__tab${tab === t.id ? ' active' : ''}`}
            aria-current={tab === t.id ? 'page' : undefined}
            onClick={() => setSearch(t.id === 'settings' ? {} : { tab: t.id })}
          >
            {t.label}
          </button>
        ))}
      </nav>
      {tab === 'widget' ? (
        <WidgetPanel agentId={data.id} canEdit={isAdmin} />
      ) : tab === 'knowledge' ? (
        <KnowledgePanel
          agentId={data.id}
          canEdit={isAdmin}
          canSearch={canSearch}
          toolEnabled={data.tools.includes('search_knowledge')}
        />
      ) : (
        <Editor key={data.id} agent={data} onSaved={setData} />
      )}
    </>
  );
}
