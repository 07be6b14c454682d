import { goertzelDb, toneMulaw } from '@switchboard/audio/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startLoopbackCall } from '../testing/loopback-call.ts';
import { flushMicrotasks } from '../testing/memory-socket.ts';
import { ScriptedModel } from '../testing/scripted-model.ts';
import { CallAudioRecorder } from './call-audio-recorder.ts';
import { readWavFormat, WAV_HEADER_BYTES, wavHeader, wavHeaderForFile } from './wav.ts';

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(0);
});
afterEach(() => {
  vi.useRealTimers();
});

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const SILENCE = b64(new Uint8Array(160).fill(0xff));

/** Left and right channels of interleaved stereo s16le. */
function split(data: Buffer): { left: Int16Array; right: Int16Array } {
  const frames = data.length / 4;
  const left = new Int16Array(frames);
  const right = new Int16Array(frames);
  for (let i = 0; i < frames; i++) {
    left[i] = data.readInt16LE(i * 4);
    right[i] = data.readInt16LE(i * 4 + 2);
  }
  return { left, right };
}
const ms = (samples: Int16Array, from: number, to: number) => samples.subarray(from * 8, to * 8);
const peak = (samples: Int16Array) => samples.reduce((m, s) => Math.max(m, Math.abs(s)), 0);

function memorySink() {
  const chunks: Buffer[] = [];
  let ended = false;
  return {
    sink: {
      write: (b: Buffer) => void chunks.push(Buffer.from(b)),
      end: () => {
        ended = true;
      },
    },
    data: () => Buffer.concat(chunks),
    ended: () => ended,
  };
}

/** Caller frames for `durationMs`, 20 ms apart on the (fake) clock. */
async function callerSpeaks(twilio: { media(p: string): void }, durationMs: number, tone?: number) {
  for (let t = 0; t < durationMs; t += 20) {
    twilio.media(tone ? b64(toneMulaw(tone, 20)) : SILENCE);
    await flushMicrotasks();
    vi.advanceTimersByTime(20);
  }
}

describe('CallAudioRecorder in a CallSession', () => {
  it('records the caller left, the agent right, and the agent stops where the barge-in cut it', async () => {
    const out = memorySink();
    const recording = new CallAudioRecorder({ sampleRate: 8000, sink: out.sink });
    const model = new ScriptedModel({ capabilities: { truncation: true } });
    const call = await startLoopbackCall({ model, recording });
    const m = model.session;

    // The agent's 3 s answer arrives at once (models generate faster than real time).
    m.emit('response_started', { responseId: 'r1' });
    for (let i = 0; i < 30; i++) m.audio('item_1', b64(toneMulaw(440, 100)));
    await flushMicrotasks();
    await callerSpeaks(call.twilio, 1000); // the caller listens for 1 s…
    call.twilio.playMarks(10); // …and Twilio confirms 1 s played
    await flushMicrotasks();
    m.emit('speech_started', { itemId: 'u1' }); // barge-in at 1 s
    await flushMicrotasks();
    await callerSpeaks(call.twilio, 1000, 1000); // the caller talks (1 kHz) for 1 s
    await callerSpeaks(call.twilio, 1000);
    call.twilio.stop();
    await call.session.finished;

    expect(out.ended()).toBe(true);
    const { left, right } = split(out.data());
    expect(left.length).toBeGreaterThanOrEqual(3000 * 8);
    // Right: the agent's tone up to the cut, then digital silence to the end.
    expect(goertzelDb(ms(right, 0, 990), 8000, 440)).toBeGreaterThan(-10);
    expect(peak(right.subarray(1000 * 8))).toBe(0);
    // Left: the caller's tone between 1 s and 2 s, silence (µ-law 0xFF decodes to 0) around it.
    expect(goertzelDb(ms(left, 1010, 1990), 8000, 1000)).toBeGreaterThan(-10);
    expect(goertzelDb(ms(left, 10, 990), 8000, 1000)).toBeLessThan(-60);
    expect(goertzelDb(ms(left, 2010, 2990), 8000, 1000)).toBeLessThan(-60);
    expect(m.callsOf('truncate')).toEqual([['item_1', 1000]]);
  });

  it('fills silence on the agent side between turns and resamples other rates', () => {
    const out = memorySink();
    const recording = new CallAudioRecorder({ sampleRate: 8000, sink: out.sink, holdMs: 0 });
    const pcm24 = Buffer.from(new Int16Array(2400).fill(1000).buffer).toString('base64'); // 100 ms at 24 kHz
    recording.agent(pcm24, { encoding: 'pcm16', sampleRate: 24000, channels: 1 }, 'a', 500);
    recording.end(1000);
    const { left, right } = split(out.data());
    expect(left.length).toBe(8000);
    expect(peak(ms(right, 0, 499))).toBe(0);
    expect(Math.abs((right[560 * 8] ?? 0) - 1000)).toBeLessThan(20);
    expect(peak(ms(right, 610, 1000))).toBe(0);
  });
});

describe('CallAudioRecorder memory', () => {
  it('holds a real-time call in its first buffers (hold + one write + a gap: 2.7 s of stereo)', () => {
    const out = memorySink();
    const recording = new CallAudioRecorder({ sampleRate: 8000, sink: out.sink });
    const first = recording.bufferedBytes;
    expect(first).toBe(2 * 2 * 8000 * 2.7);
    const pcmu = { encoding: 'pcmu', sampleRate: 8000, channels: 1 } as const;
    const agentFrame = b64(toneMulaw(1000, 20));
    for (let t = 0; t < 10_000; t += 20) {
      recording.caller(SILENCE, pcmu, t);
      recording.agent(agentFrame, pcmu, 'a', t);
      expect(recording.bufferedBytes).toBe(first);
    }
    recording.end(10_000);
    const { left, right } = split(out.data());
    expect(left.length).toBe(80_000);
    expect(goertzelDb(ms(right, 100, 9900), 8000, 1000)).toBeGreaterThan(-10);
  });

  it('grows by half when agent audio queues further ahead than a real-time call', () => {
    const recording = new CallAudioRecorder({ sampleRate: 8000, sink: memorySink().sink });
    const first = recording.bufferedBytes;
    const pcmu = { encoding: 'pcmu', sampleRate: 8000, channels: 1 } as const;
    // A model that sends 5 s of reply at once: it queues behind the hold.
    for (let i = 0; i < 250; i++) recording.agent(b64(toneMulaw(1000, 20)), pcmu, 'a', 0);
    expect(recording.bufferedBytes).toBeGreaterThan(first);
    expect(recording.bufferedBytes).toBeLessThanOrEqual(first * 2);
  });
});

describe('wav header', () => {
  it('streams with max sizes and is repaired from the file length', () => {
    const streaming = wavHeader({ sampleRate: 8000, channels: 2 });
    expect(streaming.length).toBe(WAV_HEADER_BYTES);
    expect(streaming.readUInt32LE(40) % 4).toBe(0);
    expect(streaming.readUInt32LE(40)).toBeGreaterThan(4e9);
    expect(readWavFormat(streaming)).toEqual({ sampleRate: 8000, channels: 2 });
    const fixed = wavHeaderForFile({ sampleRate: 8000, channels: 2 }, 44 + 4003);
    expect(fixed.readUInt32LE(40)).toBe(4000);
    expect(fixed.readUInt32LE(4)).toBe(4036);
    expect(fixed.readUInt32LE(28)).toBe(32000);
  });
});
