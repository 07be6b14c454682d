/**
 * Wakes this process's workers when work it knows about falls due, so the queue need not poll
 * every second to find deferred jobs and retries. Sending a job already wakes workers through
 * LISTEN/NOTIFY; what NOTIFY cannot tell is when a job deferred by `delaySeconds`/`startAfter`,
 * or a failed attempt's retry, becomes due. This process knows both for the jobs it sent or ran,
 * so it sets a timer and wakes the kind's worker then. Polling stays as a backstop (jobs another
 * process deferred, the random part of backoff), every `backstopIntervalMs` (docs/jobs.md).
 *
 *   const wake = new WakeTimers((workerId) => boss.notifyWorker(workerId));
 *   wake.addWorker('campaign.dialer-tick', workerId);
 *   wake.after('campaign.dialer-tick', 1_000);
 */
import type { JobWithMetadata } from 'pg-boss';

/** Fired a little after the due time: the database's clock may lag this process's. */
const MARGIN_MS = 50;
/** Longer delays are left to the backstop poll (and setTimeout's 32-bit limit). */
const MAX_DELAY_MS = 6 * 60 * 60 * 1000;

export class WakeTimers {
  readonly #notify: (workerId: string) => void;
  readonly #workers = new Map<string, string[]>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #stopped = false;

  constructor(notify: (workerId: string) => void) {
    this.#notify = notify;
  }

  /** A worker of this kind runs in this process (the id `boss.work` answered). */
  addWorker(name: string, workerId: string): void {
    const ids = this.#workers.get(name) ?? [];
    ids.push(workerId);
    this.#workers.set(name, ids);
  }

  /**
   * Wakes the kind's workers in this process `delayMs` from now (no-op without a worker here). With
   * `remainingMs`, asks it first how long is still left (e.g. a retry's recorded start, which
   * includes backoff's random part) and waits that much more when it is in the future.
   */
  after(name: string, delayMs: number, remainingMs?: () => Promise<number | undefined>, rearms = 5): void {
    if (this.#stopped || !this.#workers.has(name) || !(delayMs >= 0) || delayMs > MAX_DELAY_MS) return;
    const timer = setTimeout(async () => {
      this.#timers.delete(timer);
      if (this.#stopped) return;
      const left = remainingMs ? await remainingMs().catch(() => undefined) : undefined;
      if (left !== undefined && left > 0 && rearms > 0) {
        this.after(name, left, remainingMs, rearms - 1);
        return;
      }
      if (this.#stopped) return;
      for (const id of this.#workers.get(name) ?? []) this.#notify(id);
    }, delayMs + MARGIN_MS);
    timer.unref();
    this.#timers.add(timer);
  }

  /** Timers waiting (for tests and diagnostics). */
  get pending(): number {
    return this.#timers.size;
  }

  stop(): void {
    this.#stopped = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }
}

/** The delay, ms, a `send` asked for: `delaySeconds` or a `startAfter` date; undefined when none. */
export function sendDelayMs(startAfter: Date | number | undefined, now = Date.now()): number | undefined {
  if (startAfter === undefined) return undefined;
  return typeof startAfter === 'number' ? startAfter * 1000 : startAfter.getTime() - now;
}

/**
 * The earliest a failed attempt's retry can start, ms from now, as pg-boss computes it: the retry
 * delay, or with backoff between delay·2ⁿ and delay·2ⁿ⁺¹ (random), capped by `retryDelayMax`.
 * Undefined when no retry is left.
 */
export function earliestRetryMs(job: JobWithMetadata<unknown>): number | undefined {
  if (job.retryCount >= job.retryLimit) return undefined;
  if (!job.retryBackoff) return job.retryDelay * 1000;
  const base = Math.max(job.retryDelay, 1) * 2 ** Math.min(16, job.retryCount);
  const capped =
    job.retryDelayMax !== undefined && job.retryDelayMax !== null ? Math.min(base, job.retryDelayMax) : base;
  return capped * 1000;
}
