/**
 * Vector support is a property of the database, checked once per process (at start, by
 * `refreshVectorSupport`) and read on every search without a query.
 */
import type { Db, DbOrTx } from '@switchboard/db';
import { detectVectorSupport, ensureVectorColumns, type VectorSupport } from './vector-support.ts';

const cache = new WeakMap<object, Promise<VectorSupport>>();

export function vectorSupport(db: DbOrTx): Promise<VectorSupport> {
  let known = cache.get(db);
  if (!known) {
    known = detectVectorSupport(db);
    cache.set(db, known);
  }
  return known;
}

/** At start: add the columns if pgvector appeared since the migration, and remember the answer. */
export function refreshVectorSupport(db: Db): Promise<VectorSupport> {
  const known = ensureVectorColumns(db);
  cache.set(db, known);
  return known;
}
