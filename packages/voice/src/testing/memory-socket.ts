/**
 * An in-memory {@link SocketLike} pair for tests: what one end sends, the other receives on a
 * later microtask (as with a real socket, never synchronously inside `send`).
 */
import type { SocketLike } from '../types.ts';

type AnyListener = (...args: never[]) => void;
type Call = (...args: unknown[]) => void;

export class MemorySocket implements SocketLike {
  readyState = 1;
  bufferedAmount = 0;
  /** Every text frame this end sent, in order. */
  readonly sent: string[] = [];
  #peer: MemorySocket | undefined;
  #listeners = new Map<string, AnyListener[]>();

  /** Links two ends; prefer {@link createSocketPair}. */
  static link(a: MemorySocket, b: MemorySocket): void {
    a.#peer = b;
    b.#peer = a;
  }

  send(data: string): void {
    if (this.readyState !== 1) return;
    this.sent.push(data);
    const peer = this.#peer;
    queueMicrotask(() => peer?.receive(data, false));
  }

  close(code = 1005, reason = ''): void {
    if (this.readyState >= 2) return;
    this.readyState = 3;
    const peer = this.#peer;
    queueMicrotask(() => {
      this.#fire('close', code, Buffer.from(reason));
      if (peer && peer.readyState < 2) {
        peer.readyState = 3;
        peer.#fire('close', code, Buffer.from(reason));
      }
    });
  }

  on(event: 'message' | 'close' | 'error', listener: AnyListener): this {
    const list = this.#listeners.get(event) ?? [];
    list.push(listener);
    this.#listeners.set(event, list);
    return this;
  }

  /** Delivers a frame to this end's `message` listeners (used by the peer, or to inject junk). */
  receive(data: unknown, isBinary: boolean): void {
    if (this.readyState !== 1) return;
    this.#fire('message', data, isBinary);
  }

  /** Fires `error` on this end, as a network failure would. */
  fail(error: Error): void {
    this.#fire('error', error);
  }

  #fire(event: string, ...args: unknown[]): void {
    for (const listener of this.#listeners.get(event) ?? []) (listener as Call)(...args);
  }
}

/** Two linked ends: `[server, client]` — hand `server` to the code under test. */
export function createSocketPair(): [MemorySocket, MemorySocket] {
  const a = new MemorySocket();
  const b = new MemorySocket();
  MemorySocket.link(a, b);
  return [a, b];
}

/** Lets queued microtask deliveries (and their replies) run. */
export async function flushMicrotasks(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
}
