/**
 * Silence handling, kept deliberately simple: when the call is idle (caller not speaking, agent
 * not speaking or generating, no tool running) for `timeoutMs`, the agent prompts once; if the
 * call stays idle for another `timeoutMs` after the prompt was played, it hangs up. "Caller
 * speech" is the model's VAD (`speech_started`) — audio is passed through, never decoded — and
 * a key press counts as activity too.
 */
export interface SilenceWatchOptions {
  /** First expiry. */
  onPrompt: () => void;
  /** Second expiry without activity in between. */
  onTimeout: () => void;
}

export class SilenceWatch {
  #options: SilenceWatchOptions;
  #timeoutMs = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #prompted = false;

  constructor(options: SilenceWatchOptions) {
    this.#options = options;
  }

  /** Sets the timeout, ms (0 disables). */
  configure(timeoutMs: number): void {
    this.#timeoutMs = Math.max(0, timeoutMs);
  }

  /** Arms the timer when the call became idle; disarms it otherwise. Cheap to call often. */
  update(idle: boolean): void {
    if (!idle || this.#timeoutMs === 0) {
      this.stop();
    } else if (this.#timer === undefined) {
      this.#timer = setTimeout(() => this.#expire(), this.#timeoutMs);
    }
  }

  /** The caller did something (spoke, pressed a key): forget the prompt, restart the clock. */
  activity(idle: boolean): void {
    this.#prompted = false;
    this.stop();
    this.update(idle);
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #expire(): void {
    this.#timer = undefined;
    if (this.#prompted) {
      this.#options.onTimeout();
      return;
    }
    this.#prompted = true;
    this.#options.onPrompt();
  }
}
