/**
 * Queries the call path runs several times per call (issue 19: a call's webhooks and stream
 * start), built once per database handle instead of on every run. Drizzle builds a query's SQL
 * text, parameter list and row mapping each time it runs one: ≈ 0.2–0.4 ms of the server's
 * thread (the thread that relays live audio) for a full-row select, a quarter of what the
 * embedded database then takes in its own thread. A prepared query keeps what it built and
 * takes only the placeholders' values (`sql.placeholder('name')` in the query, `{ name }` to
 * `execute`).
 *
 * On Postgres the name makes a named statement, parsed once per pooled connection; a connection
 * pooler between the server and Postgres must pass named statements through (PgBouncer 1.21 or
 * later with `max_prepared_statements` set, in transaction mode). Placeholders carry values as
 * given, without a column's encoder: use them for text and uuid columns only.
 */
import type { DbOrTx } from './client.ts';

/** Each registered name and the source of the query built under it. */
const names = new Map<string, string>();

/**
 * `build(db).prepare(name)`'s result, remembered per handle (a transaction is a handle of its
 * own). A name belongs to one query: two different queries under one name would collide on
 * Postgres, so that throws when the second registers (the same module evaluated twice does not).
 */
export function preparedQuery<Q>(name: string, build: (db: DbOrTx, name: string) => Q): (db: DbOrTx) => Q {
  const source = build.toString();
  const registered = names.get(name);
  if (registered !== undefined && registered !== source) {
    throw new Error(`prepared query name used for two queries: ${name}`);
  }
  names.set(name, source);
  const byHandle = new WeakMap<DbOrTx, Q>();
  return (db) => {
    let query = byHandle.get(db);
    if (query === undefined) {
      query = build(db, name);
      byHandle.set(db, query);
    }
    return query;
  };
}
