/**
 * Child process: the test kit's fake realtime model (OpenAI or Gemini, instrumented for the
 * benchmark's latency marks — see fake/openai.ts and fake/gemini.ts) and a Twilio REST fake for
 * any REST call the server makes. Started by bench/run.ts with `fork`.
 */
import { startTwilioRestFake, type TwilioRestFake, wallClockMs } from '@switchboard/testkit';
import { lifetimeLimit, loopMonitor } from './child-util.ts';
import type { FakeModel } from './fake/common.ts';
import { startGeminiFake } from './fake/gemini.ts';
import { startOpenAIFake } from './fake/openai.ts';
import { startTlsFront } from './fake/tls-front.ts';
import { serveRpc } from './ipc.ts';
import type { FakeCollect, FakeStartArgs, FakeStartResult } from './protocol.ts';

lifetimeLimit(Number(process.env.BENCH_CHILD_MAX_MS ?? 3_600_000), 'fake-model');

const loop = loopMonitor();
let model: FakeModel | undefined;
let rest: TwilioRestFake | undefined;
let tlsFront: { close(): Promise<void> } | undefined;

async function start(args: FakeStartArgs): Promise<FakeStartResult> {
  rest = await startTwilioRestFake({ accountSid: args.accountSid, authToken: args.authToken });
  model = args.provider === 'gemini' ? await startGeminiFake(args) : await startOpenAIFake(args);
  if (!args.tls) return { modelUrl: model.url, twilioRestUrl: rest.url, pid: process.pid };
  const front = await startTlsFront(model.url, args.tls);
  tlsFront = front;
  return { modelUrl: front.url, twilioRestUrl: rest.url, pid: process.pid };
}

function collect(): FakeCollect {
  if (!model) throw new Error('not started');
  return { ...model.collect(), eventLoop: loop.stats() };
}

async function shutdown(): Promise<void> {
  await tlsFront?.close().catch(() => {});
  await model?.close().catch(() => {});
  await rest?.close().catch(() => {});
}

serveRpc(
  {
    start,
    collect,
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
