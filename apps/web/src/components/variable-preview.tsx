import {
  AGENT_VARIABLES,
  type AgentVariable,
  agentVariableSegments,
  agentVariableValues,
  type BusinessProfile,
  SAMPLE_PROSPECT,
  unknownAgentVariables,
} from '@switchboard/shared';
import { useState } from 'react';
import { Link } from 'react-router';
import { useApi } from '../lib/use-api.ts';

/**
 * The greeting and instructions as a call hears them: `{{business.name}}` from the business
 * profile, `{{agent.name}}` from this form, the prospect's variables with clearly labelled sample
 * values. `{{…}}` that is not a variable is marked: the agent would read it out as written.
 */
export function VariablePreview({
  greeting,
  instructions,
  agentName,
}: {
  greeting: string;
  instructions: string;
  agentName: string;
}) {
  const [open, setOpen] = useState(false);
  const business = useApi<BusinessProfile>(open ? '/api/organization' : null).data;
  const unknown = unknownAgentVariables(`${greeting}\n${instructions}`);
  const values = agentVariableValues({
    businessName: business?.name,
    agentName: agentName.trim(),
    person: SAMPLE_PROSPECT,
  });
  return (
    <div className="variable-preview">
      <div className="variable-preview__bar">
        <button
          type="button"
          className="btn btn--small"
          aria-expanded={open}
          aria-controls="variable-preview-body"
          onClick={() => setOpen((o) => !o)}
        >
          {open ? 'Hide preview' : 'Preview with variables filled'}
        </button>
        <span className="muted small">
          Variables:{' '}
          {Object.keys(AGENT_VARIABLES)
            .map((v) => `{{${v}}}`)
            .join(', ')}
        </span>
      </div>
      {unknown.length ? (
        <p className="alert alert--warn small" role="status">
          Not a known variable, read out as written: {unknown.join(', ')}
        </p>
      ) : null}
      {open ? (
        <div id="variable-preview-body" className="variable-preview__body">
          <p className="muted small">
            Sample prospect: <strong>{SAMPLE_PROSPECT.contact}</strong> of{' '}
            <strong>{SAMPLE_PROSPECT.company}</strong> (on a call, the CRM’s values). Business name from{' '}
            <Link to="/settings/business">Settings → Business</Link>.
          </p>
          <h3 className="variable-preview__label">Greeting</h3>
          <Filled text={greeting} values={values} />
          <h3 className="variable-preview__label">Instructions</h3>
          <Filled text={instructions} values={values} />
        </div>
      ) : null}
    </div>
  );
}

function Filled({ text, values }: { text: string; values: Record<AgentVariable, string> }) {
  if (!text.trim()) return <p className="muted small">(empty)</p>;
  return (
    <p className="variable-preview__text">
      {agentVariableSegments(text, values).map((s, i) =>
        s.kind === 'text' ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: segments of a fixed text.
          <span key={i}>{s.text}</span>
        ) : s.kind === 'variable' ? (
          <mark
            // biome-ignore lint/suspicious/noArrayIndexKey: segments of a fixed text.
            key={i}
            className={`var-fill${s.name.startsWith('prospect.') ? ' var-fill--sample' : ''}`}
            title={`{{${s.name}}}${s.name.startsWith('prospect.') ? ' (sample value)' : ''}`}
          >
            {s.value || `(no ${s.name})`}
          </mark>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: segments of a fixed text.
          <mark key={i} className="var-unknown" title="Not a known variable">
            {s.text}
          </mark>
        ),
      )}
    </p>
  );
}
