/**
 * The media stream endpoint under bad input and failures: missing or forged tokens, malformed
 * frames, two calls at once, and the model failing at start or mid-call (the caller hears an
 * apology and can leave a message; the call is marked failed; other calls go on).
 */
import { integrations, phoneNumbers } from '@switchboard/db';
import { MediaStreamClient, mulawTone, parseTwiml, sendVoiceWebhook } from '@switchboard/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDbKinds } from '../testing/test-app.ts';
import {
  eventually,
  startVoiceHarness,
  TWILIO_ACCOUNT_SID,
  TWILIO_AUTH_TOKEN,
  type VoiceHarness,
} from '../testing/voice-harness.ts';

const kinds = await testDbKinds();

describe.each(kinds)('media stream robustness on %s', (kind) => {
  let h: VoiceHarness;

  beforeAll(async () => {
    h = await startVoiceHarness(kind, {
      openai: {
        scriptFor: (index) => [
          { on: 'greeting', say: { text: `Hello caller ${index}`, durationMs: 400 } },
          {
            on: 'user_turn',
            userTranscript: `I am caller ${index}`,
            say: { text: `Hi ${index}`, durationMs: 400 },
          },
        ],
      },
    });
  });
  afterAll(() => h?.close());

  const wsUrl = () => `${h.base.replace('http', 'ws')}/api/audiostream`;
  const callRow = async (callSid: string) =>
    eventually(async () => {
      const res = await h.t.as(h.org.tokens.viewer).get('/api/calls?limit=200');
      return res.json().items.find((c: { providerCallSid: string }) => c.providerCallSid === callSid);
    });
  const detail = async (id: string) => (await h.t.as(h.org.tokens.viewer).get(`/api/calls/${id}`)).json();

  it('closes a stream without a token or with a forged one', async () => {
    for (const customParameters of [{}, { token: 'forged.token' }] as Record<string, string>[]) {
      const stream = await MediaStreamClient.connect(wsUrl(), { customParameters });
      await eventually(async () => stream.closeInfo);
      expect(stream.closeInfo?.by).toBe('server');
    }
    // A real token for a different CallSid is refused too.
    const call = await h.inboundCall();
    const token = call.webhook.twiml?.stream?.parameters.token ?? '';
    await call.stream?.stop();
    const stolen = await MediaStreamClient.connect(wsUrl(), { customParameters: { token } });
    await eventually(async () => stolen.closeInfo);
    expect(stolen.closeInfo?.by).toBe('server');
  });

  it('survives non-JSON, binary, huge and out-of-order frames', async () => {
    const call = await h.inboundCall();
    const stream = call.stream!;
    stream.sendRaw('this is not json');
    stream.sendRaw(Buffer.from([1, 2, 3, 4]));
    stream.sendRaw(JSON.stringify({ event: 'media', media: { payload: 'A'.repeat(300_000) } }));
    stream.sendRaw(
      JSON.stringify({
        event: 'media',
        sequenceNumber: '1',
        media: { track: 'inbound', chunk: '1', timestamp: '0', payload: '////' },
      }),
    );
    stream.sendRaw(JSON.stringify({ event: 'start', start: 'again' }));
    stream.sendRaw(JSON.stringify({ event: 'mark' }));
    stream.sendRaw('{"event": "dtmf", "dtmf": {"digit": 12345}}');
    // The call carries on: the greeting plays and the caller is heard.
    await eventually(async () => stream.playedMs() >= 380);
    expect(stream.closeInfo).toBeNull();
    const health = await h.t.as(undefined).get('/health');
    expect(health.statusCode).toBe(200);
    await stream.stop();
  });

  it('keeps two concurrent calls apart', async () => {
    const [a, b] = await Promise.all([
      h.inboundCall({ From: '+14155550001' }),
      h.inboundCall({ From: '+14155550002' }),
    ]);
    await Promise.all(
      [a, b].map(async (call) => {
        await eventually(async () => call.stream!.playedMs() >= 380 && call.stream!.bufferedMs() === 0);
        await call.stream!.sendAudio(mulawTone(300, 600, 0.5));
        await call.stream!.sendSilence(800);
      }),
    );
    const rows = await Promise.all([a, b].map((call) => callRow(call.callSid)));
    const details = await Promise.all(
      rows.map((row) =>
        eventually(async () => {
          const d = await detail(row.id);
          return d.transcript.some((s: { role: string }) => s.role === 'user') ? d : null;
        }),
      ),
    );
    for (const [i, d] of details.entries()) {
      const texts: string[] = d.transcript.map((s: { text: string }) => s.text);
      const user = texts.filter((text) => text.startsWith('I am caller'));
      expect(user).toHaveLength(1);
      // The user line and the greeting come from the same model session.
      const index = user[0]!.replace('I am caller ', '');
      expect(texts).toContain(`Hello caller ${index}`);
      expect(d.from).toBe(i === 0 ? '+14155550001' : '+14155550002');
    }
    await Promise.all([a, b].map((call) => call.stream!.stop()));
  });

  it('reconnects to the model when it drops mid-call, and the call goes on', async () => {
    const before = h.openai.sessions.length;
    const call = await h.inboundCall();
    const stream = call.stream!;
    await h.openai.waitForSession(before);
    await eventually(async () => stream.playedMs() >= 380);
    h.openai.disconnect(before);
    await h.openai.waitForSession(before + 1);
    expect(stream.closeInfo).toBeNull();
    await stream.stop();
  });

  it('apologises when the model cannot be reached at start, without touching other organizations', async () => {
    // A second organization whose stored OpenAI key the provider rejects.
    const other = await h.t.seedOrg({ name: 'Broken key' });
    await h.t.ctx.db
      .insert(phoneNumbers)
      .values({ organizationId: other.id, e164: '+15005550009', agentId: other.agent.id });
    await h.t.ctx.db.insert(integrations).values({
      organizationId: other.id,
      provider: 'openai',
      secretCiphertext: h.t.ctx.secrets.encrypt(JSON.stringify({ apiKey: 'sk-revoked-key' })),
    });
    const healthy = await h.inboundCall();
    const broken = await h.inboundCall({ To: '+15005550009' });
    await eventually(async () => broken.stream!.closeInfo);
    const failed = await eventually(async () => {
      const res = await h.t.as(other.tokens.viewer).get('/api/calls');
      const row = res.json().items[0];
      return row?.status === 'failed' ? row : null;
    });
    expect(failed.endReason).toBe('model_unavailable');
    const redirect = broken.webhook.twiml?.verbs.find((v) => v.name === 'Redirect');
    if (!redirect) throw new Error('no <Redirect> after <Connect>');
    const next = await sendVoiceWebhook({
      url: redirect.text.replace('https://bridge.example.com', h.base),
      signatureUrl: redirect.text,
      authToken: TWILIO_AUTH_TOKEN,
      params: { CallSid: broken.callSid },
    });
    expect(parseTwiml(next.body).verbs[0]?.name).toBe('Say');
    // The other call was unaffected.
    await eventually(async () => healthy.stream!.playedMs() >= 380);
    expect(healthy.stream!.closeInfo).toBeNull();
    await healthy.stream!.stop();
  });
});

describe.each(kinds)('model outage mid-call on %s', (kind) => {
  let h: VoiceHarness;
  beforeAll(async () => {
    h = await startVoiceHarness(kind, {
      openai: { script: [{ on: 'greeting', say: { text: 'Hello', durationMs: 3000 } }] },
    });
  });
  afterAll(() => h?.close());

  it('apologises, takes a message and marks the call failed when the model cannot come back', async () => {
    const call = await h.inboundCall();
    const stream = call.stream!;
    await h.openai.waitForSession(0);
    await eventually(async () => stream.playedMs() >= 200);
    await h.openai.close(); // the provider is gone: reconnect attempts fail
    await eventually(async () => stream.closeInfo, 15_000);
    const row = await eventually(async () => {
      const res = await h.t.as(h.org.tokens.viewer).get('/api/calls');
      const found = res
        .json()
        .items.find((c: { providerCallSid: string }) => c.providerCallSid === call.callSid);
      return found?.status === 'failed' ? found : null;
    });
    expect(row.endReason).toBe('model_disconnected');
    expect(row.error).toBeTruthy();
    // Twilio then runs the <Redirect> after </Connect>: an apology and a recorded message.
    const redirect = call.webhook.twiml?.verbs.find((v) => v.name === 'Redirect');
    expect(redirect).toBeDefined();
    const next = await sendVoiceWebhook({
      url: redirect!.text.replace('https://bridge.example.com', h.base),
      signatureUrl: redirect!.text,
      authToken: TWILIO_AUTH_TOKEN,
      params: { CallSid: call.callSid, AccountSid: TWILIO_ACCOUNT_SID },
    });
    expect(next.status).toBe(200);
    expect(next.twiml?.verbs.map((v) => v.name)).toEqual(['Say', 'Record', 'Say', 'Hangup']);
  });
});
