/**
 * The timers of one fake session. A timer's callback changes session state, so waiters are
 * re-checked (`notify`) after it; closing the session cancels whatever is still pending, so a
 * closed session never sends again.
 */
export class SessionTimers {
  #timers = new Set<NodeJS.Timeout>();
  #notify: () => void;

  constructor(notify: () => void) {
    this.#notify = notify;
  }

  /** Runs `fn` after `ms` (always asynchronously), then notifies. */
  later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.#timers.delete(t);
      fn();
      this.#notify();
    }, ms);
    this.#timers.add(t);
  }

  /** Cancels every pending timer. */
  clear(): void {
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
  }
}
