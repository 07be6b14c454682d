/** How many new calls a campaign may place right now: concurrency, per-minute rate and daily cap. */

export interface PacingLimits {
  maxConcurrent: number;
  callsPerMinute: number;
  /** null: no daily cap. */
  dailyCap: number | null;
}

export interface PacingLoad {
  /** This campaign's calls not yet final (prospects in state `dialing`). */
  live: number;
  /** Calls this campaign placed in the last 60 seconds. */
  placedLastMinute: number;
  /** Calls this campaign placed today (in its default time zone). */
  placedToday: number;
}

export function dialSlots(limits: PacingLimits, load: PacingLoad): number {
  const byConcurrency = limits.maxConcurrent - load.live;
  const byRate = limits.callsPerMinute - load.placedLastMinute;
  const byCap = limits.dailyCap === null ? Number.POSITIVE_INFINITY : limits.dailyCap - load.placedToday;
  return Math.max(0, Math.min(byConcurrency, byRate, byCap));
}

/** True when the daily cap is reached (the campaign waits for tomorrow). */
export function dailyCapReached(limits: PacingLimits, load: PacingLoad): boolean {
  return limits.dailyCap !== null && load.placedToday >= limits.dailyCap;
}
