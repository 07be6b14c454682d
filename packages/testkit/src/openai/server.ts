import { createServer, type IncomingMessage } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import { TagClock } from '../tagging.ts';
import { FakeWsServer } from '../util/fake-ws-server.ts';
import { FakeRealtimeSession } from './session.ts';
import type { FakeOpenAIRealtimeOptions } from './types.ts';

export interface FakeOpenAIRealtimeEvents {
  /** A client connected (after auth). */
  session: [FakeRealtimeSession];
}

/**
 * A fake OpenAI Realtime GA server on 127.0.0.1 (docs/realtime.md#openai-realtime-ga-adapter). Each
 * connection is a `FakeRealtimeSession` in `sessions` (connection order). See docs/testkit.md.
 */
export class FakeOpenAIRealtime extends FakeWsServer<FakeRealtimeSession, FakeOpenAIRealtimeEvents> {
  /** `ws://127.0.0.1:PORT/v1/realtime` (append `?model=…`). */
  url = '';
  /** Emit times of tagged deltas (`tagAudio`), indexed by tag sequence number. */
  readonly tags = new TagClock();
  /** Upgrade attempts refused (status + reason), for auth tests. */
  readonly rejected: Array<{ status: number; reason: string; headers: IncomingMessage['headers'] }> = [];
  readonly opts: FakeOpenAIRealtimeOptions;
  #nextTag = 0;

  constructor(opts: FakeOpenAIRealtimeOptions = {}) {
    const server = opts.tls ? createHttpsServer({ key: opts.tls.key, cert: opts.tls.cert }) : createServer();
    super(server, { session: 'Realtime', server: 'Fake OpenAI Realtime server' });
    this.opts = opts;
    server.on('request', (_req, res) =>
      res.writeHead(426, { 'Content-Type': 'text/plain' }).end('Upgrade Required'),
    );
  }

  async listen(): Promise<string> {
    const port = await this.listenOnLoopback();
    this.url = `${this.opts.tls ? 'wss' : 'ws'}://127.0.0.1:${port}${this.opts.path ?? '/v1/realtime'}`;
    return this.url;
  }

  /** Simulate the caller starting to speak (VAD onset) now: barge-in when a response is streaming. */
  triggerSpeechStarted(sessionIndex?: number): void {
    const s = this.session(sessionIndex);
    const vad = s.input.vad;
    if (!vad) throw new Error('turn_detection is off for this session');
    s.onVad(vad.forceStart());
    this.waiters.check();
  }

  /** Simulate the end of that speech: `speech_stopped`, commit, transcript and (auto) response. */
  triggerSpeechStopped(sessionIndex?: number): void {
    const s = this.session(sessionIndex);
    const vad = s.input.vad;
    if (!vad) throw new Error('turn_detection is off for this session');
    s.onVad(vad.forceStop());
    this.waiters.check();
  }

  /** Drop a session: close frame with `code`, or an abrupt TCP reset when `code` is omitted. */
  disconnect(sessionIndex?: number, code?: number, reason?: string): void {
    this.session(sessionIndex).disconnect(code, reason);
  }

  /** Send anything verbatim (malformed-message tests). */
  sendRaw(sessionIndex: number, data: string | Buffer): void {
    this.session(sessionIndex).sendRaw(data);
  }

  /** Send `rate_limits.updated` to one session (or all when `sessionIndex` is undefined). */
  emitRateLimits(sessionIndex?: number, limits?: unknown[]): void {
    const targets = sessionIndex === undefined ? this.sessions : [this.session(sessionIndex)];
    for (const s of targets) if (!s.closeInfo) s.emitRateLimits(limits);
  }

  protected upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    const refusal = this.#check(req, url);
    if (refusal) {
      this.#refuse(req, socket, ...refusal);
      return;
    }
    const model = url.searchParams.get('model') ?? 'gpt-realtime';
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      if ((this.opts.rejectBetaHeader ?? true) && req.headers['openai-beta']) {
        ws.close(4000, 'beta_api_shape_disabled');
        return;
      }
      const session = new FakeRealtimeSession(this.sessions.length, ws, model, req.headers, {
        opts: this.opts,
        emitTag: () => {
          const seq = this.#nextTag++;
          this.tags.record(seq);
          return seq;
        },
        notify: () => this.waiters.check(),
      });
      this.sessions.push(session);
      this.emit('session', session);
      this.waiters.check();
    });
  }

  /** Why the upgrade must be refused (status, code, message), or null. Mirrors the real API's JSON errors. */
  #check(req: IncomingMessage, url: URL): [number, string, string] | null {
    const path = this.opts.path ?? '/v1/realtime';
    if (url.pathname !== path) return [404, 'not_found', `Invalid URL (GET ${url.pathname})`];
    const auth = req.headers.authorization ?? '';
    const key = auth.startsWith('Bearer ') ? auth.slice(7).trim() : '';
    if (!key) {
      return [
        401,
        'missing_api_key',
        "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
      ];
    }
    if (this.opts.apiKey !== undefined && key !== this.opts.apiKey) {
      return [401, 'invalid_api_key', `Incorrect API key provided: ${key.slice(0, 3)}***${key.slice(-4)}.`];
    }
    return null;
  }

  #refuse(req: IncomingMessage, socket: Duplex, status: number, code: string, message: string): void {
    this.rejected.push({ status, reason: code, headers: req.headers });
    const body = JSON.stringify({ error: { message, type: 'invalid_request_error', code, param: null } });
    const reason = status === 401 ? 'Unauthorized' : 'Not Found';
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
    this.waiters.check();
  }
}

/** Start a fake OpenAI Realtime server on 127.0.0.1:0; `fake.url` is its `ws://…/v1/realtime` URL. */
export async function startFakeOpenAIRealtime(
  opts: FakeOpenAIRealtimeOptions = {},
): Promise<FakeOpenAIRealtime> {
  const fake = new FakeOpenAIRealtime(opts);
  await fake.listen();
  return fake;
}
