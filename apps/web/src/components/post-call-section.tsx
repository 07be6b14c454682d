/** The agent studio's "After the call" section: summary on/off and the fields to extract (docs/post-call.md). */
import { EXTRACTION_FIELD_TYPES, type ExtractionField, type PostCall } from '@switchboard/shared';
import { SelectField, TextField } from './form.tsx';

const MAX_FIELDS = 20;

export function PostCallSection({
  value,
  onChange,
  error,
}: {
  value: PostCall;
  onChange: (v: PostCall) => void;
  error?: string | undefined;
}) {
  const setField = (i: number, patch: Partial<ExtractionField>) =>
    onChange({ ...value, extraction: value.extraction.map((f, j) => (j === i ? { ...f, ...patch } : f)) });
  return (
    <>
      <div className="check check--inline">
        <input
          id="postcall-summary"
          type="checkbox"
          checked={value.summary}
          onChange={(e) => onChange({ ...value, summary: e.target.checked })}
        />
        <label htmlFor="postcall-summary">
          Write a summary and pick the outcome after every answered call
        </label>
      </div>
      <fieldset className="dtmf">
        <legend>Fields to extract</legend>
        <p className="field__hint">
          Filled from each answered call by a text model (empty when the call does not say), shown on the call
          page and sent with the call.ended webhook.
        </p>
        {value.extraction.length === 0 ? <p className="muted small">No fields.</p> : null}
        {value.extraction.map((f, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place; the name is being typed
          <div key={i} className="dtmf__row">
            <TextField
              label="Name"
              value={f.name}
              onChange={(name) => setField(i, { name })}
              placeholder="company"
            />
            <SelectField
              label="Type"
              value={f.type}
              onChange={(t) => setField(i, { type: t as ExtractionField['type'] })}
              options={[...EXTRACTION_FIELD_TYPES]}
            />
            <TextField
              label="Description"
              value={f.description}
              onChange={(description) => setField(i, { description })}
              placeholder="The caller's company"
            />
            {f.type === 'enum' ? (
              <TextField
                label="Options (comma-separated)"
                value={(f.options ?? []).join(', ')}
                onChange={(o) =>
                  setField(i, {
                    options: o
                      .split(',')
                      .map((s) => s.trim())
                      .filter(Boolean),
                  })
                }
                placeholder="now, quarter, later"
              />
            ) : null}
            <button
              type="button"
              className="btn btn--small btn--ghost"
              aria-label={`Remove field ${f.name || i + 1}`}
              onClick={() => onChange({ ...value, extraction: value.extraction.filter((_, j) => j !== i) })}
            >
              Remove
            </button>
          </div>
        ))}
        {value.extraction.length < MAX_FIELDS ? (
          <button
            type="button"
            className="btn btn--small dtmf__add"
            onClick={() =>
              onChange({
                ...value,
                extraction: [...value.extraction, { name: '', type: 'string', description: '' }],
              })
            }
          >
            Add field
          </button>
        ) : null}
        {error ? <p className="field__error">{error}</p> : null}
      </fieldset>
    </>
  );
}
