/**
 * `node bench/twilio-path.ts`: the Twilio hot path's per-frame cost, old way against new way, in
 * one process, alternating, so a busy machine affects both alike (docs/PERFORMANCE.md):
 *
 * - parse: the strict generic parser (`JSON.parse` + checks) vs the fast path, on Twilio `media`
 *   frames and `mark` echoes;
 * - build: `JSON.stringify` of `media` + `mark` vs the stream's templates;
 * - send: `media` then `mark` as two sends on a real loopback `ws` socket vs one corked pair
 *   (`TransportSocket.sendPair`), timed around the synchronous sends (the write system calls
 *   happen inside them).
 *
 * Figures are the median over rounds of ns per frame (a round is timed only while it runs, so
 * being preempted by other processes lands in a few rounds, not in the median).
 */
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { PCMU_8K } from '@switchboard/audio';
import { TwilioTransport } from '@switchboard/voice';
import { WebSocket, WebSocketServer } from 'ws';
import { TwilioOutbound } from '../packages/voice/src/telephony/twilio-fast.ts';
import { parseTwilioFrame, parseTwilioFrameStrict } from '../packages/voice/src/telephony/twilio-messages.ts';

const SID = 'MZ0123456789abcdef0123456789abcdef';
const payload = Buffer.alloc(160, 0x7f).toString('base64');
const ROUNDS = 31;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

function timeRounds(perRound: number, fns: Record<string, () => void>): Record<string, number> {
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(fns).map((k) => [k, []]));
  for (let r = 0; r < ROUNDS; r++) {
    for (const [name, fn] of Object.entries(fns)) {
      const t0 = performance.now();
      for (let i = 0; i < perRound; i++) fn();
      samples[name]?.push(((performance.now() - t0) * 1e6) / perRound);
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, Math.round(median(v))]));
}

function parseAndBuild(): Record<string, number> {
  const frames = Array.from({ length: 1000 }, (_, i) =>
    JSON.stringify({
      event: 'media',
      sequenceNumber: String(i + 2),
      media: { track: 'inbound', chunk: String(i + 1), timestamp: String(i * 20), payload },
      streamSid: SID,
    }),
  );
  const marks = frames.map((_, i) =>
    JSON.stringify({
      event: 'mark',
      sequenceNumber: String(i + 2),
      streamSid: SID,
      mark: { name: `item_1:${i * 20}` },
    }),
  );
  let k = 0;
  const out = new TwilioOutbound(SID);
  let sink = 0;
  const result = timeRounds(2000, {
    'parse media, strict': () => {
      sink += parseTwilioFrameStrict(frames[k++ % 1000] as string).ok ? 1 : 0;
    },
    'parse media, fast path': () => {
      sink += parseTwilioFrame(frames[k++ % 1000] as string).ok ? 1 : 0;
    },
    'parse mark echo, strict': () => {
      sink += parseTwilioFrameStrict(marks[k++ % 1000] as string).ok ? 1 : 0;
    },
    'parse mark echo, fast path': () => {
      sink += parseTwilioFrame(marks[k++ % 1000] as string).ok ? 1 : 0;
    },
    'build media + mark, JSON.stringify': () => {
      const name = `item_1:${(k++ % 1000) * 20}`;
      sink += JSON.stringify({ event: 'media', streamSid: SID, media: { payload } }).length;
      sink += JSON.stringify({ event: 'mark', streamSid: SID, mark: { name } }).length;
    },
    'build media + mark, templates': () => {
      const name = `item_1:${(k++ % 1000) * 20}`;
      sink += out.media(payload).length + out.mark(name).length;
    },
  });
  if (sink < 0) console.log(sink);
  return result;
}

async function send(): Promise<Record<string, number>> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(wss, 'listening');
  const address = wss.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const accepted = once(wss, 'connection');
  const client = new WebSocket(`ws://127.0.0.1:${port}`);
  await once(client, 'open');
  const [server] = (await accepted) as [WebSocket];
  let received = 0;
  client.on('message', () => received++);
  const transport = new TwilioTransport({ socket: server });
  client.send(JSON.stringify({ event: 'connected' }));
  client.send(
    JSON.stringify({
      event: 'start',
      sequenceNumber: '1',
      streamSid: SID,
      start: {
        callSid: 'CA1',
        streamSid: SID,
        tracks: ['inbound'],
        customParameters: {},
        mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 },
      },
    }),
  );
  while (transport.state !== 'started') await new Promise((r) => setImmediate(r));
  const batch = 50;
  const samples: Record<string, number[]> = {
    'send media, mark: two writes': [],
    'send media + mark: one write': [],
  };
  let n = 0;
  for (let r = 0; r < ROUNDS * 4; r++) {
    for (const name of Object.keys(samples)) {
      const t0 = performance.now();
      for (let i = 0; i < batch; i++) {
        const mark = `item_1:${n++ * 20}`;
        if (name.startsWith('send media, mark')) {
          transport.sendAudio(payload, PCMU_8K);
          transport.sendMark(mark);
        } else transport.sendAudioAndMark(payload, PCMU_8K, mark);
      }
      samples[name]?.push(((performance.now() - t0) * 1e6) / batch);
      // Let the client drain, so every round starts with empty socket buffers.
      const want = n * 2;
      while (received < want) await new Promise((r) => setImmediate(r));
    }
  }
  client.close();
  wss.close();
  return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, Math.round(median(v))]));
}

const results = { ...parseAndBuild(), ...(await send()) };
const width = Math.max(...Object.keys(results).map((k) => k.length));
process.stdout.write('Twilio hot path, ns per frame (median of rounds; send = media + its mark)\n');
for (const [name, ns] of Object.entries(results)) process.stdout.write(`  ${name.padEnd(width)}  ${ns}\n`);
process.exit(0);
