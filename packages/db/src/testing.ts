/**
 * Test helpers: the same suite runs on PGlite (always) and on Postgres (when reachable at
 * SWITCHBOARD_TEST_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/test). Each test
 * database is fresh: an in-memory PGlite, or a new Postgres database dropped afterwards.
 *
 * Set SWITCHBOARD_TEST_POSTGRES=required (CI does) to fail instead of skipping when Postgres
 * is absent; set it to `off` to run PGlite only.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDatabase, type Database, type PgliteThread } from './client.ts';

export type TestDbKind = 'pglite' | 'postgres';

const ADMIN_URL = process.env.SWITCHBOARD_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const MODE = process.env.SWITCHBOARD_TEST_POSTGRES ?? 'auto';

let reachable: Promise<boolean> | undefined;

async function postgresReachable(): Promise<boolean> {
  if (MODE === 'off') return false;
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch (error) {
    if (MODE === 'required') {
      throw new Error(`Postgres is required for tests but unreachable at ${ADMIN_URL}: ${String(error)}`);
    }
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Database kinds to run DB-backed suites on. Prints once when Postgres is skipped. */
export async function testDbKinds(): Promise<TestDbKind[]> {
  reachable ??= postgresReachable();
  if (await reachable) return ['pglite', 'postgres'];
  if (MODE !== 'off' && !warned) {
    warned = true;
    console.warn(
      `[switchboard tests] Postgres unreachable at ${ADMIN_URL}: running database suites on PGlite only. ` +
        'Start it (see README) or set SWITCHBOARD_TEST_POSTGRES=required to make this an error.',
    );
  }
  return ['pglite'];
}
let warned = false;

/** The Postgres URL of a database name on the test server. */
function urlFor(name: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * Where test PGlite databases run: in the test's thread, or in a worker thread as the server does
 * (`SWITCHBOARD_TEST_PGLITE_THREAD=worker` runs any suite that way).
 */
export const TEST_PGLITE_THREAD: PgliteThread =
  process.env.SWITCHBOARD_TEST_PGLITE_THREAD === 'worker' ? 'worker' : 'main';

/** A test database; `url` (Postgres only) lets a server under test open its own pool. */
export type TestDatabase = Database;

/** A fresh, migrated database of the given kind; `close()` also drops it. */
export async function createTestDatabase(kind: TestDbKind): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const database = await createDatabase({ pgliteThread: TEST_PGLITE_THREAD });
    await database.migrate();
    return database;
  }
  const name = `sb_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = urlFor(name);
  const database = await createDatabase({ databaseUrl: url, poolSize: 4 });
  await database.migrate();
  return {
    ...database,
    close: async () => {
      await database.close();
      const dropper = new pg.Client({ connectionString: ADMIN_URL });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}

/**
 * A new, empty (unmigrated) database on the test Postgres server, for tests that start server
 * processes which migrate it themselves. `drop()` removes it (forcing off open connections).
 */
export async function createEmptyPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `sb_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  return {
    url: urlFor(name),
    drop: async () => {
      const dropper = new pg.Client({ connectionString: ADMIN_URL });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}

/** Whether Postgres suites run: reachable (or required, which throws when it is not). */
export async function testPostgresReachable(): Promise<boolean> {
  return (await testDbKinds()).includes('postgres');
}
