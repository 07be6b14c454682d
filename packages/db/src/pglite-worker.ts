/**
 * The embedded database's own thread (`PGLITE_THREAD=worker`, the default for the server): a
 * worker thread that owns the PGlite instance and runs every statement, so the WASM Postgres
 * never runs on the event loop that relays call audio. The main thread talks to it through
 * `ThreadedPGlite` (pglite-thread.ts); the messages are in pglite-thread-protocol.ts.
 *
 * Transactions: a `begin` opens `pglite.transaction()` here and keeps it open while the main
 * thread sends statements tagged with its id; `end` commits (returns) or rolls back (throws a
 * sentinel). PGlite's own lock makes other statements wait meanwhile, exactly as in-process.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { PGlite, QueryOptions, Transaction } from '@electric-sql/pglite';
import { openPglite } from './pglite-settings.ts';
import type { Reply, Request, StatementRequest, WorkerStart } from './pglite-thread-protocol.ts';

const port = parentPort;
if (!port) throw new Error('pglite-worker: must run as a worker thread');
const start = workerData as WorkerStart;
const ROLLBACK = Symbol('rollback');

/** Statements of one open transaction, handled one at a time in arrival order. */
class Inbox {
  #queue: Request[] = [];
  #waiting: ((request: Request) => void) | undefined;
  push(request: Request): void {
    if (this.#waiting) {
      const wake = this.#waiting;
      this.#waiting = undefined;
      wake(request);
    } else this.#queue.push(request);
  }
  next(): Promise<Request> {
    const queued = this.#queue.shift();
    return queued ? Promise.resolve(queued) : new Promise((resolve) => (this.#waiting = resolve));
  }
}

const transactions = new Map<number, Inbox>();
const unlisteners = new Map<string, () => Promise<void>>();

function send(reply: Reply): void {
  port?.postMessage(reply);
}

/** A PGlite error as plain fields (its `query`/`params`/`queryOptions` stay here). */
function errorFields(error: unknown): { message: string; fields: Record<string, unknown> } {
  if (!(error instanceof Error)) return { message: String(error), fields: {} };
  const fields: Record<string, unknown> = { name: error.name };
  for (const [key, value] of Object.entries(error)) {
    if (key === 'query' || key === 'params' || key === 'queryOptions') continue;
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) fields[key] = value;
  }
  return { message: error.message, fields };
}

function reply(id: number, work: () => Promise<unknown>): Promise<void> {
  return work().then(
    (value) => send({ id, ok: true, value }),
    (error: unknown) => send({ id, ok: false, error: errorFields(error) }),
  );
}

const identity = (value: unknown) => value;

function queryOptions(request: StatementRequest): QueryOptions {
  const parsers = Object.fromEntries((request.rawTypes ?? []).map((oid) => [oid, identity]));
  return { ...(request.rowMode ? { rowMode: request.rowMode } : {}), parsers };
}

function runStatement(target: PGlite | Transaction, request: StatementRequest): Promise<unknown> {
  if (request.op === 'exec') return target.exec(request.sql);
  return target.query(request.sql, request.params, queryOptions(request));
}

function begin(db: PGlite, id: number): void {
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
        await reply(request.id, () => runStatement(tx, request));
    }
  })
    .then(
      () => send({ id: endId, ok: true, value: null }),
      (error: unknown) =>
        send(
          error === ROLLBACK
            ? { id: endId, ok: true, value: null }
            : { id: endId, ok: false, error: errorFields(error) },
        ),
    )
    .finally(() => transactions.delete(id));
}

async function main(): Promise<void> {
  const db = await openPglite(start.dataDir, start.options);
  port?.on('message', (request: Request) => {
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
        void reply(request.id, () => runStatement(db, request));
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
        void reply(request.id, () => db.close());
        return;
      default:
        send({ id: request.id, ok: false, error: { message: 'unknown request', fields: {} } });
    }
  });
  send({ ready: true });
}

main().catch((error: unknown) => send({ ready: false, error: errorFields(error) }));
