// @ts-check
/**
 * The embedded database's own thread (`PGLITE_THREAD=worker`, the default for the server): a
 * worker thread that owns the PGlite instance and runs every statement, so the WASM Postgres
 * never runs on the event loop that relays call audio. The main thread talks to it through
 * `ThreadedPGlite` (pglite-thread.ts); the messages are in pglite-thread-protocol.ts.
 *
 * Transactions: a `begin` opens `pglite.transaction()` here and keeps it open while the main
 * thread sends statements tagged with its id; `end` commits (returns) or rolls back (throws a
 * sentinel). PGlite's own lock makes other statements wait meanwhile, exactly as in-process.
 *
 * JavaScript with JSDoc types (checked by tsc: `// @ts-check`, tsconfig.json), so that the thread
 * loads no `.ts` file and Node never loads its type stripper here (see open-pglite.js).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openPgliteWithVector } from './open-pglite.js';
import { AutoAnalyze } from './pglite-analyze.js';
import { PreparedStatements } from './pglite-statements.js';

/** @typedef {import('@electric-sql/pglite').PGlite} PGlite */
/** @typedef {import('@electric-sql/pglite').QueryOptions} QueryOptions */
/** @typedef {import('@electric-sql/pglite').Transaction} Transaction */
/** @typedef {import('./pglite-thread-protocol.ts').Reply} Reply */
/** @typedef {import('./pglite-thread-protocol.ts').Request} Request */
/** @typedef {import('./pglite-thread-protocol.ts').StatementRequest} StatementRequest */
/** @typedef {import('./pglite-thread-protocol.ts').WorkerStart} WorkerStart */

const port = parentPort;
if (!port) throw new Error('pglite-worker: must run as a worker thread');
const start = /** @type {WorkerStart} */ (workerData);
const ROLLBACK = Symbol('rollback');

/** Statements of one open transaction, handled one at a time in arrival order. */
class Inbox {
  /** @type {Request[]} */
  #queue = [];
  /** @type {((request: Request) => void) | undefined} */
  #waiting;
  /** @param {Request} request */
  push(request) {
    if (this.#waiting) {
      const wake = this.#waiting;
      this.#waiting = undefined;
      wake(request);
    } else this.#queue.push(request);
  }
  /** @returns {Promise<Request>} */
  next() {
    const queued = this.#queue.shift();
    return queued ? Promise.resolve(queued) : new Promise((resolve) => (this.#waiting = resolve));
  }
}

/** @type {Map<number, Inbox>} */
const transactions = new Map();
/** @type {Map<string, () => Promise<void>>} */
const unlisteners = new Map();

/** @param {Reply} reply */
function send(reply) {
  port?.postMessage(reply);
}

/**
 * A PGlite error as plain fields (its `query`/`params`/`queryOptions` stay here).
 * @param {unknown} error
 * @returns {{ message: string; fields: Record<string, unknown> }}
 */
function errorFields(error) {
  if (!(error instanceof Error)) return { message: String(error), fields: {} };
  /** @type {Record<string, unknown>} */
  const fields = { name: error.name };
  for (const [key, value] of Object.entries(error)) {
    if (key === 'query' || key === 'params' || key === 'queryOptions') continue;
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) fields[key] = value;
  }
  return { message: error.message, fields };
}

/**
 * @param {number} id
 * @param {() => Promise<unknown>} work
 * @returns {Promise<void>}
 */
function reply(id, work) {
  return work().then(
    (value) => send({ id, ok: true, value }),
    (/** @type {unknown} */ error) => send({ id, ok: false, error: errorFields(error) }),
  );
}

/** @param {unknown} value */
const identity = (value) => value;

/**
 * @param {StatementRequest} request
 * @returns {QueryOptions}
 */
function queryOptions(request) {
  const parsers = Object.fromEntries((request.rawTypes ?? []).map((oid) => [oid, identity]));
  return { ...(request.rowMode ? { rowMode: request.rowMode } : {}), parsers };
}

/** @type {PreparedStatements} */
let statements;
/** @type {AutoAnalyze} */
let autoAnalyze;

/**
 * Rows a statement's result says it changed (`exec` returns one result per statement).
 * @param {unknown} result
 * @returns {number}
 */
function affectedRows(result) {
  const results = Array.isArray(result) ? result : [result];
  let rows = 0;
  for (const r of results) rows += /** @type {{ affectedRows?: number } | null} */ (r)?.affectedRows ?? 0;
  return rows;
}

/**
 * A query runs as a named prepared statement once its text is seen again (pglite-statements.js);
 * `exec` (several statements, no parameters) goes through PGlite's simple query as it is. The rows
 * a write changed are counted for the tables' statistics (pglite-analyze.js).
 * @param {PGlite | Transaction} target
 * @param {StatementRequest} request
 * @param {boolean} inTransaction
 * @returns {Promise<unknown>}
 */
async function runStatement(target, request, inTransaction) {
  const result =
    request.op === 'exec'
      ? await target.exec(request.sql)
      : await statements.query(target, inTransaction, request.sql, request.params, queryOptions(request));
  autoAnalyze.note(request.sql, affectedRows(result));
  return result;
}

/**
 * @param {PGlite} db
 * @param {number} id
 */
function begin(db, id) {
  let endId = id;
  db.transaction(async (tx) => {
    const inbox = new Inbox();
    transactions.set(id, inbox);
    send({ id, ok: true, value: null });
    for (;;) {
      const request = await inbox.next();
      if (request.op === 'end') {
        endId = request.id;
        if (!request.commit) throw ROLLBACK;
        return;
      }
      if (request.op === 'query' || request.op === 'exec')
        await reply(request.id, () => runStatement(tx, request, true));
    }
  })
    .then(
      () => send({ id: endId, ok: true, value: null }),
      (/** @type {unknown} */ error) =>
        send(
          error === ROLLBACK
            ? { id: endId, ok: true, value: null }
            : { id: endId, ok: false, error: errorFields(error) },
        ),
    )
    .finally(() => transactions.delete(id));
}

async function main() {
  const db = await openPgliteWithVector(start.dataDir, start.options);
  statements = new PreparedStatements(db);
  autoAnalyze = new AutoAnalyze((sql, params) => db.query(sql, params));
  port?.on('message', (/** @type {Request} */ request) => {
    if (
      (request.op === 'query' || request.op === 'exec' || request.op === 'end') &&
      request.tx !== undefined
    ) {
      const inbox = transactions.get(request.tx);
      if (inbox) inbox.push(request);
      else send({ id: request.id, ok: false, error: { message: 'transaction is not open', fields: {} } });
      return;
    }
    switch (request.op) {
      case 'query':
      case 'exec':
        void reply(request.id, () => runStatement(db, request, false));
        return;
      case 'begin':
        begin(db, request.id);
        return;
      case 'listen':
        void reply(request.id, async () => {
          if (unlisteners.has(request.channel)) return null;
          const stop = await db.listen(request.channel, (payload) =>
            send({ notify: request.channel, payload }),
          );
          unlisteners.set(request.channel, () => stop());
          return null;
        });
        return;
      case 'unlisten':
        void reply(request.id, async () => {
          await unlisteners.get(request.channel)?.();
          unlisteners.delete(request.channel);
          return null;
        });
        return;
      case 'close':
        autoAnalyze.stop();
        void reply(request.id, () => db.close());
        return;
      default:
        send({ id: request.id, ok: false, error: { message: 'unknown request', fields: {} } });
    }
  });
  send({ ready: true });
}

main().catch((/** @type {unknown} */ error) => send({ ready: false, error: errorFields(error) }));
