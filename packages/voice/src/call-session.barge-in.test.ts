import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startLoopbackCall } from './testing/loopback-call.ts';
import { flushMicrotasks } from './testing/memory-socket.ts';
import { ScriptedModel } from './testing/scripted-model.ts';

/** `ms` of µ-law at 8 kHz, base64. */
const ulaw = (ms: number, fill = 0x55) => Buffer.alloc(ms * 8, fill).toString('base64');

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(0);
});
afterEach(() => {
  vi.useRealTimers();
});

async function speaking(opts: { truncation?: boolean; marginMs?: number } = {}) {
  const journal: string[] = [];
  const model = new ScriptedModel({ journal, capabilities: { truncation: opts.truncation ?? true } });
  const call = await startLoopbackCall({ model, journal, truncationMarginMs: opts.marginMs ?? 100 });
  const m = model.session;
  m.emit('response_started', { responseId: 'r1' });
  for (let i = 0; i < 3; i++) m.audio('item_1', ulaw(100, i));
  await flushMicrotasks();
  journal.length = 0;
  return { call, m, journal };
}

describe('CallSession: barge-in', () => {
  it('sends clear first, then cancels, then truncates to the heard ms', async () => {
    const { call, m, journal } = await speaking();
    call.twilio.playMarks(1); // 100 ms heard
    await flushMicrotasks();
    m.emit('speech_started', { itemId: 'u1' });
    expect(journal).toEqual(['twilio:clear', 'model:cancelResponse', 'model:truncate']);
    expect(m.callsOf('truncate')).toEqual([['item_1', 100]]);
    await flushMicrotasks();
    expect(call.of('barge_in')).toEqual([
      {
        itemId: 'item_1',
        clearLatencyMs: expect.any(Number),
        heardMs: 100,
        forwardedMs: 300,
        truncatedAtMs: 100,
        atMs: 0,
      },
    ]);
    expect(call.of('playback')).toEqual([
      { itemId: 'item_1', heardMs: 100, forwardedMs: 300, interrupted: true, atMs: 0 },
    ]);
  });

  it('ignores the marks Twilio echoes because of clear', async () => {
    const { call, m } = await speaking();
    m.emit('speech_started', {});
    await flushMicrotasks(); // the fake echoes item_1:100/200/300 on clear
    expect(call.twilio.pendingMarks).toEqual([]);
    m.emit('response_done', { responseId: 'r1', status: 'cancelled' });
    await flushMicrotasks();
    expect(call.of('playback')).toEqual([
      { itemId: 'item_1', heardMs: 0, forwardedMs: 300, interrupted: true, atMs: 0 },
    ]);
    expect(m.callsOf('truncate')).toEqual([['item_1', 0]]);
  });

  it('clamps the truncation point to forwarded audio minus the margin once generation ended', async () => {
    const { m, call } = await speaking({ marginMs: 150 });
    m.emit('response_done', { responseId: 'r1', status: 'completed' }); // generation ended, playback goes on
    call.twilio.playMarks(2); // 200 ms heard of 300 forwarded
    await flushMicrotasks();
    m.emit('speech_started', {});
    expect(m.callsOf('truncate')).toEqual([['item_1', 150]]);
    expect(m.callsOf('cancelResponse')).toEqual([[]]);
  });

  it('drops late deltas of the cancelled item until the next response', async () => {
    const { call, m } = await speaking();
    m.emit('speech_started', {});
    m.audio('item_1', ulaw(100, 9));
    m.audio('item_2', ulaw(100, 9)); // another item of the cancelled response
    m.emit('response_done', { responseId: 'r1', status: 'cancelled' });
    m.emit('speech_stopped', {});
    m.emit('response_started', { responseId: 'r2' });
    m.audio('item_1', ulaw(100, 9)); // still the cancelled item
    m.audio('item_3', ulaw(100, 7));
    await flushMicrotasks();
    expect(call.twilio.sentAudio()).toEqual([ulaw(100, 0), ulaw(100, 1), ulaw(100, 2), ulaw(100, 7)]);
  });

  it('does not truncate when the model cannot, but still clears and cancels', async () => {
    const { call, m, journal } = await speaking({ truncation: false });
    m.emit('speech_started', {});
    await flushMicrotasks();
    expect(journal).toEqual(['twilio:clear', 'model:cancelResponse']);
    expect(call.of('barge_in')[0]?.truncatedAtMs).toBeUndefined();
  });

  it('does nothing when the agent is silent', async () => {
    const journal: string[] = [];
    const model = new ScriptedModel({ journal });
    const call = await startLoopbackCall({ model, journal });
    model.session.emit('speech_started', {});
    await flushMicrotasks();
    expect(journal).toEqual([]);
    expect(call.of('barge_in')).toEqual([]);
  });

  it('cancels without clear while a response is generating but nothing was sent yet', async () => {
    const journal: string[] = [];
    const model = new ScriptedModel({ journal });
    await startLoopbackCall({ model, journal });
    model.session.emit('response_started', { responseId: 'r1' });
    model.session.emit('speech_started', {});
    expect(journal).toEqual(['model:cancelResponse']);
  });

  it('truncates an item still generating even when all of it already played (no clear needed)', async () => {
    const { call, m, journal } = await speaking();
    call.twilio.playMarks();
    await flushMicrotasks();
    m.emit('speech_started', {});
    expect(journal).toEqual(['model:cancelResponse', 'model:truncate']);
    expect(m.callsOf('truncate')).toEqual([['item_1', 300]]);
    expect(call.of('barge_in')[0]).toMatchObject({ heardMs: 300, forwardedMs: 300, truncatedAtMs: 300 });
  });
});
