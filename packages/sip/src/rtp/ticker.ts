/**
 * One 20 ms clock for every call's media. A single timer serves all sessions (50 calls cost one
 * wake-up per 20 ms, not 50), re-armed against an absolute grid so it never drifts; each
 * session works out from the real time how many packets are due, so a late wake-up is caught up.
 */

export const FRAME_MS = 20;

export class MediaTicker {
  #subscribers = new Set<(now: number) => void>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #nextAt = 0;
  #now: () => number;

  constructor(now: () => number = () => performance.now()) {
    this.#now = now;
  }

  get now(): number {
    return this.#now();
  }

  /** Calls `fn(now)` every 20 ms until the returned function is called. */
  add(fn: (now: number) => void): () => void {
    this.#subscribers.add(fn);
    if (!this.#timer) {
      this.#nextAt = this.#now() + FRAME_MS;
      this.#arm();
    }
    return () => {
      this.#subscribers.delete(fn);
      if (this.#subscribers.size === 0 && this.#timer) {
        clearTimeout(this.#timer);
        this.#timer = undefined;
      }
    };
  }

  #arm(): void {
    this.#timer = setTimeout(() => this.#run(), Math.max(0, this.#nextAt - this.#now()));
    this.#timer.unref?.();
  }

  #run(): void {
    const now = this.#now();
    for (const fn of this.#subscribers) {
      try {
        fn(now);
      } catch {
        // A session reports its own failures; one call must never stop the clock for the others.
      }
    }
    if (this.#subscribers.size === 0) {
      this.#timer = undefined;
      return;
    }
    this.#nextAt += FRAME_MS;
    if (this.#nextAt < now) this.#nextAt = now + FRAME_MS; // after a stall, do not spin
    this.#arm();
  }
}
