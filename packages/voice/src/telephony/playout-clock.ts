/**
 * An emulated playout clock for peers that play audio as it arrives and never echo marks (the
 * browser). Each chunk moves the playhead: `playheadAt = max(now, playheadAt) + durationMs`; a
 * mark is due when the playhead passes the point where it was queued. One timer is armed for the
 * earliest pending mark (none per frame); `clear()` hands back every pending mark at once and
 * rewinds the playhead — what Twilio does, so CallSession's barge-in accounting is unchanged.
 */

export interface PlayoutClockOptions {
  /** Clock in ms (default `Date.now`). */
  now?: () => number;
  /** A mark's audio has played. Called from a timer; must not throw (errors are swallowed). */
  onPlayed: (name: string) => void;
}

interface PendingMark {
  name: string;
  dueAt: number;
}

export class PlayoutClock {
  #now: () => number;
  #onPlayed: (name: string) => void;
  #playheadAt = 0;
  #pending: PendingMark[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timerDueAt = 0;
  #stopped = false;

  constructor(options: PlayoutClockOptions) {
    this.#now = options.now ?? Date.now;
    this.#onPlayed = options.onPlayed;
  }

  /** Audio not yet played, ms. */
  get bufferedMs(): number {
    return Math.max(0, this.#playheadAt - this.#now());
  }

  /** Marks queued and not yet played. */
  get pendingMarks(): number {
    return this.#pending.length;
  }

  /** `durationMs` of audio was sent for playback. */
  queued(durationMs: number): void {
    if (this.#stopped || !(durationMs > 0)) return;
    this.#playheadAt = Math.max(this.#now(), this.#playheadAt) + durationMs;
  }

  /** A mark after the audio queued so far; `onPlayed(name)` once that audio has played. */
  mark(name: string): void {
    if (this.#stopped) return;
    this.#pending.push({ name, dueAt: Math.max(this.#now(), this.#playheadAt) });
    if (this.#pending.length === 1) this.#arm();
  }

  /** Playback was dropped: returns every pending mark (oldest first) and rewinds the playhead. */
  clear(): string[] {
    this.#disarm();
    this.#playheadAt = 0;
    return this.#pending.splice(0).map((m) => m.name);
  }

  /** Forgets everything and never calls `onPlayed` again. */
  stop(): void {
    this.#stopped = true;
    this.clear();
  }

  #arm(): void {
    const head = this.#pending[0];
    if (!head) return;
    if (this.#timer !== undefined && this.#timerDueAt === head.dueAt) return;
    this.#disarm();
    this.#timerDueAt = head.dueAt;
    this.#timer = setTimeout(() => this.#fire(), Math.max(0, head.dueAt - this.#now()));
    // Pending marks must not keep a process alive on their own.
    this.#timer.unref?.();
  }

  #disarm(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #fire(): void {
    this.#timer = undefined;
    const now = this.#now();
    while (!this.#stopped) {
      const head = this.#pending[0];
      if (!head || head.dueAt > now) break;
      this.#pending.shift();
      try {
        this.#onPlayed(head.name);
      } catch {
        // The owner reports its own listener errors; a timer callback must never throw.
      }
    }
    // A timer may fire a little early by another clock: the head is simply re-armed.
    if (!this.#stopped) this.#arm();
  }
}
