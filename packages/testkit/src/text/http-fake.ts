/**
 * The HTTP side shared by the text model fakes: a loopback server that reads bounded JSON
 * bodies, records every request, injects latency and queued failures, and writes JSON or SSE.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Waiters } from '../util/waiters.ts';
import {
  type TextConversation,
  type TextFakeError,
  type TextReply,
  TextScript,
  type TextScriptTurn,
} from './script.ts';

/** Largest request body read (bigger: 413). */
const MAX_BODY_BYTES = 20 * 1024 * 1024;

export interface RecordedTextRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body (undefined when it was not JSON). */
  body: unknown;
  /** The request read into the script's provider-neutral form (when it was valid). */
  conversation?: TextConversation;
  stream: boolean;
  /** The status answered. */
  status: number;
  /** Script turn that answered (-1 = fallback; undefined = refused before the script). */
  turnIndex?: number;
  atMs: number;
}

export interface QueuedFailure extends TextFakeError {
  /** How many requests fail this way (default 1). */
  times?: number;
}

/** Options both text fakes take. */
export interface TextFakeOptions {
  /** Key to require; when omitted any non-empty key is accepted. */
  apiKey?: string;
  script?: TextScriptTurn[];
  /** The answer when no turn matches (default: "Okay."). */
  fallback?: TextReply;
  /** Models that exist (others: 404); default any. */
  models?: string[];
  /** Characters per streamed text piece (default 8). */
  chunkChars?: number;
  /** Pause between streamed chunks, ms (default 0). */
  chunkDelayMs?: number;
  /** Pause before every answer, ms (default 0). */
  latencyMs?: number;
}

/** What a started text fake offers a test. */
export interface TextFake {
  /** The API base for the product's URL variable. */
  url: string;
  requests: RecordedTextRequest[];
  /** Scripted calls to tools the request did not declare (dropped: the API never calls them). */
  problems: string[];
  setScript(turns: TextScriptTurn[]): void;
  /** The next request(s) fail with this HTTP error (after the key check, before the script). */
  failNext(failure: QueuedFailure): void;
  waitForRequests(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface FakeRequestContext {
  record: RecordedTextRequest;
  res: ServerResponse;
}

export class HttpFake {
  readonly requests: RecordedTextRequest[] = [];
  readonly problems: string[] = [];
  script: TextScript;
  readonly #failures: QueuedFailure[] = [];
  readonly #waiters = new Waiters();
  readonly #server = createServer((req, res) => void this.#serve(req, res));
  readonly #latencyMs: number;
  readonly #handle: (ctx: FakeRequestContext, failure: QueuedFailure | undefined) => Promise<void>;
  url = '';

  readonly #fallback: TextReply | undefined;

  constructor(
    options: TextFakeOptions,
    handle: (ctx: FakeRequestContext, failure: QueuedFailure | undefined) => Promise<void>,
  ) {
    this.#latencyMs = options.latencyMs ?? 0;
    this.#fallback = options.fallback;
    this.script = new TextScript(options.script ?? [], options.fallback);
    this.#handle = handle;
  }

  /** The test's handle, with `url` as the API base (the server's root plus `basePath`). */
  handle(basePath = ''): TextFake {
    return {
      url: `${this.url}${basePath}`,
      requests: this.requests,
      problems: this.problems,
      setScript: (turns) => {
        this.script = new TextScript(turns, this.#fallback);
      },
      failNext: (failure) => this.failNext(failure),
      waitForRequests: (count, timeoutMs) => this.waitForRequests(count, timeoutMs),
      close: () => this.close(),
    };
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  failNext(failure: QueuedFailure): void {
    this.#failures.push({ ...failure, times: failure.times ?? 1 });
  }

  waitForRequests(count: number, timeoutMs = 5_000): Promise<void> {
    return this.#waiters.wait(() => this.requests.length >= count, timeoutMs, `${count} requests`);
  }

  /** Call after a request's record is complete (status set). */
  settled(): void {
    this.#waiters.check();
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const record: RecordedTextRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body: undefined,
      stream: false,
      status: 0,
      atMs: performance.now(),
    };
    this.requests.push(record);
    try {
      const raw = await readBody(req);
      if (raw === null) return sendJson(res, record, 413, { error: { message: 'Request too large' } });
      try {
        record.body = raw === '' ? undefined : (JSON.parse(raw) as unknown);
      } catch {
        record.body = undefined;
      }
      if (this.#latencyMs > 0) await delay(this.#latencyMs);
      const failure = this.#failures[0];
      if (failure && --failure.times! <= 0) this.#failures.shift();
      await this.#handle({ record, res }, failure);
    } catch {
      if (!res.headersSent) sendJson(res, record, 500, { error: { message: 'fake failed' } });
      else res.destroy();
    } finally {
      this.#waiters.check();
    }
  }
}

async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of req) {
    bytes += (chunk as Buffer).byteLength;
    if (bytes > MAX_BODY_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function sendJson(
  res: ServerResponse,
  record: RecordedTextRequest,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  record.status = status;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(text);
}

/** Starts an SSE answer; `send` writes one `data:` event, `separator` is `\n\n` (OpenAI) or `\r\n\r\n` (Google). */
export function startSse(res: ServerResponse, record: RecordedTextRequest, separator: string) {
  record.status = 200;
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
  return {
    send: (data: string): void => {
      res.write(`data: ${data}${separator}`);
    },
    end: (): void => {
      res.end();
    },
    /** Cuts the connection mid-stream (a dropped connection), once what was written has left. */
    drop: (): void => {
      setTimeout(() => res.destroy(), 50);
    },
  };
}

export function delay(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
