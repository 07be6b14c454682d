import { Pacer } from '../util/pacer.ts';

/** One Twilio media frame: 20 ms of µ-law = 160 bytes. */
export const FRAME_BYTES = 160;
export const FRAME_MS = 20;
const SILENT_FRAME = Buffer.alloc(FRAME_BYTES, 0xff);

/**
 * Caller → server audio as Twilio emits it: 160-byte frames, one per 20 ms slot on a
 * drift-free grid; `timestamp` = slot × 20 ms since the stream started. With `continuous`
 * the grid never stops (silence frames fill gaps, like a real call); otherwise it idles when
 * the queue is empty and re-joins the grid at the current time.
 */
export class InboundAudio {
  #send: (frame: Buffer, timestampMs: number) => void;
  #continuous: boolean;
  #pacer: Pacer | null;
  #queue: Buffer[] = [];
  #head = 0;
  #slot = 0;
  #enqueued = 0;
  #sent = 0;
  #waiters: Array<{ until: number; resolve: () => void }> = [];

  constructor(opts: {
    realtime: boolean;
    continuous: boolean;
    send: (frame: Buffer, timestampMs: number) => void;
  }) {
    this.#send = opts.send;
    this.#continuous = opts.realtime && opts.continuous;
    this.#pacer = opts.realtime ? new Pacer(FRAME_MS, (slot) => this.#tick(slot)) : null;
  }

  /** Queued frames sent so far (automatic silence not counted). */
  get framesSent(): number {
    return this.#sent;
  }

  /** Milliseconds of queued caller audio not yet sent. */
  get queuedMs(): number {
    return (this.#queue.length - this.#head) * FRAME_MS;
  }

  /** Start the 20 ms grid (call once, when the `start` message has gone out). */
  start(): void {
    this.#pacer?.start();
  }

  /**
   * Queue audio; resolves when its last frame has been sent. A partial last frame is padded with
   * µ-law silence (Twilio always sends 160 bytes). `paced: false` sends everything now.
   */
  push(mulaw: Uint8Array, paced: boolean): Promise<void> {
    const bytes = Buffer.from(mulaw.buffer, mulaw.byteOffset, mulaw.byteLength);
    for (let off = 0; off < bytes.length; off += FRAME_BYTES) {
      let frame = bytes.subarray(off, off + FRAME_BYTES);
      if (frame.length < FRAME_BYTES) frame = Buffer.concat([frame, SILENT_FRAME.subarray(frame.length)]);
      this.#queue.push(frame);
      this.#enqueued++;
    }
    const done = new Promise<void>((resolve) => this.#waiters.push({ until: this.#enqueued, resolve }));
    if (!paced || !this.#pacer) this.#flush();
    else this.#pacer.resume();
    this.#settle();
    return done;
  }

  /** Stop sending; pending `push` promises resolve (the call is over). */
  stop(): void {
    this.#pacer?.stop();
    this.#queue = [];
    this.#head = 0;
    for (const w of this.#waiters) w.resolve();
    this.#waiters = [];
  }

  #tick(slot: number): boolean {
    const frame = this.#next() ?? (this.#continuous ? SILENT_FRAME : undefined);
    if (!frame) return false;
    this.#slot = slot + 1;
    this.#send(frame, slot * FRAME_MS);
    this.#settle();
    return true;
  }

  #flush(): void {
    let slot = Math.max(this.#slot, this.#pacer?.slot ?? 0, this.#pacer?.wallSlot() ?? 0);
    for (let frame = this.#next(); frame; frame = this.#next()) {
      this.#send(frame, slot * FRAME_MS);
      slot++;
    }
    this.#slot = slot;
    this.#pacer?.advanceTo(slot);
  }

  #next(): Buffer | undefined {
    if (this.#head >= this.#queue.length) return undefined;
    const frame = this.#queue[this.#head++];
    this.#sent++;
    if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
    return frame;
  }

  #settle(): void {
    while (this.#waiters.length > 0 && (this.#waiters[0]?.until ?? 0) <= this.#sent)
      this.#waiters.shift()?.resolve();
  }
}
