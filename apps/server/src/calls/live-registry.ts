/**
 * Calls running in this process. A Twilio media stream stays on the process that accepted it,
 * so call control (hang up from the dashboard) is done by whichever process holds the call;
 * other processes fall back to the Twilio REST API.
 */
export interface LiveCallHandle {
  organizationId: string;
  /** Ends the call (Twilio REST hang-up, or closing a browser socket). */
  hangup(reason: string): Promise<void>;
}

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

  get size(): number {
    return this.#calls.size;
  }

  ids(): string[] {
    return [...this.#calls.keys()];
  }
}
