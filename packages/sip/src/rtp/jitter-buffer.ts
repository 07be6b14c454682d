/**
 * The inbound reorder (jitter) buffer. The consumer is a speech model, not a loudspeaker: it
 * needs audio in order and without holes, not smoothed arrival times. So a packet that arrives
 * in sequence is released at once (no added delay); an out-of-order packet waits until the
 * missing one arrives or `depth` packets pile up behind the hole (or `depth` × 20 ms pass, on
 * `tick`). A hole is then filled with silence (at most `maxConcealFrames`, longer gaps are
 * skipped) so the model's timeline stays aligned with the call's. Duplicates and packets older
 * than the release point are dropped and counted. A large jump in sequence restarts the stream.
 */

export interface JitterBufferOptions {
  /** Packets to hold behind a hole before giving up on it (default 3 = 60 ms). */
  depth?: number;
  /** Longest hole filled with silence, frames (default 10 = 200 ms). */
  maxConcealFrames?: number;
  /** One silence frame (e.g. 160 × 0xFF for µ-law). */
  silence: Buffer;
  /** Receives each frame in order; `concealed` for silence that stands in for a lost packet. */
  onFrame(payload: Buffer, concealed: boolean): void;
  now?: () => number;
}

export interface JitterStats {
  received: number;
  lost: number;
  late: number;
  duplicate: number;
  reordered: number;
}

const RESYNC_DISTANCE = 1000;

export class JitterBuffer {
  #o: Required<Omit<JitterBufferOptions, 'now'>> & { now: () => number };
  #next: number | undefined;
  #held = new Map<number, Buffer>();
  #holeSince: number | undefined;
  readonly stats: JitterStats = { received: 0, lost: 0, late: 0, duplicate: 0, reordered: 0 };

  constructor(options: JitterBufferOptions) {
    this.#o = {
      depth: options.depth ?? 3,
      maxConcealFrames: options.maxConcealFrames ?? 10,
      silence: options.silence,
      onFrame: options.onFrame,
      now: options.now ?? (() => performance.now()),
    };
  }

  /** One packet's payload (copied if held). */
  push(sequence: number, payload: Buffer): void {
    this.stats.received++;
    if (this.#next === undefined) this.#next = sequence;
    const distance = seqDistance(this.#next, sequence);
    if (distance < 0) {
      if (-distance > RESYNC_DISTANCE) {
        this.#resync(sequence, payload);
        return;
      }
      this.stats.late++;
      return;
    }
    if (distance > RESYNC_DISTANCE) {
      this.#resync(sequence, payload);
      return;
    }
    if (this.#held.has(sequence)) {
      this.stats.duplicate++;
      return;
    }
    if (distance === 0) {
      this.#o.onFrame(payload, false);
      this.#next = (sequence + 1) & 0xffff;
      this.#release();
      return;
    }
    this.stats.reordered++;
    this.#held.set(sequence, Buffer.from(payload));
    this.#holeSince ??= this.#o.now();
    if (this.#held.size >= this.#o.depth) this.#skipHole();
  }

  /** Gives up on a hole older than depth × 20 ms. Call about every 20 ms. */
  tick(): void {
    if (this.#holeSince !== undefined && this.#o.now() - this.#holeSince >= this.#o.depth * 20) {
      this.#skipHole();
    }
  }

  /** Forgets the stream (a new SSRC): held packets are released first. */
  reset(): void {
    while (this.#held.size > 0) this.#skipHole();
    this.#next = undefined;
  }

  #resync(sequence: number, payload: Buffer): void {
    this.reset();
    this.#next = sequence;
    this.push(sequence, payload);
    this.stats.received--;
  }

  #release(): void {
    for (;;) {
      const payload = this.#held.get(this.#next!);
      if (!payload) break;
      this.#held.delete(this.#next!);
      this.#o.onFrame(payload, false);
      this.#next = (this.#next! + 1) & 0xffff;
    }
    this.#holeSince = this.#held.size > 0 ? this.#o.now() : undefined;
  }

  #skipHole(): void {
    if (this.#held.size === 0 || this.#next === undefined) return;
    let nearest = Number.POSITIVE_INFINITY;
    for (const seq of this.#held.keys()) nearest = Math.min(nearest, seqDistance(this.#next, seq));
    this.stats.lost += nearest;
    const conceal = nearest <= this.#o.maxConcealFrames ? nearest : 0;
    for (let i = 0; i < conceal; i++) this.#o.onFrame(this.#o.silence, true);
    this.#next = (this.#next + nearest) & 0xffff;
    this.#release();
  }
}

/** Signed distance from `from` to `to` in 16-bit sequence space. */
export function seqDistance(from: number, to: number): number {
  const d = (to - from) & 0xffff;
  return d >= 0x8000 ? d - 0x10000 : d;
}
