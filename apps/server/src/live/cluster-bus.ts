/**
 * Live events across the workers of one cluster (WORKERS > 1, cluster.ts) without Redis: each
 * worker delivers an event to its own subscribers at once and sends it to the primary over the
 * cluster IPC channel; the primary (LiveRelay) forwards it to the other workers that have
 * subscribers in that organization, which deliver it locally. Workers tell the primary which
 * organizations they listen to (subscribe/unsubscribe), so events go only where someone watches.
 * Messages are small JSON objects tagged `sb`; a lost IPC channel is logged, never thrown.
 */
import type { Logger } from '../context.ts';
import { CountedSubscriptions, type LiveBus, type LiveEvent, type LiveListener, LocalBus } from './bus.ts';

export type LiveMessage =
  | { sb: 'live'; organizationId: string; event: LiveEvent }
  | { sb: 'live.subscribe'; organizationId: string }
  | { sb: 'live.unsubscribe'; organizationId: string };

/** The worker's end of the IPC channel (`process` in a cluster worker). */
export interface WorkerChannel {
  send(message: LiveMessage): void;
  onMessage(listener: (message: unknown) => void): () => void;
}

/** `process` as a WorkerChannel: sends only while connected; errors reported, not thrown. */
export function processChannel(log: Pick<Logger, 'warn'>): WorkerChannel {
  let lastWarnAt = Number.NEGATIVE_INFINITY;
  return {
    send(message) {
      if (!process.send || !process.connected) return;
      process.send(message, undefined, {}, (error: Error | null) => {
        if (!error || Date.now() - lastWarnAt < 30_000) return;
        lastWarnAt = Date.now();
        log.warn({ err: error }, 'could not send a live event to the cluster primary');
      });
    },
    onMessage(listener) {
      process.on('message', listener);
      return () => process.off('message', listener);
    },
  };
}

function isLiveMessage(message: unknown): message is LiveMessage {
  if (typeof message !== 'object' || message === null) return false;
  const { sb, organizationId } = message as { sb?: unknown; organizationId?: unknown };
  return (
    typeof organizationId === 'string' &&
    (sb === 'live' || sb === 'live.subscribe' || sb === 'live.unsubscribe')
  );
}

export class ClusterBus implements LiveBus {
  #local = new LocalBus();
  #channel: WorkerChannel;
  #subscriptions = new CountedSubscriptions(this.#local, {
    joined: (organizationId) => this.#send({ sb: 'live.subscribe', organizationId }),
    left: (organizationId) => this.#send({ sb: 'live.unsubscribe', organizationId }),
  });
  #stopListening: () => void;
  #closed = false;

  constructor(channel: WorkerChannel) {
    this.#channel = channel;
    this.#stopListening = channel.onMessage((message) => {
      if (isLiveMessage(message) && message.sb === 'live' && message.event)
        this.#local.publish(message.organizationId, message.event);
    });
  }

  publish(organizationId: string, event: LiveEvent): void {
    this.#local.publish(organizationId, event);
    this.#send({ sb: 'live', organizationId, event });
  }

  #send(message: LiveMessage): void {
    if (!this.#closed) this.#channel.send(message);
  }

  subscribe(organizationId: string, listener: LiveListener): () => void {
    return this.#subscriptions.subscribe(organizationId, listener);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#stopListening();
    this.#subscriptions.clear();
    await this.#local.close();
  }
}

/** The primary's side: which worker listens to which organization, and forwarding between them. */
export class LiveRelay {
  #peers = new Map<number, { send: (message: LiveMessage) => void; organizations: Set<string> }>();

  add(id: number, send: (message: LiveMessage) => void): void {
    this.#peers.set(id, { send, organizations: new Set() });
  }

  /** A worker that exited: nothing is sent to it any more. */
  remove(id: number): void {
    this.#peers.delete(id);
  }

  /** Handles a message from worker `from`; false when it is not a live-event message. */
  handle(from: number, message: unknown): boolean {
    if (!isLiveMessage(message)) return false;
    const peer = this.#peers.get(from);
    if (message.sb === 'live.subscribe') peer?.organizations.add(message.organizationId);
    else if (message.sb === 'live.unsubscribe') peer?.organizations.delete(message.organizationId);
    else {
      for (const [id, other] of this.#peers) {
        if (id === from || !other.organizations.has(message.organizationId)) continue;
        try {
          other.send(message);
        } catch {
          // That worker is going away; its exit removes it.
        }
      }
    }
    return true;
  }
}
