/**
 * Maps positions in the caller audio forwarded to the model (ms since the model session began
 * receiving audio, as in OpenAI's `audio_end_ms`) to the wall-clock time they arrived from the phone
 * (before any wait for a chunk, session/input-chunker.ts).
 * Turn latency is then measured from when the caller really stopped speaking, not from when
 * the model's VAD announced it (which comes `silenceDurationMs` later): the latency a caller feels.
 */
const CAPACITY = 1024; // ~20 s of 20 ms frames

export class InputTimeline {
  #startMs = new Float64Array(CAPACITY);
  #endMs = new Float64Array(CAPACITY);
  #at = new Float64Array(CAPACITY);
  #count = 0;
  #totalMs = 0;

  /** Records that `durationMs` more audio arrived at `at` to go to the model (ms, caller's clock). */
  advance(durationMs: number, at: number): void {
    const i = this.#count % CAPACITY;
    this.#startMs[i] = this.#totalMs;
    this.#totalMs += durationMs;
    this.#endMs[i] = this.#totalMs;
    this.#at[i] = at;
    this.#count++;
  }

  /** Starts over (a new model session counts its audio from zero). */
  reset(): void {
    this.#count = 0;
    this.#totalMs = 0;
  }

  /**
   * When the audio at `positionMs` was forwarded: the forward time of the chunk holding it,
   * less the part of the chunk after the position. Undefined outside the remembered window.
   */
  wallTimeAt(positionMs: number): number | undefined {
    if (this.#count === 0 || positionMs > this.#totalMs) return undefined;
    const oldest = Math.max(0, this.#count - CAPACITY);
    for (let n = this.#count - 1; n >= oldest; n--) {
      const i = n % CAPACITY;
      if (positionMs >= this.#startMs[i]!) return this.#at[i]! - (this.#endMs[i]! - positionMs);
    }
    return undefined;
  }
}
