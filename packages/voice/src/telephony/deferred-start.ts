/**
 * `on`/`once` for transports without a provider handshake (browser, SIP): their `start` is
 * synthetic and goes out on the microtask after the first `start` listener subscribes, so a
 * session that subscribes late still gets it.
 */
import type { TypedEmitter } from '../emitter.ts';
import type { TelephonyEvents, TelephonyTransport } from '../types.ts';

export class DeferredStart {
  #events: TypedEmitter<TelephonyEvents>;
  #start: () => void;
  #waiting = false;

  /** `start` is the transport's own attempt to start; it calls `wait()` when nobody listens yet. */
  constructor(events: TypedEmitter<TelephonyEvents>, start: () => void) {
    this.#events = events;
    this.#start = start;
  }

  /** No `start` listener yet: try again once one subscribes. */
  wait(): void {
    this.#waiting = true;
  }

  on: TelephonyTransport['on'] = (event, listener) => {
    const off = this.#events.on(event, listener);
    if (event === 'start' && this.#waiting) {
      this.#waiting = false;
      queueMicrotask(() => this.#start());
    }
    return off;
  };

  once: TelephonyTransport['once'] = (event, listener) => {
    let off = () => {};
    off = this.on(event, (payload) => {
      off();
      listener(payload);
    });
    return off;
  };
}
