import { performance } from 'node:perf_hooks';

/** µ-law 8 kHz: 8 bytes per millisecond. */
const BYTES_PER_MS = 8;

export type PlayoutMode = 'realtime' | 'instant';

/** Whole bytes played in `ms`; the epsilon absorbs floating-point dust from clock arithmetic. */
function bytesUntil(ms: number): number {
  return Math.floor(ms * BYTES_PER_MS + 1e-6);
}

/**
 * Twilio's outbound playback queue (docs/telephony.md#frame-size-and-pacing): media plays in order
 * at 8000 bytes/s; a mark is echoed when everything queued before it has played; `clear` drops the
 * queue and echoes every pending mark at once. Playback position is computed from the clock, so
 * there is no per-frame timer — only one timer for the next pending mark.
 *
 * `instant` mode plays everything the moment it arrives (for tests that don't want real time).
 */
export class Playout {
  readonly mode: PlayoutMode;
  #onMark: (name: string, cleared: boolean) => void;
  #played: Buffer[] = [];
  #playedBytes = 0;
  /** Queued segments, contiguous: each starts when the previous ends. */
  #segments: Array<{ bytes: Buffer; startAt: number }> = [];
  #marks: Array<{ name: string; dueAt: number }> = [];
  #tailAt = 0;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(mode: PlayoutMode, onMark: (name: string, cleared: boolean) => void) {
    this.mode = mode;
    this.#onMark = onMark;
  }

  enqueueMedia(bytes: Buffer, now = performance.now()): void {
    if (this.#closed || bytes.length === 0) return;
    if (this.mode === 'instant') {
      this.#pushPlayed(bytes);
      return;
    }
    this.#settle(now);
    const startAt = Math.max(now, this.#tailAt);
    this.#segments.push({ bytes, startAt });
    this.#tailAt = startAt + bytes.length / BYTES_PER_MS;
  }

  enqueueMark(name: string, now = performance.now()): void {
    if (this.#closed) return;
    const dueAt = this.mode === 'instant' ? now : Math.max(now, this.#tailAt);
    if (dueAt <= now && this.#marks.length === 0) {
      this.#onMark(name, false);
      return;
    }
    this.#marks.push({ name, dueAt });
    this.#schedule(now);
  }

  /** Drop queued audio; echo pending marks (flagged `cleared`). Returns their names. */
  clear(now = performance.now()): string[] {
    this.#settle(now);
    const head = this.#segments[0];
    if (head && now > head.startAt) {
      this.#pushPlayed(head.bytes.subarray(0, bytesUntil(now - head.startAt)));
    }
    this.#segments = [];
    this.#tailAt = now;
    const names = this.#marks.map((m) => m.name);
    this.#marks = [];
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const name of names) this.#onMark(name, true);
    return names;
  }

  /** All audio actually played out so far. */
  heard(now = performance.now()): Buffer {
    this.#settle(now);
    const head = this.#segments[0];
    const parts = [...this.#played];
    if (head && now > head.startAt) {
      parts.push(head.bytes.subarray(0, bytesUntil(now - head.startAt)));
    }
    return Buffer.concat(parts);
  }

  /** Milliseconds of audio played so far. */
  playedMs(now = performance.now()): number {
    this.#settle(now);
    const head = this.#segments[0];
    const partial = head && now > head.startAt ? Math.min(now - head.startAt, head.bytes.length / 8) : 0;
    return this.#playedBytes / BYTES_PER_MS + partial;
  }

  /** Milliseconds of audio still queued (what a `clear` would discard). */
  bufferedMs(now = performance.now()): number {
    return this.mode === 'instant' ? 0 : Math.max(0, this.#tailAt - now);
  }

  /** Names of marks not yet echoed. */
  pendingMarks(): string[] {
    return this.#marks.map((m) => m.name);
  }

  /** Stop timers; pending marks are never echoed (the call is over). */
  close(): void {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #pushPlayed(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.#played.push(bytes);
    this.#playedBytes += bytes.length;
  }

  #settle(now: number): void {
    while (this.#segments.length > 0) {
      const head = this.#segments[0];
      if (!head || head.startAt + head.bytes.length / BYTES_PER_MS > now) break;
      this.#pushPlayed(head.bytes);
      this.#segments.shift();
    }
  }

  #schedule(now: number): void {
    if (this.#timer || this.#marks.length === 0 || this.#closed) return;
    const dueAt = this.#marks[0]?.dueAt ?? now;
    this.#timer = setTimeout(this.#fire, Math.max(1, dueAt - now));
  }

  #fire = (): void => {
    this.#timer = undefined;
    const now = performance.now();
    // Timers have 1 ms resolution: accept marks due within the next millisecond.
    while (this.#marks.length > 0 && (this.#marks[0]?.dueAt ?? 0) <= now + 1) {
      const mark = this.#marks.shift();
      if (mark) this.#onMark(mark.name, false);
    }
    this.#schedule(now);
  };
}
