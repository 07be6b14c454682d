/**
 * Whether this database can store and compare embeddings: the knowledge_vector migration adds
 * `knowledge_chunks.embedding` only where pgvector is installed. When pgvector was installed
 * after that migration ran, `ensureVectorColumns` (run at start) adds the columns then.
 */
import type { DbOrTx } from '@switchboard/db';
import { sql } from 'drizzle-orm';

export interface VectorSupport {
  available: boolean;
  /** Why vector search is off, for the studio; null when available. */
  reason: string | null;
}

const NO_PGVECTOR =
  'pgvector is not installed on this Postgres server (install postgresql-NN-pgvector and restart Switchboard)';

export async function detectVectorSupport(db: DbOrTx): Promise<VectorSupport> {
  const result = await db.execute(sql`
    select exists (
      select 1 from information_schema.columns
      where table_name = 'knowledge_chunks' and column_name = 'embedding'
    ) as present`);
  const present = rows<{ present: boolean }>(result)[0]?.present === true;
  return present ? { available: true, reason: null } : { available: false, reason: NO_PGVECTOR };
}

/** Adds the embedding columns when pgvector became available since the migration; never throws. */
export async function ensureVectorColumns(db: DbOrTx): Promise<VectorSupport> {
  try {
    await db.execute(sql`
      DO $$
      BEGIN
        IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector')
           AND NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'vector') THEN
          CREATE EXTENSION IF NOT EXISTS vector;
        END IF;
        IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'vector') THEN
          ALTER TABLE knowledge_chunks ADD COLUMN IF NOT EXISTS embedding vector;
          ALTER TABLE knowledge_chunks ADD COLUMN IF NOT EXISTS embedding_model text;
        END IF;
      END
      $$`);
  } catch {
    // No privilege to create the extension: stay full-text only.
  }
  return detectVectorSupport(db);
}

/** Rows of `db.execute` on either driver (node-postgres returns a result object, PGlite too). */
export function rows<T>(result: unknown): T[] {
  return ((result as { rows?: T[] }).rows ?? (result as T[])) as T[];
}
