/**
 * Memory settings of the embedded PGlite database (issue 19, item 4; figures in
 * docs/PERFORMANCE.md). PGlite runs Postgres inside one WebAssembly memory that only grows: every
 * page Postgres touches once stays resident for the life of the process. Postgres' stock sizes
 * are meant for a dedicated server (initdb writes shared_buffers = 128MB), and they made up
 * ~150 MiB of the idle server's RSS. Here they are sized for one embedded, single-connection
 * database whose files the OS caches anyway (PGlite reads and writes the real files in DATA_DIR).
 *
 * Passed as `-c` start parameters (after PGlite's own defaults) rather than as `postgresqlconf`,
 * which would overwrite the data directory's postgresql.conf (and drop initdb's locale and
 * text-search settings). Postgres on DATABASE_URL is configured by its operator, not here.
 */
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { openPgliteWithVector } from './open-pglite.js';

/** Postgres settings for the embedded database; each one bounds memory that PGlite never gives back. */
export const PGLITE_POSTGRES_SETTINGS: Readonly<Record<string, string>> = {
  // The page cache inside the wasm memory (128MB from initdb). 8MB (1,024 pages) holds the hot
  // pages of a small deployment's tables and indexes; misses are read from the OS page cache
  // (16MB cost ≈ 12 MiB more resident and was no faster on bench/pglite-queries.ts).
  shared_buffers: '8MB',
  // WAL buffered before a write (default: 1/32 of shared_buffers, at most 16MB).
  wal_buffers: '1MB',
  // Per-session buffers for temporary tables (allocated on use; the app creates none).
  temp_buffers: '2MB',
  // Index builds and VACUUM (64MB by default): the peak would stay resident.
  maintenance_work_mem: '16MB',
};

/** `-c name=value` pairs after PGlite's defaults (--single, no parallel workers, io_method=sync, …). */
export function pgliteStartParams(
  settings: Readonly<Record<string, string>> = PGLITE_POSTGRES_SETTINGS,
): string[] {
  return [
    ...PGlite.defaultStartParams,
    ...Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
  ];
}

/** Options every embedded PGlite instance starts with (spread into `PGlite.create`). */
export const PGLITE_OPTIONS: Pick<PGliteOptions, 'startParams'> = {
  startParams: pgliteStartParams(),
};

/**
 * Opens an embedded database (in `dir`, or in memory when null) with `options` and pgvector
 * (open-pglite.js, which the database's worker thread uses too).
 */
export function openPglite(dir: string | null, options: PGliteOptions = PGLITE_OPTIONS): Promise<PGlite> {
  return openPgliteWithVector(dir, options);
}
