import type { CallEvent, CallEventType } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { appendEvent, appendSegment, buildTimeline, percentile, readLatency } from './timeline.ts';

const ev = (
  id: number,
  type: CallEventType,
  atMs: number,
  data: Record<string, unknown> = {},
): CallEvent => ({
  id,
  type,
  atMs,
  data,
  createdAt: '2025-01-01T00:00:00Z',
});

describe('call timeline', () => {
  it('merges turns and events by time, turns first on ties, hiding bookkeeping events', () => {
    const items = buildTimeline(
      [
        { role: 'assistant', text: 'Hi, Acme here.', atMs: 0 },
        { role: 'user', text: 'Book me for Tuesday', atMs: 4000 },
        { role: 'assistant', text: 'Done!', atMs: 9000 },
      ],
      [
        ev(2, 'tool_call', 4000, { name: 'book_appointment' }),
        ev(3, 'turn_latency', 5000),
        ev(1, 'barge_in', 2000),
      ],
    );
    expect(items.map((i) => (i.kind === 'turn' ? i.segment.text : i.event.type))).toEqual([
      'Hi, Acme here.',
      'barge_in',
      'Book me for Tuesday',
      'tool_call',
      'Done!',
    ]);
  });
  it('ignores duplicates delivered by both the event stream and polling', () => {
    const seg = { role: 'user' as const, text: 'hello', atMs: 10 };
    const list = appendSegment([], seg);
    expect(appendSegment(list, { ...seg })).toBe(list);
    const events = appendEvent([], ev(1, 'dtmf', 5));
    expect(appendEvent(events, ev(1, 'dtmf', 5))).toBe(events);
    expect(appendEvent(events, ev(2, 'dtmf', 6))).toHaveLength(2);
  });
  it('reads latency figures defensively', () => {
    expect(readLatency({ turns: [500, 'x', 700], p50Ms: 600, p90Ms: 'n/a' })).toEqual({
      turns: [500, 700],
      p50: 600,
      p90: 700,
    });
    expect(readLatency({ turns: [1], p50: 2, p90: 3 })).toEqual({ turns: [1], p50: 2, p90: 3 });
    expect(readLatency(null)).toEqual({ turns: [], p50: null, p90: null });
  });
  it('uses turn_latency events while a call is in progress', () => {
    const events = [400, 900, 600].map((ms, i) => ev(i, 'turn_latency', i * 1000, { turnLatencyMs: ms }));
    expect(readLatency(null, events)).toEqual({ turns: [400, 900, 600], p50: 600, p90: 900 });
  });
  it('computes nearest-rank percentiles', () => {
    expect(percentile([], 50)).toBeNull();
    expect(percentile([5], 90)).toBe(5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
  });
});
