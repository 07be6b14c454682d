/**
 * Messages between `ThreadedPGlite` (main thread) and the embedded database's worker thread
 * (pglite-worker.js). Every request carries an id; the worker answers each with one `Reply` of
 * the same id. Statements of an open transaction carry its id (`tx`, the id of its `begin`).
 */
import type { PGliteOptions } from '@electric-sql/pglite';

/** What the worker is started with (cloned into it: plain data only). */
export interface WorkerStart {
  /** The PGlite data directory; null = in memory. */
  dataDir: string | null;
  /** PGlite settings (no functions, no extensions: the worker adds pgvector itself); a compiled `pgliteWasmModule` may be passed. */
  options: Omit<PGliteOptions, 'extensions' | 'parsers' | 'serializers' | 'fs' | 'onStdout' | 'onStderr'>;
}

export interface StatementRequest {
  op: 'query' | 'exec';
  id: number;
  sql: string;
  params?: unknown[];
  rowMode?: 'array' | 'object';
  /** Type OIDs returned as text, unparsed (Drizzle's timestamp/date/interval handling). */
  rawTypes?: number[];
  tx?: number;
}

export type Request =
  | StatementRequest
  | { op: 'begin'; id: number }
  | { op: 'end'; id: number; tx: number; commit: boolean }
  | { op: 'listen' | 'unlisten'; id: number; channel: string }
  | { op: 'close'; id: number };

export interface SerializedError {
  message: string;
  /** The error's plain own fields: `code`, `detail`, `constraint`, `severity`, … */
  fields: Record<string, unknown>;
}

export type Reply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: SerializedError }
  | { notify: string; payload: string }
  | { ready: true }
  | { ready: false; error: SerializedError };
