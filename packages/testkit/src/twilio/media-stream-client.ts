import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { twilioSid } from '../util/ids.ts';
import { Waiters } from '../util/waiters.ts';
import { InboundAudio } from './inbound-audio.ts';
import { handleServerMessage } from './media-stream-inbox.ts';
import type {
  CloseInfo,
  MediaStreamEvents,
  ReceivedMessage,
  StreamViolation,
  TwilioStartInfo,
} from './media-stream-types.ts';
import { Playout, type PlayoutMode } from './playout.ts';
import { twilioSignature } from './signature.ts';

export interface MediaStreamClientOptions {
  accountSid?: string;
  callSid?: string;
  streamSid?: string;
  /** `<Parameter>`s of the TwiML, delivered as `start.customParameters`. */
  customParameters?: Record<string, string>;
  /** Extra headers on the upgrade request. */
  headers?: Record<string, string>;
  /** When set, the upgrade carries `X-Twilio-Signature` over `signatureUrl ?? wsUrl` with no params. */
  authToken?: string;
  signatureUrl?: string;
  /** `start.tracks` (default `['inbound']`, what `<Connect><Stream>` gives). */
  tracks?: Array<'inbound' | 'outbound'>;
  /** `realtime` (default): one frame per 20 ms. `burst`: `sendAudio` sends everything at once. */
  pacing?: 'realtime' | 'burst';
  /** Keep sending silence frames when no audio is queued, like a live call. Default true (realtime only). */
  continuous?: boolean;
  /** Outbound playback: `realtime` (default, 8000 bytes/s) or `instant`. */
  playout?: PlayoutMode;
  /** Keep `received` (default true; turn off for long load runs). */
  log?: boolean;
  /** Upgrade timeout (default 5000 ms). */
  connectTimeoutMs?: number;
}

/**
 * Twilio's side of a bidirectional Media Stream (docs/telephony.md#media-streams-messages): sends
 * `connected`, `start`, paced `media`, `dtmf`, `stop`; plays the server's `media` in real time,
 * echoes `mark`s when playback reaches them and honours `clear`. See docs/testkit.md.
 */
export class MediaStreamClient extends EventEmitter<MediaStreamEvents> {
  readonly accountSid: string;
  readonly callSid: string;
  readonly streamSid: string;
  readonly start: TwilioStartInfo;
  /** Every message received from the server, in order (unless `log: false`). */
  readonly received: ReceivedMessage[] = [];
  /** Protocol violations by the server. */
  readonly violations: StreamViolation[] = [];
  /** Marks echoed back to the server, in order. */
  readonly marksSent: Array<{ name: string; cleared: boolean; atMs: number }> = [];
  /** `performance.now()` when `start` was sent (media timestamps count from here). */
  startedAtMs = 0;
  closeInfo: CloseInfo | null = null;
  /** Resolves when the socket has closed. */
  readonly closed: Promise<CloseInfo>;

  #ws: WebSocket;
  #seq = 0;
  #chunk = 0;
  #lastTimestampMs = 0;
  #log: boolean;
  #defaultPaced: boolean;
  #inbound: InboundAudio;
  #playout: Playout;
  #waiters = new Waiters();
  #stopping = false;
  #resolveClosed!: (info: CloseInfo) => void;

  private constructor(ws: WebSocket, opts: MediaStreamClientOptions) {
    super();
    this.#ws = ws;
    this.accountSid = opts.accountSid ?? twilioSid('AC');
    this.callSid = opts.callSid ?? twilioSid('CA');
    this.streamSid = opts.streamSid ?? twilioSid('MZ');
    this.start = {
      accountSid: this.accountSid,
      streamSid: this.streamSid,
      callSid: this.callSid,
      tracks: opts.tracks ?? ['inbound'],
      mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 },
      customParameters: { ...opts.customParameters },
    };
    this.#log = opts.log ?? true;
    const realtime = (opts.pacing ?? 'realtime') === 'realtime';
    this.#defaultPaced = realtime;
    this.#inbound = new InboundAudio({
      realtime,
      continuous: opts.continuous ?? true,
      send: (frame, ts) => this.#sendMedia(frame, ts),
    });
    this.#playout = new Playout(opts.playout ?? 'realtime', (name, cleared) => this.#echoMark(name, cleared));
    this.closed = new Promise((resolve) => {
      this.#resolveClosed = resolve;
    });
    ws.on('message', (data, isBinary) => {
      handleServerMessage(this.#inboxContext, data, isBinary);
      this.#waiters.check();
    });
    ws.on('close', (code, reason) => this.#onClose(code, reason.toString()));
    ws.on('error', () => {}); // a close always follows; never throw from socket callbacks
  }

  /** Open the stream: upgrade, then `connected` and `start` exactly as Twilio sends them. */
  static async connect(wsUrl: string, opts: MediaStreamClientOptions = {}): Promise<MediaStreamClient> {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.authToken) {
      headers['X-Twilio-Signature'] = twilioSignature(opts.authToken, opts.signatureUrl ?? wsUrl, {});
    }
    const ws = new WebSocket(wsUrl, {
      headers,
      perMessageDeflate: false,
      handshakeTimeout: opts.connectTimeoutMs ?? 5000,
    });
    // Attach handlers before `open`: the server may send in the same tick as the upgrade.
    const client = new MediaStreamClient(ws, opts);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('unexpected-response', (_req, res) => {
        const err = Object.assign(new Error(`Media stream upgrade rejected: HTTP ${res.statusCode}`), {
          statusCode: res.statusCode,
        });
        res.resume();
        ws.terminate();
        reject(err);
      });
      ws.once('error', reject);
    });
    client.#sendJson({ event: 'connected', protocol: 'Call', version: '1.0.0' });
    client.startedAtMs = performance.now();
    client.#sendJson({
      event: 'start',
      sequenceNumber: client.#nextSeq(),
      start: client.start,
      streamSid: client.streamSid,
    });
    client.#inbound.start();
    return client;
  }

  /**
   * Send caller audio (raw µ-law) as 160-byte `media` frames; resolves once the last frame is
   * sent. Paced by default in `realtime` mode (one frame per 20 ms, after already-queued audio).
   */
  sendAudio(mulaw: Uint8Array, opts: { paced?: boolean } = {}): Promise<void> {
    if (this.closeInfo || this.#stopping) return Promise.resolve();
    return this.#inbound.push(mulaw, opts.paced ?? this.#defaultPaced);
  }

  /** Send `ms` of µ-law silence (0xFF). */
  sendSilence(ms: number, opts: { paced?: boolean } = {}): Promise<void> {
    return this.sendAudio(Buffer.alloc(Math.round(ms * 8), 0xff), opts);
  }

  /** A keypad press (`dtmf`, track `inbound_track`). */
  sendDtmf(digit: string): void {
    this.#sendJson({
      event: 'dtmf',
      streamSid: this.streamSid,
      sequenceNumber: this.#nextSeq(),
      dtmf: { track: 'inbound_track', digit },
    });
  }

  /** Anything, verbatim (malformed-frame tests). */
  sendRaw(data: string | Buffer): void {
    if (this.#ws.readyState === WebSocket.OPEN) this.#ws.send(data);
  }

  /** Caller hangs up: `stop`, then Twilio closes the socket. Resolves when closed. */
  async stop(): Promise<CloseInfo> {
    if (!this.closeInfo && !this.#stopping) {
      this.#stopping = true;
      this.#inbound.stop();
      this.#sendJson({
        event: 'stop',
        sequenceNumber: this.#nextSeq(),
        stop: { accountSid: this.accountSid, callSid: this.callSid },
        streamSid: this.streamSid,
      });
      this.#ws.close(1000);
      const timer = setTimeout(() => this.#ws.terminate(), 2000);
      await this.closed;
      clearTimeout(timer);
    }
    return this.closed;
  }

  /** Same as `stop()`; safe to call more than once. */
  close(): Promise<CloseInfo> {
    return this.stop();
  }

  /** All outbound audio actually played to the caller so far. */
  heard(): Buffer {
    return this.#playout.heard();
  }

  /** Milliseconds of outbound audio played so far. */
  playedMs(): number {
    return this.#playout.playedMs();
  }

  /** Milliseconds of outbound audio queued and not yet played. */
  bufferedMs(): number {
    return this.#playout.bufferedMs();
  }

  /** Marks queued and not yet echoed. */
  pendingMarks(): string[] {
    return this.#playout.pendingMarks();
  }

  /** Latest inbound `media.timestamp` sent (ms since start). */
  get lastTimestampMs(): number {
    return this.#lastTimestampMs;
  }

  /** Caller frames sent so far (queued audio; automatic silence excluded). */
  get framesSent(): number {
    return this.#inbound.framesSent;
  }

  /** Resolve when `predicate(this)` holds (re-checked on every server message and on close). */
  waitFor(
    predicate: (client: MediaStreamClient) => boolean,
    timeoutMs = 5000,
    label?: string,
  ): Promise<void> {
    return this.#waiters.wait(() => predicate(this), timeoutMs, label);
  }

  /** Resolve when a message with `event` arrives (optionally matching `match`); returns it. */
  async waitForEvent(
    event: string,
    timeoutMs = 5000,
    match: (m: ReceivedMessage) => boolean = () => true,
  ): Promise<ReceivedMessage> {
    const from = this.received.length;
    let found: ReceivedMessage | undefined;
    await this.waitFor(
      () => {
        found = this.received.slice(from).find((m) => m.event === event && match(m));
        return found !== undefined;
      },
      timeoutMs,
      `Twilio-side "${event}"`,
    );
    return found as ReceivedMessage;
  }

  #inboxContext = {
    streamSid: () => this.streamSid,
    log: (entry: ReceivedMessage) => {
      if (this.#log) this.received.push(entry);
    },
    violation: (v: StreamViolation) => {
      this.violations.push(v);
      this.emit('violation', v);
    },
    media: (payload: Buffer, atMs: number) => {
      this.#playout.enqueueMedia(payload, atMs);
      this.emit('media', { payload, atMs });
    },
    mark: (name: string, atMs: number) => {
      this.emit('mark', { name, atMs });
      this.#playout.enqueueMark(name, atMs);
    },
    clear: (atMs: number) => {
      const droppedMs = this.#playout.bufferedMs(atMs);
      const marks = this.#playout.clear(atMs);
      this.emit('clear', { atMs, droppedMs, marks });
    },
  };

  #echoMark(name: string, cleared: boolean): void {
    const atMs = performance.now();
    this.#sendJson({
      event: 'mark',
      sequenceNumber: this.#nextSeq(),
      streamSid: this.streamSid,
      mark: { name },
    });
    const entry = { name, cleared, atMs };
    this.marksSent.push(entry);
    this.emit('mark_sent', entry);
    this.#waiters.check();
  }

  #sendMedia(frame: Buffer, timestampMs: number): void {
    this.#chunk++;
    this.#lastTimestampMs = timestampMs;
    this.#sendJson({
      event: 'media',
      sequenceNumber: this.#nextSeq(),
      media: {
        track: 'inbound',
        chunk: String(this.#chunk),
        timestamp: String(timestampMs),
        payload: frame.toString('base64'),
      },
      streamSid: this.streamSid,
    });
  }

  #nextSeq(): string {
    this.#seq++;
    return String(this.#seq);
  }

  #sendJson(message: object): void {
    if (this.#ws.readyState === WebSocket.OPEN) this.#ws.send(JSON.stringify(message));
  }

  #onClose(code: number, reason: string): void {
    this.#inbound.stop();
    this.#playout.close();
    this.closeInfo = { code, reason, by: this.#stopping ? 'client' : 'server', atMs: performance.now() };
    this.emit('closed', this.closeInfo);
    this.#resolveClosed(this.closeInfo);
    this.#waiters.check();
  }
}
