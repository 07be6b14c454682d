/**
 * The barge-in recipe (docs/realtime.md#barge-in-accounting): the caller started talking over the
 * agent. 1. `clear` the phone's queue at once (only if audio is queued there); 2. cancel the
 * response being generated; 3. if the model can truncate, cut each interrupted item to what the
 * caller heard (marks and the playout clock), clamped to what was forwarded for it.
 */
import type { ModelSession } from '../realtime/types.ts';
import type { TelephonyTransport } from '../types.ts';
import { type ItemPlayback, type PlaybackTracker, truncationPoint } from './playback-tracker.ts';

export interface BargeInInput {
  tracker: PlaybackTracker;
  transport: TelephonyTransport;
  model: ModelSession | undefined;
  /** A response is being generated right now. */
  responseActive: boolean;
  /** Truncation safety margin for items whose generation ended, ms. */
  marginMs: number;
  /** The tracker's clock now: what was heard is the playout position (playback-tracker.ts). */
  now?: number;
}

export interface BargeInOutcome {
  /** Anything was stopped (audio queued, or a response in progress). */
  interruptedSomething: boolean;
  /** Items cut short, oldest (the one playing) first. */
  items: ItemPlayback[];
  /** Time spent before `clear` went out, ms (0 when nothing was queued). */
  clearLatencyMs: number;
  /** Truncation point of the first item, when the model truncates. */
  truncatedAtMs: number | undefined;
}

export function bargeIn(input: BargeInInput): BargeInOutcome {
  const startedAt = performance.now();
  // Clear first: every millisecond before it is agent audio over the caller's voice.
  if (input.tracker.outstanding) input.transport.clear();
  const clearLatencyMs = performance.now() - startedAt;
  const items = input.tracker.interrupt(input.now);
  const interruptedSomething = items.length > 0 || input.responseActive;
  if (interruptedSomething) input.model?.cancelResponse();
  let truncatedAtMs: number | undefined;
  if (input.model?.capabilities.truncation) {
    for (const [index, item] of items.entries()) {
      const at = truncationPoint(item, input.marginMs);
      input.model.truncate(item.itemId, at);
      if (index === 0) truncatedAtMs = at;
    }
  }
  return { interruptedSomething, items, clearLatencyMs, truncatedAtMs };
}
