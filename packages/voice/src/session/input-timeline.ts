/**
 * Maps positions in the caller audio forwarded to the model (ms since the model session began
 * receiving audio, as in OpenAI's `audio_end_ms`) to the wall-clock time they arrived from the phone
 * (before any wait for a chunk, session/input-chunker.ts).
 * Turn latency is then measured from when the caller really stopped speaking, not from when
 * the model's VAD announced it (which comes `silenceDurationMs` later): the latency a caller feels.
 *
 * Memory (one per live call): a ring of (end position, forward time) pairs, one Float64Array that
 * starts at MIN_CAPACITY entries and doubles up to CAPACITY (16 KiB once ~20 s of frames went
 * through). A chunk starts where the one before it ended, so start positions are not stored.
 */
const CAPACITY = 1024; // ~20 s of 20 ms frames
const MIN_CAPACITY = 64;

export class InputTimeline {
  /** Entry n at slot n % capacity: [2 × slot] its end position, [2 × slot + 1] its forward time. */
  #ring = new Float64Array(2 * MIN_CAPACITY);
  #capacity = MIN_CAPACITY;
  #count = 0;
  #totalMs = 0;
  /** Start position of the oldest remembered entry (the end of the one it evicted). */
  #oldestStartMs = 0;

  /** Records that `durationMs` more audio arrived at `at` to go to the model (ms, caller's clock). */
  advance(durationMs: number, at: number): void {
    if (this.#count === this.#capacity && this.#capacity < CAPACITY) this.#grow();
    const slot = 2 * (this.#count % this.#capacity);
    if (this.#count >= this.#capacity) this.#oldestStartMs = this.#ring[slot]!;
    this.#totalMs += durationMs;
    this.#ring[slot] = this.#totalMs;
    this.#ring[slot + 1] = at;
    this.#count++;
  }

  /** Starts over (a new model session counts its audio from zero). */
  reset(): void {
    this.#count = 0;
    this.#totalMs = 0;
    this.#oldestStartMs = 0;
  }

  /**
   * When the audio at `positionMs` was forwarded: the forward time of the chunk holding it,
   * less the part of the chunk after the position. Undefined outside the remembered window.
   */
  wallTimeAt(positionMs: number): number | undefined {
    if (this.#count === 0 || positionMs > this.#totalMs) return undefined;
    const oldest = Math.max(0, this.#count - this.#capacity);
    for (let n = this.#count - 1; n >= oldest; n--) {
      const start = n === oldest ? this.#oldestStartMs : this.#ring[2 * ((n - 1) % this.#capacity)]!;
      if (positionMs >= start) {
        const slot = 2 * (n % this.#capacity);
        return this.#ring[slot + 1]! - (this.#ring[slot]! - positionMs);
      }
    }
    return undefined;
  }

  /** Entries the ring holds before it grows or wraps (tests). */
  get capacity(): number {
    return this.#capacity;
  }

  /** Doubles the ring; only before it wraps (it grows when full), so entries stay in place. */
  #grow(): void {
    const next = new Float64Array(4 * this.#capacity);
    next.set(this.#ring);
    this.#ring = next;
    this.#capacity *= 2;
  }
}
