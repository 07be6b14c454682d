/**
 * Two mono channels on one clock, interleaved into stereo PCM16 as the call goes. Caller audio
 * (left) is placed where it arrived; agent audio (right) is queued like a phone's playback
 * buffer: it plays from when it was sent, or right after the audio queued before it. Samples are
 * held back `holdSamples` behind the clock, so a barge-in can still cut agent audio the caller
 * never heard (the heard point comes from echoed marks, which lag); older samples are final and
 * handed to `write`. Gaps on either side are silence.
 */

export interface StereoTimelineOptions {
  /** Samples kept uncommitted behind the clock. */
  holdSamples: number;
  /** Caller audio arriving this far (samples) after the end of the previous frame starts after a gap. */
  gapSamples: number;
  /** Smallest write while the call goes (fewer, larger writes). */
  minWriteSamples: number;
  /** Receives final stereo frames (interleaved s16le). */
  write(bytes: Buffer): void;
}

/**
 * A growable Int16 buffer for samples from the committed position on. It starts at the size a
 * call in real time needs (the hold, one write and some slack: `StereoTimeline`), so a paced call
 * never grows it, and grows by half when agent audio queues further ahead.
 */
class Channel {
  samples: Int16Array;
  length = 0;

  constructor(capacity: number) {
    this.samples = new Int16Array(capacity);
  }

  ensure(n: number): void {
    if (n <= this.samples.length) return;
    const next = new Int16Array(Math.max(n, Math.ceil(this.samples.length * 1.5)));
    next.set(this.samples.subarray(0, this.length));
    this.samples = next;
  }
  /** Writes `pcm` at `at` (relative), silence before it. */
  put(pcm: Int16Array, at: number): void {
    this.ensure(at + pcm.length);
    if (at > this.length) this.samples.fill(0, this.length, at);
    this.samples.set(pcm, at);
    this.length = Math.max(this.length, at + pcm.length);
  }
  truncate(n: number): void {
    this.length = Math.max(0, Math.min(this.length, n));
  }
  shift(n: number): void {
    this.samples.copyWithin(0, n, Math.max(n, this.length));
    this.length = Math.max(0, this.length - n);
  }
}

export class StereoTimeline {
  #o: StereoTimelineOptions;
  /** Samples already written (both channels). */
  #base = 0;
  #left: Channel;
  #right: Channel;
  #itemStarts = new Map<string, number>();
  #written = 0;

  constructor(options: StereoTimelineOptions) {
    this.#o = options;
    // Held samples plus one write, plus a gap's worth for frames that arrive late or early.
    const capacity = options.holdSamples + options.minWriteSamples + options.gapSamples;
    this.#left = new Channel(capacity);
    this.#right = new Channel(capacity);
  }

  /** Samples both channels can hold before growing (memory per recorded call: 4 bytes each). */
  get capacity(): number {
    return this.#left.samples.length + this.#right.samples.length;
  }

  /** Stereo frames handed to `write` so far. */
  get frames(): number {
    return this.#written;
  }

  /** Caller audio that arrived at sample `at` of the call. */
  caller(pcm: Int16Array, at: number): void {
    const end = this.#base + this.#left.length;
    const start = at - end > this.#o.gapSamples ? at : end;
    this.#putAt(this.#left, pcm, start);
  }

  /** Agent audio of `itemId` sent at sample `at`: it plays after what is already queued. */
  agent(pcm: Int16Array, itemId: string, at: number): void {
    const start = Math.max(at, this.#base + this.#right.length);
    if (!this.#itemStarts.has(itemId)) this.#itemStarts.set(itemId, start);
    this.#putAt(this.#right, pcm, start);
  }

  /**
   * A barge-in: the caller heard `heardSamples` of each item, nothing after. The agent channel
   * ends at the earliest such point (never before what is already written).
   */
  cut(items: ReadonlyArray<{ itemId: string; heardSamples: number }>): void {
    let cutAt = Number.POSITIVE_INFINITY;
    for (const item of items) {
      const start = this.#itemStarts.get(item.itemId);
      if (start !== undefined) cutAt = Math.min(cutAt, start + item.heardSamples);
      this.#itemStarts.delete(item.itemId);
    }
    if (cutAt === Number.POSITIVE_INFINITY) return;
    this.#right.truncate(Math.max(0, cutAt - this.#base));
  }

  /** The clock is at sample `now`: write what is older than the hold. */
  advance(now: number): void {
    const upTo = now - this.#o.holdSamples;
    if (upTo - this.#base >= this.#o.minWriteSamples) this.#commit(upTo);
  }

  /** The call ended at sample `now`: agent audio queued beyond it was never heard; write the rest (silence up to `now`). */
  finish(now: number): void {
    this.#right.truncate(now - this.#base);
    this.#commit(Math.max(now, this.#base + this.#left.length));
  }

  #putAt(channel: Channel, pcm: Int16Array, start: number): void {
    const rel = start - this.#base;
    if (rel >= 0) channel.put(pcm, rel);
    else if (-rel < pcm.length) channel.put(pcm.subarray(-rel), 0); // late: the written part is final
  }

  #commit(upTo: number): void {
    const n = Math.floor(upTo - this.#base);
    if (n <= 0) return;
    const out = Buffer.allocUnsafe(n * 4);
    const [l, r] = [this.#left, this.#right];
    for (let i = 0; i < n; i++) {
      out.writeInt16LE(i < l.length ? l.samples[i]! : 0, i * 4);
      out.writeInt16LE(i < r.length ? r.samples[i]! : 0, i * 4 + 2);
    }
    l.shift(n);
    r.shift(n);
    this.#base += n;
    this.#written += n;
    this.#o.write(out);
  }
}
