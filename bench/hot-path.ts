/**
 * `node bench/hot-path.ts [--frames N] [--rounds R] [--calls C]`: the product's own JavaScript per audio frame,
 * in one process without sockets (issue 19; docs/PERFORMANCE.md, "the audio path's own JavaScript").
 * A real `TwilioTransport`, `CallSession`, `ResilientSession` and `OpenAIRealtimeSession` run one
 * call over fake sockets whose `send` only counts; each round feeds N caller `media` frames and N
 * model `response.output_audio.delta` frames (with Twilio's mark echoes), as `ws` delivers them
 * (Buffers). Beside it, the same frames through what the reference relay does per frame
 * (bench/reference/relay.ts: `JSON.parse`, `JSON.stringify`, two sends). Reports ns per frame
 * pair (one each way) for both, best of R rounds; the network and `ws` itself are not in either.
 * With `--calls C` the product runs C calls and the round's frames go to them in turn, as a
 * server's frames do: the same work per frame, from colder caches (each call's objects).
 * A round whose sends show that frames were dropped fails: its figure would not be the path's.
 */
import { EventEmitter } from 'node:events';
import { parseArgs } from 'node:util';
import { PCMU_8K } from '@switchboard/audio';
import {
  CallSession,
  OPENAI_CAPABILITIES,
  OpenAIRealtimeSession,
  type RealtimeModel,
  ResilientModel,
  ToolRegistry,
} from '@switchboard/voice';
import { TwilioTransport } from '../packages/voice/src/telephony/twilio.ts';
import { MemorySocket } from '../packages/voice/src/testing/memory-socket.ts';

const { values } = parseArgs({
  options: {
    frames: { type: 'string', default: '20000' },
    rounds: { type: 'string', default: '7' },
    calls: { type: 'string', default: '1' },
  },
});
const FRAMES = Number(values.frames);
const ROUNDS = Number(values.rounds);
const CALLS = Number(values.calls);
if (!(FRAMES > 0 && ROUNDS > 0 && Number.isInteger(CALLS) && CALLS > 0 && FRAMES % CALLS === 0))
  throw new Error('--frames, --rounds and --calls take positive integers; --frames a multiple of --calls');
/** Frames of each call per round. */
const PER_CALL = FRAMES / CALLS;
const PAYLOAD = Buffer.alloc(160, 0xff).toString('base64');
const SID = 'MZ00000000000000000000000000000001';

/** A `ws` WebSocket as the OpenAI session uses it: sends are counted, frames are injected. */
class FakeWs extends EventEmitter {
  readyState = 1;
  sent = 0;
  send(_text: string): void {
    this.sent++;
  }
  close(): void {
    this.readyState = 3;
  }
  terminate(): void {
    this.readyState = 3;
  }
}

/** A Twilio media socket whose sends are only counted (MemorySocket without the echo). */
class CountingSocket extends MemorySocket {
  count = 0;
  /** Marks sent, to be echoed as Twilio does once they played. */
  marks: string[] = [];
  override send(data: string): void {
    this.count++;
    if (data.startsWith('{"event":"mark"')) this.marks.push(JSON.parse(data).mark.name);
  }
}

const mediaFrame = (seq: number) =>
  Buffer.from(
    `{"event":"media","sequenceNumber":"${seq}","media":{"track":"inbound","chunk":"${seq}","timestamp":"${seq * 20}","payload":"${PAYLOAD}"},"streamSid":"${SID}"}`,
  );
const markEcho = (seq: number, name: string) =>
  `{"event":"mark","sequenceNumber":"${seq}","streamSid":"${SID}","mark":{"name":"${name}"}}`;
const deltaFrame = (n: number) =>
  Buffer.from(
    `{"type":"response.output_audio.delta","event_id":"event_${n}","response_id":"resp_1","item_id":"item_1","output_index":0,"content_index":0,"delta":"${PAYLOAD}"}`,
  );

interface ProductCall {
  /** Builds the call's frames for the next round (before the clock starts). */
  prepare(): void;
  /** Feeds the call's frame pair `i` of the round. */
  pair(i: number): void;
  /** Throws if the call dropped frames in the round. */
  verify(): void;
}

async function productCall(): Promise<ProductCall> {
  const twilio = new CountingSocket();
  const ws = new FakeWs();
  const transport = new TwilioTransport({ socket: twilio });
  const inner: RealtimeModel = {
    provider: 'openai',
    capabilities: { ...OPENAI_CAPABILITIES, outputFormat: PCMU_8K },
    connect: async () =>
      new OpenAIRealtimeSession(ws as never, { inputFormat: PCMU_8K, outputFormat: PCMU_8K }),
  };
  const session = new CallSession({
    transport,
    tools: new ToolRegistry(),
    setup: {
      model: new ResilientModel(inner),
      session: { model: 'gpt-realtime', instructions: 'x', credentials: { apiKey: 'k' } },
      toolContext: {},
      silenceTimeoutMs: 0,
    },
  });
  const start = {
    accountSid: 'AC1',
    streamSid: SID,
    callSid: 'CA1',
    tracks: ['inbound'],
    customParameters: {},
  };
  twilio.receive(
    JSON.stringify({
      event: 'start',
      sequenceNumber: '1',
      start: { ...start, mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 } },
      streamSid: SID,
    }),
    false,
  );
  void session.run();
  await new Promise((r) => setTimeout(r, 20));
  if (session.phase !== 'live') throw new Error(`session not live: ${session.phase}`);
  ws.emit('message', Buffer.from('{"type":"response.created","response":{"id":"resp_1"}}'), false);
  let seq = 2;
  let from = seq;
  let round = { media: [] as Buffer[], deltas: [] as Buffer[] };
  let [toModel, toPhone] = [0, 0];
  return {
    prepare() {
      from = seq;
      round = roundFrames(from, PER_CALL);
      seq += 2 * PER_CALL;
      [toModel, toPhone] = [ws.sent, twilio.count];
    },
    pair(i) {
      twilio.receive(round.media[i] as Buffer, false);
      ws.emit('message', round.deltas[i], false);
      const mark = twilio.marks.pop();
      if (mark !== undefined) twilio.receive(markEcho(from + 2 * i + 1, mark), false);
    },
    // One append per caller frame; one media per delta, plus its marks.
    verify: () => forwarded('product', ws.sent - toModel === PER_CALL && twilio.count - toPhone >= PER_CALL),
  };
}

async function productRun(): Promise<() => number> {
  const calls: ProductCall[] = [];
  for (let c = 0; c < CALLS; c++) calls.push(await productCall());
  return () => {
    for (const call of calls) call.prepare();
    const ns = timed((i) => (calls[i % CALLS] as ProductCall).pair(Math.floor(i / CALLS)));
    for (const call of calls) call.verify();
    return ns;
  };
}

/**
 * One round's frames, built before the clock starts. Sequence numbers rise from `from` (stale ones
 * are dropped): caller frame i has `from + 2i`, the mark echo after it (if any) `from + 2i + 1`.
 */
function roundFrames(from: number, frames = FRAMES): { media: Buffer[]; deltas: Buffer[] } {
  return {
    media: Array.from({ length: frames }, (_, i) => mediaFrame(from + 2 * i)),
    deltas: Array.from({ length: frames }, (_, i) => deltaFrame(i)),
  };
}

function forwarded(who: string, ok: boolean): void {
  if (!ok) throw new Error(`${who}: frames were dropped in the round; its figure would not be the path's`);
}

/** ns per iteration of `body` over one round. */
function timed(body: (i: number) => void): number {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < FRAMES; i++) body(i);
  return Number(process.hrtime.bigint() - t0) / FRAMES;
}

function referenceRun(): () => number {
  let sent = 0;
  const send = (_t: string) => {
    sent++;
  };
  let seq = 2;
  return () => {
    const { media, deltas } = roundFrames(seq);
    seq += 2 * FRAMES;
    const before = sent;
    const ns = timed((i) => {
      const msg = JSON.parse(media[i]!.toString('utf8'));
      if (msg.event === 'media')
        send(JSON.stringify({ type: 'input_audio_buffer.append', audio: msg.media.payload }));
      const event = JSON.parse(deltas[i]!.toString('utf8'));
      if (event.type === 'response.output_audio.delta' && event.delta) {
        send(JSON.stringify({ event: 'media', streamSid: SID, media: { payload: event.delta } }));
        send(JSON.stringify({ event: 'mark', streamSid: SID, mark: { name: 'responsePart' } }));
      }
    });
    forwarded('reference', sent - before === 3 * FRAMES);
    return ns;
  };
}

const product = await productRun();
const reference = referenceRun();
const best = { product: Number.POSITIVE_INFINITY, reference: Number.POSITIVE_INFINITY };
for (let r = 0; r < ROUNDS; r++) {
  best.product = Math.min(best.product, product());
  best.reference = Math.min(best.reference, reference());
}
console.log(
  `per frame pair (one caller frame + one model delta), best of ${ROUNDS} rounds of ${FRAMES}:\n` +
    `  product   ${best.product.toFixed(0)} ns${CALLS > 1 ? ` (${CALLS} calls in turn)` : ''}\n  reference ${best.reference.toFixed(0)} ns (its JSON work only; the mark echoes it would also parse are not fed)`,
);
process.exit(0);
