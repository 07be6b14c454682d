import { describe, expect, it } from 'vitest';
import type { CallRow } from '../mappers/calls.ts';
import { decideEnd, isDeliberateEnd } from './end-call.ts';

const NOW = new Date('2030-01-01T12:00:00Z');
const EARLIER = new Date('2030-01-01T11:59:00Z');

/** A call row with the fields the decision reads (the rest does not matter to it). */
function row(values: Partial<CallRow> = {}): CallRow {
  const decisive: Partial<CallRow> = {
    direction: 'inbound',
    status: 'in-progress',
    answeredAt: EARLIER,
    endedAt: null,
    durationS: null,
    endReason: null,
    disposition: null,
    error: null,
  };
  return { ...decisive, ...values } as CallRow;
}

const ended = (reason: 'caller_hangup' | 'transferred' | 'model_disconnected', detail?: string) => ({
  kind: 'session' as const,
  atMs: 61_400,
  ended: {
    reason,
    ...(detail ? { detail } : {}),
    durationMs: 61_400,
    usage: {} as never,
    latency: { count: 0, p50Ms: null, p90Ms: null, maxMs: null },
    bargeIns: 0,
    toolCalls: 0,
  },
});

describe('how a call ends', () => {
  it('completes a call whose conversation ended, keeping a reason recorded before the end', () => {
    expect(decideEnd(row(), ended('caller_hangup'), NOW)).toEqual({
      status: 'completed',
      endedAt: NOW,
      durationS: 61,
      endReason: 'caller_hangup',
      error: null,
    });
    expect(decideEnd(row({ endReason: 'agent_hangup' }), ended('caller_hangup'), NOW)).toMatchObject({
      endReason: 'agent_hangup',
    });
    expect(decideEnd(row({ endReason: 'completed' }), ended('caller_hangup'), NOW)).toMatchObject({
      endReason: 'caller_hangup',
    });
    // A stream that resumed the call after a transfer nobody answered ends it its own way.
    expect(decideEnd(row({ endReason: 'transferred' }), ended('caller_hangup'), NOW)).toMatchObject({
      endReason: 'caller_hangup',
    });
  });

  it('fails a call whose model dropped, and never reopens a final status', () => {
    expect(decideEnd(row(), ended('model_disconnected', 'gone'), NOW)).toMatchObject({
      status: 'failed',
      endReason: 'model_disconnected',
      error: 'model: gone',
    });
    const failed = row({ status: 'failed', endReason: 'no_credentials', error: 'no key', endedAt: EARLIER });
    expect(decideEnd(failed, ended('caller_hangup'), NOW)).toMatchObject({
      status: 'failed',
      endReason: 'no_credentials',
      endedAt: EARLIER,
    });
  });

  it('leaves a transferred call running: only the end reason changes', () => {
    expect(decideEnd(row(), ended('transferred'), NOW)).toEqual({ endReason: 'transferred' });
  });

  it('records a failure with its reason and message', () => {
    expect(
      decideEnd(row(), { kind: 'failed', reason: 'no_agent', message: 'the call has no agent' }, NOW),
    ).toEqual({
      status: 'failed',
      endReason: 'no_agent',
      error: 'the call has no agent',
      endedAt: NOW,
    });
  });

  it('marks a lost stream failed once, keeping what is known', () => {
    expect(decideEnd(row(), { kind: 'stream_lost' }, NOW)).toEqual({
      status: 'failed',
      endReason: 'stream_lost',
      error: 'media stream ended unexpectedly',
    });
    expect(decideEnd(row({ status: 'failed' }), { kind: 'stream_lost' }, NOW)).toEqual({});
  });

  it("applies Twilio's final status, keeping a failure of ours and naming an unanswered outbound call", () => {
    const completed = { kind: 'twilio' as const, status: 'completed' as const, durationS: 9 };
    expect(decideEnd(row(), completed, NOW)).toEqual({
      endedAt: NOW,
      status: 'completed',
      durationS: 9,
      endReason: 'completed',
    });
    const ours = row({ status: 'failed', error: 'model: gone', endReason: 'model_disconnected' });
    expect(decideEnd(ours, completed, NOW)).toEqual({ endedAt: NOW, durationS: 9 });
    const unanswered = row({ direction: 'outbound', answeredAt: null });
    expect(decideEnd(unanswered, { kind: 'twilio', status: 'no-answer', durationS: null }, NOW)).toEqual({
      endedAt: NOW,
      status: 'no-answer',
      endReason: 'no-answer',
      disposition: 'no_answer',
    });
  });

  it('tells a deliberate end from a lost stream', () => {
    expect(isDeliberateEnd(row({ endReason: 'agent_hangup' }))).toBe(true);
    expect(isDeliberateEnd(row({ endReason: 'agent_hangup', status: 'failed' }))).toBe(false);
    expect(isDeliberateEnd(row({ endReason: 'model_disconnected' }))).toBe(false);
    expect(isDeliberateEnd(row())).toBe(false);
  });
});
