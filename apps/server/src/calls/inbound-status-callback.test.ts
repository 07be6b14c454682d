/**
 * An inbound call always reaches a final state: once its voice webhook is answered the server
 * asks Twilio (Call update API) for its status callbacks, so Twilio's final status arrives even
 * when the media stream never starts. Asking never delays the answer, and a refusal is not fatal.
 */
import { calls } from '@switchboard/db';
import { sendVoiceWebhook } from '@switchboard/testkit';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDbKinds } from '../testing/test-app.ts';
import {
  CALLER_NUMBER,
  eventually,
  OUR_NUMBER,
  PUBLIC_URL,
  startVoiceHarness,
  TWILIO_ACCOUNT_SID,
  TWILIO_AUTH_TOKEN,
  type VoiceHarness,
} from '../testing/voice-harness.ts';

const kinds = await testDbKinds();

describe.each(kinds)('status callbacks of inbound calls on %s', (kind) => {
  let h: VoiceHarness;
  beforeAll(async () => {
    h = await startVoiceHarness(kind, { statusCallbacks: true });
  });
  afterAll(() => h?.close());

  const ring = async (sid: string) => {
    h.rest.addInboundCall(sid, { From: CALLER_NUMBER, To: OUR_NUMBER });
    return sendVoiceWebhook({
      ...h.urls('/api/twiml/connect-stream'),
      authToken: TWILIO_AUTH_TOKEN,
      params: { To: OUR_NUMBER, From: CALLER_NUMBER, AccountSid: TWILIO_ACCOUNT_SID, CallSid: sid },
    });
  };
  const callBySid = async (sid: string) =>
    (await h.t.ctx.db.select().from(calls).where(eq(calls.providerCallSid, sid)))[0];

  it('ends with the status callback applied although the stream never started', async () => {
    const sid = `CA${crypto.randomUUID().replaceAll('-', '')}`;
    const answer = await ring(sid);
    expect(answer.status).toBe(200);
    expect(answer.twiml?.stream).toBeTruthy();
    const subscription = await eventually(async () => h.rest.getCall(sid)?.statusCallback);
    const call = await callBySid(sid);
    expect(subscription).toMatchObject({
      url: `${PUBLIC_URL}/api/twiml/status?callId=${call?.id}`,
      method: 'POST',
    });
    // The caller hangs up before any stream: Twilio reports the call completed.
    h.rest.setCallStatus(sid, 'completed');
    const ended = await eventually(async () => {
      const res = await h.t.as(h.org.tokens.viewer).get(`/api/calls/${call?.id}`);
      const body = res.json();
      return body.status === 'completed' ? body : null;
    });
    expect(ended).toMatchObject({ status: 'completed', endReason: 'completed' });
    // The fake records the answer once the response arrives, just after the server applied it.
    const sent = await eventually(
      async () => h.rest.sentStatusCallbacks.find((c) => c.callSid === sid && c.result) ?? null,
    );
    expect(sent.result?.status).toBe(204);
    const live = (await h.t.as(h.org.tokens.viewer).get('/api/calls?live=true&limit=200')).json();
    expect(live.items.map((c: { id: string }) => c.id)).not.toContain(call?.id);
  });

  it('answers the call even when Twilio refuses the request', async () => {
    const sid = `CA${crypto.randomUUID().replaceAll('-', '')}`;
    h.rest.failNext({ status: 500, code: 20500, message: 'Internal error', match: { path: sid } });
    const answer = await ring(sid);
    expect(answer.status).toBe(200);
    expect(answer.twiml?.stream).toBeTruthy();
    await eventually(async () => h.rest.requests.find((r) => r.path.includes(sid) && r.status === 500));
    expect(h.rest.getCall(sid)?.statusCallback).toBeUndefined();
    expect((await callBySid(sid))?.status).not.toBe('failed');
  });
});
