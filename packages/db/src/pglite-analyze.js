// @ts-check
/**
 * Statistics for the embedded database's planner, kept as Postgres' autovacuum keeps them.
 *
 * PGlite runs no autovacuum, so nothing ever runs `ANALYZE`: the planner never learns how many
 * rows a table holds or how its values are spread, and a prepared statement's generic plan, built
 * while a table was nearly empty, is kept however large the table grows. This counts the rows each
 * write changes, per table named after `INSERT INTO`, `UPDATE` or `DELETE FROM` in its text, and
 * analyses a table once those changes pass Postgres' own autovacuum rule: 50 rows plus 10 % of the
 * rows the table held at its last analysis (`autovacuum_analyze_threshold`,
 * `autovacuum_analyze_scale_factor`). `ANALYZE` replaces the table's statistics and invalidates the
 * plans that depend on it, so the next run of each plans against the table as it is.
 *
 * A due table is analysed a second after the write that made it due (so a burst of writes, an
 * import, costs one analysis per second at most), one table at a time, on the database's own thread
 * (pglite-worker.js): never on the event loop that relays call audio. An idle database keeps no
 * timer.
 */

/** Postgres' autovacuum defaults. */
export const ANALYZE_THRESHOLD = 50;
export const ANALYZE_SCALE_FACTOR = 0.1;
/** How long after the write that made a table due it is analysed. */
export const ANALYZE_DELAY_MS = 1000;

/** `insert into "t"`, `update "s"."t"`, `delete from t` (Drizzle quotes; pg-boss names its schema). */
const WRITE =
  /\b(?:insert\s+into|update|delete\s+from)\s+(?!(?:set|skip|nowait|of)\b)((?:"[^"]+"|[a-z_][\w$]*)(?:\.(?:"[^"]+"|[a-z_][\w$]*))?)/gi;

/**
 * The tables a statement writes, as SQL names (quoted as written).
 * @param {string} sql
 * @returns {string[]}
 */
export function writtenTables(sql) {
  /** @type {Set<string>} */
  const tables = new Set();
  for (const match of sql.matchAll(WRITE)) if (match[1]) tables.add(match[1]);
  return [...tables];
}

export class AutoAnalyze {
  /** @type {(sql: string, params?: unknown[]) => Promise<{ rows: unknown[] }>} */
  #query;
  /** @type {Map<string, number>} rows changed since the table's last analysis */
  #changed = new Map();
  /** @type {Map<string, number>} rows at the table's last analysis (0 until analysed) */
  #rows = new Map();
  /** @type {Set<string>} names that turned out not to be tables (never counted again) */
  #ignored = new Set();
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  #timer;
  /** @type {Promise<void>} */
  #running = Promise.resolve();
  #delayMs;
  /** Tables analysed since start (for tests and diagnostics). */
  analysed = 0;

  /**
   * @param {(sql: string, params?: unknown[]) => Promise<{ rows: unknown[] }>} query runs outside
   *   any transaction
   * @param {{ delayMs?: number }} [options]
   */
  constructor(query, options = {}) {
    this.#query = query;
    this.#delayMs = options.delayMs ?? ANALYZE_DELAY_MS;
  }

  /**
   * Counts a statement that ran (committed or not: a rolled-back write still leaves dead rows).
   * @param {string} sql
   * @param {number | undefined} affectedRows
   */
  note(sql, affectedRows) {
    if (!affectedRows) return;
    let due = false;
    for (const table of writtenTables(sql)) {
      if (this.#ignored.has(table)) continue;
      const changed = (this.#changed.get(table) ?? 0) + affectedRows;
      this.#changed.set(table, changed);
      if (changed >= this.#threshold(table)) due = true;
    }
    if (due && !this.#timer) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#running = this.#running.then(() => this.#analyseDue());
      }, this.#delayMs);
      this.#timer.unref?.();
    }
  }

  /** Runs a scheduled pass now and waits for it, or for the one running (tests). */
  async settle() {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
      this.#running = this.#running.then(() => this.#analyseDue());
    }
    await this.#running;
  }

  /** Stops scheduling passes (the database is closing). */
  stop() {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** @param {string} table */
  #threshold(table) {
    return ANALYZE_THRESHOLD + ANALYZE_SCALE_FACTOR * (this.#rows.get(table) ?? 0);
  }

  async #analyseDue() {
    const due = [...this.#changed].filter(([table, changed]) => changed >= this.#threshold(table));
    for (const [table] of due) {
      this.#changed.set(table, 0);
      try {
        await this.#query(`ANALYZE ${table}`);
        const { rows } = await this.#query(
          'select greatest(reltuples, 0)::float8 as rows from pg_class where oid = to_regclass($1)',
          [table],
        );
        const counted = /** @type {{ rows?: number } | undefined} */ (rows[0])?.rows;
        this.#rows.set(table, typeof counted === 'number' ? counted : 0);
        this.analysed++;
      } catch {
        // A name the rule misread (a CTE's alias) or a table dropped since: not a table to follow.
        this.#changed.delete(table);
        this.#ignored.add(table);
      }
    }
  }
}
