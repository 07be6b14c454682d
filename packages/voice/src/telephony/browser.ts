/**
 * The browser as a phone (docs/telephony.md "Browser calls"): a {@link TelephonyTransport} over
 * the dashboard's WebSocket, carrying base64 PCM16 24 kHz both ways, so a browser test call runs
 * through the same `CallSession` as a phone call.
 *
 * There is no provider handshake: the transport emits `start` itself, with synthetic ids, on the
 * microtask after the first `start` listener subscribes. The browser plays audio as it arrives
 * and never echoes marks, so marks are answered by an emulated playout clock (playout-clock.ts);
 * `clear` tells the browser to drop its queue and echoes every pending mark, as Twilio does.
 * Server notices (`ready`, `transcript`, `ended`, `error`) go out through `notify`. Nothing here
 * throws from a socket callback; malformed, binary and oversized frames are dropped and reported.
 */
import { base64DurationMs, describeFormat, PCM16_24K, sameFormat } from '../audio-format.ts';
import { TypedEmitter } from '../emitter.ts';
import { errorEvent, listenerError, VoiceError, type VoiceErrorCode } from '../errors.ts';
import type {
  AudioFormat,
  Logger,
  SocketLike,
  TelephonyEvents,
  TelephonyStartInfo,
  TelephonyTransport,
  TransportState,
} from '../types.ts';
import { type BrowserInbound, type BrowserNotice, parseBrowserFrame } from './browser-messages.ts';
import { InboundFrames } from './inbound-frames.ts';
import { PlayoutClock } from './playout-clock.ts';

const OPEN = 1;
/** Default cap on one inbound frame, bytes: ~340 ms of audio (the client sends 20–100 ms chunks). */
export const BROWSER_MAX_FRAME_BYTES = 22 * 1024;

export interface BrowserTransportOptions {
  /** The accepted browser WebSocket (a `ws` WebSocket or a fake). */
  socket: SocketLike;
  /** Synthetic call id for `start` (e.g. `web-<uuid>`). */
  callSid: string;
  /** Synthetic stream id for `start` (default `<callSid>-media`). */
  streamSid?: string;
  /** Passed through as `start.customParameters` (the agent id, for instance). */
  customParameters?: Record<string, string>;
  /** Frames larger than this are dropped and reported, bytes (default 22 528). */
  maxFrameBytes?: number;
  /** Error events reported before further dropped frames are only counted (default 20). */
  maxReportedErrors?: number;
  /** Clock for the playout emulation, ms (default `Date.now`). */
  now?: () => number;
  logger?: Logger;
}

/** Counters for diagnostics (no personal data). */
export interface BrowserTransportStats {
  framesReceived: number;
  framesDropped: number;
  audioFramesReceived: number;
  audioFramesSent: number;
  marksSent: number;
}

type State = 'connecting' | 'started' | 'stopped' | 'closing' | 'closed';

export class BrowserTransport implements TelephonyTransport {
  readonly callSid: string;
  readonly streamSid: string;
  #socket: SocketLike;
  #events: TypedEmitter<TelephonyEvents>;
  #customParameters: Record<string, string>;
  #inbound: InboundFrames<BrowserInbound>;
  #logger: Logger | undefined;
  #state: State = 'connecting';
  #start: TelephonyStartInfo | undefined;
  /** The first `start` listener is still awaited. */
  #startWaiting = false;
  /** The browser said `stop` before `start` went out: `stop` follows `start` at once. */
  #stopEarly = false;
  #receivedMs = 0;
  #playout: PlayoutClock;
  #stats: BrowserTransportStats = {
    framesReceived: 0,
    framesDropped: 0,
    audioFramesReceived: 0,
    audioFramesSent: 0,
    marksSent: 0,
  };

  constructor(options: BrowserTransportOptions) {
    this.#socket = options.socket;
    this.callSid = options.callSid;
    this.streamSid = options.streamSid ?? `${options.callSid}-media`;
    this.#customParameters = { ...options.customParameters };
    this.#logger = options.logger;
    this.#events = new TypedEmitter<TelephonyEvents>((error, event) => {
      if (event === 'error') return;
      this.#events.emit('error', errorEvent(listenerError(error, String(event))));
    });
    this.#inbound = new InboundFrames({
      label: 'browser',
      maxFrameBytes: options.maxFrameBytes ?? BROWSER_MAX_FRAME_BYTES,
      maxReportedErrors: options.maxReportedErrors ?? 20,
      parse: parseBrowserFrame,
      stats: this.#stats,
      onError: (error) => this.#events.emit('error', errorEvent(error)),
    });
    this.#playout = new PlayoutClock({
      ...(options.now ? { now: options.now } : {}),
      onPlayed: (name) => {
        if (this.#state === 'started' || this.#state === 'stopped') this.#events.emit('mark', { name });
      },
    });
    this.#socket.on('message', (data, isBinary) => this.#onMessage(data, isBinary));
    this.#socket.on('close', (code, reason) => this.#onClose(code, reason));
    this.#socket.on('error', (error) => {
      this.#events.emit(
        'error',
        errorEvent(
          new VoiceError('telephony_socket_error', 'browser socket error', {
            recoverable: false,
            cause: error,
          }),
        ),
      );
    });
    queueMicrotask(() => this.#maybeStart());
  }

  on: TelephonyTransport['on'] = (event, listener) => {
    const off = this.#events.on(event, listener);
    if (event === 'start' && this.#startWaiting) {
      this.#startWaiting = false;
      queueMicrotask(() => this.#maybeStart());
    }
    return off;
  };
  once: TelephonyTransport['once'] = (event, listener) => {
    let off = () => {};
    off = this.on(event, (payload) => {
      off();
      listener(payload);
    });
    return off;
  };
  off: TelephonyTransport['off'] = (event, listener) => this.#events.off(event, listener);

  get state(): TransportState {
    if (this.#state === 'connecting') return 'waiting';
    return this.#state === 'closing' ? 'closed' : this.#state;
  }
  get startInfo(): TelephonyStartInfo | undefined {
    return this.#start;
  }
  get inputFormat(): AudioFormat {
    return PCM16_24K;
  }
  get outputFormat(): AudioFormat {
    return PCM16_24K;
  }
  /** True once the socket closed (or `close` was called): nothing more will be sent. */
  get closed(): boolean {
    return this.#state === 'closing' || this.#state === 'closed';
  }
  /** Agent audio sent and not yet played by the emulated clock, ms. */
  get bufferedMs(): number {
    return this.#playout.bufferedMs;
  }
  get stats(): Readonly<BrowserTransportStats> {
    return { ...this.#stats };
  }

  sendAudio(payload: string, format: AudioFormat): void {
    if (!sameFormat(format, PCM16_24K)) {
      this.#report('unsupported_format', 'the browser plays only pcm16/24000/1', {
        format: describeFormat(format),
      });
      return;
    }
    if (this.#state !== 'started') return;
    if (this.#sendJson({ type: 'audio', audio: payload })) {
      this.#stats.audioFramesSent++;
      this.#playout.queued(base64DurationMs(payload, PCM16_24K));
    }
  }

  sendMark(name: string): void {
    if (this.#state !== 'started') return;
    this.#stats.marksSent++;
    this.#playout.mark(name);
  }

  clear(): void {
    if (this.#state !== 'started') return;
    this.#sendJson({ type: 'clear' });
    const voided = this.#playout.clear();
    // Echoed later, never inside `clear()`: the caller voids its marks right after clearing.
    if (voided.length > 0) {
      queueMicrotask(() => {
        for (const name of voided) {
          if (this.#state !== 'started' && this.#state !== 'stopped') return;
          this.#events.emit('mark', { name });
        }
      });
    }
  }

  /** Sends a server notice (`ready`, `transcript`, `ended`, `error`); false when it could not be sent. */
  notify(notice: BrowserNotice): boolean {
    if (this.#state === 'closed') return false;
    return this.#sendJson(notice, true);
  }

  /** Refuses the call: sends `{type:'error', message}`, then closes with `code` (4xxx). */
  reject(code: number, message: string): void {
    this.notify({ type: 'error', message });
    this.close(code, message);
  }

  /**
   * Closes the socket. The close goes out on the next microtask, so a notice written by a
   * listener of the session's `ended` (emitted right after the session closes its transport)
   * still reaches the browser.
   */
  close(code = 1000, reason = 'call ended'): void {
    if (this.closed) return;
    this.#state = 'closing';
    this.#playout.stop();
    queueMicrotask(() => {
      try {
        this.#socket.close(code, truncateReason(reason));
      } catch (error) {
        this.#logger?.debug({ err: error }, 'browser socket close failed');
      }
    });
  }

  #maybeStart(): void {
    if (this.#state !== 'connecting') return;
    if (this.#events.listenerCount('start') === 0) {
      this.#startWaiting = true;
      return;
    }
    this.#state = 'started';
    this.#start = {
      callSid: this.callSid,
      streamSid: this.streamSid,
      customParameters: { ...this.#customParameters },
      mediaFormat: PCM16_24K,
      tracks: ['inbound'],
    };
    this.#events.emit('start', this.#start);
    if (this.#stopEarly) this.#stop();
  }

  #stop(): void {
    if (this.#state !== 'started') return;
    this.#state = 'stopped';
    this.#events.emit('stop', { reason: 'browser_stop' });
  }

  #sendJson(message: object, notice = false): boolean {
    if (this.#socket.readyState !== OPEN) return false;
    if (!notice && this.#state !== 'started') return false;
    try {
      this.#socket.send(JSON.stringify(message));
      return true;
    } catch (error) {
      this.#events.emit(
        'error',
        errorEvent(
          new VoiceError('telephony_socket_error', 'browser socket send failed', {
            recoverable: true,
            cause: error,
          }),
        ),
      );
      return false;
    }
  }

  #onMessage(data: unknown, isBinary: boolean): void {
    if (this.#state !== 'connecting' && this.#state !== 'started') return;
    const message = this.#inbound.accept(data, isBinary);
    if (message) this.#handle(message);
  }

  #handle(message: BrowserInbound): void {
    switch (message.type) {
      case 'unknown':
        this.#logger?.debug({ type: message.name }, 'browser: ignoring unknown message');
        return;
      case 'stop':
        if (this.#state === 'connecting') this.#stopEarly = true;
        else this.#stop();
        return;
      case 'audio': {
        if (this.#state !== 'started') {
          this.#drop('telephony_out_of_order', 'audio before start');
          return;
        }
        this.#stats.audioFramesReceived++;
        const timestampMs = Math.round(this.#receivedMs);
        this.#receivedMs += base64DurationMs(message.audio, PCM16_24K);
        this.#events.emit('audio', { payload: message.audio, format: PCM16_24K, timestampMs });
        return;
      }
    }
  }

  #onClose(code: number, reason: Buffer | string): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.#playout.stop();
    this.#events.emit('closed', { code, reason: String(reason ?? '') });
  }

  #drop(code: VoiceErrorCode, message: string, details?: Record<string, unknown>): void {
    this.#inbound.drop(code, message, details);
  }

  #report(code: VoiceErrorCode, message: string, details?: Record<string, unknown>): void {
    this.#inbound.report(code, message, details);
  }
}

/** A close reason is at most 123 bytes of UTF-8. */
function truncateReason(reason: string): string {
  let out = reason;
  while (Buffer.byteLength(out) > 123) out = out.slice(0, -1);
  return out;
}
