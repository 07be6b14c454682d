/**
 * A tiny typed event emitter: one payload object per event, snake_case names.
 *
 * Listener exceptions never propagate into the code that emitted (usually a socket callback):
 * they are reported through `onListenerError` (by default re-emitted as an `error` event when
 * the map has one, else dropped).
 */

export type Listener<P> = (payload: P) => void;

/** The read side of an emitter: what adapters and sessions expose publicly. */
export interface EventSource<E extends object> {
  /** Subscribes; returns a function that unsubscribes. */
  on<K extends keyof E>(event: K, listener: Listener<E[K]>): () => void;
  /** Subscribes for one delivery; returns a function that unsubscribes. */
  once<K extends keyof E>(event: K, listener: Listener<E[K]>): () => void;
  off<K extends keyof E>(event: K, listener: Listener<E[K]>): void;
}

export class TypedEmitter<E extends object> implements EventSource<E> {
  /**
   * Listeners per event, copy-on-write: `on` and `off` replace the array, so `emit` (once per
   * audio frame at several layers) iterates a snapshot without copying it, and listeners may
   * subscribe or unsubscribe while it runs.
   */
  #listeners = new Map<keyof E, ReadonlyArray<Listener<never>>>();
  #onListenerError: (error: unknown, event: keyof E) => void;

  constructor(onListenerError?: (error: unknown, event: keyof E) => void) {
    this.#onListenerError = onListenerError ?? (() => {});
  }

  on<K extends keyof E>(event: K, listener: Listener<E[K]>): () => void {
    const current = this.#listeners.get(event) ?? [];
    if (!current.includes(listener as Listener<never>)) {
      // `concat` sizes the new array exactly (a spread reserves spare slots: ~5 KiB per call).
      this.#listeners.set(event, current.concat([listener as Listener<never>]));
    }
    return () => this.off(event, listener);
  }

  once<K extends keyof E>(event: K, listener: Listener<E[K]>): () => void {
    const off = this.on(event, (payload) => {
      off();
      listener(payload);
    });
    return off;
  }

  off<K extends keyof E>(event: K, listener: Listener<E[K]>): void {
    const current = this.#listeners.get(event);
    const at = current?.indexOf(listener as Listener<never>) ?? -1;
    if (current === undefined || at < 0) return;
    const rest = current.slice(0, at).concat(current.slice(at + 1));
    if (rest.length === 0) this.#listeners.delete(event);
    else this.#listeners.set(event, rest);
  }

  /** Number of listeners for an event (tests, and "is anyone listening for error?"). */
  listenerCount(event: keyof E): number {
    return this.#listeners.get(event)?.length ?? 0;
  }

  emit<K extends keyof E>(event: K, payload: E[K]): void {
    const listeners = this.#listeners.get(event);
    if (listeners === undefined) return;
    for (let i = 0; i < listeners.length; i++) {
      try {
        (listeners[i] as Listener<E[K]>)(payload);
      } catch (error) {
        try {
          this.#onListenerError(error, event);
        } catch {
          // A failing error handler must not break the emitter either.
        }
      }
    }
  }

  removeAllListeners(): void {
    this.#listeners.clear();
  }
}
