/**
 * The widget's voice channel on both databases: a widget token opens the same browser call path
 * the dashboard's test call uses (CallSession ⇄ fake OpenAI Realtime, PCM16 24 kHz), with
 * captions and barge-in; the call is stored with channel `web_voice`; a replayed token, a token
 * for the chat channel or one from another origin is refused.
 */
import { pcm16ToBytes } from '@switchboard/audio';
import { tonePcm16 } from '@switchboard/audio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDbKinds } from '../testing/test-app.ts';
import { startVoiceHarness, type VoiceHarness } from '../testing/voice-harness.ts';
import { ChatClient, enableWidget, requestSession, SITE, settled } from '../testing/widget.ts';

const kinds = await testDbKinds();

class VoiceClient extends ChatClient {
  speak(samples: Int16Array): void {
    const bytes = pcm16ToBytes(samples);
    for (let off = 0; off < bytes.length; off += 1920) {
      this.ws.send(
        JSON.stringify({
          type: 'audio',
          audio: Buffer.from(bytes.subarray(off, off + 1920)).toString('base64'),
        }),
      );
    }
  }
}

describe.each(kinds)('widget voice on %s', (kind) => {
  let h: VoiceHarness;
  beforeAll(async () => {
    h = await startVoiceHarness(kind, {
      openai: {
        speed: 4,
        script: [
          { on: 'greeting', say: { text: 'Maple Street Dental, how can I help?', durationMs: 600 } },
          {
            on: 'user_turn',
            userTranscript: 'I would like to book a cleaning',
            say: { text: 'Sure. '.repeat(30), durationMs: 6000 },
          },
          { on: 'user_turn', userTranscript: 'Actually, next week', say: { text: 'Okay.', durationMs: 400 } },
        ],
      },
    });
  });
  afterAll(() => h?.close());

  it('talks to the same call engine with captions and barge-in, stored as web_voice', async () => {
    const { t, org } = h;
    const { publicKey } = await enableWidget(t, org, { channels: ['chat', 'voice'] });
    const grant = (await requestSession(t, { agentKey: publicKey, channel: 'voice' })).json();
    expect(grant.url).toMatch(/\/api\/widget\/voice$/);
    const url = `${h.base.replace(/^http/, 'ws')}/api/widget/voice?token=${grant.token}`;
    // From another origin the token is refused (and not spent).
    const foreign = new VoiceClient(url, 'https://evil.example');
    expect((await foreign.closed).code).toBe(4401);

    const client = new VoiceClient(url);
    const ready = await client.waitFor((m) => m.type === 'ready', 'ready');
    const callId = String(ready.callId);
    await client.waitFor(
      (m) => m.type === 'transcript' && m.role === 'assistant' && m.final === true,
      'greeting',
    );
    client.speak(tonePcm16(300, 700, 24000, 0.5));
    client.speak(new Int16Array(700 * 24));
    await client.waitFor((m) => m.type === 'transcript' && m.role === 'user', 'user caption');
    await client.waitFor(() => client.of('audio').length > 30, 'the long reply under way');
    client.speak(tonePcm16(300, 600, 24000, 0.5));
    await client.waitFor((m) => m.type === 'clear', 'barge-in clear');
    client.speak(new Int16Array(800 * 24));
    await client.waitFor((m) => m.type === 'transcript' && m.text === 'Actually, next week', 'second turn');
    client.ws.send(JSON.stringify({ type: 'stop' }));
    // The call engine never ends a call before 10 s (its floor for any maximum length).
    expect(await client.waitFor((m) => m.type === 'ended', 'ended', 25_000)).toMatchObject({
      reason: 'caller_hangup',
    });

    // The replayed token is refused.
    const replay = new VoiceClient(url);
    expect((await replay.closed).code).toBe(4401);
    await settled(async () => {
      const call = (await t.as(org.tokens.viewer).get(`/api/calls/${callId}`)).json();
      expect(call).toMatchObject({
        channel: 'web_voice',
        direction: 'web',
        from: 'website',
        status: 'completed',
      });
      expect(call.events.map((e: { type: string }) => e.type)).toContain('barge_in');
      expect(call.transcript.length).toBeGreaterThanOrEqual(3);
    });
    // A chat token does not open a voice session.
    const chatGrant = (await requestSession(t, { agentKey: publicKey, channel: 'chat' })).json();
    const wrong = new VoiceClient(
      `${h.base.replace(/^http/, 'ws')}/api/widget/voice?token=${chatGrant.token}`,
      SITE,
    );
    expect((await wrong.closed).code).toBe(4401);
  });
});

describe.each(kinds)('widget voice length cap on %s', (kind) => {
  let h: VoiceHarness;
  beforeAll(async () => {
    h = await startVoiceHarness(kind, {
      env: { WIDGET_VOICE_MAX_SECONDS: '1' },
      openai: { script: [{ on: 'greeting', say: { text: 'Hello!', durationMs: 200 } }] },
    });
  });
  afterAll(() => h?.close());

  it('ends a widget voice session at WIDGET_VOICE_MAX_SECONDS (the agent allows longer)', async () => {
    const { t, org } = h;
    const { publicKey } = await enableWidget(t, org, { channels: ['voice'] });
    const grant = (await requestSession(t, { agentKey: publicKey, channel: 'voice' })).json();
    const client = new VoiceClient(`${h.base.replace(/^http/, 'ws')}/api/widget/voice?token=${grant.token}`);
    const ready = await client.waitFor((m) => m.type === 'ready', 'ready');
    // The call engine never ends a call before 10 s (its floor for any maximum length).
    expect(await client.waitFor((m) => m.type === 'ended', 'ended', 25_000)).toMatchObject({
      reason: 'max_duration',
    });
    await settled(async () => {
      const call = (await t.as(org.tokens.viewer).get(`/api/calls/${ready.callId}`)).json();
      expect(call).toMatchObject({ channel: 'web_voice', endReason: 'max_duration' });
    });
  });
});
