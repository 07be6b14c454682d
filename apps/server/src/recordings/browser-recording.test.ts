/**
 * A browser test call (PCM16 24 kHz both ways) is recorded like a phone call, at its own rate.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pcm16ToBytes } from '@switchboard/audio';
import { goertzelDb, tonePcm16 } from '@switchboard/audio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { testDbKinds } from '../testing/test-app.ts';
import { eventually, startVoiceHarness, type VoiceHarness } from '../testing/voice-harness.ts';

const kinds = await testDbKinds();

describe.each(kinds)('browser call recording on %s', (kind) => {
  let h: VoiceHarness;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sb-recording-web-'));
    h = await startVoiceHarness(kind, {
      env: { DATA_DIR: dataDir },
      openai: { script: [{ on: 'greeting', say: { text: 'Hello.', durationMs: 500 } }] },
    });
  });
  afterAll(async () => {
    await h?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('writes a 24 kHz two-channel WAV: the caller left, the agent right', async () => {
    const { t, org } = h;
    await t.as(org.tokens.admin).patch(`/api/agents/${org.agent.id}`, { recording: 'on' });
    const query = new URLSearchParams({ agentId: org.agent.id, token: org.tokens.agent });
    const ws = new WebSocket(`${h.base.replace(/^http/, 'ws')}/api/browser-call?${query}`);
    const messages: Array<{ type: string; callId?: string }> = [];
    ws.on('message', (data) => messages.push(JSON.parse(String(data))));
    const ready = await eventually(async () => messages.find((m) => m.type === 'ready') ?? null);
    const callId = String(ready.callId);
    // The greeting (440 Hz) plays, then the caller speaks 300 Hz, then hangs up.
    await eventually(async () => messages.filter((m) => m.type === 'audio').length >= 5 || null);
    await new Promise((resolve) => setTimeout(resolve, 700));
    const bytes = pcm16ToBytes(tonePcm16(300, 600, 24000, 0.5));
    for (let off = 0; off < bytes.length; off += 1920) {
      ws.send(JSON.stringify({ type: 'audio', audio: bytes.subarray(off, off + 1920).toString('base64') }));
    }
    await new Promise((resolve) => setTimeout(resolve, 700));
    ws.close();

    const file = join(dataDir, 'recordings', org.id, `${callId}.wav`);
    const wav = await eventually(async () => {
      const b = await readFile(file).catch(() => null);
      return b && b.readUInt32LE(40) === b.length - 44 ? b : null;
    });
    expect(wav.readUInt16LE(22)).toBe(2);
    expect(wav.readUInt32LE(24)).toBe(24000);
    const frames = (wav.length - 44) / 4;
    const left = new Int16Array(frames);
    const right = new Int16Array(frames);
    for (let i = 0; i < frames; i++) {
      left[i] = wav.readInt16LE(44 + i * 4);
      right[i] = wav.readInt16LE(46 + i * 4);
    }
    // Measured over each channel's audible stretch: how much silence surrounds it depends on the
    // machine's load (the recording follows the call's real time), and the analysis window
    // weighs the file's ends down. Each channel holds its own tone, loud, and the other's at
    // least 20 dB below it (under load, gaps between chunks add clicks: broadband, not a tone).
    const level = (channel: Int16Array, hz: number) => goertzelDb(audible(channel), 24000, hz);
    expect(level(left, 300)).toBeGreaterThan(-30);
    expect(level(left, 300) - level(left, 440)).toBeGreaterThan(20);
    expect(level(right, 440)).toBeGreaterThan(-30);
    expect(level(right, 440) - level(right, 300)).toBeGreaterThan(20);
    const detail = (await t.as(org.tokens.viewer).get(`/api/calls/${callId}`)).json();
    expect(detail.recordingUrl).toBe(`/api/calls/${callId}/recording`);
  });
});

/** The samples from the first to the last one above -30 dBFS (the whole channel if none is). */
function audible(channel: Int16Array): Int16Array {
  const loud = (v: number) => Math.abs(v) > 1000;
  const first = channel.findIndex(loud);
  if (first < 0) return channel;
  let last = channel.length - 1;
  while (last > first && !loud(channel[last]!)) last--;
  return channel.subarray(first, last + 1);
}
