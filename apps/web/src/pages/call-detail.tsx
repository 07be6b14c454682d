import { type CallDetail as CallDetailData, isNotPlaced } from '@switchboard/shared';
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { BarChart } from '../components/bar-chart.tsx';
import { CallAnalysis } from '../components/call-analysis.tsx';
import { CallTimeline } from '../components/call-timeline.tsx';
import { counterpart } from '../components/calls-table.tsx';
import { HangupButton } from '../components/hangup-button.tsx';
import { Badge, EmptyState, ErrorState, Loading, PageHeader, Stat } from '../components/page.tsx';
import { RecordingPlayer } from '../components/recording-player.tsx';
import { agentName, useAgents } from '../lib/agents.ts';
import {
  formatDateTime,
  formatDuration,
  formatLatency,
  formatPhone,
  formatUsd,
  humanize,
} from '../lib/format.ts';
import { liveStateLabel } from '../lib/live.ts';
import { endReasonText, outcomeLabel } from '../lib/outcome.ts';
import { readLatency } from '../lib/timeline.ts';
import { useLiveCall } from '../lib/use-live-call.ts';

function Facts({ call }: { call: CallDetailData }) {
  const { agents } = useAgents();
  const rows: [string, ReactNode][] = [
    ['Direction', humanize(call.direction)],
    ['From', formatPhoneOrText(call.from)],
    ['To', formatPhoneOrText(call.to)],
    [
      'Agent',
      call.agentId ? (
        <Link key="agent" to={`/agents/${call.agentId}`}>
          {agentName(agents, call.agentId)}
        </Link>
      ) : (
        '—'
      ),
    ],
    [
      'Prospect',
      call.prospectId ? (
        <Link key="prospect" to={`/prospects/${call.prospectId}`}>
          View prospect
        </Link>
      ) : (
        '—'
      ),
    ],
    ['Started', formatDateTime(call.startedAt ?? call.createdAt)],
    ['Answered', formatDateTime(call.answeredAt)],
    ['Ended', formatDateTime(call.endedAt)],
    ['Answered by', humanize(call.answeredBy)],
    ['Ended because', endReasonText(call.endReason) ?? '—'],
  ];
  return (
    <dl className="facts">
      {rows.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Phone numbers formatted; other endpoints (a browser, a SIP URI) as they are. */
function formatPhoneOrText(value: string | null | undefined): string {
  if (!value) return '—';
  return value.startsWith('+') ? formatPhone(value) : value;
}

function Usage({ usage }: { usage: Record<string, unknown> | null }) {
  const entries = Object.entries(usage ?? {}).filter(
    ([, v]) => typeof v === 'number' || typeof v === 'string',
  );
  if (entries.length === 0) return null;
  return (
    <details className="usage">
      <summary>Usage details</summary>
      <dl className="facts">
        {entries.map(([k, v]) => (
          <div key={k}>
            <dt>{humanize(k.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase())}</dt>
            <dd>{String(v)}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}

export default function CallDetail() {
  const { id } = useParams();
  const { canEdit } = useAuth();
  const { data: call, error, reload, live, liveState } = useLiveCall(id);

  if (error && !call) {
    const notFound = error instanceof ApiError && error.status === 404 && !error.endpointMissing;
    return (
      <>
        <PageHeader title="Call" back={<Link to="/calls">← Calls</Link>} />
        {notFound ? (
          <EmptyState title="Call not found">It may have been deleted, or the link is wrong.</EmptyState>
        ) : (
          <ErrorState error={error} onRetry={reload} what="this call" />
        )}
      </>
    );
  }
  if (!call) return <Loading label="Loading call…" />;

  const latency = readLatency(call.latency, call.events);
  return (
    <>
      <PageHeader
        title={`${humanize(call.direction)} call · ${counterpart(call)}`}
        back={<Link to="/calls">← Calls</Link>}
        description={
          <>
            {isNotPlaced(call) ? (
              <Badge value="not_placed" label="Not placed" />
            ) : (
              <Badge value={call.status} />
            )}{' '}
            {formatDateTime(call.startedAt ?? call.createdAt)}
            {isNotPlaced(call) && call.error ? <span className="muted"> — {call.error}</span> : null}
            {live ? (
              <span className="live-indicator" role="status">
                <span className="live-dot" aria-hidden="true" /> {liveStateLabel(liveState)}
              </span>
            ) : null}
          </>
        }
        actions={live && canEdit ? <HangupButton callId={call.id} /> : null}
      />
      <dl className="stats stats--compact">
        <Stat label="Duration" value={live ? 'In progress' : formatDuration(call.durationS)} />
        <Stat label="Outcome" value={outcomeLabel(call.disposition)} />
        <Stat
          label="Response latency"
          value={formatLatency(latency.p50)}
          hint={`p50 · p90 ${formatLatency(latency.p90)}`}
        />
        <Stat
          label="Cost"
          value={formatUsd(call.cost?.total ?? call.costUsd)}
          hint={
            call.cost
              ? `model ${formatUsd(call.cost.model)} · telephony ${formatUsd(call.cost.telephony)}`
              : undefined
          }
        />
      </dl>
      <div className="grid grid--detail">
        <section className="card" aria-labelledby="transcript-title">
          <h2 id="transcript-title">Transcript</h2>
          {call.error ? (
            <p className="alert alert--error" role="alert">
              {call.error}
            </p>
          ) : null}
          <CallTimeline transcript={call.transcript} events={call.events} live={live} />
        </section>
        <div className="stack">
          <section className="card" aria-labelledby="summary-title">
            <h2 id="summary-title">Summary</h2>
            <CallAnalysis call={call} live={live} />
            {call.recordingUrl ? (
              <div className="recording">
                <h3>Recording</h3>
                <RecordingPlayer url={call.recordingUrl} />
              </div>
            ) : null}
          </section>
          <section className="card" aria-labelledby="details-title">
            <h2 id="details-title">Details</h2>
            <Facts call={call} />
            <Usage usage={call.usage} />
          </section>
          <section className="card" aria-labelledby="latency-title">
            <h2 id="latency-title">Latency per turn</h2>
            {latency.turns.length === 0 ? (
              <p className="muted">No latency measurements for this call.</p>
            ) : (
              <BarChart
                width={340}
                height={170}
                caption="Time from the caller finishing to the agent's first audio, per turn"
                format={(v) => `${Math.round(v)}`}
                bars={latency.turns.map((ms, i) => ({
                  label: String(i + 1),
                  title: `Turn ${i + 1} (ms)`,
                  value: ms,
                }))}
                refLines={[
                  ...(latency.p50 != null ? [{ value: latency.p50, label: 'p50' }] : []),
                  ...(latency.p90 != null ? [{ value: latency.p90, label: 'p90' }] : []),
                ]}
              />
            )}
          </section>
        </div>
      </div>
    </>
  );
}
