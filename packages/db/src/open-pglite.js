// @ts-check
/**
 * Opens an embedded database with pgvector, which ships with PGlite (knowledge-base vector
 * search; the migration creates the extension). Used by `openPglite` (pglite-settings.ts, the
 * server's thread with `PGLITE_THREAD=main`) and by the database's worker thread
 * (pglite-worker.js).
 *
 * JavaScript, not TypeScript, because the worker thread loads it: a thread that loads a `.ts`
 * file makes Node load its type stripper (amaro: a 3.7 MB source string and a WebAssembly
 * instance, ≈ 6 MiB resident per thread). Type-checked through `// @ts-check` (tsconfig.json).
 */
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';

/**
 * @param {string | null} dir the data directory; null = in memory
 * @param {import('@electric-sql/pglite').PGliteOptions} options
 * @returns {Promise<PGlite>}
 */
export function openPgliteWithVector(dir, options) {
  const withVector = { ...options, extensions: { vector } };
  return dir ? PGlite.create(dir, withVector) : PGlite.create(withVector);
}
