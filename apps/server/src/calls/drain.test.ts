/**
 * SIGTERM's drain (issue 11): health says draining, a new caller hears that the lines are busy,
 * placing a call is refused, and a live call goes on until it ends — or, past the drain window,
 * is ended by the server and recorded.
 */
import { mulawTone, sendVoiceWebhook } from '@switchboard/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import { drainCalls } from './drain.ts';

const kinds = await testDbKinds();

describe.each(kinds)('draining on %s', (kind) => {
  let h: VoiceHarness;
  beforeAll(async () => {
    h = await startVoiceHarness(kind, {
      openai: { scriptFor: () => [{ on: 'greeting', say: { text: 'Hello', durationMs: 300 } }] },
    });
  });
  afterAll(() => h?.close());

  it('refuses new calls politely while live calls go on to their end', async () => {
    const call = await h.inboundCall();
    await eventually(async () => call.stream!.playedMs() > 100);
    const drained = drainCalls(h.t.ctx, 60_000);

    const health = await h.t.as(undefined).get('/health');
    expect(health.statusCode).toBe(503);
    expect(health.json().status).toBe('draining');

    const newcomer = await sendVoiceWebhook({
      ...h.urls('/api/twiml/connect-stream'),
      authToken: TWILIO_AUTH_TOKEN,
      params: { To: OUR_NUMBER, From: CALLER_NUMBER, AccountSid: TWILIO_ACCOUNT_SID },
    });
    expect(newcomer.twiml?.stream).toBeFalsy();
    expect(newcomer.body).toMatch(/lines are busy/);
    const prospect = (
      await h.t.as(h.org.tokens.agent).post('/api/prospects', { phone: '+14155550801' })
    ).json();
    const placed = await h.t.as(h.org.tokens.agent).post(`/api/prospects/${prospect.id}/call`);
    expect(placed.statusCode).toBe(503);

    // The live call is untouched: the caller still talks to the agent.
    await call.stream!.sendAudio(mulawTone(300, 400, 0.5));
    expect(call.stream!.closeInfo).toBeNull();
    await call.stream!.stop();
    expect(await drained).toBe(true);
    h.t.ctx.lifecycle.draining = false;
  });

  it('ends the calls still running when the drain window is over, and records them', async () => {
    const call = await h.inboundCall();
    await eventually(async () => call.stream!.playedMs() > 100);
    expect(await drainCalls(h.t.ctx, 100)).toBe(false);
    await eventually(async () => call.stream!.closeInfo);
    expect(call.stream!.closeInfo?.by).toBe('server');
    const row = await eventually(async () => {
      const list = (await h.t.as(h.org.tokens.viewer).get('/api/calls?limit=200')).json();
      const found = list.items.find((c: { providerCallSid: string }) => c.providerCallSid === call.callSid);
      return found?.endedAt ? found : null;
    });
    expect(row.status).toBe('completed');
    h.t.ctx.lifecycle.draining = false;
  });
});
