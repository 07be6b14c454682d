/**
 * What the fake model servers share: an HTTP server on 127.0.0.1 that hands upgrades to a
 * subclass, the list of sessions in connection order, predicate waiters, and a close that
 * leaves no socket behind. Each fake keeps its own URL, auth and refusal rules.
 */
import { EventEmitter } from 'node:events';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { Waiters } from './waiters.ts';

export interface FakeWsServerNames {
  /** Names a session in errors and waiter labels, e.g. `Realtime` ("No fake Realtime session 2"). */
  session: string;
  /** The server, for waiters rejected by `close`, e.g. `Fake OpenAI Realtime server`. */
  server: string;
}

export abstract class FakeWsServer<S, E extends Record<keyof E, unknown[]>> extends EventEmitter<E> {
  readonly sessions: S[] = [];
  protected readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  protected readonly waiters = new Waiters();
  #server: Server;
  #names: FakeWsServerNames;

  constructor(server: Server, names: FakeWsServerNames) {
    super();
    this.#server = server;
    this.#names = names;
    server.on('upgrade', (req, socket, head) => this.upgrade(req, socket, head));
  }

  /** Accepts or refuses one upgrade request. */
  protected abstract upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;

  /** Listens on an ephemeral port of 127.0.0.1 and returns the port. */
  protected async listenOnLoopback(): Promise<number> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    return (this.#server.address() as AddressInfo).port;
  }

  /** Session by index; default the most recent. */
  session(index?: number): S {
    const s = index === undefined ? this.sessions.at(-1) : this.sessions[index];
    if (!s) throw new Error(`No fake ${this.#names.session} session ${index ?? '(latest)'}`);
    return s;
  }

  /** Resolve when `predicate(this)` holds; re-checked after every client message, turn end and close. */
  waitFor(predicate: (fake: this) => boolean, timeoutMs = 5000, label?: string): Promise<void> {
    return this.waiters.wait(() => predicate(this), timeoutMs, label);
  }

  /** Resolve with session `index` once it has connected. */
  async waitForSession(index = 0, timeoutMs = 5000): Promise<S> {
    await this.waitFor(
      (f) => f.sessions.length > index,
      timeoutMs,
      `${this.#names.session} session ${index}`,
    );
    return this.session(index);
  }

  /** Close every session and the server; waits until all sockets are gone. */
  async close(): Promise<void> {
    this.waiters.rejectAll(`${this.#names.server} closed`);
    for (const ws of this.wss.clients) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }
}
