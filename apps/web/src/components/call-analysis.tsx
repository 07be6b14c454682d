/** The call page's analysis card: summary, outcome, extracted fields, the analysis' state, exports. */
import type { CallDetail } from '@switchboard/shared';
import { humanize } from '../lib/format.ts';
import { outcomeLabel } from '../lib/outcome.ts';
import { download, transcriptJson, transcriptText } from '../lib/transcript-export.ts';

function value(v: string | number | boolean | null): string {
  if (v === null) return '—';
  if (typeof v === 'boolean') return v ? 'Yes' : 'No';
  return String(v);
}

export function CallAnalysis({ call, live }: { call: CallDetail; live: boolean }) {
  const extraction = Object.entries(call.extraction ?? {});
  return (
    <>
      {call.summary ? (
        <p className="summary">{call.summary}</p>
      ) : (
        <p className="muted">
          {live
            ? 'A summary is written when the call ends.'
            : call.analysisStatus === 'pending'
              ? 'Analysing the call…'
              : 'No summary for this call.'}
        </p>
      )}
      {call.analysisStatus === 'failed' || (call.analysisStatus === 'pending' && call.analysisError) ? (
        <p className={call.analysisStatus === 'failed' ? 'alert alert--error' : 'muted'} role="status">
          {call.analysisStatus === 'failed' ? 'The analysis failed: ' : 'Retrying the analysis: '}
          {call.analysisError}
        </p>
      ) : null}
      {call.disposition ? (
        <p>
          Outcome: <strong>{outcomeLabel(call.disposition)}</strong>
        </p>
      ) : null}
      {extraction.length ? (
        <>
          <h3>Extracted</h3>
          <dl className="facts">
            {extraction.map(([k, v]) => (
              <div key={k}>
                <dt>{humanize(k)}</dt>
                <dd>{value(v)}</dd>
              </div>
            ))}
          </dl>
        </>
      ) : null}
      {call.transcript.length ? (
        <div className="toolbar">
          <button
            type="button"
            className="btn btn--ghost"
            onClick={() => download(`call-${call.id}.txt`, transcriptText(call), 'text/plain')}
          >
            Export TXT
          </button>
          <button
            type="button"
            className="btn btn--ghost"
            onClick={() => download(`call-${call.id}.json`, transcriptJson(call), 'application/json')}
          >
            Export JSON
          </button>
        </div>
      ) : null}
    </>
  );
}
