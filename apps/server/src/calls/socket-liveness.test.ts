/**
 * A call socket whose peer stops answering WebSocket pings is terminated and its call ends (the
 * server never waits on a dead connection); a peer that answers keeps its call.
 */
import { sendVoiceWebhook } from '@switchboard/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { testDbKinds } from '../testing/test-app.ts';
import {
  CALLER_NUMBER,
  eventually,
  OUR_NUMBER,
  startVoiceHarness,
  TWILIO_ACCOUNT_SID,
  TWILIO_AUTH_TOKEN,
  type VoiceHarness,
} from '../testing/voice-harness.ts';

const kinds = await testDbKinds();

describe.each(kinds)('socket liveness on %s', (kind) => {
  let h: VoiceHarness;
  beforeAll(async () => {
    h = await startVoiceHarness(kind, {
      env: { SOCKET_PING_INTERVAL_S: '0.2' },
      openai: { scriptFor: () => [{ on: 'greeting', say: { text: 'Hello', durationMs: 200 } }] },
    });
  });
  afterAll(() => h?.close());

  it('terminates a media stream whose peer stopped answering pings, and ends its call', async () => {
    const callSid = `CA${'7'.repeat(32)}`;
    const webhook = await sendVoiceWebhook({
      ...h.urls('/api/twiml/connect-stream'),
      authToken: TWILIO_AUTH_TOKEN,
      params: { To: OUR_NUMBER, From: CALLER_NUMBER, AccountSid: TWILIO_ACCOUNT_SID, CallSid: callSid },
    });
    const token = webhook.twiml?.stream?.parameters.token ?? '';
    const ws = new WebSocket(`${h.base.replace(/^http/, 'ws')}/api/audiostream`, { autoPong: false });
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(JSON.stringify({ event: 'connected', protocol: 'Call', version: '1.0.0' }));
    ws.send(
      JSON.stringify({
        event: 'start',
        sequenceNumber: '1',
        streamSid: `MZ${'7'.repeat(32)}`,
        start: {
          accountSid: TWILIO_ACCOUNT_SID,
          callSid,
          streamSid: `MZ${'7'.repeat(32)}`,
          tracks: ['inbound'],
          customParameters: { token },
          mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 },
        },
      }),
    );
    expect(await closed).toBe(1006);
    const row = await eventually(async () => {
      const list = (await h.t.as(h.org.tokens.viewer).get('/api/calls?limit=200')).json();
      const found = list.items.find((c: { providerCallSid: string }) => c.providerCallSid === callSid);
      return found?.endedAt ? found : null;
    });
    expect(row.endReason).toBeTruthy();
  });

  it('keeps a call whose peer answers pings', async () => {
    const call = await h.inboundCall();
    await eventually(async () => call.stream!.playedMs() > 100);
    // Several ping intervals pass while the caller stays silent.
    await call.stream!.sendSilence(1000);
    expect(call.stream!.closeInfo).toBeNull();
    await call.stream!.stop();
  });
});
