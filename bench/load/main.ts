/**
 * Child process: the load generator. `run` places `calls` simulated Twilio calls (or SIP calls,
 * from one user agent of its own) against the server (spread over `arrivalMs`), waits until every
 * one has hung up, and returns what each call measured. Started by bench/run.ts with `fork`.
 */

import { SipUserAgent } from '@switchboard/sip';
import { mulawTone, wallClockMs } from '@switchboard/testkit';
import { lifetimeLimit, loopMonitor } from '../child-util.ts';
import { serveRpc } from '../ipc.ts';
import type { CallResult, LoadPlan, LoadRunResult } from '../protocol.ts';
import { SimulatedCall } from './call.ts';
import { SimulatedSipCall } from './sip-call.ts';

lifetimeLimit(Number(process.env.BENCH_CHILD_MAX_MS ?? 3_600_000), 'load-generator');

const loop = loopMonitor();
let carrier: Promise<SipUserAgent> | undefined;

/** The load generator's own SIP user agent: the carrier that calls the server. */
function sipCarrier(): Promise<SipUserAgent> {
  carrier ??= SipUserAgent.start({
    host: '127.0.0.1',
    port: 0,
    publicAddress: '127.0.0.1',
    media: { ports: { min: 40_000, max: 44_999 }, address: '127.0.0.1' },
    inviteRate: { ratePerSecond: 1000, burst: 1000 },
    onInvite: (invite) => invite.reject(403),
  });
  return carrier;
}

async function run(plan: LoadPlan): Promise<LoadRunResult> {
  // A loud 300 Hz tone: clearly speech to the fake model's energy VAD.
  const speech = mulawTone(300, plan.utteranceMs, 0.9);
  const ua = plan.transport === 'sip' ? await sipCarrier() : null;
  loop.reset();
  const results: Array<Promise<CallResult>> = [];
  for (let i = 0; i < plan.calls; i++) {
    const delay = plan.calls > 1 ? (i * plan.arrivalMs) / plan.calls : 0;
    results.push(
      new Promise<CallResult>((resolve) => {
        setTimeout(() => {
          const id = plan.firstCallId + i;
          (ua ? new SimulatedSipCall(id, plan, speech, ua) : new SimulatedCall(id, plan, speech))
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
