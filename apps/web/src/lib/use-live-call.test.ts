import type { CallDetail } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { applyLiveMessage, isFinalStatus, mergeCallDetail } from './use-live-call.ts';

const call = (over: Partial<CallDetail> = {}): CallDetail => ({
  id: 'c1',
  direction: 'inbound',
  channel: 'phone',
  from: '+14155550142',
  to: '+14155550199',
  status: 'in-progress',
  providerCallSid: null,
  agentId: null,
  prospectId: null,
  campaignId: null,
  startedAt: null,
  answeredAt: null,
  endedAt: null,
  durationS: null,
  endReason: null,
  answeredBy: null,
  summary: null,
  disposition: null,
  usage: null,
  costUsd: null,
  latency: null,
  recordingUrl: null,
  error: null,
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:01.000Z',
  analysisStatus: null,
  analysisError: null,
  extraction: null,
  cost: null,
  transcript: [],
  events: [],
  ...over,
});

describe('live call state', () => {
  it('applies live events for its own call only', () => {
    const c = call();
    const withSeg = applyLiveMessage(c, {
      name: 'call.transcript',
      payload: { callId: 'c1', role: 'user', text: 'hi', atMs: 100 },
    });
    expect(withSeg.transcript).toEqual([{ role: 'user', text: 'hi', atMs: 100 }]);
    expect(
      applyLiveMessage(c, {
        name: 'call.transcript',
        payload: { callId: 'other', role: 'user', text: 'x', atMs: 1 },
      }),
    ).toBe(c);
    const ended = applyLiveMessage(c, {
      name: 'call.updated',
      payload: { ...c, status: 'completed', durationS: 9 },
    });
    expect(ended.status).toBe('completed');
    expect(isFinalStatus(ended.status)).toBe(true);
  });
  it('keeps what live events added when an older fetch arrives', () => {
    const shown = call({
      status: 'completed',
      updatedAt: '2025-01-01T00:00:09.000Z',
      transcript: [
        { role: 'assistant', text: 'Hello', atMs: 0 },
        { role: 'user', text: 'Hi there', atMs: 4000 },
      ],
    });
    const fetched = call({ transcript: [{ role: 'assistant', text: 'Hello', atMs: 0 }] });
    const merged = mergeCallDetail(fetched, shown);
    expect(merged.transcript.map((s) => s.text)).toEqual(['Hello', 'Hi there']);
    expect(merged.status).toBe('completed');
    expect(mergeCallDetail(fetched, undefined)).toBe(fetched);
  });
});
