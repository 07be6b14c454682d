import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { type FakeOpenAIRealtime, startFakeOpenAIRealtime } from './openai/server.ts';
import type { FakeOpenAIRealtimeOptions } from './openai/types.ts';
import { TagScanner } from './tagging.ts';
import { startInboundCall } from './twilio/call.ts';
import { parseForm } from './twilio/signature.ts';
import { mulawTone } from './util/g711.ts';

/**
 * The fakes wired together through a deliberately tiny bridge (this file only): Twilio webhook →
 * TwiML → media stream ⇄ fake OpenAI, with mark-based playback tracking, clear and truncate on
 * barge-in (docs/realtime.md#barge-in-accounting). It shows the fakes interoperate the way the
 * product will use them.
 */
const TOKEN = 'test_auth_token';
const PUBLIC = 'https://bridge.example.com';

async function startBridge(openaiUrl: string) {
  const server: Server = createServer(async (req, res) => {
    let body = '';
    for await (const c of req) body += c;
    const ok = twilio.validateRequest(
      TOKEN,
      String(req.headers['x-twilio-signature']),
      `${PUBLIC}${req.url}`,
      parseForm(body) as Record<string, string>,
    );
    if (!ok) return void res.writeHead(403).end();
    res
      .writeHead(200, { 'Content-Type': 'text/xml' })
      .end(
        `<Response><Connect><Stream url="wss://bridge.example.com/api/audiostream"><Parameter name="token" value="t-1"/></Stream></Connect></Response>`,
      );
  });
  const wss = new WebSocketServer({ server, path: '/api/audiostream' });
  wss.on('connection', (twilioWs) => {
    let streamSid = '';
    const marks: Array<{ itemId: string; bytes: number }> = [];
    const played = new Map<string, number>();
    const sent = new Map<string, number>();
    let lastItem = '';
    const ai = new WebSocket(`${openaiUrl}?model=gpt-realtime`, {
      headers: { Authorization: 'Bearer sk-test' },
    });
    const toAi = (e: object) => ai.readyState === WebSocket.OPEN && ai.send(JSON.stringify(e));
    const toTwilio = (e: object) =>
      twilioWs.readyState === WebSocket.OPEN && twilioWs.send(JSON.stringify(e));
    ai.on('open', () => {
      toAi({
        type: 'session.update',
        session: {
          type: 'realtime',
          audio: {
            input: {
              format: { type: 'audio/pcmu' },
              turn_detection: { type: 'server_vad', silence_duration_ms: 200 },
            },
            output: { format: { type: 'audio/pcmu' }, voice: 'alloy' },
          },
        },
      });
      toAi({ type: 'response.create', response: { instructions: 'Greet.' } });
    });
    ai.on('message', (data) => {
      const ev = JSON.parse(data.toString());
      if (ev.type === 'response.output_audio.delta') {
        lastItem = ev.item_id;
        const total = (sent.get(ev.item_id) ?? 0) + Buffer.from(ev.delta, 'base64').length;
        sent.set(ev.item_id, total);
        toTwilio({ event: 'media', streamSid, media: { payload: ev.delta } });
        toTwilio({ event: 'mark', streamSid, mark: { name: `${ev.item_id}:${total}` } });
        marks.push({ itemId: ev.item_id, bytes: total });
      } else if (ev.type === 'input_audio_buffer.speech_started' && marks.length > 0) {
        toTwilio({ event: 'clear', streamSid });
        const heardMs = Math.min((played.get(lastItem) ?? 0) / 8, (sent.get(lastItem) ?? 0) / 8);
        toAi({
          type: 'conversation.item.truncate',
          item_id: lastItem,
          content_index: 0,
          audio_end_ms: heardMs,
        });
        marks.length = 0;
      }
    });
    ai.on('close', () => twilioWs.close(1000, 'model gone'));
    twilioWs.on('message', (data) => {
      const m = JSON.parse(data.toString());
      if (m.event === 'start') streamSid = m.start.streamSid;
      if (m.event === 'media') toAi({ type: 'input_audio_buffer.append', audio: m.media.payload });
      if (m.event === 'mark') {
        const i = marks.findIndex((x) => `${x.itemId}:${x.bytes}` === m.mark.name);
        if (i !== -1) {
          const [mark] = marks.splice(0, i + 1).slice(-1);
          if (mark) played.set(mark.itemId, mark.bytes);
        }
      }
    });
    twilioWs.on('close', () => ai.close());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function call(opts: FakeOpenAIRealtimeOptions) {
  const fake: FakeOpenAIRealtime = await startFakeOpenAIRealtime({ apiKey: 'sk-test', ...opts });
  cleanups.push(() => fake.close());
  const bridge = await startBridge(fake.url);
  cleanups.push(bridge.close);
  const inbound = await startInboundCall({
    url: `${bridge.url}/api/twiml/connect-stream`,
    signatureUrl: `${PUBLIC}/api/twiml/connect-stream`,
    authToken: TOKEN,
    params: { From: '+14155550100' },
  });
  const stream = inbound.stream;
  if (!stream) throw new Error('no stream');
  cleanups.push(() => stream.close());
  return { fake, stream, inbound };
}

describe('fakes end to end through a minimal bridge', () => {
  it('plays a tagged greeting to the caller and measures relay latency per tag', async () => {
    const { fake, stream, inbound } = await call({
      tagAudio: true,
      script: [{ on: 'greeting', say: { text: 'Hi!', durationMs: 400 } }],
    });
    expect(stream.start.customParameters).toEqual({ token: 't-1' });
    expect(inbound.webhook.twiml?.stream?.url).toBe('wss://bridge.example.com/api/audiostream');
    const scanner = new TagScanner();
    const latencies: number[] = [];
    stream.on('media', ({ payload, atMs }) => {
      for (const tag of scanner.push(payload, atMs))
        latencies.push(atMs - (fake.tags.get(tag.seq)?.atMs ?? Number.NaN));
    });
    await stream.waitFor((c) => c.marksSent.length === 20, 3000);
    expect(latencies).toHaveLength(20);
    for (const ms of latencies) expect(ms).toBeGreaterThanOrEqual(0);
    expect(Math.max(...latencies)).toBeLessThan(250);
    const heard = new TagScanner().push(stream.heard()).map((t) => t.seq);
    expect(heard).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(stream.marksSent.every((m) => !m.cleared)).toBe(true);
  });

  it('barge-in: caller speech → clear at Twilio, truncate to what was heard', async () => {
    const { fake, stream } = await call({
      pacing: 'burst',
      script: [{ say: { text: 'A very long greeting.', durationMs: 5000 } }],
    });
    await stream.waitFor((c) => c.playedMs() >= 600, 3000);
    expect(stream.bufferedMs()).toBeGreaterThan(3000); // burst: Twilio holds the rest
    await stream.sendAudio(mulawTone(300, 200));
    await stream.waitFor((c) => c.received.some((r) => r.event === 'clear'), 2000);
    const session = fake.session(0);
    await fake.waitFor(() => session.truncations.length === 1, 2000);
    const t = session.truncations[0];
    expect(t?.ok).toBe(true);
    const heardMs = stream.heard().length / 8;
    expect(t?.audioEndMs).toBeLessThanOrEqual(heardMs);
    expect(heardMs - (t?.audioEndMs ?? 0)).toBeLessThan(150); // mark granularity: 100 ms burst chunks
    expect(stream.marksSent.filter((m) => m.cleared).length).toBeGreaterThan(30);
    expect(stream.bufferedMs()).toBe(0);
    expect(session.bargeIns[0]?.clientActions.map((a) => a.type)).toEqual(['truncate']);
    // Nothing more is played after the clear.
    const after = stream.heard().length;
    await new Promise((r) => setTimeout(r, 100));
    expect(stream.heard().length).toBeLessThanOrEqual(after + 8 * 300);
  });

  it('a model disconnect ends the stream from the server side', async () => {
    const { fake, stream } = await call({ script: [{ say: { text: 'Hello', durationMs: 2000 } }] });
    await fake.waitForSession(0);
    await stream.waitForEvent('media');
    fake.disconnect(0);
    const info = await stream.closed;
    expect(info).toMatchObject({ by: 'server', code: 1000, reason: 'model gone' });
  });
});
