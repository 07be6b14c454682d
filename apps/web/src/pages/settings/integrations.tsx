import {
  INTEGRATION_FIELDS,
  INTEGRATION_PROVIDERS,
  type Integration,
  type IntegrationProvider,
  type IntegrationTestResult,
} from '@switchboard/shared';
import { type FormEvent, useState } from 'react';
import { ApiError, api } from '../../api.ts';
import { useAuth } from '../../auth.tsx';
import { ConfirmDialog, TextArea, TextField } from '../../components/form.tsx';
import { ActionError, Badge, ErrorState, Loading } from '../../components/page.tsx';
import { SetupChecklist } from '../../components/setup-checklist.tsx';
import { showToast } from '../../components/toast.tsx';
import type { FieldErrors } from '../../lib/error-details.ts';
import { formatRelative, humanize } from '../../lib/format.ts';
import { useApi } from '../../lib/use-api.ts';

const TITLES: Record<
  IntegrationProvider,
  { title: string; help: string; where: { label: string; url: string } }
> = {
  twilio: {
    title: 'Twilio',
    help: 'Phone calls and text messages.',
    where: {
      label: 'Account SID and auth token: Twilio console → Account info',
      url: 'https://console.twilio.com/',
    },
  },
  openai: {
    title: 'OpenAI',
    help: 'Realtime speech model for agents that use OpenAI.',
    where: { label: 'Create a key: OpenAI platform → API keys', url: 'https://platform.openai.com/api-keys' },
  },
  gemini: {
    title: 'Google Gemini',
    help: 'Gemini Live speech model for agents that use Gemini.',
    where: {
      label: 'Create a key: Google AI Studio → Get API key',
      url: 'https://aistudio.google.com/apikey',
    },
  },
  google_calendar: {
    title: 'Google Calendar',
    help: 'Lets agents check availability and book meetings in your calendar. Share the calendar with the service account’s email.',
    where: {
      label: 'Service-account key (JSON): Google Cloud console → IAM → Service accounts → Keys',
      url: 'https://console.cloud.google.com/iam-admin/serviceaccounts',
    },
  },
};

const STATUS_LABELS: Record<string, string> = { ok: 'Working', failed: 'Failing', untested: 'Not tested' };

function asText(v: unknown): string {
  return typeof v === 'string' ? v : v == null ? '' : JSON.stringify(v);
}

function ProviderCard({
  provider,
  integration,
  onSaved,
}: {
  provider: IntegrationProvider;
  integration: Integration | undefined;
  onSaved: () => void;
}) {
  const { isAdmin } = useAuth();
  const known = INTEGRATION_FIELDS[provider];
  const extraConfig = Object.keys(integration?.config ?? {}).filter((k) => !known.some((f) => f.name === k));
  const [config, setConfig] = useState<Record<string, string>>(() =>
    Object.fromEntries(
      [...known.filter((f) => !f.secret).map((f) => f.name), ...extraConfig].map((k) => [
        k,
        asText(integration?.config[k]),
      ]),
    ),
  );
  const [secrets, setSecrets] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<'save' | 'test' | null>(null);
  const [test, setTest] = useState<IntegrationTestResult | null>(null);
  const [saved, setSaved] = useState(false);
  const [forgetting, setForgetting] = useState(false);
  const changedConfig = Object.entries(config).some(([k, v]) => v !== asText(integration?.config[k]));

  async function save(e: FormEvent) {
    e.preventDefault();
    setBusy('save');
    setError(null);
    setErrors({});
    setSaved(false);
    try {
      // Blank secret fields keep the stored value.
      const filled = Object.fromEntries(Object.entries(secrets).filter(([, v]) => v.trim() !== ''));
      await api.put(`/api/integrations/${provider}`, { config, secrets: filled });
      setSecrets({});
      setSaved(true);
      showToast('Saved');
      onSaved();
    } catch (err) {
      if (err instanceof ApiError) {
        const f = err.fieldErrors;
        setErrors(
          Object.fromEntries(Object.entries(f).map(([k, v]) => [k.replace(/^(config|secrets)\./, ''), v])),
        );
      }
      setError(err);
    } finally {
      setBusy(null);
    }
  }

  async function forget() {
    setBusy('save');
    setError(null);
    try {
      await api.del(`/api/integrations/${provider}`);
      setSecrets({});
      setTest(null);
      onSaved();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  }

  async function runTest() {
    setBusy('test');
    setTest(null);
    setError(null);
    try {
      // The values in the form, saved or not: blank secrets use the saved ones.
      const filled = Object.fromEntries(Object.entries(secrets).filter(([, v]) => v.trim() !== ''));
      const unsaved = Object.keys(filled).length > 0 || changedConfig;
      const result = await api.post<IntegrationTestResult>(
        `/api/integrations/${provider}/test`,
        unsaved ? { config, secrets: filled } : undefined,
      );
      setTest(result);
      if (!unsaved) onSaved();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  }

  const { title, help, where } = TITLES[provider];
  const headingId = `int-${provider}`;
  return (
    <form className="card form integration" onSubmit={save} noValidate aria-labelledby={headingId}>
      <div className="card__header">
        <h2 id={headingId}>{title}</h2>
        <span>
          <Badge
            value={integration?.configured ? (integration.status ?? 'untested') : 'untested'}
            label={
              integration?.configured
                ? (STATUS_LABELS[integration.status] ?? humanize(integration.status))
                : 'Not configured'
            }
          />
          {integration?.lastTestedAt ? (
            <span className="muted small"> · tested {formatRelative(integration.lastTestedAt)}</span>
          ) : null}
        </span>
      </div>
      <p className="muted small">
        {help}{' '}
        <a href={where.url} target="_blank" rel="noreferrer">
          {where.label}
        </a>
        .
        {integration?.source === 'environment'
          ? ' In use: the server’s environment variables (save here to override them).'
          : integration?.source === 'organization'
            ? ' In use: the credentials saved here.'
            : ''}
      </p>
      {integration?.lastError && !test ? (
        <p className="alert alert--error" role="status">
          Last test failed: {integration.lastError}
        </p>
      ) : null}
      <fieldset disabled={!isAdmin} className="form-grid">
        {Object.keys(config).map((name) => {
          const f = known.find((k) => k.name === name);
          return (
            <TextField
              key={name}
              label={f?.label ?? humanize(name)}
              value={config[name] ?? ''}
              placeholder={f?.placeholder}
              onChange={(v) => setConfig((c) => ({ ...c, [name]: v }))}
              error={errors[name]}
              autoComplete="off"
            />
          );
        })}
        {known
          .filter((f) => f.secret)
          .map((f) => {
            const masked = integration?.secretsMasked[f.name];
            const props = {
              label: f.label,
              value: secrets[f.name] ?? '',
              onChange: (v: string) => setSecrets((s) => ({ ...s, [f.name]: v })),
              error: errors[f.name],
              hint: masked ? `Saved: ${masked}. Leave blank to keep it.` : 'Not set yet.',
              placeholder: masked ? 'Keep the saved value' : f.placeholder,
              autoComplete: 'off',
            };
            return f.multiline ? (
              <TextArea key={f.name} rows={4} spellCheck={false} {...props} />
            ) : (
              <TextField key={f.name} type="password" {...props} />
            );
          })}
      </fieldset>
      <ActionError error={error} />
      {test ? (
        <div className={`alert ${test.ok ? 'alert--success' : 'alert--error'}`} role="status">
          <p>
            {test.ok ? 'Connection works: ' : 'Connection failed: '}
            {test.message}
          </p>
          {test.detail ? (
            <details>
              <summary>Technical detail</summary>
              <code className="small">{test.detail}</code>
            </details>
          ) : null}
        </div>
      ) : null}
      {isAdmin ? (
        <div className="form-actions">
          {integration?.source === 'organization' ? (
            <button
              type="button"
              className="btn btn--danger-ghost form-actions__danger"
              onClick={() => setForgetting(true)}
              disabled={busy !== null}
            >
              Forget saved
            </button>
          ) : null}
          {saved ? (
            <span role="status" className="muted small">
              Saved.
            </span>
          ) : null}
          <button
            type="button"
            className="btn"
            onClick={runTest}
            disabled={
              busy !== null ||
              (!integration?.configured && !Object.values(secrets).some((v) => v.trim() !== ''))
            }
          >
            {busy === 'test' ? 'Testing…' : 'Test connection'}
          </button>
          <button type="submit" className="btn btn--primary" disabled={busy !== null}>
            {busy === 'save' ? 'Saving…' : 'Save'}
          </button>
        </div>
      ) : null}
      <ConfirmDialog
        open={forgetting}
        title="Forget the saved credentials?"
        onClose={() => setForgetting(false)}
        onConfirm={() => {
          setForgetting(false);
          void forget();
        }}
        confirmLabel="Forget saved"
      >
        <p>The credentials saved here are deleted; the server's environment variables are used, if set.</p>
      </ConfirmDialog>
    </form>
  );
}

export function Integrations() {
  const { data, error, reload } = useApi<Integration[]>('/api/integrations');
  if (error && !data) return <ErrorState error={error} onRetry={reload} what="credentials" />;
  if (!data) return <Loading label="Loading credentials…" />;
  return (
    <>
      <SetupChecklist always />
      <p className="muted">
        Secrets are stored encrypted and never shown again; only their last characters are displayed. Values
        set through environment variables are used when nothing is saved here.
      </p>
      <div className="integration-grid">
        {INTEGRATION_PROVIDERS.map((p) => (
          <ProviderCard
            key={p}
            provider={p}
            integration={data.find((i) => i.provider === p)}
            onSaved={reload}
          />
        ))}
      </div>
    </>
  );
}
