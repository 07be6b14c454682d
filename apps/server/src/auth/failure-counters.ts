/**
 * Counters of failed attempts in a fixed window (login failures per IP and per account). With
 * Redis (REDIS_URL) they are shared by every server process; when Redis fails or is slow the
 * local counters take over, so a limit never turns off because Redis is down.
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../context.ts';

export interface FailureCount {
  count: number;
  /** Milliseconds until the window ends (0 when nothing is counted). */
  resetMs: number;
}

export interface FailureCounters {
  peek(key: string): Promise<FailureCount>;
  /** Counts one failure; the window starts with the first. */
  add(key: string, windowMs: number): Promise<void>;
  clear(key: string): Promise<void>;
}

/** Local entries kept at most (a flood of distinct emails must not grow memory without bound). */
const MAX_LOCAL_KEYS = 100_000;

export class LocalFailureCounters implements FailureCounters {
  #entries = new Map<string, { count: number; resetAt: number }>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  async peek(key: string): Promise<FailureCount> {
    const entry = this.#live(key);
    return entry ? { count: entry.count, resetMs: entry.resetAt - this.#now() } : { count: 0, resetMs: 0 };
  }

  async add(key: string, windowMs: number): Promise<void> {
    const entry = this.#live(key);
    if (entry) {
      entry.count++;
      return;
    }
    if (this.#entries.size >= MAX_LOCAL_KEYS) this.#sweep();
    this.#entries.set(key, { count: 1, resetAt: this.#now() + windowMs });
  }

  async clear(key: string): Promise<void> {
    this.#entries.delete(key);
  }

  #live(key: string) {
    const entry = this.#entries.get(key);
    if (entry && entry.resetAt <= this.#now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  /** Drops expired entries, then the oldest ones if still full. */
  #sweep(): void {
    const now = this.#now();
    for (const [key, entry] of this.#entries) if (entry.resetAt <= now) this.#entries.delete(key);
    for (const key of this.#entries.keys()) {
      if (this.#entries.size < MAX_LOCAL_KEYS) break;
      this.#entries.delete(key);
    }
  }
}

/** How long a Redis command may take before the local counters answer instead. */
const REDIS_TIMEOUT_MS = 250;

export class RedisFailureCounters implements FailureCounters {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #local = new LocalFailureCounters();
  readonly #log: Logger;
  #lastWarnAt = Number.NEGATIVE_INFINITY;

  constructor(redis: Redis, prefix: string, log: Logger) {
    this.#redis = redis;
    this.#prefix = prefix;
    this.#log = log;
  }

  async peek(key: string): Promise<FailureCount> {
    const k = this.#prefix + key;
    return this.#try(
      async () => {
        const [[, count], [, ttl]] = (await this.#redis.multi().get(k).pttl(k).exec()) as [
          [unknown, string | null],
          [unknown, number],
        ];
        return { count: Number(count ?? 0), resetMs: Math.max(ttl, 0) };
      },
      () => this.#local.peek(key),
    );
  }

  async add(key: string, windowMs: number): Promise<void> {
    const k = this.#prefix + key;
    await this.#local.add(key, windowMs);
    await this.#try(
      async () => {
        await this.#redis.multi().set(k, '0', 'PX', windowMs, 'NX').incr(k).exec();
      },
      async () => undefined,
    );
  }

  async clear(key: string): Promise<void> {
    await this.#local.clear(key);
    await this.#try(
      async () => {
        await this.#redis.del(this.#prefix + key);
      },
      async () => undefined,
    );
  }

  async #try<T>(remote: () => Promise<T>, fallback: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        remote(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('redis timeout')), REDIS_TIMEOUT_MS);
        }),
      ]);
    } catch (error) {
      if (Date.now() - this.#lastWarnAt > 60_000) {
        this.#lastWarnAt = Date.now();
        this.#log.warn(
          { err: (error as Error).message },
          'rate-limit counters: Redis unavailable, counting locally',
        );
      }
      return fallback();
    } finally {
      clearTimeout(timer);
    }
  }
}
