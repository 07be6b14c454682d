/**
 * Brute-force protection for POST /api/auth/login, checked before any argon2 work: failed
 * attempts are counted per client IP (across every email) and per account (the normalized email,
 * known or not, so a refusal reveals nothing), each in a window (LOGIN_FAILURE_WINDOW_S); over a
 * limit the answer is 429 with Retry-After until the window ends. Password checks run through a
 * small semaphore (LOGIN_CONCURRENCY): when every slot is busy the answer is 429 at once, so a
 * flood cannot queue argon2 work and slow real sign-ins. A success clears the account's count.
 */

import type { Redis } from 'ioredis';
import type { Logger } from '../context.ts';
import { AppError } from '../errors.ts';
import { type FailureCounters, LocalFailureCounters, RedisFailureCounters } from './failure-counters.ts';

export interface LoginLimits {
  failuresPerIp: number;
  failuresPerAccount: number;
  windowMs: number;
  concurrency: number;
}

/** A 429 with the seconds to wait (the route sets Retry-After from it). */
export class LoginRefused extends AppError {
  readonly retryAfterS: number;
  constructor(message: string, retryAfterS: number) {
    super('rate_limited', message);
    this.retryAfterS = retryAfterS;
  }
}

export class LoginGuard {
  readonly #limits: LoginLimits;
  readonly #counters: FailureCounters;
  #running = 0;

  constructor(limits: LoginLimits, options: { redis?: Redis | undefined; prefix?: string; log: Logger }) {
    this.#limits = limits;
    this.#counters = options.redis
      ? new RedisFailureCounters(options.redis, options.prefix ?? 'switchboard:login-failures:', options.log)
      : new LocalFailureCounters();
  }

  /**
   * Runs `check` (the password verification) when no limit is reached; counts a failure when it
   * returns false. Throws LoginRefused (429) without running it otherwise.
   */
  async attempt<T extends { ok: boolean }>(ip: string, email: string, check: () => Promise<T>): Promise<T> {
    const keys = { ip: `ip:${ip}`, account: `account:${email.trim().toLowerCase().slice(0, 254)}` };
    const [byIp, byAccount] = await Promise.all([
      this.#counters.peek(keys.ip),
      this.#counters.peek(keys.account),
    ]);
    const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));
    if (byIp.count >= this.#limits.failuresPerIp) {
      throw new LoginRefused(
        'Too many failed sign-ins from this address; try again later',
        seconds(byIp.resetMs),
      );
    }
    if (byAccount.count >= this.#limits.failuresPerAccount) {
      throw new LoginRefused(
        'Too many failed sign-ins for this account; try again later',
        seconds(byAccount.resetMs),
      );
    }
    if (this.#running >= this.#limits.concurrency) {
      throw new LoginRefused('The server is busy checking other sign-ins; try again in a moment', 1);
    }
    this.#running++;
    let result: T;
    try {
      result = await check();
    } finally {
      this.#running--;
    }
    if (result.ok) await this.#counters.clear(keys.account);
    else
      await Promise.all([
        this.#counters.add(keys.ip, this.#limits.windowMs),
        this.#counters.add(keys.account, this.#limits.windowMs),
      ]);
    return result;
  }
}
