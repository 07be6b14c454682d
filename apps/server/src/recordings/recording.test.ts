/**
 * The server's own recording through a whole call: Twilio media stream ⇄ the real server ⇄ fake
 * OpenAI Realtime (which speaks a 440 Hz tone), the caller speaking a 300 Hz tone and barging in.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { goertzelDb } from '@switchboard/audio/testing';
import { mulawTone } from '@switchboard/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDbKinds } from '../testing/test-app.ts';
import { eventually, startVoiceHarness, type VoiceHarness } from '../testing/voice-harness.ts';

const kinds = await testDbKinds();
const RATE = 8000;

function channels(wav: Buffer): { left: Int16Array; right: Int16Array } {
  const frames = (wav.length - 44) / 4;
  const left = new Int16Array(frames);
  const right = new Int16Array(frames);
  for (let i = 0; i < frames; i++) {
    left[i] = wav.readInt16LE(44 + i * 4);
    right[i] = wav.readInt16LE(46 + i * 4);
  }
  return { left, right };
}
const peak = (s: Int16Array) => s.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
/** Milliseconds of audible sound (20 ms blocks). */
function audibleMs(samples: Int16Array): number {
  let ms = 0;
  for (let i = 0; i + 160 <= samples.length; i += 160)
    if (peak(samples.subarray(i, i + 160)) > 1000) ms += 20;
  return ms;
}
/** Start (sample) of each run of caller audio louder than silence, 20 ms blocks. */
function bursts(samples: Int16Array): number[] {
  const starts: number[] = [];
  let inBurst = false;
  for (let i = 0; i + 160 <= samples.length; i += 160) {
    const loud = peak(samples.subarray(i, i + 160)) > 1000;
    if (loud && !inBurst) starts.push(i);
    inBurst = loud;
  }
  return starts;
}

describe.each(kinds)('call recording on %s', (kind) => {
  let h: VoiceHarness;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sb-recording-'));
    h = await startVoiceHarness(kind, {
      env: { DATA_DIR: dataDir },
      openai: {
        script: [
          { on: 'greeting', say: { text: 'Hello, Maple Street Dental.', durationMs: 600 } },
          {
            on: 'user_turn',
            userTranscript: 'Tell me everything',
            say: { text: 'Sure. '.repeat(30), durationMs: 4000 },
          },
          { on: 'user_turn', userTranscript: 'Stop', say: { text: 'OK.', durationMs: 300 } },
        ],
      },
    });
  });
  afterAll(async () => {
    await h?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function callWithBargeIn(): Promise<{ callId: string; greeting: string }> {
    const { t, org, openai } = h;
    const index = openai.sessions.length;
    const call = await h.inboundCall();
    const stream = call.stream!;
    const session = await openai.waitForSession(index);
    await eventually(async () => (stream.playedMs() >= 580 && stream.bufferedMs() === 0) || null);
    const greeting = JSON.stringify(
      session.clientEvents.find((e) => e.type === 'response.create')?.event ?? {},
    );
    const afterGreeting = stream.playedMs();
    await stream.sendAudio(mulawTone(300, 700, 0.5));
    await stream.sendSilence(700);
    await eventually(async () => stream.playedMs() > afterGreeting + 800 || null);
    const cleared = stream.waitForEvent('clear', 5_000);
    await stream.sendAudio(mulawTone(300, 600, 0.5));
    await cleared;
    await stream.sendSilence(1500);
    await stream.stop();
    const callId = await eventually(async () => {
      const res = await t.as(org.tokens.viewer).get('/api/calls');
      const found = res
        .json()
        .items.find((c: { providerCallSid: string }) => c.providerCallSid === call.callSid);
      return found?.id as string | undefined;
    });
    return { callId, greeting };
  }

  it('records both sides on two channels, the agent silent after the barge-in cut; serves ranges; org-scoped', async () => {
    const { t, org } = h;
    const patched = await t.as(org.tokens.admin).patch(`/api/agents/${org.agent.id}`, { recording: 'on' });
    expect(patched.json().recording).toBe('on');
    const { callId, greeting } = await callWithBargeIn();
    expect(greeting).toContain('This call is recorded.');

    // The file is final once its header holds the real sizes.
    const file = join(dataDir, 'recordings', org.id, `${callId}.wav`);
    const onDisk = await eventually(async () => {
      const bytes = await readFile(file).catch(() => null);
      return bytes && bytes.readUInt32LE(40) === bytes.length - 44 ? bytes : null;
    });
    expect(onDisk.toString('ascii', 0, 4)).toBe('RIFF');
    expect(onDisk.readUInt16LE(22)).toBe(2);
    expect(onDisk.readUInt32LE(24)).toBe(RATE);

    const detail = (await t.as(org.tokens.viewer).get(`/api/calls/${callId}`)).json();
    expect(detail.recordingUrl).toBe(`/api/calls/${callId}/recording`);
    const res = await t.as(org.tokens.viewer).get(detail.recordingUrl);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('audio/wav');
    expect(res.headers['accept-ranges']).toBe('bytes');
    // The dashboard plays it from a blob URL, which the page's policy allows for media.
    expect(res.headers['content-security-policy']).toContain("media-src 'self' blob:");
    const wav = res.rawPayload;
    expect(wav.equals(onDisk)).toBe(true);

    const { left, right } = channels(wav);
    const [first, interruption] = bursts(left);
    expect(first).toBeDefined();
    expect(interruption).toBeDefined();
    // Left: the caller's 300 Hz, not the agent's 440 Hz.
    const callerTone = left.subarray(interruption!, interruption! + 0.5 * RATE);
    expect(goertzelDb(callerTone, RATE, 300)).toBeGreaterThan(-20);
    expect(goertzelDb(callerTone, RATE, 440)).toBeLessThan(-50);
    // Right: of the answer cut by the barge-in, exactly what the caller heard (marks), not what
    // was sent to the phone: nothing of it after the cut.
    const bargeIn = detail.events.find((e: { type: string }) => e.type === 'barge_in').data;
    expect(bargeIn.forwardedMs).toBeGreaterThanOrEqual(bargeIn.heardMs);
    const answer = right.subarray(first! + 0.5 * RATE, interruption! + 0.8 * RATE);
    expect(goertzelDb(answer, RATE, 440)).toBeGreaterThan(-30);
    expect(Math.abs(audibleMs(answer) - bargeIn.heardMs)).toBeLessThan(100);
    // Silent from the cut until the agent answers the interruption (after the caller's 600 ms).
    expect(peak(right.subarray(interruption! + 0.4 * RATE, interruption! + 0.8 * RATE))).toBe(0);

    // Range: the exact bytes, 206 and Content-Range; a suffix range; past the end → 416.
    const viewer = org.tokens.viewer;
    const ranged = await t.app.inject({
      method: 'GET',
      url: detail.recordingUrl,
      headers: { authorization: `Bearer ${viewer}`, range: 'bytes=40-1099' },
    });
    expect(ranged.statusCode).toBe(206);
    expect(ranged.headers['content-range']).toBe(`bytes 40-1099/${wav.length}`);
    expect(ranged.headers['content-length']).toBe('1060');
    expect(ranged.rawPayload.equals(wav.subarray(40, 1100))).toBe(true);
    const suffix = await t.app.inject({
      method: 'GET',
      url: detail.recordingUrl,
      headers: { authorization: `Bearer ${viewer}`, range: 'bytes=-100' },
    });
    expect(suffix.statusCode).toBe(206);
    expect(suffix.rawPayload.equals(wav.subarray(wav.length - 100))).toBe(true);
    const beyond = await t.app.inject({
      method: 'GET',
      url: detail.recordingUrl,
      headers: { authorization: `Bearer ${viewer}`, range: `bytes=${wav.length}-` },
    });
    expect(beyond.statusCode).toBe(416);
    expect(beyond.headers['content-range']).toBe(`bytes */${wav.length}`);

    // Another organization: 404, as for an unknown call.
    const other = await t.seedOrg({ name: 'Other' });
    expect((await t.as(other.tokens.owner).get(detail.recordingUrl)).statusCode).toBe(404);
    expect((await t.as(undefined).get(detail.recordingUrl)).statusCode).toBe(401);
  });

  it('writes nothing when the agent does not record', async () => {
    const { t, org } = h;
    await t.as(org.tokens.admin).patch(`/api/agents/${org.agent.id}`, { recording: 'off' });
    const { callId, greeting } = await callWithBargeIn();
    expect(greeting).not.toContain('recorded');
    const detail = await eventually(async () => {
      const body = (await t.as(org.tokens.viewer).get(`/api/calls/${callId}`)).json();
      return body.events.some((e: { type: string }) => e.type === 'ended') ? body : null;
    });
    expect(detail.recordingUrl).toBeNull();
    const names = await readdir(join(dataDir, 'recordings', org.id)).catch(() => []);
    expect(names).not.toContain(`${callId}.wav`);
    expect((await t.as(org.tokens.viewer).get(`/api/calls/${callId}/recording`)).statusCode).toBe(404);
  });
});
