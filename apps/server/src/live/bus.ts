/**
 * Live events for the dashboard (call status, transcript lines, timeline events), scoped by
 * organization. In one process this is an in-memory emitter; with REDIS_URL the events also
 * cross processes (redis-bus.ts), so a dashboard connected to any process sees every call.
 */
import { EventEmitter } from 'node:events';
import type { Call, CallEvent } from '@switchboard/shared';

export type LiveEvent =
  | { type: 'call.updated'; call: Call }
  | {
      type: 'call.transcript';
      callId: string;
      role: 'user' | 'assistant' | 'system';
      text: string;
      atMs: number;
    }
  | { type: 'call.event'; callId: string; event: CallEvent };

export type LiveListener = (event: LiveEvent) => void;

export interface LiveBus {
  publish(organizationId: string, event: LiveEvent): void;
  /** Returns the unsubscribe function. */
  subscribe(organizationId: string, listener: LiveListener): () => void;
  close(): Promise<void>;
}

/** Delivers to local subscribers; the Redis bus reuses it for messages from other processes. */
export class LocalBus implements LiveBus {
  #emitter = new EventEmitter();

  constructor() {
    // One listener per open dashboard tab; there is no leak to warn about.
    this.#emitter.setMaxListeners(0);
  }

  publish(organizationId: string, event: LiveEvent): void {
    this.#emitter.emit(organizationId, event);
  }

  subscribe(organizationId: string, listener: LiveListener): () => void {
    const safe: LiveListener = (event) => {
      try {
        listener(event);
      } catch {
        // A broken subscriber must not stop delivery to others or the publisher.
      }
    };
    this.#emitter.on(organizationId, safe);
    return () => this.#emitter.off(organizationId, safe);
  }

  async close(): Promise<void> {
    this.#emitter.removeAllListeners();
  }
}

/**
 * Local subscribers counted per organization, for the buses that also listen elsewhere (Redis,
 * the cluster primary): `joined` runs when an organization gets its first local subscriber,
 * `left` after its last one unsubscribed, so the remote channel is held exactly while needed.
 */
export class CountedSubscriptions {
  #local: LiveBus;
  #counts = new Map<string, number>();
  #joined: (organizationId: string) => void;
  #left: (organizationId: string) => void;

  constructor(
    local: LiveBus,
    hooks: { joined: (organizationId: string) => void; left: (organizationId: string) => void },
  ) {
    this.#local = local;
    this.#joined = hooks.joined;
    this.#left = hooks.left;
  }

  /** Organizations with at least one local subscriber. */
  get organizations(): string[] {
    return [...this.#counts.keys()];
  }

  subscribe(organizationId: string, listener: LiveListener): () => void {
    const unsubscribe = this.#local.subscribe(organizationId, listener);
    const count = (this.#counts.get(organizationId) ?? 0) + 1;
    this.#counts.set(organizationId, count);
    if (count === 1) this.#joined(organizationId);
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      unsubscribe();
      const left = (this.#counts.get(organizationId) ?? 1) - 1;
      if (left > 0) {
        this.#counts.set(organizationId, left);
        return;
      }
      this.#counts.delete(organizationId);
      this.#left(organizationId);
    };
  }

  clear(): void {
    this.#counts.clear();
  }
}
