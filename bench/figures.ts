/** Shared definitions of the per-path figures (analyze.ts, analyze-bursts.ts). */
import type { Summary } from './stats.ts';

/** Frames emitted this close to a hang-up may legitimately still be in flight. */
export const GRACE_MS = 500;
/** A `clear` later than this after the caller started speaking does not count as the reaction. */
export const CLEAR_WINDOW_MS = 2_000;

export interface PathFigures {
  latency: Summary;
  /** Only frames sent while every call was up and none was hanging up (no set-up, no teardown). */
  steadyLatency: Summary;
  /** Tagged frames that should have arrived. */
  expected: number;
  received: number;
  /** Missing although a later frame of the same call arrived: a hole in the stream. */
  lost: number;
  /** Missing at hang-up with nothing later received: still queued somewhere (backlog). */
  undelivered: number;
  /** Arrived after a later frame of the same call. */
  reordered: number;
  duplicated: number;
  /**
   * Caller→model only: frames sent before the call's model session was live. The server drops
   * those by design (there is nowhere to send them yet), so they are not counted as lost.
   */
  beforeModelReady: number;
}
