/**
 * Database factory: embedded PGlite in `dataDir` by default, node-postgres when a
 * `databaseUrl` is given. Both expose the same Drizzle API (`Db`), and migrations run here.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { lockDataDir } from './data-dir-lock.ts';
import { openPglite, PGLITE_OPTIONS } from './pglite-settings.ts';
import { ThreadedPGlite } from './pglite-thread.ts';
import { TableWrites, watchWrites } from './read-cache.ts';
import * as schema from './schema/index.ts';

export type Schema = typeof schema;
/** The Drizzle handle every service takes; identical on PGlite and Postgres. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
/** A transaction handle (same query API as `Db`). */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /**
   * The embedded client (PGlite only): libraries that take a raw connection (the job queue) share
   * it. With `pgliteThread: 'worker'` it is a `ThreadedPGlite` offering the same calls.
   */
  pglite?: PGlite | ThreadedPGlite;
  /** The connection string (Postgres only): libraries that keep their own pool open one with it. */
  url?: string;
  /** Applies pending migrations (idempotent; serialised across processes on Postgres). */
  migrate(): Promise<void>;
  /** Round-trips a trivial query; used by GET /health. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const MIGRATIONS_DIR = join(import.meta.dirname, '..', 'migrations');

/** Where the embedded database runs: its own worker thread, or the caller's thread. */
export type PgliteThread = 'worker' | 'main';

export interface DatabaseOptions {
  /** Postgres connection string; when absent the embedded PGlite database is used. */
  databaseUrl?: string | undefined;
  /** Directory for PGlite files (`<dataDir>/pglite`); omit for an in-memory database. */
  dataDir?: string | undefined;
  /**
   * Where the embedded database runs (`PGLITE_THREAD`): `worker` = its own worker thread, off the
   * event loop that relays audio (the server's default); `main` = in this thread (default here,
   * for tools and tests).
   */
  pgliteThread?: PgliteThread;
  /** Told when the embedded database's worker thread fails; every later statement rejects. */
  onEmbeddedFailure?: (error: Error) => void;
  /** Pool size for Postgres (default 10). */
  poolSize?: number;
  /** Postgres timeouts (ms); defaults in POSTGRES_TIMEOUTS. */
  timeouts?: Partial<PostgresTimeouts>;
  /** Told about errors of idle pooled connections (a server restart); the pool reconnects. */
  onPoolError?: (error: Error) => void;
}

export interface PostgresTimeouts {
  /** Waiting for a connection (a new one, or a free one from the full pool). */
  connectMs: number;
  /** One statement (`statement_timeout`); migrations run on the same pool. */
  statementMs: number;
  /** A transaction left open and idle (`idle_in_transaction_session_timeout`). */
  idleInTransactionMs: number;
}

export const POSTGRES_TIMEOUTS: PostgresTimeouts = {
  connectMs: 10_000,
  statementMs: 60_000,
  idleInTransactionMs: 60_000,
};

export async function createDatabase(options: DatabaseOptions): Promise<Database> {
  return options.databaseUrl
    ? createPostgres(
        options.databaseUrl,
        options.poolSize ?? 10,
        { ...POSTGRES_TIMEOUTS, ...options.timeouts },
        options.onPoolError,
      )
    : createPglite(options.dataDir, options.pgliteThread ?? 'main', options.onEmbeddedFailure);
}

async function createPglite(
  dataDir: string | undefined,
  thread: PgliteThread,
  onFailure: ((error: Error) => void) | undefined,
): Promise<Database> {
  const dir = dataDir ? join(dataDir, 'pglite') : null;
  if (dir) mkdirSync(dir, { recursive: true });
  // One process per data directory (two would corrupt it): a clear error instead.
  const unlock = dataDir ? lockDataDir(dataDir) : () => {};
  let client: PGlite | ThreadedPGlite;
  try {
    if (thread === 'worker') {
      client = await ThreadedPGlite.create(dir, PGLITE_OPTIONS, onFailure);
    } else {
      client = await openPglite(dir);
    }
  } catch (error) {
    unlock();
    throw error;
  }
  // Drizzle's PGlite driver calls only query() and transaction(), which ThreadedPGlite offers.
  // Its logger sees every statement before it is sent: what read-cache.ts needs to stay exact.
  const writes = new TableWrites();
  const db = drizzlePglite({ client: client as PGlite, schema, logger: writes });
  watchWrites(db, writes);
  return {
    db: db as unknown as Db,
    kind: 'pglite',
    pglite: client,
    migrate: () => migratePglite(db, { migrationsFolder: MIGRATIONS_DIR }),
    ping: async () => {
      await client.query('select 1');
    },
    close: async () => {
      await client.close();
      unlock();
    },
  };
}

async function createPostgres(
  url: string,
  max: number,
  timeouts: PostgresTimeouts,
  onPoolError: ((error: Error) => void) | undefined,
): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    connectionTimeoutMillis: timeouts.connectMs,
    statement_timeout: timeouts.statementMs,
    idle_in_transaction_session_timeout: timeouts.idleInTransactionMs,
  });
  // An idle client error (server restart) must not crash the process; the pool reconnects.
  pool.on('error', (error) => onPoolError?.(error));
  const db = drizzlePg(pool, { schema });
  return {
    db: db as unknown as Db,
    kind: 'postgres',
    url,
    migrate: async () => {
      // Several server processes may start at once on one database: serialise migrations.
      const lockClient = await pool.connect();
      try {
        await lockClient.query(`select pg_advisory_lock(hashtext('switchboard_migrations'))`);
        await migratePg(db, { migrationsFolder: MIGRATIONS_DIR });
      } finally {
        await lockClient
          .query(`select pg_advisory_unlock(hashtext('switchboard_migrations'))`)
          .catch(() => {});
        lockClient.release();
      }
    },
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    close: () => pool.end(),
  };
}
