/**
 * Token buckets per key (a source address): `ratePerSecond` tokens refill continuously up to
 * `burst`. Bounded memory: idle buckets are swept, and at most `maxKeys` are kept.
 */
export class RateLimiter {
  #buckets = new Map<string, { tokens: number; at: number }>();
  #rate: number;
  #burst: number;
  #maxKeys: number;
  #now: () => number;

  constructor(options: { ratePerSecond: number; burst: number; maxKeys?: number; now?: () => number }) {
    this.#rate = options.ratePerSecond;
    this.#burst = options.burst;
    this.#maxKeys = options.maxKeys ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  /** Takes one token for `key`; false when the bucket is empty. */
  take(key: string): boolean {
    const now = this.#now();
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      if (this.#buckets.size >= this.#maxKeys) this.#sweep(now);
      bucket = { tokens: this.#burst, at: now };
      this.#buckets.set(key, bucket);
    }
    bucket.tokens = Math.min(this.#burst, bucket.tokens + ((now - bucket.at) / 1000) * this.#rate);
    bucket.at = now;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  #sweep(now: number): void {
    const fullAfterMs = (this.#burst / this.#rate) * 1000;
    for (const [key, bucket] of this.#buckets) {
      if (now - bucket.at > fullAfterMs) this.#buckets.delete(key);
    }
    while (this.#buckets.size >= this.#maxKeys) this.#buckets.delete(this.#buckets.keys().next().value!);
  }
}
