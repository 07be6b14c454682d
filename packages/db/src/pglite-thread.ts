/**
 * The embedded database on its own thread: a stand-in for a PGlite instance whose statements run
 * in a worker thread (pglite-worker.js). It offers the part of PGlite's API that Drizzle's PGlite
 * driver, its migrator and pg-boss's PGlite adapter call — `query`, `exec`, `transaction`,
 * `listen`, `close` — so they run unchanged, and the WASM Postgres no longer holds the event loop
 * that relays call audio. Semantics are PGlite's: one session, statements in order, and a
 * transaction makes every other statement wait until it ends.
 *
 * Limits: query parsers must be identity functions (they are sent as type OIDs: Drizzle's are);
 * serializers and blobs are not supported. Rows cross threads by structured clone.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { PGliteOptions, QueryOptions, Results } from '@electric-sql/pglite';
import type {
  Reply,
  Request,
  SerializedError,
  StatementRequest,
  WorkerStart,
} from './pglite-thread-protocol.ts';

const WORKER_URL = new URL('./pglite-worker.js', import.meta.url);
/** Postgres compiled to WASM, beside PGlite's entry point. */
const PGLITE_WASM = join(
  dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite')),
  'pglite.wasm',
);

/** The WebAssembly global (this project's TypeScript libs declare only its types). */
const wasm = (globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<object> } })
  .WebAssembly;

/** Postgres' compiled module, shared by every ThreadedPGlite of this process. */
let compiledWasm: Promise<object> | undefined;

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };
type RequestBody = Request extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/** A statement handle inside `transaction()` (what Drizzle's session uses). */
export interface ThreadedTransaction {
  query<T>(sql: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>>;
  exec(sql: string): Promise<Array<Results>>;
  closed: boolean;
}

function toError(serialized: SerializedError): Error {
  const error = new Error(serialized.message);
  const { name, ...fields } = serialized.fields;
  if (typeof name === 'string') error.name = name;
  return Object.assign(error, fields);
}

/** Drizzle passes identity parsers for the types it reads as text; they travel as OIDs. */
function rawTypes(options: QueryOptions | undefined): number[] | undefined {
  if (options?.serializers) throw new Error('embedded database thread: custom serializers are not supported');
  const parsers = options?.parsers;
  if (!parsers) return undefined;
  const probe = 'probe';
  return Object.entries(parsers).map(([oid, parse]) => {
    if (parse(probe, Number(oid)) !== probe) {
      throw new Error('embedded database thread: only identity parsers are supported');
    }
    return Number(oid);
  });
}

export class ThreadedPGlite {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  readonly #listeners = new Map<string, Set<(payload: string) => void>>();
  #nextId = 1;
  #failure: Error | undefined;

  private constructor(worker: Worker, onFailure: ((error: Error) => void) | undefined) {
    this.#worker = worker;
    worker.unref();
    worker.on('message', (reply: Reply) => this.#receive(reply));
    const fail = (error: Error) => {
      if (this.#failure) return;
      this.#failure = error;
      for (const pending of this.#pending.values()) pending.reject(error);
      this.#pending.clear();
      onFailure?.(error);
    };
    worker.on('error', (error) => fail(new Error(`embedded database thread failed: ${error.message}`)));
    worker.on('exit', (code) => fail(new Error(`embedded database thread exited (code ${code})`)));
  }

  /** Starts the worker and waits until its PGlite is open. */
  static async create(
    dataDir: string | null,
    options: WorkerStart['options'] = {},
    onFailure?: (error: Error) => void,
  ): Promise<ThreadedPGlite> {
    // Compiled here and handed over (a WebAssembly.Module crosses threads without a copy): V8's
    // compiler memory is then freed into this thread's allocator, where it is reused, instead of
    // staying resident in the worker's (~100 MiB less idle RSS, measured in PERFORMANCE.md).
    // Once per process: every embedded database of this process (tests open many) shares it.
    compiledWasm ??= readFile(PGLITE_WASM)
      .then((bytes) => wasm.compile(bytes))
      .catch((error: unknown) => {
        compiledWasm = undefined; // not kept: the next database tries again
        throw error;
      });
    const pgliteWasmModule = await compiledWasm;
    const workerData: WorkerStart = { dataDir, options: { ...options, pgliteWasmModule } as PGliteOptions };
    const worker = new Worker(WORKER_URL, { workerData });
    await new Promise<void>((resolve, reject) => {
      const onMessage = (reply: Reply) => {
        if (!('ready' in reply)) return;
        worker.off('message', onMessage);
        if (reply.ready) resolve();
        else reject(toError(reply.error));
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`embedded database thread exited (code ${code})`)));
    }).catch(async (error: unknown) => {
      await worker.terminate();
      throw error;
    });
    return new ThreadedPGlite(worker, onFailure);
  }

  #receive(reply: Reply): void {
    if ('notify' in reply) {
      for (const listener of this.#listeners.get(reply.notify) ?? []) listener(reply.payload);
      return;
    }
    if (!('id' in reply)) return;
    const pending = this.#pending.get(reply.id);
    if (!pending) return;
    this.#pending.delete(reply.id);
    if (this.#pending.size === 0) this.#worker.unref();
    if (reply.ok) pending.resolve(reply.value);
    else pending.reject(toError(reply.error));
  }

  /** Sends one request; the worker keeps the process alive while any is unanswered. */
  #call<T>(body: RequestBody): Promise<T> {
    if (this.#failure) return Promise.reject(this.#failure);
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      if (this.#pending.size === 1) this.#worker.ref();
      this.#worker.postMessage({ ...body, id } as Request);
    });
  }

  #statement(
    op: StatementRequest['op'],
    sql: string,
    params?: unknown[],
    options?: QueryOptions,
    tx?: number,
  ) {
    const types = rawTypes(options);
    return this.#call<unknown>({
      op,
      sql,
      ...(params?.length ? { params } : {}),
      ...(options?.rowMode ? { rowMode: options.rowMode } : {}),
      ...(types ? { rawTypes: types } : {}),
      ...(tx !== undefined ? { tx } : {}),
    });
  }

  query<T>(sql: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>> {
    return this.#statement('query', sql, params, options) as Promise<Results<T>>;
  }

  exec(sql: string): Promise<Array<Results>> {
    return this.#statement('exec', sql) as Promise<Array<Results>>;
  }

  /** Runs `fn` in one transaction: committed when it returns, rolled back when it throws. */
  async transaction<T>(fn: (tx: ThreadedTransaction) => Promise<T>): Promise<T> {
    const txId = this.#nextId;
    await this.#call({ op: 'begin' });
    const tx: ThreadedTransaction = {
      query: <R>(sql: string, params?: unknown[], options?: QueryOptions) =>
        this.#statement('query', sql, params, options, txId) as Promise<Results<R>>,
      exec: (sql: string) =>
        this.#statement('exec', sql, undefined, undefined, txId) as Promise<Array<Results>>,
      closed: false,
    };
    let result: T;
    try {
      result = await fn(tx);
    } catch (error) {
      tx.closed = true;
      await this.#call({ op: 'end', tx: txId, commit: false }).catch(() => {});
      throw error;
    }
    tx.closed = true;
    await this.#call({ op: 'end', tx: txId, commit: true });
    return result;
  }

  /** LISTEN on `channel`; resolves to the function that stops this listener. */
  async listen(channel: string, callback: (payload: string) => void): Promise<() => Promise<void>> {
    let set = this.#listeners.get(channel);
    if (!set) {
      set = new Set();
      this.#listeners.set(channel, set);
      await this.#call({ op: 'listen', channel });
    }
    set.add(callback);
    return () => this.unlisten(channel, callback);
  }

  async unlisten(channel: string, callback?: (payload: string) => void): Promise<void> {
    const set = this.#listeners.get(channel);
    if (!set) return;
    if (callback) set.delete(callback);
    else set.clear();
    if (set.size > 0) return;
    this.#listeners.delete(channel);
    await this.#call({ op: 'unlisten', channel });
  }

  async close(): Promise<void> {
    if (!this.#failure) await this.#call({ op: 'close' }).catch(() => {});
    this.#failure ??= new Error('embedded database closed');
    await this.#worker.terminate();
  }
}
