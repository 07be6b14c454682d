/**
 * Reads every call repeats and that rarely change (an organization's integrations and webhooks,
 * its name and time zone, an agent, a number's owner), kept per process on the embedded database
 * (issue 19: each read is a round trip to the database's thread and a few tenths of a millisecond
 * of Postgres there, some of them several times per call).
 *
 * Exact, not timed: every statement Drizzle sends on the embedded database passes its logger
 * (`TableWrites`) before it is sent, and any statement other than a `select` that names a
 * watched table counts as a write to it. A cached value is used only while no write to its
 * tables has been sent since its read was sent. The embedded database runs one session, in
 * order, and a transaction holds every other statement until it ends, so a read sent after a
 * write sees that write: a process reads its own writes at once. Only the embedded database is
 * covered: on Postgres other processes write too, and the pool runs statements side by side, so
 * there every read goes to the database (`writesOf` is undefined and `ReadCache.read` loads).
 * A transaction's handle is not the database's and is never cached: it reads what it wrote.
 */
import type { Logger } from 'drizzle-orm/logger';

/** Tables whose writes are counted (a cache names the ones its value comes from). */
export const WATCHED_TABLES = [
  'integrations',
  'webhooks',
  'agents',
  'phone_numbers',
  'organizations',
] as const;
export type WatchedTable = (typeof WATCHED_TABLES)[number];

/** Drizzle's logger on the embedded database: counts the statements that may write each watched table. */
export class TableWrites implements Logger {
  readonly #pattern = new RegExp(`\\b(${WATCHED_TABLES.join('|')})\\b`, 'gi');
  readonly #generations = new Map<string, number>();

  logQuery(query: string): void {
    // Drizzle writes its selects in lower case; anything else (insert, update, delete, a WITH
    // that may write, DDL, TRUNCATE, raw SQL) counts for every watched table it names.
    if (query.startsWith('select ')) return;
    const named = new Set<string>();
    for (const match of query.matchAll(this.#pattern)) named.add(match[1]!.toLowerCase());
    for (const table of named) this.#generations.set(table, (this.#generations.get(table) ?? 0) + 1);
  }

  /** Changes whenever a statement that may write one of `tables` is sent. */
  generation(tables: readonly WatchedTable[]): number {
    let sum = 0;
    for (const table of tables) sum += this.#generations.get(table) ?? 0;
    return sum;
  }
}

const writesByDb = new WeakMap<object, TableWrites>();

/** Marks `db` (the embedded database's root handle) as seen whole by `writes`. */
export function watchWrites(db: object, writes: TableWrites): void {
  writesByDb.set(db, writes);
}

/** The write counter of `db`, when every statement on it is seen (the embedded database's root handle). */
export function writesOf(db: object): TableWrites | undefined {
  return writesByDb.get(db);
}

/**
 * A shared value is frozen throughout (its rows and their JSON columns), so that a reader that
 * would change it fails at once. Dates are frozen objects too (their time can still be set).
 */
function freeze<V>(value: V): V {
  // (A typed array with elements cannot be frozen; no cached read returns one.)
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value) && !ArrayBuffer.isView(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) freeze(item);
  }
  return value;
}

type Entry<V> = { generation: number; value: Promise<V> };

/** Keys kept per cache and database; a full cache is emptied (few organizations, agents, numbers). */
const MAX_KEYS = 1000;

/** One kind of cached read, by key (an organization id), per database handle. */
export class ReadCache<V> {
  readonly #tables: readonly WatchedTable[];
  readonly #byDb = new WeakMap<object, Map<string, Entry<V>>>();

  /**
   * `tables`: every table whose writes can change the value: the ones it is read from, and the
   * ones whose deletes reach them through a foreign key's ON DELETE (CASCADE or SET NULL).
   */
  constructor(tables: readonly WatchedTable[]) {
    this.#tables = tables;
  }

  /**
   * The value for `key`: the cached one while its tables are unwritten since it was read, else
   * `load()`'s (shared by the callers that ask before it resolves). The value is shared, so it is
   * frozen: callers copy what they change.
   */
  read(db: object, key: string, load: () => Promise<V>): Promise<V> {
    const writes = writesOf(db);
    if (!writes) return load();
    const generation = writes.generation(this.#tables);
    let entries = this.#byDb.get(db);
    if (!entries) {
      entries = new Map();
      this.#byDb.set(db, entries);
    }
    const hit = entries.get(key);
    if (hit && hit.generation === generation) return hit.value;
    const value = load().then(freeze);
    if (entries.size >= MAX_KEYS) entries.clear();
    const entry = { generation, value };
    entries.set(key, entry);
    // A failed read is not kept: the next caller reads again.
    value.catch(() => {
      if (entries.get(key) === entry) entries.delete(key);
    });
    return value;
  }
}
