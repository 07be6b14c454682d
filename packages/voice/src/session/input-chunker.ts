/**
 * Caller audio on its way to the model, in chunks of at least `chunkMs` (docs/realtime.md#caller-audio-chunks).
 * A phone sends a frame every 20 ms; forwarding each one costs a WebSocket frame and a socket
 * write to the model per frame. Joining two frames halves those writes for at most one frame's
 * wait (20 ms). Frames of another format, or already `chunkMs` long, go at once; the audio and
 * its order are unchanged, only the framing differs. `chunkMs` ≤ 20 forwards every frame as it
 * comes.
 *
 * A frame left alone (the stream paused) is sent by a sweep that every live chunker in the
 * process shares, once it has waited `chunkMs`: one interval for the process rather than a timer
 * set and cleared per held frame (1,250 a second at 50 calls).
 */
import { type AudioFormat, base64DurationMs, sameFormat } from '@switchboard/audio';

export interface InputChunkerOptions {
  /** Smallest chunk sent (ms of audio), and about the longest a frame waits for company. */
  chunkMs: number;
  send(base64: string, format: AudioFormat): void;
}

/** How often the shared sweep looks for frames left alone, ms. */
export const SWEEP_MS = 10;

export class InputChunker {
  #o: InputChunkerOptions;
  #held: string[] = [];
  #heldMs = 0;
  #heldSince = 0;
  #format: AudioFormat | undefined;
  #stopped = false;

  constructor(options: InputChunkerOptions) {
    this.#o = options;
    if (options.chunkMs > 0) sweep.add(this);
  }

  push(base64: string, format: AudioFormat): void {
    if (this.#stopped) return;
    if (this.#o.chunkMs <= 0) {
      this.#o.send(base64, format); // off (the default): no per-frame work beyond the send
      return;
    }
    if (this.#format !== undefined && !sameFormat(this.#format, format)) this.flush();
    const ms = base64DurationMs(base64, format);
    if (this.#held.length === 0 && ms >= this.#o.chunkMs) {
      this.#o.send(base64, format);
      return;
    }
    if (this.#held.length === 0) this.#heldSince = Date.now();
    this.#held.push(base64);
    this.#heldMs += ms;
    this.#format = format;
    if (this.#heldMs >= this.#o.chunkMs) this.flush();
  }

  /** Sends what is held now, as one chunk. */
  flush(): void {
    const held = this.#held;
    const format = this.#format;
    if (held.length === 0 || format === undefined) return;
    this.#held = [];
    this.#heldMs = 0;
    this.#o.send(held.length === 1 ? (held[0] as string) : joinBase64(held), format);
  }

  /** The sweep: sends what has waited long enough (a deadline at most one sweep early). */
  flushIfWaited(now: number): void {
    if (this.#held.length > 0 && now - this.#heldSince >= this.#o.chunkMs - SWEEP_MS) this.flush();
  }

  /** Drops what is held (the call ended) and leaves the sweep. Idempotent. */
  stop(): void {
    this.#stopped = true;
    this.#held = [];
    this.#heldMs = 0;
    sweep.delete(this);
  }
}

/** One interval for every live chunker of the process, running only while there is one. */
const sweep = (() => {
  const live = new Set<InputChunker>();
  let timer: ReturnType<typeof setInterval> | undefined;
  const run = () => {
    const now = Date.now();
    for (const chunker of live) chunker.flushIfWaited(now);
  };
  return {
    add(chunker: InputChunker): void {
      live.add(chunker);
      if (timer === undefined) {
        timer = setInterval(run, SWEEP_MS);
        timer.unref?.();
      }
    },
    delete(chunker: InputChunker): void {
      live.delete(chunker);
      if (live.size === 0 && timer !== undefined) {
        clearInterval(timer);
        timer = undefined;
      }
    },
  };
})();

/** One base64 string for the bytes of several (each may end in padding, so decode and re-encode). */
export function joinBase64(parts: readonly string[]): string {
  let capacity = 0;
  for (const part of parts) capacity += (part.length * 3) >> 2;
  const bytes = Buffer.allocUnsafe(capacity);
  let length = 0;
  for (const part of parts) length += bytes.write(part, length, 'base64');
  return bytes.toString('base64', 0, length);
}
