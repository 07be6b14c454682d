/**
 * `CallSession.say` requests. Each waits for its model response to start (first in, first
 * served: the model answers response requests in order), then for that response to play out.
 */
export class SayRequests {
  #waiting: Array<() => void> = [];
  #byResponse = new Map<string, () => void>();

  /** A new request: resolves true once its response has played, or when the call ends. */
  add(): Promise<boolean> {
    return new Promise((resolve) => this.#waiting.push(() => resolve(true)));
  }

  /** A response started: the oldest waiting request owns it. */
  started(responseId: string): void {
    const settle = this.#waiting.shift();
    if (settle) this.#byResponse.set(responseId, settle);
  }

  /** A response was generated: its request's resolver (call it once it has played), if any. */
  done(responseId: string): (() => void) | undefined {
    const settle = this.#byResponse.get(responseId);
    this.#byResponse.delete(responseId);
    return settle;
  }

  /** The call ended: every request resolves. */
  releaseAll(): void {
    for (const settle of [...this.#waiting.splice(0), ...this.#byResponse.values()]) settle();
    this.#byResponse.clear();
  }
}
