import type { Call, ListResponse } from '@switchboard/shared';
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useAuth } from '../auth.tsx';
import { CallTimeline } from '../components/call-timeline.tsx';
import { counterpart } from '../components/calls-table.tsx';
import { HangupButton } from '../components/hangup-button.tsx';
import { Badge, EmptyState, ErrorState, Loading, PageHeader } from '../components/page.tsx';
import { agentName, useAgents } from '../lib/agents.ts';
import { formatDuration, humanize } from '../lib/format.ts';
import { type LiveMessage, liveStateLabel, useLiveEvents } from '../lib/live.ts';
import { useApi } from '../lib/use-api.ts';
import { isFinalStatus, useLiveCall } from '../lib/use-live-call.ts';

function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs]);
  return now;
}

function LiveCallCard({ callId, onEnded }: { callId: string; onEnded: (id: string) => void }) {
  const { data: call, error } = useLiveCall(callId);
  const { agents } = useAgents();
  const { canEdit } = useAuth();
  const now = useNow(1000);
  const ended = !!call && isFinalStatus(call.status);
  useEffect(() => {
    if (!ended) return;
    // Leave the finished call on screen briefly so the end is visible, then drop it.
    const t = setTimeout(() => onEnded(callId), 8000);
    return () => clearTimeout(t);
  }, [ended, callId, onEnded]);

  if (!call) {
    return (
      <li className="card live-card">
        {error ? <ErrorState error={error} what="this call" /> : <Loading label="Loading call…" />}
      </li>
    );
  }
  const since = call.answeredAt ?? call.startedAt ?? call.createdAt;
  const elapsedS = (now - new Date(since).getTime()) / 1000;
  const title = `${humanize(call.direction)} · ${counterpart(call)}`;
  return (
    <li className={`card live-card${ended ? ' live-card--ended' : ''}`} aria-label={title}>
      <div className="live-card__header">
        <div>
          <h2 className="live-card__title">
            <Link to={`/calls/${call.id}`}>{title}</Link>
          </h2>
          <p className="muted small">
            {agentName(agents, call.agentId)} · <Badge value={call.status} />{' '}
            <span className="nowrap">
              {ended ? formatDuration(call.durationS) : formatDuration(elapsedS)}
            </span>
          </p>
        </div>
        {!ended && canEdit ? <HangupButton callId={call.id} label={title} /> : null}
      </div>
      <CallTimeline transcript={call.transcript} events={call.events} live={!ended} />
    </li>
  );
}

export default function LiveCalls() {
  const [ids, setIds] = useState<string[]>([]);
  const onMessage = useCallback((m: LiveMessage) => {
    if (m.name === 'call.updated' && !isFinalStatus(m.payload.status)) {
      const id = m.payload.id;
      setIds((prev) => (prev.includes(id) ? prev : [...prev, id]));
    }
  }, []);
  const liveState = useLiveEvents(onMessage);
  const list = useApi<ListResponse<Call>>('/api/calls?live=true&limit=50', {
    pollMs: liveState === 'open' ? 15_000 : 3000,
  });

  useEffect(() => {
    if (!list.data) return;
    const fresh = list.data.items.map((c) => c.id);
    setIds((prev) => [...prev, ...fresh.filter((id) => !prev.includes(id))]);
  }, [list.data]);

  const onEnded = useCallback((id: string) => setIds((prev) => prev.filter((x) => x !== id)), []);

  return (
    <>
      <PageHeader
        title="Live calls"
        description={
          <span className="live-indicator" role="status">
            <span className={`live-dot${liveState === 'open' ? '' : ' live-dot--off'}`} aria-hidden="true" />
            {liveStateLabel(liveState)}
          </span>
        }
      />
      {list.error && !list.data ? (
        <ErrorState error={list.error} onRetry={list.reload} what="live calls" />
      ) : !list.data && ids.length === 0 ? (
        <Loading label="Looking for calls in progress…" />
      ) : ids.length === 0 ? (
        <EmptyState title="No calls in progress">
          New calls appear here by themselves, with the conversation as it happens.
        </EmptyState>
      ) : (
        <ul className="live-grid" aria-label="Calls in progress">
          {ids.map((id) => (
            <LiveCallCard key={id} callId={id} onEnded={onEnded} />
          ))}
        </ul>
      )}
    </>
  );
}
