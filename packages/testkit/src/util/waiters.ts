type Waiter = {
  predicate: () => boolean;
  resolve: () => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
};

/**
 * Predicate waiters re-checked whenever the owner calls `check()` (after each message or state
 * change). Costs nothing when nobody waits, which matters with hundreds of sessions.
 */
export class Waiters {
  #waiters = new Set<Waiter>();

  /** Resolve once `predicate()` is true; reject after `timeoutMs` with `label` in the message. */
  wait(predicate: () => boolean, timeoutMs: number, label = 'condition'): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        predicate,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.#waiters.delete(waiter);
          reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${label}`));
        }, timeoutMs),
      };
      this.#waiters.add(waiter);
    });
  }

  check(): void {
    if (this.#waiters.size === 0) return;
    for (const waiter of this.#waiters) {
      let done = false;
      try {
        done = waiter.predicate();
      } catch (error) {
        this.#settle(waiter);
        waiter.reject(error instanceof Error ? error : new Error(String(error)));
        continue;
      }
      if (done) {
        this.#settle(waiter);
        waiter.resolve();
      }
    }
  }

  /** Reject every pending waiter (owner is closing). */
  rejectAll(reason: string): void {
    for (const waiter of this.#waiters) {
      this.#settle(waiter);
      waiter.reject(new Error(reason));
    }
  }

  #settle(waiter: Waiter): void {
    clearTimeout(waiter.timer);
    this.#waiters.delete(waiter);
  }
}
