/**
 * Event recording and polling for tests of anything that emits typed events (model sessions,
 * transports, call sessions), so each test file keeps only its event list and its time bounds.
 */
import type { EventSource } from '../emitter.ts';
import type { ModelSessionEvents } from '../realtime/types.ts';

/** Every event of the `ModelSession` contract (adapters may add their own on top). */
export const MODEL_SESSION_EVENTS = [
  'audio',
  'speech_started',
  'speech_stopped',
  'transcript',
  'tool_call',
  'response_started',
  'response_done',
  'error',
  'closed',
] as const satisfies ReadonlyArray<keyof ModelSessionEvents>;

/** One recorded event, discriminated by name. */
export type Recorded<E extends object> = { [K in keyof E]: { event: K; payload: E[K] } }[keyof E];

/** Subscribes to `names` on `source`; `events` keeps every delivery in order, `of` one event's payloads. */
export function recordEvents<E extends object>(
  source: Pick<EventSource<E>, 'on'>,
  names: ReadonlyArray<keyof E>,
) {
  const events: Array<Recorded<E>> = [];
  for (const event of names) {
    source.on(event, (payload) => events.push({ event, payload } as Recorded<E>));
  }
  const of = <K extends keyof E>(event: K): Array<E[K]> =>
    events.filter((e) => e.event === event).map((e) => e.payload as E[K]);
  return { events, of };
}

export interface PollOptions {
  timeoutMs: number;
  intervalMs: number;
  /** Named in the error: `timed out: <label>` (just `timed out` without one). */
  label?: string | undefined;
}

/** Polls `probe` until it holds; throws after `timeoutMs`. For state spread over sockets and timers. */
export async function pollUntil(probe: () => boolean, options: PollOptions): Promise<void> {
  const start = Date.now();
  while (!probe()) {
    if (Date.now() - start > options.timeoutMs) {
      throw new Error(options.label === undefined ? 'timed out' : `timed out: ${options.label}`);
    }
    await new Promise((r) => setTimeout(r, options.intervalMs));
  }
}
