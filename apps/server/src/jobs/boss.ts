/**
 * Builds the pg-boss instance for a Database: on the embedded database it shares the PGlite
 * client (one connection, in-process LISTEN/NOTIFY); on Postgres it opens a small pool of its
 * own from the same URL (plus one connection held for LISTEN). Its tables live in the `pgboss`
 * schema, which pg-boss installs and migrates itself at start (under an advisory lock), apart
 * from Drizzle's migrations (docs/jobs.md).
 */
import type { Database, DbOrTx } from '@switchboard/db';
import { sql } from 'drizzle-orm';
import {
  type Clock,
  type ConstructorOptions,
  fromDrizzle,
  fromPglite,
  type Db as IDatabase,
  PgBoss,
} from 'pg-boss';

/** Connections the queue's own pool may open on Postgres (besides the one LISTEN connection). */
const POSTGRES_POOL_SIZE = 4;

export interface BossOptions {
  database: Database;
  /** Tests only: a pg-boss `TestClock` that moves time by hand. */
  clock?: Clock;
}

export function createBoss({ database, clock }: BossOptions): PgBoss {
  const common: ConstructorOptions = {
    // Wake workers at once when a job is sent; polling stays on for deferred jobs and retries.
    useListenNotify: true,
    ...(clock ? { clock } : {}),
  };
  if (database.kind === 'pglite') {
    if (!database.pglite) throw new Error('job queue: the embedded database has no client');
    // The adapter's type names only the PGlite methods it calls.
    return new PgBoss({
      ...common,
      db: fromPglite(database.pglite as unknown as Parameters<typeof fromPglite>[0]),
      backend: 'pglite',
    });
  }
  if (!database.url) throw new Error('job queue: the Postgres database has no connection URL');
  return new PgBoss({
    ...common,
    connectionString: database.url,
    max: POSTGRES_POOL_SIZE,
    application_name: 'switchboard-jobs',
  });
}

/** pg-boss statements that run inside a Drizzle transaction (or on the Drizzle handle). */
export function transactionDb(tx: DbOrTx): IDatabase {
  return fromDrizzle(tx as unknown as Parameters<typeof fromDrizzle>[0], sql);
}
