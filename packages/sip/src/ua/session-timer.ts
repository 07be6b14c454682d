/**
 * Session timers (RFC 4028): a call whose refreshes stop is presumed dead. When the peer is the
 * refresher we expect a re-INVITE or UPDATE before the interval runs out (less min(32 s, ⅓)) and
 * hang up otherwise; when we are, we refresh at half the interval.
 */
import { parseParams } from '../message/headers.ts';
import type { SipMessage } from '../message/message.ts';

export const DEFAULT_SESSION_EXPIRES_S = 1800;
export const MIN_SE_S = 90;

export interface SessionExpires {
  intervalS: number;
  refresher?: 'uac' | 'uas';
}

export function parseSessionExpires(message: SipMessage): SessionExpires | undefined {
  const value = message.headers.get('session-expires');
  if (!value) return undefined;
  const match = /^\s*(\d{1,7})\s*(;.*)?$/.exec(value);
  if (!match) return undefined;
  const refresher = parseParams((match[2] ?? '').replace(/^;/, ''))
    .get('refresher')
    ?.toLowerCase();
  const result: SessionExpires = { intervalS: Number(match[1]) };
  if (refresher === 'uac' || refresher === 'uas') result.refresher = refresher;
  return result;
}

export function supportsOption(message: SipMessage, option: string): boolean {
  return [...message.headers.list('supported'), ...message.headers.list('require')].some(
    (o) => o.trim().toLowerCase() === option,
  );
}

export class SessionTimer {
  #timer: ReturnType<typeof setTimeout> | undefined;
  #intervalMs: number;
  #weRefresh: boolean;
  #refresh: () => Promise<void>;
  #expire: () => void;
  #stopped = false;

  constructor(options: {
    intervalS: number;
    weRefresh: boolean;
    refresh: () => Promise<void>;
    expire: () => void;
  }) {
    this.#intervalMs = options.intervalS * 1000;
    this.#weRefresh = options.weRefresh;
    this.#refresh = options.refresh;
    this.#expire = options.expire;
    this.#arm();
  }

  get weRefresh(): boolean {
    return this.#weRefresh;
  }

  /** The session was refreshed (by either side). */
  refreshed(): void {
    this.#arm();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  #arm(): void {
    if (this.#stopped) return;
    clearTimeout(this.#timer);
    if (this.#weRefresh) {
      this.#timer = setTimeout(() => {
        void this.#refresh().then(
          () => this.#arm(),
          () => this.#expire(),
        );
      }, this.#intervalMs / 2);
    } else {
      const margin = Math.min(32_000, this.#intervalMs / 3);
      this.#timer = setTimeout(() => this.#expire(), this.#intervalMs - margin);
    }
    this.#timer.unref?.();
  }
}
