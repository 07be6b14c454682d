// @ts-check
/**
 * Named prepared statements for the embedded database's thread (pglite-worker.js).
 *
 * `PGlite.query()` sends one statement as six protocol calls into the WebAssembly Postgres
 * (Parse, Describe, Bind, Describe, Execute, Sync), and Postgres parses, analyses and plans the
 * text every time. The server sends the same few dozen texts over and over (a call's set-up, its
 * end, the recorder's batches, the job queue's polls), so this keeps each text seen twice as a
 * named statement, parsed once, and runs it after that as one protocol call: Bind + Execute + Sync
 * (docs/PERFORMANCE.md has the figures).
 *
 * What stays exactly as `query()` does it:
 * - parameters are serialized by the types Postgres described for them (`db.serializers`), and
 *   rows parsed by PGlite's own `parseResults` with the same options (`rowMode`, parsers);
 * - a statement outside a transaction waits for any open transaction (PGlite's transaction lock,
 *   then its query lock), one inside runs under the query lock only, as `tx.query()` does; the
 *   file system is synced after a statement outside a transaction;
 * - errors are PGlite's `DatabaseError` with Postgres' fields (code, constraint, …).
 *
 * Plans are Postgres' own choice for a prepared statement: planned for its parameters for the first
 * five runs, then a generic plan when that plan is estimated no dearer. A generic plan is planned
 * against the table statistics of its time, and PGlite runs no autovacuum to renew them: plans made
 * while the tables were nearly empty made a 5,000-row import take 2.3 s instead of 0.8 and the
 * dashboard's statistics wait 1.3 s. So the database's thread analyses its tables as autovacuum would
 * (pglite-analyze.js); an analysis invalidates the plans that read the table, and the next run
 * plans again. What is saved is the parse, the analysis and five of the six calls into the WASM
 * Postgres, and, once a generic plan is chosen, the planning.
 *
 * The cache is bounded (`MAX_PREPARED`, least recently used closed first). A named statement
 * whose result shape changed under it (a migration: Postgres refuses it with 0A000) or that no
 * longer exists (26000) is forgotten and the statement runs unprepared (outside a transaction;
 * inside one, the error has aborted it and is passed on); nothing else falls back.
 */
import { Buffer } from 'node:buffer';
import { parse, protocol } from '@electric-sql/pglite';

/** @typedef {import('@electric-sql/pglite').PGlite} PGlite */
/** @typedef {import('@electric-sql/pglite').QueryOptions} QueryOptions */
/** @typedef {import('@electric-sql/pglite').Results} Results */
/** @typedef {import('@electric-sql/pglite').Transaction} Transaction */
/** @typedef {{ name: string; paramTypes: number[]; rowDescription: unknown }} Prepared */

/** Named statements kept at once (each holds its parsed query in the database's memory). */
export const MAX_PREPARED = 200;
/** Texts remembered as seen once (a text is prepared on its second use). */
const MAX_SEEN = 2000;
/** Postgres: "cached plan must not change result type"; "prepared statement … does not exist". */
const FORGET_CODES = new Set(['0A000', '26000']);

const { serialize } = protocol;

/**
 * PGlite's internals this relies on (present since 0.2, checked at construction): the locks
 * `query()` and `transaction()` take, and its readiness check.
 * @typedef {PGlite & {
 *   _runExclusiveQuery<T>(fn: () => Promise<T>): Promise<T>;
 *   _runExclusiveTransaction<T>(fn: () => Promise<T>): Promise<T>;
 *   _checkReady(): Promise<void>;
 * }} PGliteInternals
 */

export class PreparedStatements {
  /** @type {PGliteInternals} */
  #db;
  /** @type {Map<string, Prepared>} least recently used first */
  #prepared = new Map();
  /** @type {Set<string>} */
  #seen = new Set();
  #next = 0;

  /** @param {PGlite} db the database whose statements this cache prepares */
  constructor(db) {
    const internals = /** @type {PGliteInternals} */ (db);
    const needed = ['_runExclusiveQuery', '_runExclusiveTransaction', '_checkReady', 'execProtocolStream'];
    const missing = needed.filter((method) => typeof Reflect.get(internals, method) !== 'function');
    if (missing.length > 0)
      throw new Error(`PGlite lacks ${missing.join(', ')}, which pglite-statements.js needs`);
    this.#db = internals;
  }

  /** Named statements held now. */
  get size() {
    return this.#prepared.size;
  }

  /**
   * Runs one statement as `db.query()` (`inTransaction` false) or `tx.query()` (true) would.
   * @param {PGlite | Transaction} target what runs it when it is not (or not yet) prepared
   * @param {boolean} inTransaction
   * @param {string} sql
   * @param {unknown[] | undefined} params
   * @param {QueryOptions} options
   * @returns {Promise<Results>}
   */
  async query(target, inTransaction, sql, params, options) {
    if (!this.#prepared.has(sql) && !this.#seen.has(sql)) {
      if (this.#seen.size >= MAX_SEEN) this.#seen.clear();
      this.#seen.add(sql);
      return target.query(sql, params, options);
    }
    const db = this.#db;
    await db._checkReady();
    const run = () =>
      db._runExclusiveQuery(async () => {
        // Looked up under the lock: a statement that ran meanwhile may have evicted it.
        const prepared = this.#prepared.get(sql) ?? (await this.#prepare(sql));
        try {
          return await this.#execute(prepared, sql, params ?? [], options);
        } catch (error) {
          const code = /** @type {{ code?: unknown }} */ (error)?.code;
          if (typeof code !== 'string' || !FORGET_CODES.has(code)) throw error;
          this.#prepared.delete(sql);
          if (code === '0A000') await this.#close(prepared.name).catch(() => undefined);
          // In a transaction the error has aborted it: the caller sees the error, not a retry's.
          if (inTransaction) throw error;
          return null;
        }
      });
    const result = await (inTransaction ? run() : db._runExclusiveTransaction(run));
    if (result === null) return target.query(sql, params, options);
    if (!inTransaction) await db.syncToFs();
    return result;
  }

  /**
   * @param {string} sql
   * @returns {Promise<Prepared>}
   */
  async #prepare(sql) {
    const name = `sb_${this.#next++}`;
    const messages = await this.#db.execProtocolStream(
      Buffer.concat([
        serialize.parse({ name, text: sql }),
        serialize.describe({ type: 'S', name }),
        serialize.sync(),
      ]),
      { syncToFs: false },
    );
    /** @type {Record<string, unknown> | undefined} */
    const described = /** @type {any} */ (messages.find((m) => m.name === 'parameterDescription'));
    const rowDescription = messages.find((m) => m.name === 'rowDescription') ?? null;
    const prepared = {
      name,
      paramTypes: /** @type {number[]} */ (described?.dataTypeIDs ?? []),
      rowDescription,
    };
    this.#prepared.set(sql, prepared);
    this.#seen.delete(sql);
    if (this.#prepared.size > MAX_PREPARED) {
      const [oldest] = this.#prepared;
      if (oldest) {
        this.#prepared.delete(oldest[0]);
        await this.#close(oldest[1].name);
      }
    }
    return prepared;
  }

  /**
   * @param {Prepared} prepared
   * @param {string} sql
   * @param {unknown[]} params
   * @param {QueryOptions} options
   * @returns {Promise<Results>}
   */
  async #execute(prepared, sql, params, options) {
    // Most recently used last.
    this.#prepared.delete(sql);
    this.#prepared.set(sql, prepared);
    const serializers = /** @type {Record<number, (value: unknown) => string>} */ (this.#db.serializers);
    const values = params.map((value, i) => {
      if (value === null || value === undefined) return null;
      const serializer = serializers[/** @type {number} */ (prepared.paramTypes[i])];
      return serializer ? serializer(value) : String(value);
    });
    const messages = await this.#db.execProtocolStream(
      Buffer.concat([
        serialize.bind({ statement: prepared.name, values }),
        serialize.execute({}),
        serialize.sync(),
      ]),
      { syncToFs: false },
    );
    const all = prepared.rowDescription ? [prepared.rowDescription, ...messages] : messages;
    const parsers = /** @type {any} */ (this.#db).parsers;
    return /** @type {Results} */ (parse.parseResults(/** @type {any} */ (all), parsers, options)[0]);
  }

  /** @param {string} name */
  async #close(name) {
    await this.#db.execProtocolStream(
      Buffer.concat([serialize.close({ type: 'S', name }), serialize.sync()]),
      {
        syncToFs: false,
      },
    );
  }
}
