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
import { base64DurationMs, PCM16_24K } from '@switchboard/audio';
import type {
  AudioFormat,
  Logger,
  TelephonyStartInfo,
  TelephonyTransport,
  TransportState,
} from '../types.ts';
import { type BrowserInbound, type BrowserNotice, parseBrowserFrame } from './browser-messages.ts';
import { PlayoutClock } from './playout-clock.ts';
import { type SocketOptions, TransportSocket, type TransportStats } from './transport-socket.ts';
/** Default cap on one inbound frame, bytes: ~340 ms of audio (the client sends 20–100 ms chunks). */
export const BROWSER_MAX_FRAME_BYTES = 22 * 1024;

export interface BrowserTransportOptions extends SocketOptions {
  /** Synthetic call id for `start` (e.g. `web-<uuid>`). */
  callSid: string;
  /** Synthetic stream id for `start` (default `<callSid>-media`). */
  streamSid?: string;
  /** Passed through as `start.customParameters` (the agent id, for instance). */
  customParameters?: Record<string, string>;
  /** Clock for the playout emulation, ms (default `Date.now`). */
  now?: () => number;
}

/** Counters for diagnostics (no personal data). */
export type BrowserTransportStats = TransportStats;

type State = 'connecting' | 'started' | 'stopped' | 'closing' | 'closed';

export class BrowserTransport implements TelephonyTransport {
  readonly callSid: string;
  readonly streamSid: string;
  #socket: TransportSocket<BrowserInbound>;
  #customParameters: Record<string, string>;
  #logger: Logger | undefined;
  #state: State = 'connecting';
  #start: TelephonyStartInfo | undefined;
  /** The first `start` listener is still awaited. */
  #startWaiting = false;
  /** The browser said `stop` before `start` went out: `stop` follows `start` at once. */
  #stopEarly = false;
  #receivedMs = 0;
  #playout: PlayoutClock;

  constructor(options: BrowserTransportOptions) {
    this.callSid = options.callSid;
    this.streamSid = options.streamSid ?? `${options.callSid}-media`;
    this.#customParameters = { ...options.customParameters };
    this.#logger = options.logger;
    this.#socket = new TransportSocket(options, {
      label: 'browser',
      socketName: 'browser socket',
      defaultMaxFrameBytes: BROWSER_MAX_FRAME_BYTES,
      parse: parseBrowserFrame,
      accepting: () => this.#state === 'connecting' || this.#state === 'started',
      onMessage: (message) => this.#handle(message),
      onClose: (code, reason) => this.#onClose(code, reason),
    });
    this.#playout = new PlayoutClock({
      ...(options.now ? { now: options.now } : {}),
      onPlayed: (name) => {
        if (this.#state === 'started' || this.#state === 'stopped')
          this.#socket.events.emit('mark', { name });
      },
    });
    queueMicrotask(() => this.#maybeStart());
  }

  on: TelephonyTransport['on'] = (event, listener) => {
    const off = this.#socket.events.on(event, listener);
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
  off: TelephonyTransport['off'] = (event, listener) => this.#socket.events.off(event, listener);

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
    return { ...this.#socket.stats };
  }

  sendAudio(payload: string, format: AudioFormat): void {
    if (!this.#socket.plays(format, PCM16_24K, 'the browser') || this.#state !== 'started') return;
    if (this.#send({ type: 'audio', audio: payload })) {
      this.#socket.stats.audioFramesSent++;
      this.#playout.queued(base64DurationMs(payload, PCM16_24K));
    }
  }

  sendMark(name: string): void {
    if (this.#state !== 'started') return;
    this.#socket.stats.marksSent++;
    this.#playout.mark(name);
  }

  clear(): void {
    if (this.#state !== 'started') return;
    this.#send({ type: 'clear' });
    const voided = this.#playout.clear();
    // Echoed later, never inside `clear()`: the caller voids its marks right after clearing.
    if (voided.length > 0) {
      queueMicrotask(() => {
        for (const name of voided) {
          if (this.#state !== 'started' && this.#state !== 'stopped') return;
          this.#socket.events.emit('mark', { name });
        }
      });
    }
  }

  /** Sends a server notice (`ready`, `transcript`, `ended`, `error`); false when it could not be sent. */
  notify(notice: BrowserNotice): boolean {
    if (this.#state === 'closed') return false;
    return this.#send(notice, true);
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
    queueMicrotask(() => this.#socket.close(code, truncateReason(reason)));
  }

  #maybeStart(): void {
    if (this.#state !== 'connecting') return;
    if (this.#socket.events.listenerCount('start') === 0) {
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
    this.#socket.events.emit('start', this.#start);
    if (this.#stopEarly) this.#stop();
  }

  #stop(): void {
    if (this.#state !== 'started') return;
    this.#state = 'stopped';
    this.#socket.events.emit('stop', { reason: 'browser_stop' });
  }

  /** Audio and `clear` only while started; notices whenever the socket is open. */
  #send(message: object, notice = false): boolean {
    return (notice || this.#state === 'started') && this.#socket.send(message);
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
          this.#socket.drop('telephony_out_of_order', 'audio before start');
          return;
        }
        this.#socket.stats.audioFramesReceived++;
        const timestampMs = Math.round(this.#receivedMs);
        this.#receivedMs += base64DurationMs(message.audio, PCM16_24K);
        this.#socket.events.emit('audio', { payload: message.audio, format: PCM16_24K, timestampMs });
        return;
      }
    }
  }

  #onClose(code: number, reason: string): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.#playout.stop();
    this.#socket.events.emit('closed', { code, reason });
  }
}

/** A close reason is at most 123 bytes of UTF-8. */
function truncateReason(reason: string): string {
  let out = reason;
  while (Buffer.byteLength(out) > 123) out = out.slice(0, -1);
  return out;
}
