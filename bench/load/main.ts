/**
 * Child process: the load generator. `run` places `calls` simulated Twilio calls against the
 * server (spread over `arrivalMs`), waits until every one has hung up, and returns what each
 * call measured. Started by bench/run.ts with `fork`.
 */
import { mulawTone, wallClockMs } from '@switchboard/testkit';
import { lifetimeLimit, loopMonitor } from '../child-util.ts';
import { serveRpc } from '../ipc.ts';
import type { CallResult, LoadPlan, LoadRunResult } from '../protocol.ts';
import { SimulatedCall } from './call.ts';

lifetimeLimit(Number(process.env.BENCH_CHILD_MAX_MS ?? 3_600_000), 'load-generator');

const loop = loopMonitor();

async function run(plan: LoadPlan): Promise<LoadRunResult> {
  // A loud 300 Hz tone: clearly speech to the fake model's energy VAD.
  const speech = mulawTone(300, plan.utteranceMs, 0.9);
  loop.reset();
  const results: Array<Promise<CallResult>> = [];
  for (let i = 0; i < plan.calls; i++) {
    const delay = plan.calls > 1 ? (i * plan.arrivalMs) / plan.calls : 0;
    results.push(
      new Promise<CallResult>((resolve) => {
        setTimeout(() => {
          new SimulatedCall(plan.firstCallId + i, plan, speech)
            .run()
            .catch((error: unknown) => crashed(plan.firstCallId + i, error))
            .then(resolve);
        }, delay);
      }),
    );
  }
  const calls = await Promise.all(results);
  return { calls, eventLoop: loop.stats() };
}

function crashed(id: number, error: unknown): CallResult {
  const now = wallClockMs();
  const empty = new Float64Array(0);
  return {
    id,
    callSid: '',
    ok: false,
    failure: `load generator error: ${error instanceof Error ? error.message : String(error)}`,
    startWall: now,
    connectWall: Number.NaN,
    stopWall: now,
    relaySeq: empty,
    relayWall: empty,
    sentWall: empty,
    bargeIn: null,
    clears: empty,
    markerSent: empty,
    markerOnsets: empty,
    firstMediaWall: Number.NaN,
    mediaFrames: 0,
    marksEchoed: 0,
    violations: 0,
    statusCallbackOk: false,
  };
}

serveRpc(
  {
    run,
    clock: () => wallClockMs(),
    stop: () => {
      setImmediate(() => process.exit(0));
    },
  },
  () => process.exit(0),
);
process.send?.({ ready: true });
