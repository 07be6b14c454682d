/**
 * Splits a byte stream into fixed-size frames, e.g. 20 ms of µ-law (160 bytes) for
 * Twilio `media` messages, carrying the remainder to the next push.
 */
export class FrameChunker {
  readonly frameBytes: number;
  #pending: Uint8Array;
  #fill = 0;

  constructor(frameBytes: number) {
    if (!Number.isInteger(frameBytes) || frameBytes <= 0) {
      throw new RangeError(`frameBytes must be a positive integer, got ${frameBytes}`);
    }
    this.frameBytes = frameBytes;
    this.#pending = new Uint8Array(frameBytes);
  }

  /** Bytes held back waiting for a full frame. */
  get pendingBytes(): number {
    return this.#fill;
  }

  /**
   * Append bytes; returns every frame completed, oldest first (possibly none). Frames are
   * fresh copies, so the caller may keep them and reuse `bytes`.
   */
  push(bytes: Uint8Array): Uint8Array[] {
    const size = this.frameBytes;
    const frames: Uint8Array[] = [];
    let offset = 0;
    if (this.#fill > 0) {
      const take = Math.min(size - this.#fill, bytes.length);
      this.#pending.set(bytes.subarray(0, take), this.#fill);
      this.#fill += take;
      offset = take;
      if (this.#fill < size) return frames;
      frames.push(this.#pending.slice());
      this.#fill = 0;
    }
    for (; offset + size <= bytes.length; offset += size) frames.push(bytes.slice(offset, offset + size));
    const rest = bytes.length - offset;
    if (rest > 0) {
      this.#pending.set(bytes.subarray(offset), 0);
      this.#fill = rest;
    }
    return frames;
  }

  /**
   * Return the partial frame held back (or null if none) and empty the chunker. With
   * `padByte` (e.g. 0xFF, µ-law silence) the remainder is padded to a full frame.
   */
  flush(padByte?: number): Uint8Array | null {
    if (this.#fill === 0) return null;
    const out =
      padByte === undefined
        ? this.#pending.slice(0, this.#fill)
        : this.#pending.slice().fill(padByte, this.#fill);
    this.#fill = 0;
    return out;
  }

  /** Drop any partial frame (e.g. on barge-in `clear`). */
  reset(): void {
    this.#fill = 0;
  }
}
