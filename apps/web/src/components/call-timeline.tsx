import type { CallEvent, TranscriptSegment } from '@switchboard/shared';
import { useEffect, useRef } from 'react';
import { formatOffset, humanize } from '../lib/format.ts';
import { buildTimeline, type TimelineItem } from '../lib/timeline.ts';

const SPEAKER: Record<TranscriptSegment['role'], string> = {
  user: 'Caller',
  assistant: 'Agent',
  system: 'System',
};

function Json({ value }: { value: unknown }) {
  if (value === undefined) return <span className="muted">—</span>;
  return <pre className="code">{typeof value === 'string' ? value : JSON.stringify(value, null, 2)}</pre>;
}

function ToolCall({ event }: { event: CallEvent }) {
  const d = event.data;
  const ok = d.ok !== false;
  const name = typeof d.name === 'string' ? d.name : 'tool';
  return (
    <details className={`tool-call${ok ? '' : ' tool-call--failed'}`}>
      <summary>
        <span className="tool-call__icon" aria-hidden="true">
          ƒ
        </span>
        <span>
          Tool <code>{name}</code> {ok ? 'succeeded' : 'failed'}
          {typeof d.durationMs === 'number' ? (
            <span className="muted"> · {Math.round(d.durationMs)} ms</span>
          ) : null}
        </span>
      </summary>
      <div className="tool-call__body">
        <div>
          <h4>Arguments</h4>
          <Json value={d.arguments} />
        </div>
        <div>
          <h4>Result</h4>
          <Json value={d.result ?? d.error} />
        </div>
      </div>
    </details>
  );
}

const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');

/** One line for an event the server writes (the types and their data: call-events.ts in packages/shared). */
function eventText(event: CallEvent): string {
  const d = event.data;
  switch (event.type) {
    case 'connected':
      return `Connected to ${str(d.provider) || 'the model'}${typeof d.connectMs === 'number' ? ` in ${Math.round(d.connectMs)} ms` : ''}`;
    case 'barge_in': {
      const heard =
        typeof d.heardMs === 'number' ? ` after ${(d.heardMs / 1000).toFixed(1)} s of its reply` : '';
      const cleared =
        typeof d.clearLatencyMs === 'number' ? ` (audio cleared in ${Math.round(d.clearLatencyMs)} ms)` : '';
      return `Caller interrupted the agent${heard}${cleared}`;
    }
    case 'dtmf':
      return `Caller pressed ${str(d.digit) || 'a key'}`;
    case 'error':
      return `Error: ${str(d.message) || str(d.code) || 'unknown'}${d.recoverable === true ? ' (recovered)' : ''}`;
    case 'failed':
      return `Call failed: ${str(d.message) || humanize(str(d.reason))}`;
    case 'hangup':
      return `Hung up${str(d.reason) ? ` (${humanize(str(d.reason))})` : ''}`;
    case 'ended':
      return `Call ended: ${humanize(str(d.reason)) || 'done'}`;
    default: {
      const detail = typeof d.message === 'string' ? `: ${d.message}` : '';
      return `${humanize(event.type)}${detail}`;
    }
  }
}

function Item({ item }: { item: TimelineItem }) {
  if (item.kind === 'turn') {
    const s = item.segment;
    return (
      <li className={`turn turn--${s.role}`}>
        <div className="turn__meta">
          <span className="turn__speaker">{SPEAKER[s.role]}</span>
          <time className="turn__time">{formatOffset(s.atMs)}</time>
        </div>
        <p className="turn__text">{s.text}</p>
      </li>
    );
  }
  const e = item.event;
  return (
    <li className={`timeline-event timeline-event--${e.type}`}>
      <time className="turn__time">{formatOffset(e.atMs)}</time>
      {e.type === 'tool_call' ? <ToolCall event={e} /> : <span>{eventText(e)}</span>}
    </li>
  );
}

/** Transcript as speaker turns with tool calls and notable events inline, in call order. */
export function CallTimeline({
  transcript,
  events,
  live,
}: {
  transcript: readonly TranscriptSegment[];
  events: readonly CallEvent[];
  live?: boolean;
}) {
  const items = buildTimeline(transcript, events);
  const listRef = useRef<HTMLOListElement>(null);
  const count = items.length;
  useEffect(() => {
    const el = listRef.current;
    if (!live || !el || count === 0) return;
    // Follow the conversation unless the reader scrolled up to re-read something.
    const nearBottom = el.scrollHeight - el.scrollTop - el.clientHeight < 160;
    if (nearBottom) el.scrollTop = el.scrollHeight;
  }, [count, live]);

  if (items.length === 0) {
    return (
      <p className="muted">
        {live ? 'Waiting for someone to speak…' : 'No transcript was recorded for this call.'}
      </p>
    );
  }
  return (
    <ol
      ref={listRef}
      className={`timeline${live ? ' timeline--live' : ''}`}
      aria-live={live ? 'polite' : undefined}
      aria-relevant={live ? 'additions' : undefined}
    >
      {items.map((item) => (
        <Item key={item.key} item={item} />
      ))}
    </ol>
  );
}
