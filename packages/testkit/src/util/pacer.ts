import { performance } from 'node:perf_hooks';

/**
 * Drift-free periodic scheduler. Slot `n` is due at `startAt + n × periodMs` on the
 * `performance.now()` clock, so lateness of one timer never accumulates (unlike setInterval):
 * if the event loop stalls, the missed slots run back to back on the next wake-up.
 *
 * `tick(slot)` does the work for one slot and returns `false` when it has nothing to do; the
 * pacer then goes idle (no timer) until `resume()`, which re-joins the slot grid at the current
 * time without going back to slots already run.
 */
export class Pacer {
  readonly periodMs: number;
  #tick: (slot: number) => boolean;
  #startAt = 0;
  #slot = 0;
  #timer: NodeJS.Timeout | undefined;
  #state: 'new' | 'running' | 'idle' | 'stopped' = 'new';

  constructor(periodMs: number, tick: (slot: number) => boolean) {
    if (!(periodMs > 0)) throw new RangeError('periodMs must be > 0');
    this.periodMs = periodMs;
    this.#tick = tick;
  }

  /** The next slot index to run. */
  get slot(): number {
    return this.#slot;
  }

  /** The slot whose grid point most recently passed (0 before start). */
  wallSlot(now = performance.now()): number {
    if (this.#state === 'new') return 0;
    return Math.max(0, Math.floor((now - this.#startAt) / this.periodMs));
  }

  get running(): boolean {
    return this.#state === 'running';
  }

  /** Start now (slot 0 runs synchronously) or at `startAt` on the performance clock. */
  start(startAt = performance.now()): void {
    if (this.#state !== 'new') return;
    this.#startAt = startAt;
    this.#state = 'running';
    this.#run();
  }

  /** Leave idle and re-join the grid at the current time, never going back to slots already run. */
  resume(): void {
    if (this.#state === 'new') {
      this.start();
      return;
    }
    if (this.#state !== 'idle') return;
    // The slot whose interval contains "now" runs at once (late by < one period), unless used.
    this.#slot = Math.max(this.#slot, this.wallSlot());
    this.#state = 'running';
    this.#run();
  }

  /** Skip ahead so the next slot is `slot` (used after out-of-band sends). */
  advanceTo(slot: number): void {
    if (slot > this.#slot) this.#slot = slot;
  }

  stop(): void {
    this.#state = 'stopped';
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #run = (): void => {
    this.#timer = undefined;
    const now = performance.now();
    // 1 ms tolerance: Node timers have millisecond resolution.
    while (this.#state === 'running' && this.#startAt + this.#slot * this.periodMs <= now + 1) {
      if (!this.#tick(this.#slot)) {
        if (this.#state === 'running') this.#state = 'idle';
        return;
      }
      this.#slot++;
    }
    if (this.#state !== 'running') return;
    const delay = this.#startAt + this.#slot * this.periodMs - now;
    this.#timer = setTimeout(this.#run, Math.max(1, delay));
  };
}
