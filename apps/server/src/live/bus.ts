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
