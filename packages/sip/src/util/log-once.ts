/**
 * Reports a refusal once per source and reason, then only counts repeats, so a flood from one
 * address costs one log line (per `windowMs`, default an hour). Bounded: at most `maxKeys`
 * sources are remembered; the oldest is forgotten first.
 */
export class LogOnce {
  #seen = new Map<string, { at: number; count: number }>();
  #windowMs: number;
  #maxKeys: number;
  #now: () => number;

  constructor(options: { windowMs?: number; maxKeys?: number; now?: () => number } = {}) {
    this.#windowMs = options.windowMs ?? 3_600_000;
    this.#maxKeys = options.maxKeys ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  /** True when this (source, reason) should be logged now; false when it is a repeat. */
  first(source: string, reason: string): boolean {
    const key = `${source}|${reason}`;
    const now = this.#now();
    const entry = this.#seen.get(key);
    if (entry && now - entry.at < this.#windowMs) {
      entry.count++;
      return false;
    }
    this.#seen.delete(key);
    this.#seen.set(key, { at: now, count: 1 });
    if (this.#seen.size > this.#maxKeys) this.#seen.delete(this.#seen.keys().next().value!);
    return true;
  }

  /** Repeats counted for (source, reason) in the current window. */
  count(source: string, reason: string): number {
    return this.#seen.get(`${source}|${reason}`)?.count ?? 0;
  }
}
