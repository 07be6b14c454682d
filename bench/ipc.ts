/**
 * Request/reply over the Node IPC channel between the benchmark and its child processes
 * (`fork` with `serialization: 'advanced'`, so typed arrays cross without copying to JSON).
 */
import type { ChildProcess } from 'node:child_process';

interface Request {
  rpc: number;
  cmd: string;
  args: unknown;
}
type Reply = { rpc: number; ok: true; result: unknown } | { rpc: number; ok: false; error: string };
type Handler = (args: never) => unknown;

/** In a child: answer requests with `handlers`; exit when the parent goes away. */
export function serveRpc(handlers: Record<string, Handler>, onDisconnect: () => void): void {
  if (!process.send) throw new Error('this module must be started by the benchmark (child_process.fork)');
  process.on('message', (raw: unknown) => {
    const req = raw as Request;
    if (typeof req?.rpc !== 'number') return;
    const handler = handlers[req.cmd];
    Promise.resolve()
      .then(() => {
        if (!handler) throw new Error(`unknown command ${req.cmd}`);
        return (handler as (a: unknown) => unknown)(req.args);
      })
      .then(
        (result) => reply({ rpc: req.rpc, ok: true, result }),
        (error: unknown) => reply({ rpc: req.rpc, ok: false, error: String(error) }),
      );
  });
  process.on('disconnect', onDisconnect);
}

function reply(message: Reply): void {
  if (process.connected) process.send?.(message);
}

/** In the parent: send a command to a forked child and await its reply. */
export class RpcClient {
  #child: ChildProcess;
  #next = 1;
  #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  readonly name: string;

  constructor(name: string, child: ChildProcess) {
    this.name = name;
    this.#child = child;
    child.on('message', (raw: unknown) => {
      const msg = raw as Reply;
      const waiter = typeof msg?.rpc === 'number' ? this.#pending.get(msg.rpc) : undefined;
      if (!waiter) return;
      this.#pending.delete(msg.rpc);
      if (msg.ok) waiter.resolve(msg.result);
      else waiter.reject(new Error(`${name}: ${msg.error}`));
    });
    child.on('exit', (code, signal) => {
      for (const w of this.#pending.values()) w.reject(new Error(`${name} exited (${signal ?? code})`));
      this.#pending.clear();
    });
  }

  call<T>(cmd: string, args: unknown = null, timeoutMs = 60_000): Promise<T> {
    const rpc = this.#next++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(rpc);
        reject(new Error(`${this.name}: ${cmd} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(rpc, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      if (!this.#child.connected) {
        this.#pending.delete(rpc);
        clearTimeout(timer);
        reject(new Error(`${this.name} is not running`));
        return;
      }
      this.#child.send({ rpc, cmd, args } satisfies Request);
    });
  }
}
