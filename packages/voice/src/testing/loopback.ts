/**
 * A thin WebSocket server on 127.0.0.1 for adapter tests: records every JSON frame a client
 * sends, lets the test reply, wait for a frame, or drop the connection. Provider fakes
 * (OpenAI, Gemini) and the model conformance suite build on it.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

export type Frame = Record<string, unknown>;

export interface LoopbackConnection {
  /** Request path and query, e.g. `/v1/realtime?model=gpt-realtime`. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** Every text frame received, JSON-parsed (non-JSON frames are kept as `{ raw }`). */
  readonly received: Frame[];
  send(message: object | string): void;
  /** Calls `handler` for every later frame (after `received` is updated). */
  onMessage(handler: (frame: Frame) => void): void;
  /** Resolves with the first received frame (past or future) matching `predicate`. */
  waitFor(predicate: (frame: Frame) => boolean, timeoutMs?: number): Promise<Frame>;
  close(code?: number, reason?: string): void;
  /** Drops the TCP connection without a close frame (a network failure). */
  terminate(): void;
  readonly closed: Promise<{ code: number; reason: string }>;
}

export interface LoopbackServer {
  /** `ws://127.0.0.1:<port>` */
  readonly url: string;
  readonly connections: LoopbackConnection[];
  /** Resolves with the next (or an already accepted, not yet taken) connection. */
  nextConnection(timeoutMs?: number): Promise<LoopbackConnection>;
  close(): Promise<void>;
}

export interface LoopbackOptions {
  /** Called synchronously for each connection, before any frame is read. */
  onConnection?: (connection: LoopbackConnection) => void;
  /** Refuse the upgrade with this HTTP status (e.g. 401) instead of accepting. */
  rejectStatus?: number;
}

export async function startLoopbackServer(options: LoopbackOptions = {}): Promise<LoopbackServer> {
  const wss = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    verifyClient: (_info, cb) => (options.rejectStatus ? cb(false, options.rejectStatus) : cb(true)),
  });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const { port } = wss.address() as AddressInfo;
  const connections: LoopbackConnection[] = [];
  let taken = 0;
  const waiters: Array<() => void> = [];

  wss.on('connection', (socket, request) => {
    const connection = wrap(socket, request.url ?? '/', request.headers);
    connections.push(connection);
    options.onConnection?.(connection);
    for (const wake of waiters.splice(0)) wake();
  });

  return {
    url: `ws://127.0.0.1:${port}`,
    connections,
    nextConnection(timeoutMs = 2000) {
      return waitUntil(
        () => (connections.length > taken ? connections[taken++] : undefined),
        waiters,
        timeoutMs,
        'connection',
      );
    },
    close() {
      for (const client of wss.clients) client.terminate();
      return new Promise((resolve) => wss.close(() => resolve()));
    },
  };
}

function wrap(socket: WebSocket, path: string, headers: IncomingHttpHeaders): LoopbackConnection {
  const received: Frame[] = [];
  const handlers: Array<(frame: Frame) => void> = [];
  const waiters: Array<() => void> = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
  });
  socket.on('error', () => {});
  socket.on('message', (data) => {
    let frame: Frame;
    try {
      frame = JSON.parse(String(data)) as Frame;
    } catch {
      frame = { raw: String(data) };
    }
    received.push(frame);
    for (const handler of handlers) handler(frame);
    for (const wake of waiters.splice(0)) wake();
  });
  return {
    path,
    headers,
    received,
    closed,
    send: (message) => socket.send(typeof message === 'string' ? message : JSON.stringify(message)),
    onMessage: (handler) => handlers.push(handler),
    waitFor: (predicate, timeoutMs = 2000) =>
      waitUntil(() => received.find(predicate), waiters, timeoutMs, 'frame'),
    close: (code = 1000, reason = '') => socket.close(code, reason),
    terminate: () => socket.terminate(),
  };
}

function waitUntil<T>(
  probe: () => T | undefined,
  waiters: Array<() => void>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const value = probe();
      if (value === undefined) return false;
      clearTimeout(timer);
      resolve(value);
      return true;
    };
    const timer = setTimeout(
      () => reject(new Error(`loopback: no ${what} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const retry = () => {
      if (!check()) waiters.push(retry);
    };
    retry();
  });
}
