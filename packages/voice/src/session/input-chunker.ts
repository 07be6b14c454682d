/**
 * Caller audio on its way to the model, in chunks of at least `chunkMs` (docs/realtime.md#caller-audio-chunks).
 * A phone sends a frame every 20 ms; forwarding each one costs a WebSocket frame and a socket
 * write to the model per frame. Joining two frames halves those writes for at most one frame's
 * wait (20 ms). A frame held alone is sent after `chunkMs` at the latest, so audio never waits
 * on the next frame; frames of another format, or already `chunkMs` long, go at once. The audio
 * and its order are unchanged: only the framing differs. `chunkMs` ≤ 20 forwards every frame as
 * it comes.
 */
import { type AudioFormat, base64DurationMs, sameFormat } from '@switchboard/audio';

export interface InputChunkerOptions {
  /** Smallest chunk sent (ms of audio) and the longest a frame waits for company. */
  chunkMs: number;
  send(base64: string, format: AudioFormat): void;
}

export class InputChunker {
  #o: InputChunkerOptions;
  #held: string[] = [];
  #heldMs = 0;
  #format: AudioFormat | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: InputChunkerOptions) {
    this.#o = options;
  }

  push(base64: string, format: AudioFormat): void {
    if (this.#format !== undefined && !sameFormat(this.#format, format)) this.flush();
    const ms = base64DurationMs(base64, format);
    if (this.#held.length === 0 && ms >= this.#o.chunkMs) {
      this.#o.send(base64, format);
      return;
    }
    this.#held.push(base64);
    this.#heldMs += ms;
    this.#format = format;
    if (this.#heldMs >= this.#o.chunkMs) this.flush();
    else if (this.#timer === undefined) this.#timer = setTimeout(() => this.flush(), this.#o.chunkMs);
  }

  /** Sends what is held now, as one chunk. */
  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const held = this.#held;
    const format = this.#format;
    if (held.length === 0 || format === undefined) return;
    this.#held = [];
    this.#heldMs = 0;
    this.#o.send(held.length === 1 ? (held[0] as string) : joinBase64(held), format);
  }

  /** Drops what is held (the call ended) and stops the timer. */
  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#held = [];
    this.#heldMs = 0;
  }
}

/** One base64 string for the bytes of several (each may end in padding, so decode and re-encode). */
export function joinBase64(parts: readonly string[]): string {
  let capacity = 0;
  for (const part of parts) capacity += (part.length * 3) >> 2;
  const bytes = Buffer.allocUnsafe(capacity);
  let length = 0;
  for (const part of parts) length += bytes.write(part, length, 'base64');
  return bytes.toString('base64', 0, length);
}
