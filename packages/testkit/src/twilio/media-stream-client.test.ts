import type { IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import twilio from 'twilio';
import { afterEach, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { MediaStreamClient } from './media-stream-client.ts';

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary nested fields of messages.
type Msg = Record<string, any>;

/** A stand-in for the product's media endpoint: records what "Twilio" sends. */
async function startServer(verify?: (req: IncomingMessage) => boolean) {
  const wss = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    verifyClient: verify ? (info: { req: IncomingMessage }) => verify(info.req) : undefined,
  });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const port = (wss.address() as { port: number }).port;
  const got: Array<{ msg: Msg; at: number }> = [];
  let socket: WebSocket | undefined;
  const connected = new Promise<WebSocket>((resolve) =>
    wss.on('connection', (ws) => {
      socket = ws;
      ws.on('message', (d) => got.push({ msg: JSON.parse(d.toString()), at: performance.now() }));
      resolve(ws);
    }),
  );
  return {
    url: `ws://127.0.0.1:${port}/api/audiostream`,
    got,
    connected,
    send: (m: unknown) => socket?.send(typeof m === 'string' || Buffer.isBuffer(m) ? m : JSON.stringify(m)),
    close: () => new Promise<void>((r) => wss.close(() => r())),
  };
}

const servers: Array<{ close(): Promise<void> }> = [];
const clients: MediaStreamClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function setup(opts: Parameters<typeof MediaStreamClient.connect>[1] = {}) {
  const server = await startServer();
  servers.push(server);
  const client = await MediaStreamClient.connect(server.url, opts);
  clients.push(client);
  await server.connected;
  return { server, client };
}

const until = async (cond: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timeout');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('MediaStreamClient → server', () => {
  it('sends connected then start in the exact shape of docs/telephony.md#media-streams-messages', async () => {
    const { server, client } = await setup({ customParameters: { token: 'abc' }, continuous: false });
    await until(() => server.got.length >= 2);
    expect(server.got[0]?.msg).toEqual({ event: 'connected', protocol: 'Call', version: '1.0.0' });
    expect(server.got[1]?.msg).toEqual({
      event: 'start',
      sequenceNumber: '1',
      start: {
        accountSid: client.accountSid,
        streamSid: client.streamSid,
        callSid: client.callSid,
        tracks: ['inbound'],
        mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 },
        customParameters: { token: 'abc' },
      },
      streamSid: client.streamSid,
    });
    expect(client.streamSid).toMatch(/^MZ[0-9a-f]{32}$/);
  });

  it('paces 160-byte frames every 20 ms with string counters', async () => {
    const { server, client } = await setup({ continuous: false });
    const audio = Buffer.alloc(160 * 10 + 40, 0x55); // 10.25 frames → 11 frames, last padded
    const t0 = performance.now();
    await client.sendAudio(audio);
    const media = server.got.filter((g) => g.msg.event === 'media');
    await until(() => server.got.filter((g) => g.msg.event === 'media').length === 11);
    // Slots are on a grid anchored at `start`: the first frame may be up to 20 ms late in its slot.
    expect(performance.now() - t0).toBeGreaterThanOrEqual(180);
    const first = media[0]?.msg;
    expect(first).toMatchObject({
      event: 'media',
      sequenceNumber: '2',
      streamSid: client.streamSid,
      media: { track: 'inbound', chunk: '1', timestamp: expect.any(String) },
    });
    const all = server.got.filter((g) => g.msg.event === 'media').map((g) => g.msg);
    expect(all.map((m) => m.media.chunk)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11']);
    const ts = all.map((m) => Number(m.media.timestamp));
    for (let i = 1; i < ts.length; i++) expect((ts[i] ?? 0) - (ts[i - 1] ?? 0)).toBe(20);
    const last = Buffer.from(all[10]?.media.payload, 'base64');
    expect(last).toHaveLength(160);
    expect(last.subarray(40).every((b) => b === 0xff)).toBe(true);
    const arrivals = server.got.filter((g) => g.msg.event === 'media').map((g) => g.at);
    expect((arrivals[10] ?? 0) - (arrivals[0] ?? 0)).toBeGreaterThanOrEqual(180);
  });

  it('burst mode sends at once; continuous mode fills gaps with silence', async () => {
    const burst = await setup({ pacing: 'burst' });
    await burst.client.sendAudio(Buffer.alloc(1600, 1));
    await until(() => burst.server.got.filter((g) => g.msg.event === 'media').length === 10, 200);

    const live = await setup({ continuous: true });
    const count = () => live.server.got.filter((g) => g.msg.event === 'media').length;
    const t0 = performance.now();
    const n0 = count();
    await until(() => count() >= n0 + 5);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(60); // 5 frames = 4 full intervals: paced
    const silent = live.server.got.filter((g) => g.msg.event === 'media');
    expect(Buffer.from(silent[0]?.msg.media.payload, 'base64').every((b) => b === 0xff)).toBe(true);
    expect(live.client.framesSent).toBe(0);
  });

  it('sends dtmf and stop, then closes', async () => {
    const { server, client } = await setup({ continuous: false });
    client.sendDtmf('7');
    const info = await client.stop();
    expect(info.by).toBe('client');
    await until(() => server.got.length >= 4);
    expect(server.got[2]?.msg).toEqual({
      event: 'dtmf',
      streamSid: client.streamSid,
      sequenceNumber: '2',
      dtmf: { track: 'inbound_track', digit: '7' },
    });
    expect(server.got[3]?.msg).toEqual({
      event: 'stop',
      sequenceNumber: '3',
      stop: { accountSid: client.accountSid, callSid: client.callSid },
      streamSid: client.streamSid,
    });
  });

  it('signs the upgrade and surfaces a rejected handshake', async () => {
    const token = 'tok';
    const publicUrl = 'wss://bridge.example.com/api/audiostream';
    const server = await startServer((req) =>
      twilio.validateRequest(token, String(req.headers['x-twilio-signature']), publicUrl, {}),
    );
    servers.push(server);
    const ok = await MediaStreamClient.connect(server.url, { authToken: token, signatureUrl: publicUrl });
    clients.push(ok);
    await expect(
      MediaStreamClient.connect(server.url, { authToken: 'wrong', signatureUrl: publicUrl }),
    ).rejects.toMatchObject({ statusCode: 401 });
  });
});

describe('server → MediaStreamClient playout', () => {
  it('plays media in real time and echoes marks when reached', async () => {
    const { server, client } = await setup({ continuous: false });
    const audio = Buffer.alloc(1600, 0x12); // 200 ms
    server.send({
      event: 'media',
      streamSid: client.streamSid,
      media: { payload: audio.toString('base64') },
    });
    server.send({ event: 'mark', streamSid: client.streamSid, mark: { name: 'end-of-reply' } });
    const sentAt = performance.now();
    await client.waitFor((c) => c.marksSent.length === 1, 2000);
    expect(performance.now() - sentAt).toBeGreaterThanOrEqual(185);
    await until(() => server.got.some((g) => g.msg.event === 'mark'));
    const echo = server.got.find((g) => g.msg.event === 'mark')?.msg;
    expect(echo).toEqual({
      event: 'mark',
      sequenceNumber: expect.stringMatching(/^\d+$/),
      streamSid: client.streamSid,
      mark: { name: 'end-of-reply' },
    });
    expect(client.marksSent[0]).toMatchObject({ name: 'end-of-reply', cleared: false });
    expect(client.heard()).toEqual(audio);
    expect(client.received.map((r) => r.event)).toEqual(['media', 'mark']);
    expect(client.received[0]?.bytes).toBe(1600);
  });

  it('clear drops queued audio and echoes pending marks immediately', async () => {
    const { server, client } = await setup({ continuous: false });
    const clears: number[] = [];
    client.on('clear', (c) => clears.push(c.droppedMs));
    server.send({
      event: 'media',
      streamSid: client.streamSid,
      media: { payload: Buffer.alloc(8000, 3).toString('base64') },
    });
    server.send({ event: 'mark', streamSid: client.streamSid, mark: { name: 'a' } });
    server.send({ event: 'mark', streamSid: client.streamSid, mark: { name: 'b' } });
    await client.waitForEvent('mark');
    await new Promise((r) => setTimeout(r, 150));
    server.send({ event: 'clear', streamSid: client.streamSid });
    await client.waitFor((c) => c.marksSent.length === 2, 500);
    expect(client.marksSent.map((m) => [m.name, m.cleared])).toEqual([
      ['a', true],
      ['b', true],
    ]);
    expect(clears[0]).toBeGreaterThan(700);
    const heardMs = client.heard().length / 8;
    expect(heardMs).toBeGreaterThanOrEqual(140);
    expect(heardMs).toBeLessThan(400);
    await new Promise((r) => setTimeout(r, 50));
    expect(client.heard().length / 8).toBe(heardMs);
  });

  it('records protocol violations and ignores the messages', async () => {
    const { server, client } = await setup({ continuous: false });
    server.send(Buffer.from([1, 2, 3]));
    server.send({ event: 'media', streamSid: 'MZwrong', media: { payload: 'AAAA' } });
    server.send({ event: 'mark', streamSid: client.streamSid });
    server.send({ event: 'close', streamSid: client.streamSid });
    server.send('{not json');
    server.send({ event: 'media', streamSid: client.streamSid, media: { payload: 'AAAA' }, extra: 1 });
    await client.waitFor((c) => c.violations.length === 6, 1000);
    expect(client.violations.map((v) => v.code)).toEqual([31950, 31951, 31951, 31951, 31951, 31951]);
    expect(client.violations[1]?.message).toMatch(/Wrong Stream SID/);
    expect(client.violations[3]?.message).toMatch(/Unknown message type: close/);
    expect(client.received.map((r) => r.event)).toEqual(['media']); // the extra-field one still plays
  });

  it('reports a server-side close', async () => {
    const { server, client } = await setup({ continuous: true });
    const ws = await server.connected;
    ws.close(1000, 'bye');
    const info = await client.closed;
    expect(info).toMatchObject({ code: 1000, reason: 'bye', by: 'server' });
  });
});
