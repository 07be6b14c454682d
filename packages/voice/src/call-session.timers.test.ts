import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_SILENCE_PROMPT } from './instructions.ts';
import { startLoopbackCall } from './testing/loopback-call.ts';
import { flushMicrotasks } from './testing/memory-socket.ts';
import { ScriptedModel } from './testing/scripted-model.ts';

const ulaw = (ms: number) => Buffer.alloc(ms * 8, 0x55).toString('base64');

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(0);
});
afterEach(() => {
  vi.useRealTimers();
});

async function call(setup: { maxDurationMs?: number; silenceTimeoutMs?: number; silencePrompt?: string }) {
  const model = new ScriptedModel();
  const hangup = vi.fn(async (_reason: string) => {});
  const c = await startLoopbackCall({ model, setup, control: { hangup, redirect: async () => {} } });
  return { ...c, m: model.session, hangup };
}

describe('CallSession: max duration', () => {
  it('hangs up when the call reaches maxDurationMs', async () => {
    const { hangup, of } = await call({ maxDurationMs: 60_000, silenceTimeoutMs: 0 });
    await vi.advanceTimersByTimeAsync(59_999);
    expect(hangup).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(hangup).toHaveBeenCalledWith('max_duration');
    expect(of('ended')[0]).toMatchObject({ reason: 'max_duration', durationMs: 60_000 });
  });

  it('clamps maxDurationMs to at least 10 s', async () => {
    const { hangup } = await call({ maxDurationMs: 5, silenceTimeoutMs: 0 });
    await vi.advanceTimersByTimeAsync(9_999);
    expect(hangup).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(hangup).toHaveBeenCalledWith('max_duration');
  });
});

describe('CallSession: silence timeout', () => {
  it('prompts after silence and never counts while agent audio is still queued', async () => {
    const { m, hangup } = await call({ silenceTimeoutMs: 5_000 });
    await vi.advanceTimersByTimeAsync(4_999);
    expect(m.callsOf('createResponse')).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(m.callsOf('createResponse')).toEqual([[DEFAULT_SILENCE_PROMPT]]);
    // the prompt is spoken and played
    m.emit('response_started', { responseId: 'r1' });
    m.audio('p1', ulaw(1000));
    m.emit('response_done', { responseId: 'r1', status: 'completed' });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(hangup).not.toHaveBeenCalled(); // audio still queued at Twilio
  });

  it('hangs up after prompt + second silence once playback finished', async () => {
    const { m, twilio, hangup, of } = await call({ silenceTimeoutMs: 5_000, silencePrompt: 'Still there?' });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(m.callsOf('createResponse')).toEqual([['Still there?']]);
    m.emit('response_started', { responseId: 'r1' });
    m.audio('p1', ulaw(1000));
    m.emit('response_done', { responseId: 'r1', status: 'completed' });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(hangup).not.toHaveBeenCalled();
    twilio.playMarks();
    await flushMicrotasks();
    await vi.advanceTimersByTimeAsync(4_999);
    expect(hangup).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(hangup).toHaveBeenCalledWith('silence_timeout');
    expect(of('ended')[0]?.reason).toBe('silence_timeout');
  });

  it('caller speech resets the silence clock and the prompt', async () => {
    const { m, hangup } = await call({ silenceTimeoutMs: 5_000 });
    await vi.advanceTimersByTimeAsync(5_000); // prompt #1
    m.emit('speech_started', {});
    await vi.advanceTimersByTimeAsync(20_000); // talking for a long time: no timer
    m.emit('speech_stopped', {});
    await vi.advanceTimersByTimeAsync(4_999);
    expect(m.callsOf('createResponse')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(m.callsOf('createResponse')).toHaveLength(2); // prompted again, not hung up
    expect(hangup).not.toHaveBeenCalled();
  });

  it('is disabled with silenceTimeoutMs 0', async () => {
    const off = await call({ silenceTimeoutMs: 0 });
    await vi.advanceTimersByTimeAsync(600_000);
    expect(off.m.callsOf('createResponse')).toEqual([]);
    expect(off.hangup).not.toHaveBeenCalled();
  });
});
