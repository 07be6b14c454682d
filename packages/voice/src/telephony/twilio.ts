/**
 * Twilio Media Streams over a {@link SocketLike} (docs/telephony.md#media-streams-messages). Speaks
 * only Twilio: parses inbound frames into typed events and sends `media`, `mark` and `clear`. Audio
 * payloads are passed through as base64, never decoded. Nothing here throws from a socket callback.
 */
import { PCMU_8K } from '@switchboard/audio';
import type {
  AudioFormat,
  Logger,
  TelephonyStartInfo,
  TelephonyTransport,
  TransportState,
} from '../types.ts';
import { type SocketOptions, TransportSocket, type TransportStats } from './transport-socket.ts';
import { TwilioOutbound } from './twilio-fast.ts';
import { parseTwilioFrame, type TwilioInbound } from './twilio-messages.ts';

/** Default cap on one inbound frame, bytes. A 20 ms media frame is ~300 bytes. */
export const DEFAULT_MAX_FRAME_BYTES = 64 * 1024;

/** The accepted Twilio WebSocket; frames over `maxFrameBytes` (default 65 536) are dropped. */
export type TwilioTransportOptions = SocketOptions;

/** Counters for diagnostics (no personal data). */
export type TwilioTransportStats = TransportStats;

export class TwilioTransport implements TelephonyTransport {
  #socket: TransportSocket<TwilioInbound>;
  #logger: Logger | undefined;
  #state: TransportState = 'waiting';
  #start: TelephonyStartInfo | undefined;
  #lastSequence = 0;
  #inputFormat: AudioFormat = PCMU_8K;
  /** Outgoing frame templates for this stream (set at `start`). */
  #out = new TwilioOutbound(undefined);

  constructor(options: TwilioTransportOptions) {
    this.#logger = options.logger;
    this.#socket = new TransportSocket(options, {
      label: 'twilio',
      socketName: 'media socket',
      defaultMaxFrameBytes: DEFAULT_MAX_FRAME_BYTES,
      parse: parseTwilioFrame,
      accepting: () => this.#state === 'waiting' || this.#state === 'started',
      onMessage: (message) => this.#handle(message),
      onClose: (code, reason) => this.#onClose(code, reason),
    });
  }

  on: TelephonyTransport['on'] = (event, listener) => this.#socket.events.on(event, listener);
  once: TelephonyTransport['once'] = (event, listener) => this.#socket.events.once(event, listener);
  off: TelephonyTransport['off'] = (event, listener) => this.#socket.events.off(event, listener);

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
    return { ...this.#socket.stats };
  }

  sendAudio(payload: string, format: AudioFormat): void {
    if (!this.#socket.plays(format, PCMU_8K, 'Twilio')) return;
    if (this.#send(this.#out.media(payload))) this.#socket.stats.audioFramesSent++;
  }

  sendMark(name: string): void {
    if (this.#send(this.#out.mark(name))) this.#socket.stats.marksSent++;
  }

  /** `media` and its `mark` in one write to the network (the mark is sent even if the audio is refused). */
  sendAudioAndMark(payload: string, format: AudioFormat, name: string): void {
    if (!this.#socket.plays(format, PCMU_8K, 'Twilio')) {
      this.sendMark(name);
      return;
    }
    if (this.#state !== 'started') return;
    const [media, mark] = this.#socket.sendPair(this.#out.media(payload), this.#out.mark(name));
    if (media) this.#socket.stats.audioFramesSent++;
    if (mark) this.#socket.stats.marksSent++;
  }

  clear(): void {
    this.#send(this.#out.clear());
  }

  close(): void {
    if (this.#state !== 'closed') this.#socket.close(1000, 'done');
  }

  #send(text: string): boolean {
    return this.#state === 'started' && this.#socket.sendText(text);
  }

  #handle(message: TwilioInbound): void {
    if (message.event === 'connected') return;
    if (message.event === 'unknown') {
      this.#logger?.debug({ event: message.name }, 'twilio: ignoring unknown event');
      return;
    }
    if (message.event === 'start') {
      if (this.#state !== 'waiting') {
        this.#socket.drop('telephony_out_of_order', 'second start');
        return;
      }
      this.#state = 'started';
      this.#lastSequence = message.sequenceNumber;
      this.#start = message.start;
      this.#out = new TwilioOutbound(message.start.streamSid);
      this.#inputFormat = message.start.mediaFormat;
      this.#socket.events.emit('start', message.start);
      return;
    }
    if (this.#state !== 'started') {
      this.#socket.drop('telephony_out_of_order', `${message.event} before start`);
      return;
    }
    if (message.streamSid !== this.streamSid) {
      this.#socket.drop('telephony_malformed_frame', 'wrong streamSid');
      return;
    }
    if (message.sequenceNumber <= this.#lastSequence) {
      this.#socket.drop('telephony_out_of_order', 'stale sequenceNumber', {
        sequenceNumber: message.sequenceNumber,
        last: this.#lastSequence,
      });
      return;
    }
    this.#lastSequence = message.sequenceNumber;
    switch (message.event) {
      case 'media':
        if (message.track !== 'inbound') return;
        this.#socket.stats.audioFramesReceived++;
        this.#socket.events.emit('audio', {
          payload: message.payload,
          format: this.#inputFormat,
          timestampMs: message.timestampMs,
        });
        return;
      case 'mark':
        this.#socket.events.emit('mark', { name: message.name });
        return;
      case 'dtmf':
        this.#socket.events.emit('dtmf', { digit: message.digit });
        return;
      case 'stop':
        this.#state = 'stopped';
        this.#socket.events.emit('stop', message.reason === undefined ? {} : { reason: message.reason });
        return;
    }
  }

  #onClose(code: number, reason: string): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.#socket.events.emit('closed', { code, reason });
  }
}
