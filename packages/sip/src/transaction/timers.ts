/** RFC 3261 §17 timer values, ms. Tests may shrink them; carriers expect the defaults. */
export interface TimerValues {
  /** Round-trip estimate (default 500). */
  t1: number;
  /** Cap on non-INVITE and response retransmission intervals (default 4 000). */
  t2: number;
  /** Longest a message may stay in the network (default 5 000). */
  t4: number;
}

export const DEFAULT_TIMERS: TimerValues = { t1: 500, t2: 4000, t4: 5000 };

/** A group of timers that are cleared together when the owner terminates. */
export class TimerSet {
  #timers = new Set<ReturnType<typeof setTimeout>>();

  after(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      fn();
    }, ms);
    this.#timers.add(timer);
  }

  clear(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }
}
