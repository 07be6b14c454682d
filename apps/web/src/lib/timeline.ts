import {
  BOOKKEEPING_CALL_EVENTS,
  type CallEvent,
  type CallEventType,
  type TranscriptSegment,
} from '@switchboard/shared';

export type TimelineItem =
  | { kind: 'turn'; key: string; atMs: number; segment: TranscriptSegment }
  | { kind: 'event'; key: string; atMs: number; event: CallEvent };

/** Event types that are bookkeeping, not something a reader of the call needs to see. */
const HIDDEN_EVENTS = new Set<CallEventType>(BOOKKEEPING_CALL_EVENTS);

/**
 * Merges transcript segments and call events into one list ordered by time since call start.
 * At equal times the spoken turn comes first (a tool call is triggered by what was said).
 */
export function buildTimeline(
  transcript: readonly TranscriptSegment[],
  events: readonly CallEvent[],
): TimelineItem[] {
  const items: TimelineItem[] = [
    ...transcript.map((segment, i) => ({ kind: 'turn' as const, key: `t${i}`, atMs: segment.atMs, segment })),
    ...events
      .filter((event) => !HIDDEN_EVENTS.has(event.type))
      .map((event) => ({ kind: 'event' as const, key: `e${event.id}`, atMs: event.atMs, event })),
  ];
  // Array.prototype.sort is stable, so equal times keep turns before events and source order.
  return items.sort((a, b) => a.atMs - b.atMs);
}

/** Appends a live transcript segment unless the same one is already present (SSE + polling overlap). */
export function appendSegment(list: TranscriptSegment[], seg: TranscriptSegment): TranscriptSegment[] {
  if (list.some((s) => s.atMs === seg.atMs && s.role === seg.role && s.text === seg.text)) return list;
  return [...list, seg];
}

export function appendEvent(list: CallEvent[], event: CallEvent): CallEvent[] {
  if (list.some((e) => e.id === event.id)) return list;
  return [...list, event];
}

/** Nearest-rank percentile of a list of numbers (null when empty). */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? null;
}

/**
 * Per-turn response latency of a call: the `latency` JSON written when the call ends
 * (`{turns:[ms…], p50Ms, p90Ms}`; `p50`/`p90` accepted too), or, while the call is still going,
 * its `turn_latency` events.
 */
export function readLatency(
  latency: Record<string, unknown> | null,
  events: readonly CallEvent[] = [],
): { turns: number[]; p50: number | null; p90: number | null } {
  const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  let turns = Array.isArray(latency?.turns) ? latency.turns.filter(finite) : [];
  if (turns.length === 0) {
    turns = events
      .filter((e) => e.type === 'turn_latency')
      .map((e) => e.data.turnLatencyMs)
      .filter(finite);
  }
  const pick = (...keys: string[]) => {
    for (const k of keys) if (finite(latency?.[k])) return latency[k] as number;
    return null;
  };
  return {
    turns,
    p50: pick('p50Ms', 'p50') ?? percentile(turns, 50),
    p90: pick('p90Ms', 'p90') ?? percentile(turns, 90),
  };
}
