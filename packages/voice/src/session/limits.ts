/** The bounds a `CallSetup` may set on a call, with their defaults. */
import type { CallSetup } from './types.ts';

export const DEFAULT_MAX_DURATION_MS = 30 * 60_000;
export const DEFAULT_SILENCE_TIMEOUT_MS = 30_000;

export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/** Hard limit on the call, ms: 10 s to 4 h (default 30 min). */
export function maxDurationMs(setup: Pick<CallSetup<unknown>, 'maxDurationMs'>): number {
  return clamp(setup.maxDurationMs ?? DEFAULT_MAX_DURATION_MS, 10_000, 4 * 3_600_000);
}

/** Silence before a prompt, then again before hanging up, ms (0 disables). */
export function silenceTimeoutMs(setup: Pick<CallSetup<unknown>, 'silenceTimeoutMs'>): number {
  return setup.silenceTimeoutMs ?? DEFAULT_SILENCE_TIMEOUT_MS;
}
