/**
 * Child process: the test kit's fake realtime model (OpenAI or Gemini, instrumented for the
 * benchmark's latency marks — see fake/openai.ts and fake/gemini.ts) and a Twilio REST fake for
 * any REST call the server makes. Started by bench/run.ts with `fork`.
 */
import {
  type FakeOpenAIChat,
  startFakeOpenAIChat,
  startTwilioRestFake,
  type TwilioRestFake,
  wallClockMs,
} from '@switchboard/testkit';
import { lifetimeLimit, loopMonitor } from './child-util.ts';
import type { FakeModel } from './fake/common.ts';
import { startGeminiFake } from './fake/gemini.ts';
import { startOpenAIFake } from './fake/openai.ts';
import { startTlsFront } from './fake/tls-front.ts';
import { serveRpc } from './ipc.ts';
import { benchCallSid, callerNumber } from './load/call.ts';
import type { FakeCollect, FakeStartArgs, FakeStartResult } from './protocol.ts';

lifetimeLimit(Number(process.env.BENCH_CHILD_MAX_MS ?? 3_600_000), 'fake-model');

const loop = loopMonitor();
let model: FakeModel | undefined;
let rest: TwilioRestFake | undefined;
let text: FakeOpenAIChat | undefined;
let tlsFront: { close(): Promise<void> } | undefined;

/** What the fake text model answers every post-call analysis (the bench's agent extracts nothing). */
const ANALYSIS = [
  {
    when: { structured: true },
    times: Number.POSITIVE_INFINITY,
    json: { summary: 'A benchmark caller talked to the agent.', disposition: 'other', extraction: {} },
  },
];

async function start(args: FakeStartArgs): Promise<FakeStartResult> {
  rest = await startTwilioRestFake({ accountSid: args.accountSid, authToken: args.authToken });
  model = args.provider === 'gemini' ? await startGeminiFake(args) : await startOpenAIFake(args);
  // The post-call analysis' text API (OpenAI path; Gemini's shares GEMINI_BASE_URL with the model).
  if (args.provider === 'openai') text = await startFakeOpenAIChat({ apiKey: args.apiKey, script: ANALYSIS });
  const urls = { twilioRestUrl: rest.url, ...(text ? { textUrl: text.url } : {}), pid: process.pid };
  if (!args.tls) return { modelUrl: model.url, ...urls };
  const front = await startTlsFront(model.url, args.tls);
  tlsFront = front;
  return { modelUrl: front.url, ...urls };
}

function collect(): FakeCollect {
  if (!model) throw new Error('not started');
  return { ...model.collect(), eventLoop: loop.stats() };
}

async function shutdown(): Promise<void> {
  await tlsFront?.close().catch(() => {});
  await model?.close().catch(() => {});
  await rest?.close().catch(() => {});
  await text?.close().catch(() => {});
}

serveRpc(
  {
    start,
    collect,
    /** Makes the simulated inbound calls known to the Twilio REST fake (as Twilio knows every call). */
    addInboundCalls: ({ to, ids }: { to: string; ids: number[] }) => {
      for (const id of ids) rest?.addInboundCall(benchCallSid(id), { From: callerNumber(id), To: to });
    },
    /** Wall clock now (for the parent's clock-offset check). */
    clock: () => wallClockMs(),
    resetLoop: () => loop.reset(),
    stop: async () => {
      await shutdown();
      setImmediate(() => process.exit(0));
    },
  },
  () => void shutdown().finally(() => process.exit(0)),
);
process.send?.({ ready: true });
