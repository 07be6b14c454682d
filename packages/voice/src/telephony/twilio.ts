/**
 * Twilio Media Streams over a {@link SocketLike} (docs/telephony.md "Media Streams"). Speaks only Twilio:
 * parses inbound frames into typed events and sends `media`, `mark` and `clear`. Audio payloads
 * are passed through as base64, never decoded. Nothing here throws from a socket callback.
 */
import { describeFormat, PCMU_8K, sameFormat } from '../audio-format.ts';
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
import { InboundFrames } from './inbound-frames.ts';
import { parseTwilioFrame, type TwilioInbound } from './twilio-messages.ts';

const OPEN = 1;
/** Default cap on one inbound frame, bytes. A 20 ms media frame is ~300 bytes. */
export const DEFAULT_MAX_FRAME_BYTES = 64 * 1024;

export interface TwilioTransportOptions {
  /** The accepted Twilio WebSocket (a `ws` WebSocket or a fake). */
  socket: SocketLike;
  /** Frames larger than this are dropped and reported, bytes (default 65 536). */
  maxFrameBytes?: number;
  /** Error events reported before further dropped frames are only counted (default 20). */
  maxReportedErrors?: number;
  logger?: Logger;
}

/** Counters for diagnostics (no personal data). */
export interface TwilioTransportStats {
  framesReceived: number;
  framesDropped: number;
  audioFramesReceived: number;
  audioFramesSent: number;
  marksSent: number;
}

export class TwilioTransport implements TelephonyTransport {
  #socket: SocketLike;
  #events: TypedEmitter<TelephonyEvents>;
  #inbound: InboundFrames<TwilioInbound>;
  #logger: Logger | undefined;
  #state: TransportState = 'waiting';
  #start: TelephonyStartInfo | undefined;
  #lastSequence = 0;
  #inputFormat: AudioFormat = PCMU_8K;
  #stats: TwilioTransportStats = {
    framesReceived: 0,
    framesDropped: 0,
    audioFramesReceived: 0,
    audioFramesSent: 0,
    marksSent: 0,
  };

  constructor(options: TwilioTransportOptions) {
    this.#socket = options.socket;
    this.#logger = options.logger;
    this.#events = new TypedEmitter<TelephonyEvents>((error, event) => {
      if (event === 'error') return;
      this.#events.emit('error', errorEvent(listenerError(error, String(event))));
    });
    this.#inbound = new InboundFrames({
      label: 'twilio',
      maxFrameBytes: options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES,
      maxReportedErrors: options.maxReportedErrors ?? 20,
      parse: parseTwilioFrame,
      stats: this.#stats,
      onError: (error) => this.#events.emit('error', errorEvent(error)),
    });
    this.#socket.on('message', (data, isBinary) => this.#onMessage(data, isBinary));
    this.#socket.on('close', (code, reason) => this.#onClose(code, reason));
    this.#socket.on('error', (error) => {
      this.#events.emit(
        'error',
        errorEvent(
          new VoiceError('telephony_socket_error', 'media socket error', {
            recoverable: false,
            cause: error,
          }),
        ),
      );
    });
  }

  on: TelephonyTransport['on'] = (event, listener) => this.#events.on(event, listener);
  once: TelephonyTransport['once'] = (event, listener) => this.#events.once(event, listener);
  off: TelephonyTransport['off'] = (event, listener) => this.#events.off(event, listener);

  get inputFormat(): AudioFormat {
    return this.#inputFormat;
  }
  get outputFormat(): AudioFormat {
    return PCMU_8K;
  }
  get state(): TransportState {
    return this.#state;
  }
  get startInfo(): TelephonyStartInfo | undefined {
    return this.#start;
  }
  /** Twilio `MZ…` id, set once `start` arrived. */
  get streamSid(): string | undefined {
    return this.#start?.streamSid;
  }
  /** Twilio `CA…` id, set once `start` arrived. */
  get callSid(): string | undefined {
    return this.#start?.callSid;
  }
  get stats(): Readonly<TwilioTransportStats> {
    return { ...this.#stats };
  }

  sendAudio(payload: string, format: AudioFormat): void {
    if (!sameFormat(format, PCMU_8K)) {
      this.#report('unsupported_format', 'Twilio plays only pcmu/8000/1', { format: describeFormat(format) });
      return;
    }
    if (this.#sendJson({ event: 'media', streamSid: this.streamSid, media: { payload } })) {
      this.#stats.audioFramesSent++;
    }
  }

  sendMark(name: string): void {
    if (this.#sendJson({ event: 'mark', streamSid: this.streamSid, mark: { name } })) this.#stats.marksSent++;
  }

  clear(): void {
    this.#sendJson({ event: 'clear', streamSid: this.streamSid });
  }

  close(): void {
    if (this.#state === 'closed') return;
    try {
      this.#socket.close(1000, 'done');
    } catch (error) {
      this.#logger?.debug({ err: error }, 'twilio socket close failed');
    }
  }

  #sendJson(message: object): boolean {
    if (this.#state !== 'started' || this.#socket.readyState !== OPEN) return false;
    try {
      this.#socket.send(JSON.stringify(message));
      return true;
    } catch (error) {
      this.#events.emit(
        'error',
        errorEvent(
          new VoiceError('telephony_socket_error', 'media socket send failed', {
            recoverable: true,
            cause: error,
          }),
        ),
      );
      return false;
    }
  }

  #onMessage(data: unknown, isBinary: boolean): void {
    if (this.#state === 'closed' || this.#state === 'stopped') return;
    const message = this.#inbound.accept(data, isBinary);
    if (message) this.#handle(message);
  }

  #handle(message: TwilioInbound): void {
    if (message.event === 'connected') return;
    if (message.event === 'unknown') {
      this.#logger?.debug({ event: message.name }, 'twilio: ignoring unknown event');
      return;
    }
    if (message.event === 'start') {
      if (this.#state !== 'waiting') {
        this.#drop('telephony_out_of_order', 'second start');
        return;
      }
      this.#state = 'started';
      this.#lastSequence = message.sequenceNumber;
      this.#start = message.start;
      this.#inputFormat = message.start.mediaFormat;
      this.#events.emit('start', message.start);
      return;
    }
    if (this.#state !== 'started') {
      this.#drop('telephony_out_of_order', `${message.event} before start`);
      return;
    }
    if (message.streamSid !== this.streamSid) {
      this.#drop('telephony_malformed_frame', 'wrong streamSid');
      return;
    }
    if (message.sequenceNumber <= this.#lastSequence) {
      this.#drop('telephony_out_of_order', 'stale sequenceNumber', {
        sequenceNumber: message.sequenceNumber,
        last: this.#lastSequence,
      });
      return;
    }
    this.#lastSequence = message.sequenceNumber;
    switch (message.event) {
      case 'media':
        if (message.track !== 'inbound') return;
        this.#stats.audioFramesReceived++;
        this.#events.emit('audio', {
          payload: message.payload,
          format: this.#inputFormat,
          timestampMs: message.timestampMs,
        });
        return;
      case 'mark':
        this.#events.emit('mark', { name: message.name });
        return;
      case 'dtmf':
        this.#events.emit('dtmf', { digit: message.digit });
        return;
      case 'stop':
        this.#state = 'stopped';
        this.#events.emit('stop', message.reason === undefined ? {} : { reason: message.reason });
        return;
    }
  }

  #onClose(code: number, reason: Buffer | string): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.#events.emit('closed', { code, reason: String(reason ?? '') });
  }

  #drop(code: VoiceErrorCode, message: string, details?: Record<string, unknown>): void {
    this.#inbound.drop(code, message, details);
  }

  #report(code: VoiceErrorCode, message: string, details?: Record<string, unknown>): void {
    this.#inbound.report(code, message, details);
  }
}
