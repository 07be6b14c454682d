/**
 * Live events across processes (REDIS_URL): every event is delivered to this process's
 * subscribers at once and published on the Redis channel `switchboard:live:<organizationId>`;
 * other processes deliver what they receive to their own subscribers. Each message carries the
 * publishing process's id, so a process ignores its own messages (it delivered them already).
 * Redis trouble is logged, never thrown: local delivery keeps working without it.
 * ioredis is loaded by the first RedisBus (`require`, synchronous), so a server without REDIS_URL
 * does not keep its module graph (≈ 450 KB of source and its command table) in memory.
 */
import cluster from 'node:cluster';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Redis } from 'ioredis';
import type { Logger } from '../context.ts';
import { CountedSubscriptions, type LiveBus, type LiveEvent, type LiveListener, LocalBus } from './bus.ts';
import { ClusterBus, processChannel } from './cluster-bus.ts';

let ioredis: typeof import('ioredis') | undefined;
const loadIoredis = () => (ioredis ??= createRequire(import.meta.url)('ioredis') as typeof import('ioredis'));

export const LIVE_CHANNEL_PREFIX = 'switchboard:live:';
/** Least time between two logged connection errors of one connection (ms). */
const ERROR_LOG_INTERVAL_MS = 30_000;

interface Envelope {
  /** The publishing process. */
  origin: string;
  event: LiveEvent;
}

export interface RedisBusOptions {
  url: string;
  log: Logger;
  /** Channel prefix (tests use their own to stay apart). Default `switchboard:live:`. */
  prefix?: string;
}

export class RedisBus implements LiveBus {
  /** This process's id in every message it publishes. */
  readonly origin = randomUUID();
  /** The command connection: publishes; shared with the rate limiter. */
  readonly client: Redis;
  #subscriber: Redis;
  #local = new LocalBus();
  #log: Logger;
  #prefix: string;
  /** Local subscribers per organization: the Redis channel is subscribed while there are any. */
  #subscriptions = new CountedSubscriptions(this.#local, {
    joined: (organizationId) => this.#channel('subscribe', organizationId),
    left: (organizationId) => this.#channel('unsubscribe', organizationId),
  });
  #closed = false;

  constructor(options: RedisBusOptions) {
    this.#log = options.log;
    this.#prefix = options.prefix ?? LIVE_CHANNEL_PREFIX;
    // A command waits through at most two reconnection attempts before failing (a live event is
    // better dropped than delayed; the rate limiter then skips Redis).
    const redisOptions = { maxRetriesPerRequest: 2, connectTimeout: 5000, lazyConnect: false };
    const { Redis } = loadIoredis();
    this.client = new Redis(options.url, { ...redisOptions, connectionName: 'switchboard-live-pub' });
    this.#subscriber = new Redis(options.url, { ...redisOptions, connectionName: 'switchboard-live-sub' });
    for (const [role, connection] of [
      ['publisher', this.client],
      ['subscriber', this.#subscriber],
    ] as const) {
      // Without an error listener ioredis would print every reconnection failure; while Redis is
      // down that is one every 2 s, so log at most one per ERROR_LOG_INTERVAL_MS.
      let lastLoggedAt = Number.NEGATIVE_INFINITY;
      connection.on('error', (error: Error) => {
        if (Date.now() - lastLoggedAt < ERROR_LOG_INTERVAL_MS) return;
        lastLoggedAt = Date.now();
        this.#log.warn({ err: error, role }, 'Redis live-event connection error (retrying)');
      });
    }
    this.#subscriber.on('message', (channel: string, message: string) => this.#receive(channel, message));
  }

  publish(organizationId: string, event: LiveEvent): void {
    this.#local.publish(organizationId, event);
    if (this.#closed) return;
    const envelope: Envelope = { origin: this.origin, event };
    this.client.publish(this.#prefix + organizationId, JSON.stringify(envelope)).catch((error: unknown) => {
      this.#log.warn({ err: error, organizationId }, 'could not publish a live event to Redis');
    });
  }

  subscribe(organizationId: string, listener: LiveListener): () => void {
    return this.#subscriptions.subscribe(organizationId, listener);
  }

  /** Resolves once the subscriber connection listens to every organization with local subscribers. */
  async ready(): Promise<void> {
    const channels = this.#subscriptions.organizations.map((id) => this.#prefix + id);
    if (channels.length) await this.#subscriber.subscribe(...channels);
    else await this.#subscriber.ping();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#local.close();
    this.#subscriptions.clear();
    await Promise.all(
      [this.client, this.#subscriber].map((connection) =>
        connection.quit().then(
          () => undefined,
          () => connection.disconnect(),
        ),
      ),
    );
  }

  #channel(action: 'subscribe' | 'unsubscribe', organizationId: string): void {
    if (this.#closed) return;
    this.#subscriber[action](this.#prefix + organizationId).catch((error: unknown) => {
      this.#log.warn({ err: error, organizationId }, `could not ${action} a Redis live-event channel`);
    });
  }

  #receive(channel: string, message: string): void {
    if (!channel.startsWith(this.#prefix)) return;
    let envelope: Envelope;
    try {
      envelope = JSON.parse(message) as Envelope;
    } catch {
      this.#log.warn({ channel }, 'ignored a malformed Redis live event');
      return;
    }
    if (envelope.origin === this.origin || !envelope.event) return;
    this.#local.publish(channel.slice(this.#prefix.length), envelope.event);
  }
}

/** The Redis command connection behind a bus, for other users of Redis (the rate limiter). */
export function redisClientOf(bus: LiveBus): Redis | undefined {
  return bus instanceof RedisBus ? bus.client : undefined;
}

/**
 * The bus for a configuration: Redis when REDIS_URL is set; otherwise, in a cluster worker
 * (WORKERS > 1), through the cluster primary; otherwise in-process.
 */
export function createLiveBus(config: { redisUrl: string | undefined }, log: Logger): LiveBus {
  if (config.redisUrl) return new RedisBus({ url: config.redisUrl, log });
  if (cluster.isWorker && process.send) return new ClusterBus(processChannel(log));
  return new LocalBus();
}
