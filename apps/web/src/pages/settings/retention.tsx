import type { RetentionReport } from '@switchboard/shared';
import { useState } from 'react';
import { api } from '../../api.ts';
import { TextField } from '../../components/form.tsx';
import { ActionError } from '../../components/page.tsx';
import type { FieldErrors } from '../../lib/error-details.ts';
import { formatDateTime } from '../../lib/format.ts';

type Key = 'recordingsDays' | 'transcriptsDays';

/** How long recordings and transcripts are kept, with a dry run of what the daily job would remove. */
export function Retention({
  recordingsDays,
  transcriptsDays,
  onChange,
  readOnly,
  errors,
}: {
  recordingsDays: string;
  transcriptsDays: string;
  onChange: (key: Key, value: string) => void;
  readOnly: boolean;
  errors: FieldErrors;
}) {
  const [preview, setPreview] = useState<RetentionReport | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  async function runPreview() {
    setBusy(true);
    setError(null);
    try {
      setPreview(
        await api.get<RetentionReport>('/api/organization/retention', {
          recordingsDays: recordingsDays.trim() || undefined,
          transcriptsDays: transcriptsDays.trim() || undefined,
        }),
      );
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  const change = (key: Key) => (value: string) => {
    setPreview(null);
    onChange(key, value.replace(/[^\d]/g, ''));
  };
  return (
    <section className="card form" aria-labelledby="retention-title">
      <h2 id="retention-title">Data retention</h2>
      <p className="muted small">
        Every day, transcripts and recordings of calls older than this are deleted (the calls' figures stay).
        Leave empty to keep them.
      </p>
      <div className="form-grid">
        <TextField
          label="Keep transcripts for (days)"
          inputMode="numeric"
          value={transcriptsDays}
          onChange={change('transcriptsDays')}
          error={errors['retention.transcriptsDays']}
          disabled={readOnly}
          placeholder="Forever"
        />
        <TextField
          label="Keep recordings for (days)"
          inputMode="numeric"
          value={recordingsDays}
          onChange={change('recordingsDays')}
          error={errors['retention.recordingsDays']}
          disabled={readOnly}
          placeholder="Forever"
        />
      </div>
      {readOnly ? null : (
        <div className="form-actions form-actions--start">
          <button type="button" className="btn" onClick={runPreview} disabled={busy}>
            {busy ? 'Counting…' : 'Preview what would be deleted'}
          </button>
        </div>
      )}
      <ActionError error={error} />
      {preview ? (
        <p className="notice" role="status">
          {preview.transcriptsDays
            ? `${preview.transcripts.calls} call transcript${preview.transcripts.calls === 1 ? '' : 's'} (${preview.transcripts.segments} lines) from before ${formatDateTime(preview.transcripts.before)}`
            : 'No transcripts'}{' '}
          and{' '}
          {preview.recordingsDays
            ? `${preview.recordings.calls + preview.recordings.files} recording${preview.recordings.calls + preview.recordings.files === 1 ? '' : 's'} from before ${formatDateTime(preview.recordings.before)}`
            : 'no recordings'}{' '}
          would be deleted by the next daily run. Nothing has been deleted yet.
        </p>
      ) : null}
    </section>
  );
}
