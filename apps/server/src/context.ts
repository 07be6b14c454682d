/**
 * AppContext: everything the server needs, built once at boot (main.ts) or per test
 * (testing/test-app.ts) and passed explicitly. Services take a slice of it (`ServiceDeps`).
 */
import type { Database, Db, DbOrTx } from '@switchboard/db';
import type { FastifyBaseLogger } from 'fastify';
import { createSessionTokens, type SessionTokens } from './auth/session-token.ts';
import { LiveCallRegistry } from './calls/live-registry.ts';
import type { Config } from './config.ts';
import { JobQueue } from './jobs/queue.ts';
import { type LiveBus, LocalBus } from './live/bus.ts';
import { LocalRecordingStore, type RecordingStore } from './recordings/store.ts';
import { createSecrets, type Secrets } from './secrets.ts';
import type { SipDialer } from './sip/sip-service.ts';
import { createStreamTokens, type StreamTokens } from './telephony/stream-token.ts';

export type Logger = FastifyBaseLogger;

export interface AppContext {
  config: Config;
  /** The Drizzle handle (shorthand for `database.db`). */
  db: Db;
  /** The database wrapper: ping (health), migrate, close. */
  database: Database;
  log: Logger;
  /** AES-256-GCM encryption for credentials stored in the database. */
  secrets: Secrets;
  /** Signs and verifies dashboard session tokens (JWT). */
  sessions: SessionTokens;
  /** Current time; tests may freeze it. */
  clock: () => Date;
  /** Signs and checks the token that binds a media stream to its call. */
  streamTokens: StreamTokens;
  /** Live events for dashboards (in-process, or across processes with REDIS_URL). */
  live: LiveBus;
  /** Calls running in this process. */
  liveCalls: LiveCallRegistry;
  /** Durable background jobs (docs/jobs.md); started by startServer, lazily elsewhere. */
  jobs: JobQueue;
  /** The server's call recordings (docs/post-call.md#recording). */
  recordings: RecordingStore;
  /** SIP trunks' dialer, when SIP_PORT is set (set by server.ts once SIP listens). */
  sip?: SipDialer;
  /** Draining (SIGTERM): new calls are refused politely, live calls go on (calls/drain.ts). */
  lifecycle: { draining: boolean };
}

/**
 * What a service takes: the database (or a transaction: pass `{ ...deps, db: tx }`), a logger
 * (the request's, so lines carry the request id) and the clock.
 */
export interface ServiceDeps {
  db: DbOrTx;
  log: Logger;
  clock: () => Date;
}

export function createContext(options: {
  config: Config;
  database: Database;
  log: Logger;
  clock?: () => Date;
  live?: LiveBus;
}): AppContext {
  return {
    config: options.config,
    db: options.database.db,
    database: options.database,
    log: options.log,
    secrets: createSecrets(options.config.appSecret),
    sessions: createSessionTokens(options.config.appSecret),
    clock: options.clock ?? (() => new Date()),
    streamTokens: createStreamTokens(options.config.appSecret),
    live: options.live ?? new LocalBus(),
    liveCalls: new LiveCallRegistry(),
    jobs: new JobQueue({ database: options.database, log: options.log }),
    recordings: new LocalRecordingStore(options.config.dataDir, options.log),
    lifecycle: { draining: false },
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The application context (decorated by buildApp). */
    ctx: AppContext;
  }
}
