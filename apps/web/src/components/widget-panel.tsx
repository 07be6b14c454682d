/**
 * The agent studio's Widget tab (docs/widget.md): switch the website widget on, list the sites
 * allowed to embed it, pick its channels and theme, copy the embed snippet, and try the real
 * widget in a live preview running against this server.
 */
import type { UpdateWidgetSettings, WidgetChannel, WidgetSettings } from '@switchboard/shared';
import { createElement, type FormEvent, useEffect, useState } from 'react';
import { api } from '../api.ts';
import { useApi } from '../lib/use-api.ts';
import { SelectField, TextArea, TextField } from './form.tsx';
import { ActionError, ErrorState, Loading } from './page.tsx';

interface Draft {
  enabled: boolean;
  origins: string;
  chat: boolean;
  voice: boolean;
  color: string;
  position: 'bottom-right' | 'bottom-left';
  title: string;
  welcomeMessage: string;
  avatarUrl: string;
}

function draftOf(w: WidgetSettings): Draft {
  return {
    enabled: w.enabled,
    origins: w.allowedOrigins.join('\n'),
    chat: w.channels.includes('chat'),
    voice: w.channels.includes('voice'),
    color: w.theme.color ?? '#2563eb',
    position: w.theme.position ?? 'bottom-right',
    title: w.theme.title ?? '',
    welcomeMessage: w.theme.welcomeMessage ?? '',
    avatarUrl: w.theme.avatarUrl ?? '',
  };
}

function bodyOf(d: Draft): UpdateWidgetSettings {
  const channels: WidgetChannel[] = [
    ...(d.chat ? (['chat'] as const) : []),
    ...(d.voice ? (['voice'] as const) : []),
  ];
  return {
    enabled: d.enabled,
    allowedOrigins: d.origins
      .split(/[\s,]+/)
      .map((o) => o.trim())
      .filter(Boolean),
    channels,
    theme: {
      color: d.color,
      position: d.position,
      ...(d.title.trim() ? { title: d.title.trim() } : {}),
      ...(d.welcomeMessage.trim() ? { welcomeMessage: d.welcomeMessage.trim() } : {}),
      ...(d.avatarUrl.trim() ? { avatarUrl: d.avatarUrl.trim() } : {}),
    },
  };
}

/** Loads /widget.js once, so the preview runs the real widget. */
function useWidgetScript(): void {
  useEffect(() => {
    if (document.querySelector('script[data-switchboard-widget]')) return;
    const script = document.createElement('script');
    script.src = '/widget.js';
    script.async = true;
    script.dataset.switchboardWidget = '';
    document.head.append(script);
  }, []);
}

export function WidgetPanel({ agentId, canEdit }: { agentId: string; canEdit: boolean }) {
  const { data, error, reload, setData } = useApi<WidgetSettings>(`/api/agents/${agentId}/widget`);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [copied, setCopied] = useState(false);
  useWidgetScript();
  useEffect(() => {
    if (data) setDraft(draftOf(data));
  }, [data]);
  if (error && !data) return <ErrorState error={error} onRetry={reload} what="the widget settings" />;
  if (!data || !draft) return <Loading label="Loading widget…" />;

  const set =
    <K extends keyof Draft>(key: K) =>
    (value: Draft[K]) =>
      setDraft((d) => (d ? { ...d, [key]: value } : d));

  async function save(body: UpdateWidgetSettings & { rotateKey?: boolean }) {
    setBusy(true);
    setSaveError(null);
    try {
      setData(await api.put<WidgetSettings>(`/api/agents/${agentId}/widget`, body));
    } catch (err) {
      setSaveError(err);
    } finally {
      setBusy(false);
    }
  }

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (draft) void save(bodyOf(draft));
  }

  const server = window.location.origin;
  const snippet = `<script src="${server}/widget.js" async></script>\n<switchboard-widget agent-key="${data.publicKey}"></switchboard-widget>`;
  const copy = async () => {
    await navigator.clipboard?.writeText(snippet).catch(() => {});
    setCopied(true);
    setTimeout(() => setCopied(false), 2000);
  };

  return (
    <div className="grid grid--studio">
      <form className="card form widget-settings" aria-labelledby="w-settings" onSubmit={onSubmit} noValidate>
        <h2 id="w-settings">Website widget</h2>
        <p className="muted">
          Visitors of your website chat or talk with this agent — same instructions, knowledge and tools.
          Every conversation appears under Calls with its channel.
        </p>
        <div className="check check--inline">
          <input
            id="w-enabled"
            type="checkbox"
            checked={draft.enabled}
            disabled={!canEdit}
            onChange={(e) => set('enabled')(e.target.checked)}
          />
          <label htmlFor="w-enabled">Widget switched on</label>
        </div>
        <TextArea
          label="Allowed websites"
          value={draft.origins}
          onChange={set('origins')}
          rows={3}
          disabled={!canEdit}
          placeholder="https://www.example.com"
          hint="One origin per line (https://host, with the port if any). Other sites are refused."
        />
        <fieldset className="check-group">
          <legend>Channels</legend>
          <div className="check check--inline">
            <input
              id="w-chat"
              type="checkbox"
              checked={draft.chat}
              disabled={!canEdit}
              onChange={(e) => set('chat')(e.target.checked)}
            />
            <label htmlFor="w-chat">Chat</label>
          </div>
          <div className="check check--inline">
            <input
              id="w-voice"
              type="checkbox"
              checked={draft.voice}
              disabled={!canEdit}
              onChange={(e) => set('voice')(e.target.checked)}
            />
            <label htmlFor="w-voice">Voice (microphone)</label>
          </div>
        </fieldset>
        <div className="form-grid">
          <TextField
            label="Colour"
            type="color"
            value={draft.color}
            onChange={set('color')}
            disabled={!canEdit}
          />
          <SelectField
            label="Corner"
            value={draft.position}
            onChange={(v) => set('position')(v as Draft['position'])}
            disabled={!canEdit}
            options={[
              { value: 'bottom-right', label: 'Bottom right' },
              { value: 'bottom-left', label: 'Bottom left' },
            ]}
          />
          <TextField
            label="Title"
            value={draft.title}
            onChange={set('title')}
            maxLength={60}
            disabled={!canEdit}
            placeholder="The agent's name"
          />
          <TextField
            label="Avatar URL"
            value={draft.avatarUrl}
            onChange={set('avatarUrl')}
            disabled={!canEdit}
            placeholder="https://…"
          />
        </div>
        <TextField
          label="Welcome message"
          value={draft.welcomeMessage}
          onChange={set('welcomeMessage')}
          maxLength={300}
          disabled={!canEdit}
          placeholder="Hi! How can we help?"
        />
        <ActionError error={saveError} />
        {canEdit ? (
          <div className="form-actions">
            <button
              type="submit"
              className="btn btn--primary"
              disabled={busy || (!draft.chat && !draft.voice)}
            >
              {busy ? 'Saving…' : 'Save widget'}
            </button>
          </div>
        ) : null}
      </form>
      <div className="stack">
        <section className="card" aria-labelledby="w-snippet">
          <h2 id="w-snippet">Embed snippet</h2>
          <p className="muted">
            Paste it before the closing &lt;/body&gt; tag of every page that should show the widget.
          </p>
          <pre className="snippet">
            <code>{snippet}</code>
          </pre>
          <div className="form-actions">
            <button type="button" className="btn" onClick={() => void copy()}>
              {copied ? 'Copied' : 'Copy snippet'}
            </button>
            {canEdit ? (
              <button
                type="button"
                className="btn btn--ghost"
                disabled={busy}
                onClick={() => void save({ rotateKey: true })}
              >
                New key
              </button>
            ) : null}
          </div>
        </section>
        <section className="card" aria-labelledby="w-preview">
          <h2 id="w-preview">Live preview</h2>
          {data.enabled ? (
            <div className="widget-preview">
              {createElement('switchboard-widget', {
                key: data.updatedAt,
                'agent-key': data.publicKey,
                mode: 'inline',
                server,
              })}
            </div>
          ) : (
            <p className="muted">Switch the widget on and save to try it here.</p>
          )}
        </section>
      </div>
    </div>
  );
}
