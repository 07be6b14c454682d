import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { Waiters } from '../util/waiters.ts';

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary nested fields of server events.
export type ServerEvent = Record<string, any> & { type: string; atMs: number };

/**
 * A plain `ws` Realtime client for the fake's own tests (and for anyone who wants to poke the
 * fake by hand): records every server event with its arrival time.
 */
export class RealtimeTestClient {
  readonly events: ServerEvent[] = [];
  closeInfo: { code: number; reason: string } | null = null;
  readonly ws: WebSocket;
  #waiters = new Waiters();

  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on('message', (data) => {
      const text = data.toString();
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = { type: '(unparsable)', raw: text };
      }
      this.events.push({ ...parsed, type: String(parsed.type), atMs: performance.now() });
      this.#waiters.check();
    });
    ws.on('close', (code, reason) => {
      this.closeInfo = { code, reason: reason.toString() };
      this.#waiters.check();
    });
    ws.on('error', () => {});
  }

  static async connect(
    url: string,
    apiKey: string | null = 'sk-test',
    headers: Record<string, string> = {},
  ): Promise<RealtimeTestClient> {
    const ws = new WebSocket(url, {
      headers: { ...(apiKey ? { Authorization: `Bearer ${apiKey}` } : {}), ...headers },
    });
    // Listen before `open`: the server's first event can arrive in the same tick as the upgrade.
    const client = new RealtimeTestClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (c: Buffer) => {
          body += c.toString();
        });
        res.on('end', () =>
          reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { statusCode: res.statusCode, body })),
        );
      });
      ws.once('error', reject);
    });
    return client;
  }

  send(event: Record<string, unknown>): void {
    this.ws.send(JSON.stringify(event));
  }

  of(type: string): ServerEvent[] {
    return this.events.filter((e) => e.type === type);
  }

  types(): string[] {
    return this.events.map((e) => e.type);
  }

  /** Wait for the `n`-th (1-based) event of `type`. */
  async next(type: string, n = 1, timeoutMs = 3000): Promise<ServerEvent> {
    await this.#waiters.wait(() => this.of(type).length >= n, timeoutMs, `${type} #${n}`);
    return this.of(type)[n - 1] as ServerEvent;
  }

  waitFor(predicate: () => boolean, timeoutMs = 3000, label?: string): Promise<void> {
    return this.#waiters.wait(predicate, timeoutMs, label);
  }

  close(): Promise<void> {
    if (this.closeInfo) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.ws.terminate(), 1000);
      this.ws.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      this.ws.close();
    });
  }
}
