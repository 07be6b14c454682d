/**
 * Writes of call records (transcript segments, timeline events, call row changes) that failed
 * are retried, never silently dropped. A failed write stays held by its call's ordered queue
 * (recorder.ts) and is tried again with backoff, so the call's later entries wait behind it and
 * are written once each, in order. What is held is bounded per process (entries and bytes, queued
 * ones included): beyond the bound a new entry is not queued, and an entry still failing after
 * the last retry is given up — both counted as lost (`lost`, shown by GET /health) and reported
 * by the recorder once per call with its count. The call itself never waits for or fails on them.
 */

export interface WriteRetryOptions {
  /** Entries held at most in this process (queued or being retried). Default 1,000. */
  maxEntries?: number;
  /** Their estimated size at most. Default 1 MB. */
  maxBytes?: number;
  /** Waits before each retry; one retry per element. Default 0.2, 1, 3, 10, 30 s. */
  retryDelaysMs?: readonly number[];
  /** How to wait (tests pass a fake). */
  sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_RETRY_DELAYS_MS = [200, 1_000, 3_000, 10_000, 30_000] as const;

/** A place held for one entry; release it once the entry is written or given up. */
export interface HeldEntry {
  release(): void;
}

export class WriteRetryBuffer {
  readonly maxEntries: number;
  readonly maxBytes: number;
  #delays: readonly number[];
  #sleep: (ms: number) => Promise<void>;
  #entries = 0;
  #bytes = 0;
  #lost = 0;

  constructor(options: WriteRetryOptions = {}) {
    this.maxEntries = options.maxEntries ?? 1_000;
    this.maxBytes = options.maxBytes ?? 1_000_000;
    this.#delays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms).unref()));
  }

  /** Entries held now. */
  get held(): number {
    return this.#entries;
  }

  /** Entries lost since the process started (overflow, or still failing after every retry). */
  get lost(): number {
    return this.#lost;
  }

  /** Holds a place for an entry of about `bytes`; null (and counted as lost) when full. */
  hold(bytes: number): HeldEntry | null {
    if (this.#entries + 1 > this.maxEntries || this.#bytes + bytes > this.maxBytes) {
      this.#lost++;
      return null;
    }
    this.#entries++;
    this.#bytes += bytes;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.#entries--;
        this.#bytes -= bytes;
      },
    };
  }

  /**
   * Runs `write`, retrying it with backoff while it fails. Resolves true once written, false
   * when every retry failed (counted as lost; `onError` sees each failure).
   */
  async write(
    write: () => Promise<void>,
    onError: (error: unknown, attempt: number) => void,
  ): Promise<boolean> {
    for (let attempt = 0; ; attempt++) {
      try {
        await write();
        return true;
      } catch (error) {
        onError(error, attempt);
        const delay = this.#delays[attempt];
        if (delay === undefined) {
          this.#lost++;
          return false;
        }
        await this.#sleep(delay);
      }
    }
  }
}

/** The buffer of this process (GET /health reports its `lost`). */
export const processWriteBuffer = new WriteRetryBuffer();

/** Rough size of an entry held in memory: its JSON plus a fixed overhead. */
export function entrySize(value: unknown): number {
  try {
    return 200 + (JSON.stringify(value)?.length ?? 0);
  } catch {
    return 200;
  }
}
