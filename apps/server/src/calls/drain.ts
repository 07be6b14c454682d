/**
 * Graceful shutdown of calls (SIGTERM, main.ts): the process enters drain — /health answers 503
 * `draining` so a load balancer stops sending, new inbound calls hear a polite "all lines are
 * busy" (answer-voice-webhook.ts), new browser test calls and outbound calls are refused — while
 * live calls go on for up to SHUTDOWN_DRAIN_S. Calls still running then are ended with a spoken
 * goodbye (and hung up whether or not it could be played).
 */
import type { AppContext } from '../context.ts';

export const DRAINING_MESSAGE =
  'Thank you for calling. All of our lines are busy right now. Please call again in a few minutes. Goodbye.';
const GOODBYE =
  'Politely tell the caller that this line has to close now for maintenance, that they can call back in a few minutes, and say goodbye.';
/** How long the goodbye may take before the hang-up. */
const GOODBYE_TIMEOUT_MS = 8_000;

/** Resolves once no call runs here: true when they all ended on their own within `timeoutMs`. */
export async function drainCalls(
  ctx: Pick<AppContext, 'lifecycle' | 'liveCalls' | 'log'>,
  timeoutMs: number,
): Promise<boolean> {
  ctx.lifecycle.draining = true;
  ctx.log.info({ calls: ctx.liveCalls.size, timeoutMs }, 'draining: new calls refused, live calls go on');
  if (await ctx.liveCalls.drain(timeoutMs)) return true;
  const left = ctx.liveCalls.entries();
  ctx.log.warn({ calls: left.length }, 'draining: ending the calls still running');
  await Promise.all(
    left.map(async ([, handle]) => {
      const said = handle.say?.(GOODBYE, { interrupt: true, last: true }).catch(() => false);
      if (said) await Promise.race([said, new Promise((resolve) => setTimeout(resolve, GOODBYE_TIMEOUT_MS))]);
      await handle.hangup('server_shutdown').catch(() => {});
    }),
  );
  return false;
}
