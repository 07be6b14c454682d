/**
 * Issue 11's media-socket probes, re-run: a socket that never sends `start` is closed; pending
 * sockets are capped per IP; a stream token starts one stream only (a second stream with the
 * same token, a stream after the call ended, a replayed webhook during or after the call are
 * refused: no second `stream_started`, no second model session).
 */
import { MediaStreamClient, sendVoiceWebhook } from '@switchboard/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { testDbKinds } from '../testing/test-app.ts';
import {
  eventually,
  startVoiceHarness,
  TWILIO_AUTH_TOKEN,
  type VoiceHarness,
} from '../testing/voice-harness.ts';
import { START_TIMEOUT_CLOSE } from './pending-sockets.ts';

const kinds = await testDbKinds();

describe.each(kinds)('media stream admission on %s', (kind) => {
  let h: VoiceHarness;

  beforeAll(async () => {
    h = await startVoiceHarness(kind, {
      env: { STREAM_START_TIMEOUT_S: '0.5', PENDING_SOCKETS_PER_IP: '3' },
      openai: { scriptFor: () => [{ on: 'greeting', say: { text: 'Hello there', durationMs: 200 } }] },
    });
  });
  afterAll(() => h?.close());

  const wsUrl = () => `${h.base.replace('http', 'ws')}/api/audiostream`;
  /** A raw socket that never sends anything; resolves with its close code. */
  const silentSocket = async () => {
    const ws = new WebSocket(wsUrl());
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return { ws, closed };
  };
  const events = async (callSid: string, type: string) => {
    const list = await h.t.as(h.org.tokens.viewer).get('/api/calls?limit=200');
    const row = list.json().items.find((c: { providerCallSid: string }) => c.providerCallSid === callSid);
    const detail = (await h.t.as(h.org.tokens.viewer).get(`/api/calls/${row.id}`)).json();
    return { row, count: detail.events.filter((e: { type: string }) => e.type === type).length };
  };

  it('closes sockets that never send start, and refuses more than the per-IP cap of pending ones', async () => {
    const held = await Promise.all([silentSocket(), silentSocket(), silentSocket()]);
    const over = await silentSocket();
    expect(await over.closed).toBe(1013);
    for (const socket of held) expect(await socket.closed).toBe(START_TIMEOUT_CLOSE);
    // The cap is released: a real call is admitted.
    const call = await h.inboundCall();
    await eventually(async () => call.stream!.playedMs() > 0);
    expect(call.stream!.closeInfo).toBeNull();
    await call.stream!.stop();
  });

  it('admits one stream per token: a second stream, a replayed webhook, a stream after the end are refused', async () => {
    const sessionsBefore = h.openai.sessions.length;
    const call = await h.inboundCall();
    const token = call.webhook.twiml?.stream?.parameters.token ?? '';
    await eventually(async () => (await events(call.callSid, 'stream_started')).count === 1);

    // The same token again, while the call is live.
    const again = await MediaStreamClient.connect(wsUrl(), {
      callSid: call.callSid,
      customParameters: { token },
    });
    await eventually(async () => again.closeInfo);
    expect(again.closeInfo?.by).toBe('server');

    // The same signed webhook again, while the call is live: no new token.
    const replay = () =>
      sendVoiceWebhook({
        ...h.urls('/api/twiml/connect-stream'),
        authToken: TWILIO_AUTH_TOKEN,
        params: call.webhook.params as Record<string, string>,
      });
    const live = await replay();
    expect(live.status).toBe(200);
    expect(live.twiml?.stream).toBeFalsy();
    expect(live.body).toContain('<Hangup/>');

    await call.stream!.stop();
    const ended = await eventually(async () => {
      const { row } = await events(call.callSid, 'stream_started');
      return ['completed', 'failed'].includes(row.status) ? row : null;
    });
    expect(ended.status).toBe('completed');

    // After the end: the old token and a replayed webhook start nothing.
    const late = await MediaStreamClient.connect(wsUrl(), {
      callSid: call.callSid,
      customParameters: { token },
    });
    await eventually(async () => late.closeInfo);
    expect(late.closeInfo?.by).toBe('server');
    const after = await replay();
    expect(after.twiml?.stream).toBeFalsy();
    expect(after.body).toContain('<Hangup/>');

    expect((await events(call.callSid, 'stream_started')).count).toBe(1);
    expect(h.openai.sessions.length).toBe(sessionsBefore + 1);
  });
});
