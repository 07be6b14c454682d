/**
 * A whole inbound call through the real server: signed voice webhook → TwiML → media stream
 * ⇄ fake OpenAI Realtime, with the caller talking, interrupting, and the call persisted.
 */
import { mulawTone, sendStatusCallback, startInboundCall } from '@switchboard/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDbKinds } from '../testing/test-app.ts';
import {
  CALLER_NUMBER,
  eventually,
  OUR_NUMBER,
  startVoiceHarness,
  TWILIO_AUTH_TOKEN,
  type VoiceHarness,
} from '../testing/voice-harness.ts';

const kinds = await testDbKinds();

describe.each(kinds)('inbound call on %s', (kind) => {
  let h: VoiceHarness;

  beforeAll(async () => {
    h = await startVoiceHarness(kind, {
      openai: {
        script: [
          {
            on: 'greeting',
            say: { text: 'Thanks for calling Maple Street Dental, how can I help?', durationMs: 800 },
          },
          {
            on: 'user_turn',
            userTranscript: 'I would like to book a cleaning',
            say: { text: 'Sure. '.repeat(30), durationMs: 4000 },
          },
          {
            on: 'user_turn',
            userTranscript: 'Sorry, actually next week',
            say: { text: 'No problem.', durationMs: 600 },
          },
        ],
      },
    });
  });
  afterAll(() => h?.close());

  it('greets, answers, handles barge-in, and persists the call', async () => {
    const { t, org, openai } = h;
    const call = await h.inboundCall();
    expect(call.webhook.status).toBe(200);
    expect(call.webhook.twiml?.problems).toEqual([]);
    expect(call.webhook.twiml?.stream?.url).toBe('wss://bridge.example.com/api/audiostream');
    const stream = call.stream!;
    const session = await openai.waitForSession(0);

    // The greeting plays out in full: the caller hears the model's audio.
    await eventually(async () => (stream.playedMs() >= 780 && stream.bufferedMs() === 0) || null);
    expect(session.serverEvents.some((e) => e.type === 'response.output_audio.delta')).toBe(true);
    const afterGreetingMs = stream.playedMs();

    // The caller speaks; the model hears it and answers with a long turn.
    await stream.sendAudio(mulawTone(300, 700, 0.5));
    await stream.sendSilence(700);
    await openai.waitFor(() => session.userTurns.length >= 1, 10_000);
    await eventually(async () => stream.playedMs() > afterGreetingMs + 600 || null);

    // The caller interrupts: Twilio gets `clear`, the response is cancelled and truncated.
    const cleared = stream.waitForEvent('clear', 5_000);
    await stream.sendAudio(mulawTone(300, 600, 0.5));
    await cleared;
    await stream.sendSilence(900);
    await openai.waitFor(() => session.truncations.length > 0, 5_000);
    const truncation = session.truncations[0]!;
    expect(truncation.ok).toBe(true);
    expect(truncation.audioEndMs).toBeLessThanOrEqual(truncation.itemAudioMs);
    expect(session.cancels.some((c) => c.by === 'client')).toBe(true);

    await eventually(async () => stream.bufferedMs() === 0 || null);
    await stream.stop();

    // Twilio reports the end; the call row has everything.
    const callId = await eventually(async () => {
      const res = await t.as(org.tokens.viewer).get('/api/calls');
      return res.json().items.find((c: { providerCallSid: string }) => c.providerCallSid === call.callSid)
        ?.id;
    });
    await sendStatusCallback({
      ...h.urls('/api/twiml/status'),
      authToken: TWILIO_AUTH_TOKEN,
      callStatus: 'completed',
      sequenceNumber: 3,
      callDuration: 9,
      params: { CallSid: call.callSid, To: OUR_NUMBER, From: CALLER_NUMBER },
    });
    const detail = await eventually(async () => {
      const res = await t.as(org.tokens.viewer).get(`/api/calls/${callId}`);
      const body = res.json();
      return body.events.some((e: { type: string }) => e.type === 'ended') ? body : null;
    });
    expect(detail).toMatchObject({
      direction: 'inbound',
      status: 'completed',
      durationS: 9,
      from: CALLER_NUMBER,
    });
    expect(detail.answeredAt).not.toBeNull();
    const roles = detail.transcript.map((s: { role: string }) => s.role);
    expect(roles).toContain('assistant');
    expect(detail.transcript.map((s: { text: string }) => s.text)).toContain(
      'Thanks for calling Maple Street Dental, how can I help?',
    );
    expect(detail.transcript.map((s: { text: string }) => s.text)).toContain(
      'I would like to book a cleaning',
    );
    const types = detail.events.map((e: { type: string }) => e.type);
    expect(types).toEqual(
      expect.arrayContaining(['stream_started', 'connected', 'barge_in', 'turn_latency', 'ended']),
    );
    const bargeIn = detail.events.find((e: { type: string }) => e.type === 'barge_in');
    expect(bargeIn.data.truncatedAtMs).toBe(truncation.audioEndMs);
    expect(detail.latency.count).toBeGreaterThan(0);
    expect(detail.latency.p50Ms).toBeGreaterThan(0);
    expect(detail.usage.outputAudioTokens).toBeGreaterThan(0);
    expect(detail.costUsd).toBeGreaterThan(0);
    // Transcript rows were written during the call, in call-time order.
    const times = detail.transcript.map((s: { atMs: number }) => s.atMs);
    expect([...times].sort((a: number, b: number) => a - b)).toEqual(times);
  });

  it('answers an unknown number politely and rejects bad signatures', async () => {
    const unknown = await h.inboundCall({ To: '+15005550001' });
    expect(unknown.webhook.status).toBe(200);
    expect(unknown.stream).toBeNull();
    expect(unknown.webhook.twiml?.verbs.map((v) => v.name)).toEqual(['Say', 'Hangup']);

    const forged = await startInboundCall({
      ...h.urls('/api/twiml/connect-stream'),
      authToken: 'not-the-token',
      params: { To: OUR_NUMBER },
    });
    expect(forged.webhook.status).toBe(403);
    expect(forged.stream).toBeNull();
  });
});
