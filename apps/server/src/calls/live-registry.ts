/**
 * Calls running in this process. A Twilio media stream stays on the process that accepted it,
 * so call control (hang up from the dashboard) is done by whichever process holds the call;
 * other processes fall back to the Twilio REST API.
 */
export interface LiveCallHandle {
  organizationId: string;
  /** Ends the call (Twilio REST hang-up, or closing a browser socket). */
  hangup(reason: string): Promise<void>;
  /**
   * Makes the agent speak now (CallSession.say): resolves true once it was played, false when
   * the call is not live. `interrupt` (default true) cuts what is playing; `last` ends turn-taking.
   */
  say?(instructions: string, opts?: { interrupt?: boolean; last?: boolean }): Promise<boolean>;
  /** Speaks the agent's voicemail message; resolves once it was played, while the hang-up follows. */
  leaveVoicemail?(opts?: { interrupt?: boolean }): Promise<void>;
  /** The outbound call's answering-machine-detection result (`human`, `machine_end_beep`, …). */
  answeredBy?(value: string): void;
  /** Resolves once the writes of the call's record queued so far are done. */
  flushed?(): Promise<void>;
}

/** How long a webhook waits at most for a call's pending writes. */
const FLUSH_WAIT_MS = 5_000;

export class LiveCallRegistry {
  #calls = new Map<string, LiveCallHandle>();

  add(callId: string, handle: LiveCallHandle): () => void {
    this.#calls.set(callId, handle);
    return () => {
      if (this.#calls.get(callId) === handle) this.#calls.delete(callId);
    };
  }

  /** The call when it runs here and belongs to the organization. */
  get(organizationId: string, callId: string): LiveCallHandle | undefined {
    const handle = this.#calls.get(callId);
    return handle?.organizationId === organizationId ? handle : undefined;
  }

  /**
   * Waits for the pending record writes of a call running (or finishing) in this process, so a
   * Twilio webhook about it is applied after what its stream already recorded.
   */
  async flushed(organizationId: string, callId: string, timeoutMs = FLUSH_WAIT_MS): Promise<void> {
    const flushed = this.get(organizationId, callId)?.flushed?.();
    if (!flushed) return;
    // Writes being retried (the database is failing) do not hold a webhook longer than this.
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([flushed, waited]);
    clearTimeout(timer);
  }

  /** Every call running here, with what it can do. */
  entries(): Array<[string, LiveCallHandle]> {
    return [...this.#calls.entries()];
  }

  get size(): number {
    return this.#calls.size;
  }

  ids(): string[] {
    return [...this.#calls.keys()];
  }

  /**
   * Resolves when no call is left (each call leaves after its record is flushed), or after
   * `timeoutMs`. Shutdown uses it so closing the database never cuts a call's final write.
   */
  async drain(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.#calls.size > 0) {
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return true;
  }
}
