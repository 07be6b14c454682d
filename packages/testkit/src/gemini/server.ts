import { createServer, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { FakeWsServer } from '../util/fake-ws-server.ts';
import { FakeConversation } from './conversation.ts';
import { FakeGeminiSession } from './session.ts';
import type { FakeGeminiLiveOptions } from './types.ts';

export interface FakeGeminiLiveEvents {
  /** A client connected (before its `setup`). */
  session: [FakeGeminiSession];
}

export const LIVE_METHOD = 'GenerativeService.BidiGenerateContent';

/**
 * A fake Gemini Live server on 127.0.0.1 (docs/realtime-gemini.md#fake-gemini-live-server). Point
 * `GEMINI_BASE_URL` (or the adapter's `baseUrl`) at `fake.url`. Each connection is a
 * `FakeGeminiSession` in `sessions` (connection order). See docs/testkit.md.
 */
export class FakeGeminiLive extends FakeWsServer<FakeGeminiSession, FakeGeminiLiveEvents> {
  /** Base URL, `http://127.0.0.1:PORT` (what `GEMINI_BASE_URL` takes). */
  url = '';
  /** The full endpoint, `ws://127.0.0.1:PORT/ws/google.ai.generativelanguage.v1beta.…BidiGenerateContent`. */
  wsUrl = '';
  /** Upgrades refused (wrong path), for tests. */
  readonly rejected: Array<{ status: number; path: string }> = [];
  readonly opts: FakeGeminiLiveOptions;
  #handles = new Map<string, FakeConversation>();

  constructor(opts: FakeGeminiLiveOptions = {}) {
    const server = createServer();
    super(server, { session: 'Gemini', server: 'Fake Gemini Live server' });
    this.opts = opts;
    server.on('request', (_req, res) => res.writeHead(404).end());
  }

  async listen(): Promise<string> {
    const port = await this.listenOnLoopback();
    this.url = `http://127.0.0.1:${port}`;
    this.wsUrl = `ws://127.0.0.1:${port}/ws/google.ai.generativelanguage.v1beta.${LIVE_METHOD}`;
    return this.url;
  }

  /** The caller starts speaking now (activity start): barge-in when a turn is streaming. */
  triggerSpeechStarted(sessionIndex?: number): void {
    const s = this.session(sessionIndex);
    if (!s.vad) throw new Error('activity detection is off for this session');
    s.onVad(s.vad.forceStart());
    this.waiters.check();
  }

  /** The caller stops speaking now: a user turn and the model's reply. */
  triggerSpeechStopped(sessionIndex?: number): void {
    const s = this.session(sessionIndex);
    if (!s.vad) throw new Error('activity detection is off for this session');
    s.onVad(s.vad.forceStop());
    this.waiters.check();
  }

  /** `goAway` with `timeLeftMs`; the session then closes (1011) when the time is up unless `close: false`. */
  goAway(sessionIndex?: number, timeLeftMs = 10_000, opts: { close?: boolean } = {}): void {
    this.session(sessionIndex).goAway(timeLeftMs, opts.close ?? true);
  }

  /** Send a `sessionResumptionUpdate` now (a new handle when idle). */
  sendResumptionUpdate(sessionIndex?: number): void {
    this.session(sessionIndex).sendResumptionUpdate();
  }

  /** Drop a session: close with `code`/`reason` (1007/1008/1011…), or a TCP reset when `code` is omitted. */
  disconnect(sessionIndex?: number, code?: number, reason?: string): void {
    this.session(sessionIndex).disconnect(code, reason);
  }

  /** Send anything verbatim (malformed-message tests). */
  sendRaw(sessionIndex: number, data: string | Buffer): void {
    this.session(sessionIndex).sendRaw(data);
  }

  protected upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    // The SDK requests `//ws/…` (docs/realtime-gemini.md#gemini-traps): collapse leading slashes
    // before parsing, or `new URL` would read `ws` as the host.
    const raw = (req.url ?? '/').replace(/^\/+/, '/');
    const url = new URL(raw, 'http://fake');
    if (!url.pathname.endsWith(LIVE_METHOD) && !url.pathname.endsWith(`${LIVE_METHOD}Constrained`)) {
      this.rejected.push({ status: 404, path: url.pathname });
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      this.waiters.check();
      return;
    }
    const key =
      url.searchParams.get('key') ?? url.searchParams.get('access_token') ?? req.headers['x-goog-api-key'];
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const session = new FakeGeminiSession(this.sessions.length, ws, raw, req.headers, {
        opts: this.opts,
        newConversation: (index, model) =>
          new FakeConversation(this.opts.scriptFor?.(index, model) ?? this.opts.script ?? []),
        resume: (handle) => this.#handles.get(handle),
        issued: (handle, conversation) => this.#handles.set(handle, conversation),
        notify: () => this.waiters.check(),
      });
      this.sessions.push(session);
      this.emit('session', session);
      // Errors are close codes, after the upgrade (there is no JSON error message).
      if (!key || (this.opts.apiKey !== undefined && key !== this.opts.apiKey)) {
        ws.close(1007, 'API key not valid. Please pass a valid API key.');
      }
      this.waiters.check();
    });
  }
}

/** Start a fake Gemini Live server on 127.0.0.1:0; `fake.url` is the base URL for the adapter. */
export async function startFakeGeminiLive(opts: FakeGeminiLiveOptions = {}): Promise<FakeGeminiLive> {
  const fake = new FakeGeminiLive(opts);
  await fake.listen();
  return fake;
}
