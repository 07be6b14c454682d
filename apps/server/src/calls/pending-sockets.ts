/**
 * WebSockets accepted but not yet admitted (a media stream before its `start`, a browser call
 * during its checks) cost a file descriptor and memory and prove nothing yet. They are capped
 * overall and per client IP (PENDING_SOCKETS_MAX, PENDING_SOCKETS_PER_IP), and one that is not
 * admitted within the start timeout (STREAM_START_TIMEOUT_S) is closed. Per process; a socket
 * over the cap is closed at once with 1013 (try again later).
 */
import type { Logger } from '../context.ts';

/** The part of a `ws` WebSocket this needs. */
export interface GuardedSocket {
  close(code?: number, reason?: string): void;
  terminate?(): void;
  once(event: 'close', listener: () => void): unknown;
}

export interface PendingHold {
  /** The socket was admitted, refused or closed: it no longer counts, and its timer stops. */
  settle(): void;
}

export interface PendingLimits {
  max: number;
  perIp: number;
  timeoutMs: number;
}

/** Close code for "not admitted in time" (application range). */
export const START_TIMEOUT_CLOSE = 4408;
/** Grace for the closing handshake before the TCP connection is dropped. */
const TERMINATE_AFTER_MS = 1000;

export class PendingSockets {
  #total = 0;
  #perIp = new Map<string, number>();
  readonly #limits: PendingLimits;
  readonly #log: Logger;

  constructor(limits: PendingLimits, log: Logger) {
    this.#limits = limits;
    this.#log = log;
  }

  get size(): number {
    return this.#total;
  }

  /** Counts the socket as pending, or closes it (1013) and returns null when a cap is reached. */
  hold(socket: GuardedSocket, ip: string): PendingHold | null {
    const fromIp = this.#perIp.get(ip) ?? 0;
    if (this.#total >= this.#limits.max || fromIp >= this.#limits.perIp) {
      this.#log.warn({ pending: this.#total, fromIp }, 'websocket refused: too many pending sockets');
      socket.close(1013, 'too many pending connections');
      return null;
    }
    this.#total++;
    this.#perIp.set(ip, fromIp + 1);
    let settled = false;
    const timer = setTimeout(() => {
      this.#log.warn('websocket closed: not admitted within the start timeout');
      settle();
      socket.close(START_TIMEOUT_CLOSE, 'start timeout');
      setTimeout(() => socket.terminate?.(), TERMINATE_AFTER_MS).unref();
    }, this.#limits.timeoutMs);
    timer.unref();
    const settle = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      this.#total--;
      const left = (this.#perIp.get(ip) ?? 1) - 1;
      if (left > 0) this.#perIp.set(ip, left);
      else this.#perIp.delete(ip);
    };
    socket.once('close', settle);
    return { settle };
  }
}
